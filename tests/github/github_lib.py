"""github_lib.py - what the GitHub tests share: a repository with history
and a pull request branch whose reports are failing and passing by
construction (Fixture), the perfgate invocations, and the runner.  Used by
test_github.py (posting, retries, the token) and test_github_pr.py (pull
requests, forks, escaping, sizes).  Needs PERFGATE and PG_TESTBENCH in the
environment.

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
from fake_github import FakeGitHub  # noqa: E402,F401

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


def main(test_class):
    """Builds the fixture once, runs test_class's tests, exits 1 on a failure."""
    global FIX
    FIX = Fixture()
    import atexit
    atexit.register(lambda: os.path.exists(COUNTER) and os.unlink(COUNTER))
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(test_class)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
