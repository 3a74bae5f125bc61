"""test_github.py - perfgate's GitHub publishing against a real HTTP server
on 127.0.0.1 (fake_github.py): creating and updating the comment, request
headers, retries and rate limits, errors named, and the token (never in
output, never to another host, never to benchmark processes).  Shared set-up
in github_lib.py; pull requests, forks and escaping in test_github_pr.py."""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import github_lib as lib  # noqa: E402
from github_lib import (FakeGitHub, MARKER, PERFGATE, TOKEN, clean_env, comment_requests, git,
                        post, read, synth)  # noqa: E402


class GitHubTests(unittest.TestCase):
    def test_first_post_creates_second_updates(self):
        with FakeGitHub() as gh:
            for i in range(3):  # filler comments: our comment lands on a later page
                gh.seed_comment(7, "looks good %d" % i, "alice")
            p = post(gh, lib.FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("commented on acme/widgets#7", p.stderr)
            p = post(gh, lib.FIX.passing)
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
            p = post(gh, lib.FIX.failing, "--status-context", "perf/linux")
            self.assertEqual(p.returncode, 0, p.stderr)
            for r in gh.api_requests():
                h = r["headers"]
                self.assertEqual(h["authorization"], "Bearer " + TOKEN)
                self.assertEqual(h["accept"], "application/vnd.github+json")
                self.assertEqual(h["x-github-api-version"], "2022-11-28")
                self.assertTrue(h["user-agent"].startswith("perfgate/"))
            self.assertEqual(len(gh.statuses), 1)
            st = gh.statuses[0]
            self.assertEqual(st["sha"], lib.FIX.sha)
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
            p = post(gh, lib.FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(theirs["body"], MARKER + "\nI copied perfgate's comment")
            self.assertEqual(quoted["body"], "> " + MARKER + " quoted")
            self.assertEqual(len(comment_requests(gh, "PATCH")), 0)
            self.assertEqual(len(comment_requests(gh, "POST")), 1)

    def test_actions_token_acts_as_the_bot(self):
        with FakeGitHub(user_status=403, user_login="github-actions[bot]") as gh:
            gh.seed_comment(7, MARKER + "\nold report", "github-actions[bot]")
            p = post(gh, lib.FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("updated the comment", p.stderr)
            self.assertEqual(len(gh.comments[7]), 1)

    def test_500_then_200_retries(self):
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/issues/7/comments", {"status": 500})
            p = post(gh, lib.FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(comment_requests(gh, "POST")), 2)
            self.assertEqual(len(gh.comments[7]), 1)

    def test_429_retry_after_waits(self):
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/statuses/",
                         {"status": 429, "headers": {"Retry-After": "2"}})
            t0 = time.monotonic()
            p = post(gh, lib.FIX.failing)
            elapsed = time.monotonic() - t0
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertGreaterEqual(elapsed, 2.0)
            self.assertEqual(len(gh.statuses), 1)

    def test_secondary_rate_limit_403_retries(self):
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/statuses/",
                         {"status": 403, "headers": {"Retry-After": "1"},
                          "body": {"message": "You have exceeded a secondary rate limit"}})
            p = post(gh, lib.FIX.failing)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(gh.statuses), 1)

    def test_persistent_500_gives_up_and_keeps_the_verdict(self):
        with FakeGitHub() as gh:
            gh.fail_next("POST", "/repos/acme/widgets/statuses/", *([{"status": 502}] * 4))
            env = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY="acme/widgets")
            # check --github on the failing branch: the verdict (1) stands
            p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7"],
                               cwd=lib.FIX.repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("setting the commit status: HTTP 502", p.stderr)
            self.assertEqual(len([r for r in gh.api_requests() if "/statuses/" in r["path"]]), 4)
            # with --require-post the failure to post is an error (exit 3)
            gh.fail_next("POST", "/repos/acme/widgets/statuses/", *([{"status": 500}] * 4))
            p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7",
                                "--fail-on", "never", "--require-post"],
                               cwd=lib.FIX.repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 3, p.stderr)
            # and without it, a passing verdict stays 0
            gh.fail_next("POST", "/repos/acme/widgets/statuses/", *([{"status": 500}] * 4))
            p = subprocess.run([PERFGATE, "check", "--no-store", "--github", "--pr", "7",
                                "--fail-on", "never"],
                               cwd=lib.FIX.repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_401_and_404_and_403_name_the_problem(self):
        with FakeGitHub() as gh:
            p = post(gh, lib.FIX.failing, GITHUB_TOKEN="wrong-token")
            self.assertEqual(p.returncode, 3)
            self.assertIn("401 Unauthorized: the token is missing, invalid or expired", p.stderr)
            e = clean_env(GITHUB_API_URL=gh.url, GITHUB_TOKEN=TOKEN)
            p = subprocess.run([PERFGATE, "post", "--report", lib.FIX.failing, "--repo", "acme/gone",
                                "--pr", "7", "--sha", lib.FIX.sha], capture_output=True, text=True, env=e)
            self.assertEqual(p.returncode, 3)
            self.assertIn("404 Not Found", p.stderr)
            self.assertIn("pull-requests: write", p.stderr)
            self.assertIn("statuses: write", p.stderr)
            gh.fail_next("POST", "/repos/acme/widgets/statuses/",
                         {"status": 403, "body": {"message": "Resource not accessible by integration"}})
            p = post(gh, lib.FIX.failing)
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
                               cwd=lib.FIX.repo, env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 1, p.stderr)
            # and a failing call, whose error message must not carry it either
            p2 = post(gh, lib.FIX.failing, GITHUB_TOKEN=TOKEN + "x")
            for text in (p.stdout, p.stderr, p2.stdout, p2.stderr, read(summary),
                         read(out), json.dumps(gh.comments), json.dumps(gh.statuses)):
                self.assertNotIn(TOKEN, text)
            self.assertIn("perfgate: fail", read(summary))
            self.assertIn("::error title=perfgate%3A plain/op::plain/op time_per_op critical", p.stderr)

    def test_report_with_missing_result_is_posted(self):
        # the fork-safe split: a pull request that deletes a benchmark makes a
        # report with a `missing` row; post must publish it, not refuse it
        r = lib.FIX.repo
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
            p = post(gh, lib.FIX.failing, GITHUB_API_URL=api)
            self.assertEqual(other.api_requests(), [])
            self.assertIn("refusing to follow a URL outside the API host", p.stderr)
            self.assertEqual(p.returncode, 3)

    def test_https_is_required(self):
        p = subprocess.run([PERFGATE, "post", "--report", lib.FIX.failing, "--repo", "acme/widgets",
                            "--api-url", "http://example.com"], capture_output=True, text=True,
                           env=clean_env(GITHUB_TOKEN=TOKEN))
        self.assertEqual(p.returncode, 2)
        self.assertIn("must be https://", p.stderr)


if __name__ == "__main__":
    lib.main(GitHubTests)
