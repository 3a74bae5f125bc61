"""test_github.py - perfgate's GitHub publishing against a real HTTP server
on 127.0.0.1 (fake_github.py), with reports from real benchmark runs on a
real temporary git repository.  Run by ctest; needs PERFGATE and
PG_TESTBENCH in the environment.

The benchmarks are real processes whose samples are seeded
(`pg_testbench synth`, see tests/e2e/testbench.c), so the failing report is
critical and the passing one ok by construction, on any machine."""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_github import FakeGitHub  # noqa: E402

PERFGATE = os.environ["PERFGATE"]
TESTBENCH = os.environ["PG_TESTBENCH"]
TOKEN = "ghs_test_token_123"
COUNTER = os.path.join(tempfile.gettempdir(), "pg-gh-counter-%d" % os.getpid())
HOSTILE = "esc|ape `x` <b>bold</b> @octocat *y*"
MARKER = "<!-- perfgate:default -->"


def read(path):
    with open(path) as f:
        return f.read()


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t", NO_COLOR="1", PERFGATE_TESTBED="gh-test",
               PG_TESTBENCH_SEED=os.environ.get("PG_TESTBENCH_SEED", "1"),
               PG_TESTBENCH_COUNTER=COUNTER)
    env.update(extra)
    return env


def synth(name, cost_file):
    return {"name": name, "command": [TESTBENCH, "synth", cost_file], "format": "perfgate"}


class Fixture:
    """A repository with history and a pull request branch whose benchmark
    "plain/op" is 50 % slower (critical by construction: seeded samples with
    2 % noise), and a benchmark with a hostile name that does not change."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="pg-gh-")
        self.repo = os.path.join(self.tmp.name, "repo")
        os.makedirs(self.repo)
        r = self.repo
        git(r, "init", "-q", "-b", "main")
        with open(os.path.join(r, "perfgate.json"), "w") as f:
            json.dump({"benchmarks": [synth("plain", "cost"), synth(HOSTILE, "cost2")]}, f)
        self.write("cost", "20")
        self.write("cost2", "20")
        self.write(".gitignore", ".perfgate/\n")
        env = clean_env()
        git(r, "add", "-A")
        subprocess.run(["git", "commit", "-qm", "init"], cwd=r, env=env, check=True)
        for i in range(5):
            subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "c%d" % i], cwd=r,
                           env=env, check=True)
            subprocess.run([PERFGATE, "run", "-q"], cwd=r, env=env, check=True)
        subprocess.run(["git", "checkout", "-qb", "pr"], cwd=r, env=env, check=True)
        self.write("cost", "30")
        subprocess.run(["git", "commit", "-qam", "slower"], cwd=r, env=env, check=True)
        self.sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=r, capture_output=True,
                                  text=True, check=True).stdout.strip()
        self.failing = os.path.join(self.tmp.name, "failing.json")
        p = subprocess.run([PERFGATE, "check", "--no-store", "--format", "json", "--output",
                            self.failing], cwd=r, env=env, capture_output=True, text=True)
        assert p.returncode == 1, "the slower branch should fail the gate: " + p.stdout + p.stderr
        # Back on main: everything as before, a passing all-ok report.
        subprocess.run(["git", "checkout", "-q", "main"], cwd=r, env=env, check=True)
        self.passing = os.path.join(self.tmp.name, "passing.json")
        p = subprocess.run([PERFGATE, "check", "--no-store", "--format", "json", "--output",
                            self.passing], cwd=r, env=env, capture_output=True, text=True)
        assert p.returncode == 0, "main should pass: " + p.stdout + p.stderr
        subprocess.run(["git", "checkout", "-q", "pr"], cwd=r, env=env, check=True)

    def write(self, name, text):
        with open(os.path.join(self.repo, name), "w") as f:
            f.write(text)


FIX = None


def post(gh, report, *args, **env):
    e = clean_env(**dict({"GITHUB_API_URL": gh.url, "GITHUB_TOKEN": TOKEN}, **env))
    cmd = [PERFGATE, "post", "--report", report, "--repo", "acme/widgets", "--pr", "7",
           "--sha", FIX.sha, *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=e, cwd=FIX.tmp.name)


def comment_requests(gh, method):
    return [r for r in gh.api_requests() if r["method"] == method and "/comments" in r["path"]]


class GitHubTests(unittest.TestCase):
    def test_first_post_creates_second_updates(self):
        with FakeGitHub() as gh:
            for i in range(3):  # filler comments: our comment lands on a later page
                gh.seed_comment(7, "looks good %d" % i, "alice")
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("commented on acme/widgets#7", p.stderr)
            p = post(gh, FIX.passing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("updated the comment on acme/widgets#7", p.stderr)
            ours = [c for c in gh.comments[7] if c["body"].startswith(MARKER)]
            self.assertEqual(len(ours), 1, "exactly one perfgate comment")
            self.assertIn("perfgate: pass", ours[0]["body"])
            self.assertEqual(len(comment_requests(gh, "POST")), 1)
            self.assertEqual(len(comment_requests(gh, "PATCH")), 1)
            # pagination was followed (page size 2, four comments)
            pages = [r["query"] for r in comment_requests(gh, "GET")]
            self.assertTrue(any("page=2" in q for q in pages), pages)

    def test_request_headers_and_status(self):
        with FakeGitHub() as gh:
            p = post(gh, FIX.failing, "--status-context", "perf/linux")
            self.assertEqual(p.returncode, 0, p.stderr)
            for r in gh.api_requests():
                h = r["headers"]
                self.assertEqual(h["authorization"], "Bearer " + TOKEN)
                self.assertEqual(h["accept"], "application/vnd.github+json")
                self.assertEqual(h["x-github-api-version"], "2022-11-28")
                self.assertTrue(h["user-agent"].startswith("perfgate/"))
            self.assertEqual(len(gh.statuses), 1)
            st = gh.statuses[0]
            self.assertEqual(st["sha"], FIX.sha)
            self.assertEqual(st["state"], "failure")
            self.assertEqual(st["context"], "perf/linux")
            self.assertIn("critical", st["description"])
            self.assertIn("of 2", st["description"])
            body = gh.comments[7][0]["body"]
            self.assertTrue(body.startswith(MARKER + "\n### ❌ perfgate: fail"))
            self.assertIn("| plain/op | time\\_per\\_op |", body)
            self.assertIn("<details><summary>All 2 results</summary>", body)

    def test_someone_elses_marker_comment_is_untouched(self):
        with FakeGitHub() as gh:
            theirs = gh.seed_comment(7, MARKER + "\nI copied perfgate's comment", "mallory")
            quoted = gh.seed_comment(7, "> " + MARKER + " quoted", "perfgate-bot")
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(theirs["body"], MARKER + "\nI copied perfgate's comment")
            self.assertEqual(quoted["body"], "> " + MARKER + " quoted")
            self.assertEqual(len(comment_requests(gh, "PATCH")), 0)
            self.assertEqual(len(comment_requests(gh, "POST")), 1)

    def test_actions_token_acts_as_the_bot(self):
        with FakeGitHub(user_status=403, user_login="github-actions[bot]") as gh:
            gh.seed_comment(7, MARKER + "\nold report", "github-actions[bot]")
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("updated the comment", p.stderr)
            self.assertEqual(len(gh.comments[7]), 1)

    def test_500_then_200_retries(self):
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/issues/7/comments", {"status": 500})
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(comment_requests(gh, "POST")), 2)
            self.assertEqual(len(gh.comments[7]), 1)

    def test_429_retry_after_waits(self):
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/statuses/",
                         {"status": 429, "headers": {"Retry-After": "2"}})
            t0 = time.monotonic()
            p = post(gh, FIX.failing)
            elapsed = time.monotonic() - t0
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertGreaterEqual(elapsed, 2.0)
            self.assertEqual(len(gh.statuses), 1)

    def test_secondary_rate_limit_403_retries(self):
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/statuses/",
                         {"status": 403, "headers": {"Retry-After": "1"},
                          "body": {"message": "You have exceeded a secondary rate limit"}})
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(gh.statuses), 1)

    def test_persistent_500_gives_up_and_keeps_the_verdict(self):
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/statuses/", *([{"status": 502}] * 4))
            env = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY="acme/widgets")
            # check --github on the failing branch: the verdict (1) stands
            p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7"],
                               cwd=FIX.repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("setting the commit status: HTTP 502", p.stderr)
            self.assertEqual(len([r for r in gh.api_requests() if "/statuses/" in r["path"]]), 4)
            # with --require-post the failure to post is an error (exit 3)
            gh.fail_next("POST", "/repos/acme/widgets/statuses/", *([{"status": 500}] * 4))
            p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7",
                                "--fail-on", "never", "--require-post"],
                               cwd=FIX.repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 3, p.stderr)
            # and without it, a passing verdict stays 0
            gh.fail_next("POST", "/repos/acme/widgets/statuses/", *([{"status": 500}] * 4))
            p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7",
                                "--fail-on", "never"],
                               cwd=FIX.repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_401_and_404_and_403_name_the_problem(self):
        with FakeGitHub() as gh:
            p = post(gh, FIX.failing, GITHUB_TOKEN="wrong-token")
            self.assertEqual(p.returncode, 3)
            self.assertIn("401 Unauthorized: the token is missing, invalid or expired", p.stderr)
            e = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN)
            p = subprocess.run([PERFGATE, "post", "--report", FIX.failing, "--repo", "acme/gone",
                                "--pr", "7", "--sha", FIX.sha], capture_output=True, text=True, env=e)
            self.assertEqual(p.returncode, 3)
            self.assertIn("404 Not Found", p.stderr)
            self.assertIn("pull-requests: write", p.stderr)
            self.assertIn("statuses: write", p.stderr)
            gh.fail_next("POST", "/repos/acme/widgets/statuses/",
                         {"status": 403, "body": {"message": "Resource not accessible by integration"}})
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 3)
            self.assertIn("403 Forbidden: the token lacks permission; grant the workflow "
                          "`permissions: statuses: write`", p.stderr)

    def test_token_never_leaks(self):
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            summary = os.path.join(d, "summary.md")
            out = os.path.join(d, "report.md")
            env = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY="acme/widgets",
                            GITHUB_STEP_SUMMARY=summary)
            p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7",
                                "--format", "markdown", "--output", out],
                               cwd=FIX.repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 1, p.stderr)
            # and a failing call, whose error message must not carry it either
            p2 = post(gh, FIX.failing, GITHUB_TOKEN=TOKEN + "x")
            for text in (p.stdout, p.stderr, p2.stdout, p2.stderr, read(summary),
                         read(out), json.dumps(gh.comments), json.dumps(gh.statuses)):
                self.assertNotIn(TOKEN, text)
            self.assertIn("perfgate: fail", read(summary))
            self.assertIn("::error title=perfgate%3A plain/op::plain/op time_per_op critical", p.stdout)

    def test_token_not_sent_to_another_host(self):
        with FakeGitHub() as gh, FakeGitHub() as other:
            gh.seed_comment(7, "filler 1", "alice")
            gh.seed_comment(7, "filler 2", "alice")
            gh.seed_comment(7, "filler 3", "alice")
            api = gh.url
            gh.url = other.url  # forge: pagination links now point elsewhere
            p = post(gh, FIX.failing, GITHUB_API_URL=api)
            self.assertEqual(other.api_requests(), [])
            self.assertIn("refusing to follow a URL outside the API host", p.stderr)
            self.assertEqual(p.returncode, 3)

    def test_https_is_required(self):
        p = subprocess.run([PERFGATE, "post", "--report", FIX.failing, "--repo", "acme/widgets",
                            "--api-url", "http://example.com"], capture_output=True, text=True,
                           env=clean_env(GITHUB_TOKEN=TOKEN))
        self.assertEqual(p.returncode, 2)
        self.assertIn("must be https://", p.stderr)

    def test_names_are_escaped(self):
        with FakeGitHub() as gh:
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            body = gh.comments[7][0]["body"]
            self.assertNotIn("<b>", body)
            self.assertNotIn("@octocat", body)
            self.assertNotIn("esc|ape", body)
            self.assertIn("esc\\|ape \\`x\\` &lt;b&gt;bold&lt;/b&gt; @\u2060octocat \\*y\\*", body)

    def test_comment_on_and_stale_comments(self):
        with FakeGitHub() as gh:
            # passing report, --comment-on warning: nothing to say, no comment
            p = post(gh, FIX.passing, "--comment-on", "warning")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertNotIn(7, gh.comments)
            # failing report: comment created
            post(gh, FIX.failing, "--comment-on", "warning")
            self.assertEqual(len(gh.comments[7]), 1)
            # all well again with --stale keep: left alone; delete: removed
            post(gh, FIX.passing, "--comment-on", "critical", "--stale", "keep")
            self.assertIn("perfgate: fail", gh.comments[7][0]["body"])
            p = post(gh, FIX.passing, "--comment-on", "critical", "--stale", "delete")
            self.assertIn("deleted the stale comment", p.stderr)
            self.assertEqual(gh.comments[7], [])

    def test_separate_comment_ids(self):
        with FakeGitHub() as gh:
            post(gh, FIX.failing, "--comment-id", "linux")
            post(gh, FIX.failing, "--comment-id", "macos")
            post(gh, FIX.failing, "--comment-id", "linux")
            self.assertEqual(len(gh.comments[7]), 2)
            p = post(gh, FIX.failing, "--comment-id", "bad id -->")
            self.assertEqual(p.returncode, 2)

    def test_event_payload_and_fork_safe_post(self):
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            event = os.path.join(d, "event.json")
            with open(event, "w") as f:
                json.dump({"pull_request": {"number": 7, "head": {"sha": FIX.sha}}}, f)
            report = os.path.join(d, "report.json")
            # job 1 (no token): check records the PR from the event in its JSON report
            env = clean_env(GITHUB_EVENT_PATH=event, GITHUB_EVENT_NAME="pull_request",
                            GITHUB_REPOSITORY="acme/widgets")
            subprocess.run([PERFGATE, "check", "--no-store", "--format", "json", "--output", report],
                           cwd=FIX.repo, env=env, capture_output=True)
            self.assertEqual(json.loads(read(report))["github"]["pull_request"], 7)
            # job 2 (workflow_run, with the token): posts it to the right PR and commit
            wr = os.path.join(d, "wr.json")
            with open(wr, "w") as f:
                json.dump({"workflow_run": {"head_sha": FIX.sha, "pull_requests": []}}, f)
            env = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN, GITHUB_EVENT_PATH=wr,
                            GITHUB_EVENT_NAME="workflow_run", GITHUB_REPOSITORY="acme/widgets",
                            GITHUB_SERVER_URL="https://github.com", GITHUB_RUN_ID="42")
            p = subprocess.run([PERFGATE, "post", "--report", report], env=env,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(gh.comments[7]), 1)
            self.assertIn("https://github.com/acme/widgets/actions/runs/42", gh.comments[7][0]["body"])
            self.assertEqual(gh.statuses[0]["sha"], FIX.sha)
            self.assertEqual(gh.statuses[0]["target_url"], "https://github.com/acme/widgets/actions/runs/42")
            # a report claiming another commit than the triggering run is refused
            with open(wr, "w") as f:
                json.dump({"workflow_run": {"head_sha": "f" * 40, "pull_requests": []}}, f)
            p = subprocess.run([PERFGATE, "post", "--report", report], env=env,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 3)
            self.assertIn("refusing to post it", p.stderr)

    def huge_report(self, d, source, pick, n, **changes):
        """A report of `n` copies of `source`'s row of severity `pick`, changed."""
        rep = json.loads(read(source))
        row = [r for r in rep["results"] if r["severity"] == pick][0]
        row = dict(row, **changes)
        rep["results"] = [dict(row, benchmark="bench/%05d/%s" % (i, "x" * 40)) for i in range(n)]
        path = os.path.join(d, "big-%s.json" % row["severity"])
        with open(path, "w") as f:
            json.dump(rep, f)
        return path

    def test_huge_report_fits_in_a_comment(self):
        # everything fine (the collapsed table is cut), everything flagged
        # (the flagged table itself is cut, keeping the worst visible), many
        # failures with long reasons, many improvements
        cases = ((FIX.passing, "ok", 3000, {}), (FIX.failing, "critical", 3000, {}),
                 (FIX.failing, "critical", 300, {"severity": "failed", "reason": "r" * 300}),
                 (FIX.failing, "critical", 1200, {"severity": "improved", "change_pct": -40}))
        for source, severity, n, changes in cases:
            with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
                p = post(gh, self.huge_report(d, source, severity, n, **changes))
                self.assertEqual(p.returncode, 0, p.stderr)
                body = gh.comments[7][0]["body"]
                what = changes.get("severity", severity)
                self.assertLess(len(body), 65536, what)
                self.assertTrue(body.startswith(MARKER + "\n### "), what)
                self.assertIn("not shown", body, what)
                self.assertIn("</details>", body, what)
                self.assertIn("bench/00000/", body, what)
                self.assertIn("Compared ", body, what)


if __name__ == "__main__":
    FIX = Fixture()
    import atexit
    atexit.register(lambda: os.path.exists(COUNTER) and os.unlink(COUNTER))
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
