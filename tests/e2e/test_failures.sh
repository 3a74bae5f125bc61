# test_failures.sh - benchmarks that fail, crash, hang, stop themselves,
# flood their output or do not exist: each is reported with its reason (the
# gist of its stderr: an error followed by a usage text shows the error),
# the others still run, and the gate fails.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
cat > perfgate.json <<JSON
{ "benchmarks": [
  { "name": "ok", "command": ["$PG_TESTBENCH", "sleep", "cost"], "runs": 3, "warmup": 0 },
  { "name": "fails", "command": ["$PG_TESTBENCH", "fail"], "runs": 3 },
  { "name": "crashes", "command": ["$PG_TESTBENCH", "crash"], "runs": 3 },
  { "name": "hangs", "command": ["$PG_TESTBENCH", "hang"], "runs": 3, "timeout": 0.5 },
  { "name": "floods", "command": ["$PG_TESTBENCH", "flood", "64"], "runs": 2, "timeout": 60 },
  { "name": "missing", "command": ["./build/no-such-benchmark"], "runs": 1 },
  { "name": "stops", "command": "echo stopping >&2; kill -STOP \$\$", "runs": 3, "timeout": 120 },
  { "name": "usage", "command": "echo 'lz4: unknown option -- Z' >&2; for i in 1 2 3 4 5 6 7; do echo \" -\$i : option \$i\" >&2; done; exit 1", "runs": 1 }
] }
JSON
git commit -qam "benchmarks that misbehave"

start=$(date +%s)
pg run; expect_rc 1 "run with failing benchmarks"
elapsed=$(( $(date +%s) - start ))
[ "$elapsed" -lt 30 ] && pass || fail "run took ${elapsed}s: something blocked"
expect_in "$OUT" "fails: FAILED: warm-up 1/1 exited with status 3: pg_testbench: deliberate failure" "exit status reason"
expect_in "$OUT" "crashes: FAILED: warm-up 1/1 killed by signal 6" "signal reason"
expect_in "$OUT" "hangs: FAILED: warm-up 1/1 timed out after 0.5s" "timeout reason"
expect_in "$OUT" "missing: FAILED: warm-up 1/1 could not exec: No such file or directory" "missing command"
# reported at once, not after its 120 s timeout (the run took < 30 s)
expect_in "$OUT" "stops: FAILED: warm-up 1/1 stopped by signal 19 (SIGSTOP): stopping" "stopped benchmark"
expect_in "$OUT" "usage: FAILED: warm-up 1/1 exited with status 1: lz4: unknown option -- Z | ... | -4 : option 4 | -5 : option 5 | -6 : option 6 | -7 : option 7" "the error before a usage text"
expect_in "$OUT" "floods: wall_time" "the flooding benchmark completes"
expect_in "$OUT" "ok: wall_time" "the good benchmark still ran"

# the failures are stored, and the gate fails on them
pg compare; expect_rc 1 "compare with failed benchmarks"
expect_in "$OUT" "hangs: warm-up 1/1 timed out" "failure reason in the report"
pg check --format markdown; expect_rc 1 "check with failed benchmarks"
expect_in "$OUT" "**fails** failed: warm-up 1/1 exited with status 3" "failure in markdown"
finish
