#!/usr/bin/env python3
"""bench/gen_history.py DIR [COMMITS] [BENCHMARKS] - a repository with COMMITS
(2000) first-parent commits and, in a dir store, one run document per commit
of BENCHMARKS (500) benchmarks, each with wall_time, cpu_time and max_rss of
10 samples: the data set for measuring `history NAME -n 2000` and `compare`
with "window": 2000 (bench/history_memory.sh).  PERFGATE (default
build/perfgate) makes the first run, to learn the testbed's directory."""
import json, os, random, subprocess, sys

root = sys.argv[1]
commits = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
nbench = int(sys.argv[3]) if len(sys.argv) > 3 else 500
perfgate = os.path.abspath(os.environ.get("PERFGATE", "build/perfgate"))
os.makedirs(root)
env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="b",
           GIT_COMMITTER_EMAIL="b@b", PERFGATE_TESTBED="bench")
git = lambda *a, **k: subprocess.run(["git", "-C", root] + list(a), env=env, check=True, **k)
git("init", "-q", "-b", "main")
benches = [{"name": "b%03d" % i, "command": ["true"], "warmup": 0, "runs": 1} for i in range(nbench)]
with open(os.path.join(root, "perfgate.json"), "w") as f:
    json.dump({"store": "dir:.perfgate/history", "window": commits, "min_history": 5,
               "benchmarks": benches}, f)
with open(os.path.join(root, ".gitignore"), "w") as f:
    f.write(".perfgate/\n")
git("add", "-A")
git("commit", "-qm", "init")
# the other commits, all at once
stream = []
for i in range(1, commits):
    msg = "commit %d" % i
    stream.append("commit refs/heads/main\ncommitter b <b@b> %d +0000\ndata %d\n%s\n%s" % (
        1700000000 + i, len(msg), msg, "from refs/heads/main^0\n" if i == 1 else ""))
subprocess.run(["git", "-C", root, "fast-import", "--quiet"], input="".join(stream).encode(),
               env=env, check=True)
git("reset", "-q", "--hard", "main")
shas = subprocess.run(["git", "-C", root, "rev-list", "--first-parent", "main"], env=env,
                      check=True, capture_output=True, text=True).stdout.split()
# one real run of one benchmark, for the testbed's directory and the document's shape
one = os.path.join(root, ".perfgate-one.json")
with open(one, "w") as f:
    json.dump({"store": "dir:.perfgate/history", "benchmarks": [benches[0]]}, f)
subprocess.run([perfgate, "run", "-q", "-c", one], cwd=root, env=env, check=True)
os.remove(one)
store = os.path.join(root, ".perfgate", "history")
head_dir = os.path.join(store, shas[0])
key = os.listdir(head_dir)[0]
template = json.load(open(os.path.join(head_dir, key, os.listdir(os.path.join(head_dir, key))[0])))
rng = random.Random(1)
for n, sha in enumerate(shas):
    doc = dict(template, commit=sha)
    doc["benchmarks"] = [{"name": b["name"], "status": "ok", "metrics": {
        "wall_time": {"unit": "ns", "direction": "lower",
                      "samples": [round(1e6 * (1 + 0.02 * rng.gauss(0, 1))) for _ in range(10)]},
        "cpu_time": {"unit": "ns", "direction": "lower",
                     "samples": [round(9e5 * (1 + 0.02 * rng.gauss(0, 1))) for _ in range(10)]},
        "max_rss": {"unit": "KiB", "direction": "lower",
                    "samples": [2048 + rng.randrange(64) for _ in range(10)]}}}
        for b in benches]
    d = os.path.join(store, sha, key)
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):
        os.remove(os.path.join(d, old))
    with open(os.path.join(d, "20260101T000000Z-000000000-1.json"), "w") as f:
        json.dump(doc, f)
