"""test_github.py - perfgate's GitHub publishing against a real HTTP server
on 127.0.0.1 (fake_github.py), with reports from real benchmark runs on a
real temporary git repository.  Run by ctest; needs PERFGATE and
PG_TESTBENCH in the environment.

The benchmarks are real processes whose samples are seeded
(`pg_testbench synth`, see tests/e2e/testbench.c), so the failing report is
critical and the passing one ok by construction, on any machine."""
import json
import os
import re
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


def workflow_run(head_sha, branch, head_repo, prs=None):
    """A workflow_run event as GitHub sends it; a fork's lists no pull request."""
    owner = head_repo.split("/")[0]
    return {"workflow_run": {"event": "pull_request", "head_sha": head_sha, "head_branch": branch,
                             "head_repository": {"full_name": head_repo, "owner": {"login": owner}},
                             "pull_requests": prs or []}}


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
            self.assertIn("::error title=perfgate%3A plain/op::plain/op time_per_op critical", p.stderr)

    def test_report_with_missing_result_is_posted(self):
        # the fork-safe split: a pull request that deletes a benchmark makes a
        # report with a `missing` row; post must publish it, not refuse it
        r = FIX.repo
        env = clean_env()
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            subprocess.run(["git", "checkout", "-qb", "drop-one"], cwd=r, env=env, check=True)
            try:
                with open(os.path.join(r, "perfgate.json"), "w") as f:
                    json.dump({"benchmarks": [synth("plain", "cost")]}, f)
                subprocess.run(["git", "commit", "-qam", "drop the hostile one"], cwd=r, env=env,
                               check=True)
                report = os.path.join(d, "report.json")
                p = subprocess.run([PERFGATE, "check", "--no-store", "--format", "json",
                                    "--output", report], cwd=r, env=env, capture_output=True,
                                   text=True)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertEqual(json.loads(read(report))["counts"]["missing"], 1)
                p = post(gh, report)
                self.assertEqual(p.returncode, 0, p.stderr)
                body = gh.comments[7][0]["body"]
                self.assertIn("1 missing", body)
                self.assertIn("missing: in the baseline at", body)
                self.assertEqual(gh.statuses[-1]["state"], "failure")
            finally:
                subprocess.run(["git", "checkout", "-q", "pr"], cwd=r, env=env, check=True)

    def test_token_never_reaches_processes(self):
        # benchmarks and "environment" commands run without the token (the
        # --token-env one, GITHUB_TOKEN and the runner's own credentials); one
        # that reads it from a file has it redacted from everything written
        pat = "github_pat_" + "A1b2" * 10
        secrets = {"MY_PAT": pat, "GITHUB_TOKEN": TOKEN,
                   "ACTIONS_RUNTIME_TOKEN": "runtime-" + "r" * 30,
                   "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "idreq-" + "i" * 30}
        with FakeGitHub(token=pat) as gh, tempfile.TemporaryDirectory() as d:
            repo = os.path.join(d, "repo")
            os.makedirs(repo)
            token_file = os.path.join(d, "token-file")
            with open(token_file, "w") as f:
                f.write(pat)
            show = " ".join("%s=${%s:-unset}" % (k, k) for k in secrets)
            cfg = {"environment": {"tokens": "echo " + show},
                   "benchmarks": [
                       {"name": "env", "command": ["sh", "-c", "echo %s >&2; exit 1" % show]},
                       {"name": "file", "command": ["sh", "-c",
                                                    "echo read $(cat %s) >&2; exit 1" % token_file]},
                       synth("plain", "cost")]}
            with open(os.path.join(repo, "perfgate.json"), "w") as f:
                json.dump(cfg, f)
            with open(os.path.join(repo, "cost"), "w") as f:
                f.write("20")
            env = clean_env(GITHUB_API_URL=gh.url, GITHUB_REPOSITORY="acme/widgets",
                            GITHUB_STEP_SUMMARY=os.path.join(d, "summary.md"), **secrets)
            git(repo, "init", "-q", "-b", "main")
            git(repo, "add", "-A")
            subprocess.run(["git", "commit", "-qm", "init"], cwd=repo, env=env, check=True)
            sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                                 text=True, check=True).stdout.strip()
            out = {k: os.path.join(d, k) for k in ("report.json", "report.md", "results.json")}
            p = subprocess.run([PERFGATE, "check", "--github", "--pr", "7", "--sha", sha,
                                "--token-env", "MY_PAT", "--report-json", out["report.json"],
                                "--format", "markdown", "-o", out["report.md"],
                                "--results", out["results.json"]],
                               cwd=repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("commented on acme/widgets#7", p.stderr)  # the token worked
            stored = [read(os.path.join(root, f)) for root, _, files in
                      os.walk(os.path.join(repo, ".perfgate")) for f in files]
            self.assertEqual(len(stored), 1)
            texts = [p.stdout, p.stderr, read(os.path.join(d, "summary.md")), *stored,
                     *(read(f) for f in out.values()), json.dumps(gh.comments),
                     json.dumps(gh.statuses)]
            for text in texts:
                for name, value in secrets.items():
                    self.assertNotIn(value, text, name)
            report = json.loads(read(out["report.json"]))
            reasons = {r["benchmark"]: r.get("reason", "") for r in report["results"]}
            for name in secrets:
                self.assertIn("%s=unset" % name, reasons["env"])
                self.assertIn("%s=unset" % name, stored[0])  # the environment command's
            self.assertIn("read ***", reasons["file"])
            self.assertIn("read \\*\\*\\*", gh.comments[7][0]["body"])

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
            # job 2 (workflow_run, with the token): posts it to the PR GitHub says has
            # that head, and the commit the event names
            gh.add_pull(7, FIX.sha, "pr")
            wr = os.path.join(d, "wr.json")
            with open(wr, "w") as f:
                json.dump(workflow_run(FIX.sha, "pr", "acme/widgets"), f)
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
            # the pull request moved on (a new push): the report's commit is not the
            # run's, and the report is refused
            gh.pulls[0]["head"]["sha"] = "f" * 40
            with open(wr, "w") as f:
                json.dump(workflow_run("f" * 40, "pr", "acme/widgets"), f)
            p = subprocess.run([PERFGATE, "post", "--report", report], env=env,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 3)
            self.assertIn("the report is for commit", p.stderr)
            self.assertIn("refusing to post it", p.stderr)
            self.assertEqual(len(gh.statuses), 1)

    def fork_env(self, gh, d, event):
        path = os.path.join(d, "event.json")
        with open(path, "w") as f:
            json.dump(event, f)
        return clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN, GITHUB_EVENT_PATH=path,
                         GITHUB_EVENT_NAME="workflow_run", GITHUB_REPOSITORY="acme/widgets")

    def forged(self, d, name, **github):
        rep = json.loads(read(FIX.failing))
        if github:
            rep["github"] = github
        else:
            rep.pop("github", None)
        path = os.path.join(d, name)
        with open(path, "w") as f:
            json.dump(rep, f)
        return path

    def test_fork_cannot_redirect_or_delete_another_prs_comment(self):
        """The issue's attack: the fork's workflow_run (pull_requests: []) and a
        report claiming pull request 42 with the fork's own head SHA."""
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            gh.add_pull(42, "b" * 40, "feature-x")                       # the victim
            gh.add_pull(9, FIX.sha, "patch-1", head_repo="mallory/widgets")  # the attacker's
            victim = gh.seed_comment(42, MARKER + "\nthe victim's report", "perfgate-bot")
            env = self.fork_env(gh, d, workflow_run(FIX.sha, "patch-1", "mallory/widgets"))
            report = self.forged(d, "forged.json", pull_request=42, head_sha=FIX.sha)
            for extra in ([], ["--stale", "delete", "--comment-on", "critical"]):
                p = subprocess.run([PERFGATE, "post", "--report", report, *extra], env=env,
                                   capture_output=True, text=True)
                self.assertEqual(p.returncode, 3, p.stderr)
                self.assertIn("the report is for pull request #42 but this run is for #9; "
                              "refusing to post it", p.stderr)
            self.assertEqual(gh.comments[42], [victim])
            self.assertEqual(victim["body"], MARKER + "\nthe victim's report")
            self.assertNotIn(9, gh.comments)
            self.assertEqual([r for r in gh.api_requests() if r["method"] != "GET"], [])
            # the lookup asked for the fork's branch, open pull requests only
            q = [r["query"] for r in gh.api_requests() if r["path"] == "/repos/acme/widgets/pulls"]
            self.assertTrue(q and all("head=mallory:patch-1" in x and "state=open" in x for x in q), q)

            # no claim in the report: it still goes to the fork's own pull request only
            report = self.forged(d, "unclaimed.json")
            p = subprocess.run([PERFGATE, "post", "--report", report], env=env,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("commented on acme/widgets#9", p.stderr)
            self.assertEqual(gh.comments[42], [victim])
            self.assertEqual(gh.statuses[-1]["sha"], FIX.sha)

    def test_fork_run_without_its_pull_request_posts_nothing(self):
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            gh.add_pull(42, FIX.sha, "feature-x")  # same commit, but not the run's head
            gh.add_pull(9, FIX.sha, "patch-1", head_repo="eve/widgets")  # another fork
            gh.add_pull(10, "c" * 40, "patch-1", head_repo="mallory/widgets")  # moved on
            gh.add_pull(11, FIX.sha, "patch-1", head_repo="mallory/widgets", state="closed")
            victim = gh.seed_comment(42, MARKER + "\nthe victim's report", "perfgate-bot")
            env = self.fork_env(gh, d, workflow_run(FIX.sha, "patch-1", "mallory/widgets"))
            report = self.forged(d, "forged.json", pull_request=42, head_sha=FIX.sha)
            p = subprocess.run([PERFGATE, "post", "--report", report, "--stale", "delete"],
                               env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("no open pull request of acme/widgets has head mallory:patch-1 at commit "
                          + FIX.sha[:12], p.stderr)
            self.assertEqual(gh.comments[42], [victim])
            self.assertEqual([r for r in gh.api_requests() if r["method"] != "GET"], [])

    def test_fork_flow_posts_to_the_fork_pr(self):
        """The legitimate fork-safe split: job 1's report says pull request 9,
        the workflow_run lists no pull request (or a stale one), the lookup
        finds 9 (on page 2: the listing is paged)."""
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            for n in (20, 21):   # older pull requests from the same branch, other heads
                gh.add_pull(n, "%040d" % n, "patch-1", head_repo="mallory/widgets", state="open")
            gh.add_pull(9, FIX.sha, "patch-1", head_repo="mallory/widgets")
            stale = {"number": 42, "head": {"sha": "b" * 40, "ref": "feature-x"}}
            env = self.fork_env(gh, d, workflow_run(FIX.sha, "patch-1", "mallory/widgets", [stale]))
            report = self.forged(d, "job1.json", pull_request=9, head_sha=FIX.sha)
            p = subprocess.run([PERFGATE, "post", "--report", report], env=env,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("commented on acme/widgets#9", p.stderr)
            self.assertEqual(len(gh.comments[9]), 1)
            self.assertNotIn(42, gh.comments)
            self.assertEqual(gh.statuses[0]["sha"], FIX.sha)
            self.assertTrue(any("page=2" in r["query"] for r in gh.api_requests()
                                if r["path"] == "/repos/acme/widgets/pulls"))
            # --pr names the pull request itself: no lookup
            n = len(gh.api_requests())
            p = post(gh, report, GITHUB_EVENT_PATH=env["GITHUB_EVENT_PATH"],
                     GITHUB_EVENT_NAME="workflow_run")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("warning: the report says pull request #9; posting to #7", p.stderr)
            self.assertFalse(any(r["path"].endswith("/pulls") for r in gh.api_requests()[n:]))
            # a run for a push has no pull request: status only
            push = workflow_run(FIX.sha, "main", "acme/widgets")
            push["workflow_run"]["event"] = "push"
            env = self.fork_env(gh, d, push)
            p = subprocess.run([PERFGATE, "post", "--report", self.forged(d, "push.json")], env=env,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("not a pull request", p.stderr)

    def test_rate_limit_is_reported_as_rate_limit(self):
        with FakeGitHub() as gh:
            reset = int(time.time()) + 3600
            gh.fail_next("POST", "/repos/acme/widgets/statuses/",
                         {"status": 403, "headers": {"x-ratelimit-remaining": "0",
                                                     "x-ratelimit-reset": str(reset)},
                          "body": {"message": "API rate limit exceeded for installation ID 1."}})
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("setting the commit status: rate limited (HTTP 403): the limit resets at "
                          + time.strftime("%Y-%m-%d %H:%M", time.gmtime(reset)), p.stderr)
            self.assertNotIn("lacks permission", p.stderr)
            self.assertNotIn("statuses: write", p.stderr)
            # a reset too far away is not waited for: one attempt
            self.assertEqual(len([r for r in gh.api_requests() if "/statuses/" in r["path"]]), 1)
            # 429s until the retries run out: rate limiting too, with the wait asked for
            gh.fail_next("POST", "/repos/acme/widgets/statuses/",
                         *([{"status": 429, "headers": {"Retry-After": "0"}}] * 4))
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("rate limited (HTTP 429): GitHub asks to wait 0 s", p.stderr)

    def test_create_that_went_through_is_not_repeated(self):
        """The server creates the comment but the answer is lost (a 502 from a
        proxy, or a dropped connection): perfgate must end with one comment."""
        for failure in ({"status": 502, "apply": True}, {"drop": True, "apply": True}):
            with FakeGitHub() as gh:
                gh.fail_next("POST", "/repos/acme/widgets/issues/7/comments", failure)
                p = post(gh, FIX.failing)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(len(gh.comments[7]), 1, failure)
                self.assertIn("perfgate: fail", gh.comments[7][0]["body"])
                self.assertEqual(len(comment_requests(gh, "POST")), 1, failure)
                self.assertEqual(len(comment_requests(gh, "PATCH")), 1, failure)
        # a 502 before anything was created: looked again, found nothing, created once
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/issues/7/comments", {"status": 502})
            p = post(gh, FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(gh.comments[7]), 1)
            self.assertEqual(len(comment_requests(gh, "POST")), 2)

    def test_check_github_json_stdout_is_one_document(self):
        with FakeGitHub() as gh:
            env = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY="acme/widgets")
            for fmt, parse in (("json", json.loads), ("junit", None)):
                p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7",
                                    "--format", fmt], cwd=FIX.repo, env=env, capture_output=True,
                                   text=True)
                self.assertEqual(p.returncode, 1, p.stderr)
                if parse:
                    self.assertEqual(parse(p.stdout)["verdict"], "fail")
                self.assertNotIn("::error", p.stdout)
                self.assertIn("::error title=perfgate%3A plain/op::", p.stderr)

    def test_userinfo_url_does_not_get_the_token(self):
        with FakeGitHub() as gh, FakeGitHub() as other:
            for url in ("http://127.0.0.1:1@127.0.0.1:%d" % other.port,
                        "http://localhost@127.0.0.1:%d/" % other.port):
                for how, status in ((["--api-url", url], 2), ([], 3)):
                    p = post(gh, FIX.failing, *how, GITHUB_API_URL=url)
                    self.assertEqual(p.returncode, status, p.stderr)
                    self.assertIn("user name or password", p.stderr)
            self.assertEqual(other.api_requests(), [])
            self.assertEqual(gh.api_requests(), [])

    def hostile_report(self, d, name, edit):
        rep = json.loads(read(FIX.failing))
        edit(rep)
        path = os.path.join(d, name)
        with open(path, "w") as f:
            json.dump(rep, f)
        return path

    def test_invalid_report_is_refused_before_any_call(self):
        """A forged or sparse report: one line naming the file and the field,
        exit 3, no crash, nothing sent."""
        crash_row = {"benchmark": "x", "severity": "ok", "mdc_pct": 50, "notice": 5}

        def row(**kw):
            return lambda rep: rep["results"][0].update(kw)
        cases = (
            (lambda rep: rep.update(results=[crash_row]), "results[0].metric: missing"),
            (row(unit="ms | **forged** [click](https://evil.example)"), "results[0].unit: "),
            (row(unit="ms|[x](y)"), "results[0].unit: may only hold"),
            (lambda rep: rep.update(commit="`<b>x</b>`x"), "commit: is not a commit id"),
            (lambda rep: rep["base"].update(commit="`x`"), "base.commit: is not a commit id"),
            (lambda rep: rep.update(testbed="tb\u001b[2J"), "testbed: contains a control character"),
            (row(severity="catastrophic"), "results[0].severity"),
            (row(baseline="1e3"), "results[0].baseline: expected a finite number"),
            (lambda rep: rep.update(github={"pull_request": "42"}), "github.pull_request"),
        )
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            for i, (edit, error) in enumerate(cases):
                path = self.hostile_report(d, "bad%d.json" % i, edit)
                p = post(gh, path)
                self.assertEqual(p.returncode, 3, (error, p.stderr))
                self.assertIn("perfgate: error: %s: %s" % (path, error), p.stderr)
                self.assertLess(p.stderr.count("\n"), 2, p.stderr)
            self.assertEqual(gh.api_requests(), [])

    def test_hostile_fields_are_inert_in_the_comment(self):
        """What the readers let in (names may hold anything printable) is
        escaped: no link, no HTML, no split table, no mention, no code span."""
        evil = "ms | **forged** [click](https://evil.example) <b>x</b> @team www.evil.example"

        def edit(rep):
            rep["results"][0]["benchmark"] = evil
            rep["results"][0]["metric"] = "`<b>x</b>`x"
            rep["results"].append({"benchmark": "crashed", "severity": "failed",
                                   "reason": "`<b>x</b>`x | [c](https://evil.example) \u001b[2J"})
            rep["testbed"] = "tb [x](https://evil.example) <img src=x>"
            rep["base"]["ref"] = "main`</code>` | [y](http://evil.example)"
            rep["warnings"] = ["warn <script>x</script>"]
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            p = post(gh, self.hostile_report(d, "hostile.json", edit))
            self.assertEqual(p.returncode, 0, p.stderr)
            body = gh.comments[7][0]["body"]
            for bad in ("://evil", "www.evil", "<b>", "<img", "<script", "@team", "**forged**",
                        "\u001b"):
                self.assertNotIn(bad, body)
            self.assertIsNone(re.search(r"(?<!\\)\]\(", body))   # no link
            spans = re.findall(r"(?<!\\)`([^`]*)`", body)
            self.assertTrue(spans and all(re.fullmatch("[0-9a-f]{12}", c) for c in spans), spans)
            for line in body.splitlines():
                if line.startswith("|"):
                    cells = [c for c in re.split(r"(?<!\\)\|", line)]
                    self.assertEqual(len(cells), 10, line)
            self.assertIn("ms \\| \\*\\*forged\\*\\* \\[click\\](https:\u2060//evil.example)", body)
            self.assertNotIn("::", [ln[:2] for ln in p.stdout.splitlines()])

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

    def test_huge_report_fits_in_the_job_summary(self):
        # GitHub takes at most 1 MiB per step summary: 6000 flagged rows
        # (twice that in tables) would be ~2.5 MB; the summary is budgeted
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            summary = os.path.join(d, "summary.md")
            report = self.huge_report(d, FIX.failing, "critical", 6000)
            p = post(gh, report, "--no-comment", "--no-status", GITHUB_STEP_SUMMARY=summary)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(summary, "rb") as f:
                text = f.read()
            self.assertLess(len(text), 1 << 20)
            self.assertGreater(len(text.decode()), 200000)  # not cut more than it must be
            text = text.decode()
            self.assertIn("bench/00000/", text)
            self.assertIn("more flagged results not shown: GitHub limits the size of comments "
                          "and job summaries; the JSON report", text)
            self.assertNotIn("the job summary and the JSON report have them all", text)
            self.assertTrue(text.rstrip().endswith("on testbed gh-test."), text[-300:])


if __name__ == "__main__":
    FIX = Fixture()
    import atexit
    atexit.register(lambda: os.path.exists(COUNTER) and os.unlink(COUNTER))
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
