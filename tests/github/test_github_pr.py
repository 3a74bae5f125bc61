"""test_github_pr.py - perfgate's GitHub publishing against a real HTTP
server on 127.0.0.1 (fake_github.py): escaping of hostile names and fields,
comment modes and ids, event payloads and forks (a fork's run cannot move or
delete another pull request's comment), and reports too big for a comment or
a job summary.  Shared set-up in github_lib.py."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import github_lib as lib  # noqa: E402
from github_lib import (FakeGitHub, MARKER, PERFGATE, TOKEN, clean_env, comment_requests,
                        post, read, workflow_run)  # noqa: E402


class GitHubPRTests(unittest.TestCase):
    def test_names_are_escaped(self):
        with FakeGitHub() as gh:
            p = post(gh, lib.FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            body = gh.comments[7][0]["body"]
            self.assertNotIn("<b>", body)
            self.assertNotIn("@octocat", body)
            self.assertNotIn("esc|ape", body)
            self.assertIn("esc\\|ape \\`x\\` &lt;b&gt;bold&lt;/b&gt; @\u2060octocat \\*y\\*", body)

    def test_comment_on_and_stale_comments(self):
        with FakeGitHub() as gh:
            # passing report, --comment-on warning: nothing to say, no comment
            p = post(gh, lib.FIX.passing, "--comment-on", "warning")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertNotIn(7, gh.comments)
            # failing report: comment created
            post(gh, lib.FIX.failing, "--comment-on", "warning")
            self.assertEqual(len(gh.comments[7]), 1)
            # all well again with --stale keep: left alone; delete: removed
            post(gh, lib.FIX.passing, "--comment-on", "critical", "--stale", "keep")
            self.assertIn("perfgate: fail", gh.comments[7][0]["body"])
            p = post(gh, lib.FIX.passing, "--comment-on", "critical", "--stale", "delete")
            self.assertIn("deleted the stale comment", p.stderr)
            self.assertEqual(gh.comments[7], [])

    def test_separate_comment_ids(self):
        with FakeGitHub() as gh:
            post(gh, lib.FIX.failing, "--comment-id", "linux")
            post(gh, lib.FIX.failing, "--comment-id", "macos")
            post(gh, lib.FIX.failing, "--comment-id", "linux")
            self.assertEqual(len(gh.comments[7]), 2)
            p = post(gh, lib.FIX.failing, "--comment-id", "bad id -->")
            self.assertEqual(p.returncode, 2)

    def test_event_payload_and_fork_safe_post(self):
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            event = os.path.join(d, "event.json")
            with open(event, "w") as f:
                json.dump({"pull_request": {"number": 7, "head": {"sha": lib.FIX.sha}}}, f)
            report = os.path.join(d, "report.json")
            # job 1 (no token): check records the PR from the event in its JSON report
            env = clean_env(GITHUB_EVENT_PATH=event, GITHUB_EVENT_NAME="pull_request",
                            GITHUB_REPOSITORY="acme/widgets")
            subprocess.run([PERFGATE, "check", "--no-store", "--format", "json", "--output", report],
                           cwd=lib.FIX.repo, env=env, capture_output=True)
            self.assertEqual(json.loads(read(report))["github"]["pull_request"], 7)
            # job 2 (workflow_run, with the token): posts it to the PR GitHub says has
            # that head, and the commit the event names
            gh.add_pull(7, lib.FIX.sha, "pr")
            wr = os.path.join(d, "wr.json")
            with open(wr, "w") as f:
                json.dump(workflow_run(lib.FIX.sha, "pr", "acme/widgets"), f)
            env = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN, GITHUB_EVENT_PATH=wr,
                            GITHUB_EVENT_NAME="workflow_run", GITHUB_REPOSITORY="acme/widgets",
                            GITHUB_SERVER_URL="https://github.com", GITHUB_RUN_ID="42")
            p = subprocess.run([PERFGATE, "post", "--report", report], env=env,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(gh.comments[7]), 1)
            self.assertIn("https://github.com/acme/widgets/actions/runs/42", gh.comments[7][0]["body"])
            self.assertEqual(gh.statuses[0]["sha"], lib.FIX.sha)
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
        rep = json.loads(read(lib.FIX.failing))
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
            gh.add_pull(9, lib.FIX.sha, "patch-1", head_repo="mallory/widgets")  # the attacker's
            victim = gh.seed_comment(42, MARKER + "\nthe victim's report", "perfgate-bot")
            env = self.fork_env(gh, d, workflow_run(lib.FIX.sha, "patch-1", "mallory/widgets"))
            report = self.forged(d, "forged.json", pull_request=42, head_sha=lib.FIX.sha)
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
            self.assertEqual(gh.statuses[-1]["sha"], lib.FIX.sha)

    def test_fork_run_without_its_pull_request_posts_nothing(self):
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            gh.add_pull(42, lib.FIX.sha, "feature-x")  # same commit, but not the run's head
            gh.add_pull(9, lib.FIX.sha, "patch-1", head_repo="eve/widgets")  # another fork
            gh.add_pull(10, "c" * 40, "patch-1", head_repo="mallory/widgets")  # moved on
            gh.add_pull(11, lib.FIX.sha, "patch-1", head_repo="mallory/widgets", state="closed")
            victim = gh.seed_comment(42, MARKER + "\nthe victim's report", "perfgate-bot")
            env = self.fork_env(gh, d, workflow_run(lib.FIX.sha, "patch-1", "mallory/widgets"))
            report = self.forged(d, "forged.json", pull_request=42, head_sha=lib.FIX.sha)
            p = subprocess.run([PERFGATE, "post", "--report", report, "--stale", "delete"],
                               env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("no open pull request of acme/widgets has head mallory:patch-1 at commit "
                          + lib.FIX.sha[:12], p.stderr)
            self.assertEqual(gh.comments[42], [victim])
            self.assertEqual([r for r in gh.api_requests() if r["method"] != "GET"], [])

    def test_fork_flow_posts_to_the_fork_pr(self):
        """The legitimate fork-safe split: job 1's report says pull request 9,
        the workflow_run lists no pull request (or a stale one), the lookup
        finds 9 (on page 2: the listing is paged)."""
        with FakeGitHub() as gh, tempfile.TemporaryDirectory() as d:
            for n in (20, 21):   # older pull requests from the same branch, other heads
                gh.add_pull(n, "%040d" % n, "patch-1", head_repo="mallory/widgets", state="open")
            gh.add_pull(9, lib.FIX.sha, "patch-1", head_repo="mallory/widgets")
            stale = {"number": 42, "head": {"sha": "b" * 40, "ref": "feature-x"}}
            env = self.fork_env(gh, d, workflow_run(lib.FIX.sha, "patch-1", "mallory/widgets", [stale]))
            report = self.forged(d, "job1.json", pull_request=9, head_sha=lib.FIX.sha)
            p = subprocess.run([PERFGATE, "post", "--report", report], env=env,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("commented on acme/widgets#9", p.stderr)
            self.assertEqual(len(gh.comments[9]), 1)
            self.assertNotIn(42, gh.comments)
            self.assertEqual(gh.statuses[0]["sha"], lib.FIX.sha)
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
            push = workflow_run(lib.FIX.sha, "main", "acme/widgets")
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
            p = post(gh, lib.FIX.failing)
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
            p = post(gh, lib.FIX.failing)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("rate limited (HTTP 429): GitHub asks to wait 0 s", p.stderr)

    def test_create_that_went_through_is_not_repeated(self):
        """The server creates the comment but the answer is lost (a 502 from a
        proxy, or a dropped connection): perfgate must end with one comment."""
        for failure in ({"status": 502, "apply": True}, {"drop": True, "apply": True}):
            with FakeGitHub() as gh:
                gh.fail_next("POST", "/repos/acme/widgets/issues/7/comments", failure)
                p = post(gh, lib.FIX.failing)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(len(gh.comments[7]), 1, failure)
                self.assertIn("perfgate: fail", gh.comments[7][0]["body"])
                self.assertEqual(len(comment_requests(gh, "POST")), 1, failure)
                self.assertEqual(len(comment_requests(gh, "PATCH")), 1, failure)
        # a 502 before anything was created: looked again, found nothing, created once
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/issues/7/comments", {"status": 502})
            p = post(gh, lib.FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(gh.comments[7]), 1)
            self.assertEqual(len(comment_requests(gh, "POST")), 2)

    def test_check_github_json_stdout_is_one_document(self):
        with FakeGitHub() as gh:
            env = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY="acme/widgets")
            for fmt, parse in (("json", json.loads), ("junit", None)):
                p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7",
                                    "--format", fmt], cwd=lib.FIX.repo, env=env, capture_output=True,
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
                    p = post(gh, lib.FIX.failing, *how, GITHUB_API_URL=url)
                    self.assertEqual(p.returncode, status, p.stderr)
                    self.assertIn("user name or password", p.stderr)
            self.assertEqual(other.api_requests(), [])
            self.assertEqual(gh.api_requests(), [])

    def hostile_report(self, d, name, edit):
        rep = json.loads(read(lib.FIX.failing))
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
        cases = ((lib.FIX.passing, "ok", 3000, {}), (lib.FIX.failing, "critical", 3000, {}),
                 (lib.FIX.failing, "critical", 300, {"severity": "failed", "reason": "r" * 300}),
                 (lib.FIX.failing, "critical", 1200, {"severity": "improved", "change_pct": -40}))
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
            report = self.huge_report(d, lib.FIX.failing, "critical", 6000)
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
    lib.main(GitHubPRTests)
