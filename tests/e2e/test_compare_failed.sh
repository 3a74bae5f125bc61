# test_compare_failed.sh - `compare` after a run in which every benchmark
# failed reports the failures (exit 1); it does not claim that nothing was
# stored.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
pg run -q; expect_rc 0 "a first run on main"
cat > perfgate.json <<JSON
{ "benchmarks": [
  { "name": "fails", "command": ["$PG_TESTBENCH", "fail"], "runs": 2 },
  { "name": "fails-too", "command": ["$PG_TESTBENCH", "fail"], "runs": 2 }
] }
JSON
git commit -qam "every benchmark fails"
pg run; expect_rc 1 "run: every benchmark failed"
expect_in "$OUT" "stored under" "the failures were stored"

pg compare; expect_rc 1 "compare: the stored failures fail the gate"
expect_not_in "$ERR" "no results stored" "compare found the stored run"
expect_in "$OUT" "fails" "the failed benchmark is reported"
expect_in "$OUT" "fails-too" "the other failed benchmark is reported"
expect_in "$OUT" "exited with status 3" "with its reason"
pg compare -f json; expect_rc 1 "compare -f json"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d["verdict"] == "fail" and d["counts"]["failed"] == 2 else "%s" % d["counts"])' &&
	pass || fail "the JSON report counts 2 failed"
pg compare --fail-on never; expect_rc 1 "a failed benchmark fails the gate even with --fail-on never"

# a commit with no run at all is still "no results stored"
git commit -q --allow-empty -m "not measured"
pg compare; expect_rc 3 "nothing stored for HEAD"
expect_in "$ERR" "no results stored" "says so"
finish
