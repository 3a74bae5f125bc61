"""bench/ab_trials.py - false-alarm and detection rates of the history rule
versus A/B mode, measured with the real perfgate on this machine.

A repository gets a main-branch history of 10 commits, each measured as a
separate "CI job" on a "machine" whose speed is drawn from N(1, drift)
(PG_TESTBENCH_SCALE), with run-to-run noise N(0, noise) (PG_TESTBENCH_JITTER).
Then each trial is a pull request measured as a new job on a new machine:
either unchanged (A/A) or 5 % slower (5 % of the whole measured wall time,
process start-up included).  Both rules judge it.  Reported per rule:
"significant" = the rule found a significant slowdown (history: z >= 3 or
Welch; A/B: Wilcoxon p < 0.001, change > 0); "flagged" = severity notice or
worse under the default 5/10/20 % thresholds.

usage: python3 bench/ab_trials.py BUILD_DIR [TRIALS] [DRIFT] [NOISE] [adaptive]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

build = os.path.abspath(sys.argv[1])
trials = int(sys.argv[2]) if len(sys.argv) > 2 else 50
drift = float(sys.argv[3]) if len(sys.argv) > 3 else 0.027
noise = float(sys.argv[4]) if len(sys.argv) > 4 else 0.03
ab_args = ["--adaptive"] if len(sys.argv) > 5 and sys.argv[5] == "adaptive" else ["--pairs", "30"]
perfgate = os.path.join(build, "perfgate")
testbench = os.path.join(build, "tests", "pg_testbench")
rng = random.Random(20261122)


def sh(cwd, *args, env=None):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def job_env():
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t", PERFGATE_TESTBED="trials")
    env["PG_TESTBENCH_SCALE"] = "%.5f" % rng.gauss(1, drift)
    env["PG_TESTBENCH_JITTER"] = "%.5f" % noise
    return env


def judged(report_json):
    rep = json.loads(report_json)["results"][0]
    sig = bool(rep["significant"]) and (rep["change_pct"] or 0) > 0
    return sig, rep["severity"] in ("notice", "warning", "critical")


with tempfile.TemporaryDirectory(prefix="pg-trials-") as repo:
    env = job_env()
    sh(repo, "git", "init", "-q", "-b", "main", env=env)
    with open(os.path.join(repo, "perfgate.json"), "w") as f:
        json.dump({"benchmarks": [{"name": "b", "command": [testbench, "sleep", "cost"],
                                   "warmup": 1, "runs": 10, "metrics": ["wall_time"]}]}, f)
    with open(os.path.join(repo, "cost"), "w") as f:
        f.write("10")
    with open(os.path.join(repo, ".gitignore"), "w") as f:
        f.write(".perfgate/\n")
    sh(repo, "git", "add", "-A", env=env)
    sh(repo, "git", "commit", "-qm", "init", env=env)
    for i in range(10):
        env = job_env()
        sh(repo, "git", "commit", "-q", "--allow-empty", "-m", "main %d" % i, env=env)
        sh(repo, perfgate, "run", "-q", env=env)
    hist_json = sh(repo, perfgate, "history", "b", "--format", "json", env=env).stdout
    wall_ms = json.loads(hist_json)["commits"][0]["median"] / 1e6
    slower = "%.4f" % (10 + 0.05 * wall_ms)
    print("baseline wall time %.2f ms; the +5%% PR sleeps %s ms instead of 10" % (wall_ms, slower))
    for kind, cost in (("A/A", "10"), ("+5%", slower)):
        hist = [0, 0]
        ab = [0, 0]
        pairs_used = []
        for t in range(trials):
            env = job_env()
            sh(repo, "git", "checkout", "-q", "-B", "pr", "main", env=env)
            with open(os.path.join(repo, "cost"), "w") as f:
                f.write(cost)
            sh(repo, "git", "commit", "-q", "--allow-empty", "-am", "pr %d" % t, env=env)
            h = sh(repo, perfgate, "check", "--no-store", "--format", "json", env=env)
            a = sh(repo, perfgate, "check", "--ab", "--no-store", "--format", "json", *ab_args,
                   env=env)
            pairs_used.append(json.loads(a.stdout)["results"][0]["samples"])
            for acc, out in ((hist, h.stdout), (ab, a.stdout)):
                sig, flag = judged(out)
                acc[0] += sig
                acc[1] += flag
            sh(repo, "git", "checkout", "-q", "main", env=env)
            sh(repo, "git", "checkout", "-q", "--", "cost", env=env)
        print("%-4s %d trials: history rule significant %d%%, flagged %d%%; "
              "A/B significant %d%%, flagged %d%%" % (
                  kind, trials, 100 * hist[0] // trials, 100 * hist[1] // trials,
                  100 * ab[0] // trials, 100 * ab[1] // trials), flush=True)
        pairs_used.sort()
        print("     A/B pairs used: median %d, max %d" % (pairs_used[len(pairs_used) // 2],
                                                       pairs_used[-1]), flush=True)
