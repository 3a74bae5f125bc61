#!/usr/bin/env python3
"""test_workflows.py - every GitHub Actions workflow perfgate ships or
documents works as written: the fenced yaml blocks of README.md and every
*.yml under ci/ and .github/, read with a YAML parser (python3-yaml).

For each job that calls perfgate:
  - it gets perfgate first: the Action (`uses: .../perfgate/ci/github@TAG`
    or `./ci/github`), or a `run:` step calling ci/github/install.sh;
  - its permissions (the job's, else the workflow's; they must be explicit)
    cover what it does: `--github` or `post` need pull-requests: write
    (unless --no-comment) and statuses: write (unless --no-status);
    `push` needs contents: write;
  - the testbed is fixed for run, check and compare (--testbed, or
    PERFGATE_TESTBED in the step's, job's or workflow's env);
  - the Action is pinned to a release tag (@vN...) in the README, never a
    branch.
Usage: test_workflows.py [ROOT]; prints one line per problem, exits 1 if any.
"""
import glob
import os
import re
import shlex
import sys

import yaml

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
ACTION = re.compile(r"(^\./ci/github$|/perfgate/ci/github@)")
COMMANDS = ("run", "check", "compare", "post", "merge", "push", "pull", "history", "noise",
            "import", "bisect", "dashboard")
CALL = re.compile(r"(?:^|[\s;&|(/])perfgate\s+(" + "|".join(COMMANDS) + r")\b(.*)")
TESTBED = ("run", "check", "compare")
problems = []


def problem(where, msg):
    problems.append("%s: %s" % (where, msg))


def load(where, text, readme):
    """The YAML documents of `text`; a parse error is a problem."""
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError as e:
        problem(where, "not valid YAML: %s" % str(e).replace("\n", " "))
        return
    for doc in docs:
        yield where, doc, readme


def workflows():
    """(where, document) for every workflow document."""
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    for i, m in enumerate(re.finditer(r"^```ya?ml\n(.*?)^```", readme, re.M | re.S)):
        line = readme.count("\n", 0, m.start()) + 1
        yield from load("README.md:%d" % line, m.group(1), True)
    for pattern in ("ci/**/*.yml", "ci/**/*.yaml", ".github/**/*.yml", ".github/**/*.yaml"):
        for f in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            with open(f, encoding="utf-8") as fh:
                yield from load(os.path.relpath(f, ROOT), fh.read(), False)


def calls_in_step(step):
    """The perfgate command lines a step runs: [(command, [args])]."""
    out = []
    uses = step.get("uses", "")
    if ACTION.search(uses):
        args = (step.get("with") or {}).get("args", "check --github")
        words = str(args).split()
        if words:
            out.append((words[0], words[1:]))
    for line in str(step.get("run", "")).splitlines():
        m = CALL.search(line)
        if m:
            try:
                rest = shlex.split(m.group(2), comments=True)
            except ValueError:
                rest = m.group(2).split()
            out.append((m.group(1), rest))
    return out


def installs(step):
    return bool(ACTION.search(step.get("uses", ""))) or "ci/github/install.sh" in str(step.get("run", ""))


def permission(perms, scope):
    if perms in ("write-all",):
        return "write"
    if not isinstance(perms, dict):
        return None
    return perms.get(scope)


def check_job(where, wf, name, job, readme):
    steps = job.get("steps") or []
    have = False
    perms = job.get("permissions", wf.get("permissions"))
    wf_env = wf.get("env") or {}
    job_env = job.get("env") or {}
    for i, step in enumerate(steps):
        here = "%s: job %s, step %d" % (where, name, i + 1)
        uses = step.get("uses", "")
        if readme and "perfgate/ci/github" in uses and not re.search(r"@v\d+(\.\d+)*$", uses):
            problem(here, "the Action is not pinned to a release tag (@v0.1): %s" % uses)
        calls = calls_in_step(step)
        if installs(step):
            have = True
        for cmd, args in calls:
            if not have:
                problem(here, "calls `perfgate %s` before any step installs perfgate" % cmd)
            words = set(args)
            posts = cmd == "post" or "--github" in words
            needs = []
            if posts and "--no-comment" not in words:
                needs.append("pull-requests")
            if posts and "--no-status" not in words:
                needs.append("statuses")
            if cmd == "push":
                needs.append("contents")
            if needs and perms is None:
                problem(here, "`perfgate %s` needs %s but the workflow sets no permissions"
                        % (cmd, ", ".join(n + ": write" for n in needs)))
            for n in needs if perms is not None else []:
                if permission(perms, n) != "write":
                    problem(here, "`perfgate %s` needs %s: write" % (cmd, n))
            env = dict(wf_env, **job_env, **(step.get("env") or {}))
            if cmd in TESTBED and "--testbed" not in words and "PERFGATE_TESTBED" not in env \
                    and "--input" not in words:
                problem(here, "`perfgate %s` without a fixed testbed (--testbed or PERFGATE_TESTBED)"
                        % cmd)
            if cmd == "compare" and "--input" in words and "--testbed" not in words \
                    and "PERFGATE_TESTBED" not in env:
                problem(here, "`perfgate compare --input` without a fixed testbed")


def main():
    n = 0
    for where, doc, readme in workflows():
        if not isinstance(doc, dict):
            continue
        if "runs" in doc:  # an action: it installs perfgate itself before its perfgate step
            steps = doc["runs"].get("steps") or []
            have = False
            for i, s in enumerate(steps):
                if "install.sh" in str(s.get("run", "")) or "cache/restore" in str(s.get("uses", "")):
                    have = True
                if "$PG_PREFIX/bin/perfgate" in str(s.get("run", "")) and not have:
                    problem(where, "step %d runs perfgate before installing it" % (i + 1))
            n += 1
            continue
        for name, job in (doc.get("jobs") or {}).items():
            check_job(where, doc, name, job or {}, readme)
            n += 1
    for p in problems:
        print(p)
    print("%d jobs and actions read, %d problems" % (n, len(problems)))
    return 1 if problems or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
