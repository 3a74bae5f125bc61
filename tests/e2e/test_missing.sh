# test_missing.sh - a benchmark that disappears does not pass the gate: a
# result the base branch's newest stored run has (or had, and it failed
# there) and this run lacks, or a benchmark the base's perfgate.json has, is
# `missing` (above critical: fail_on critical fails, --fail-on never
# passes), in A/B mode too, whose base side is then not stored as the
# base's history; "retired" in perfgate.json retires one on purpose.  No
# history at all passes with a warning that nothing was judged.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

json() { # json EXPR: evaluates a Python expression on the JSON report in $OUT (as d)
	echo "$OUT" | python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"
}
config() { # config BENCH-JSON... [-- EXTRA-TOP-LEVEL-JSON]
	local benches="" extra=""
	while [ $# -gt 0 ]; do
		[ "$1" = -- ] && { extra=", $2"; break; }
		benches="$benches${benches:+, }$1"; shift
	done
	printf '{ "window": 20, "min_history": 5%s, "benchmarks": [ %s ] }\n' "$extra" "$benches" > perfgate.json
}

new_repo "$WORK/repo"
echo .perfgate/ >> .git/info/exclude
config "$(synth_bench sleepy)" "$(synth_bench fast)"
git commit -qam "two benchmarks"
for i in 1 2 3 4 5 6; do git commit -q --allow-empty -m "main $i"; pg run -q; expect_rc 0 "main $i"; done
main6=$(git rev-parse HEAD)

# a pull request deletes the slow one
git checkout -q -b pr
config "$(synth_bench sleepy)"
git commit -qam "drop a benchmark"
pg check --no-store; expect_rc 1 "a deleted benchmark fails the gate"
[ "$(severity_of fast/op -)" = missing ] && pass || fail "fast/op: '$(severity_of fast/op -)', expected missing"
[ "$(severity_of sleepy/op time_per_op)" = ok ] && pass || fail "sleepy/op is still judged"
expect_in "$OUT" "fast/op: in the baseline at ${main6:0:12} but not in this run" "the reason"
expect_in "$OUT" "FAIL: 1 missing of 2" "the summary counts it"
pg check --no-store --fail-on never; expect_rc 0 "--fail-on never passes it"
pg check --no-store -f json; expect_rc 1 "json"
[ "$(json 'd["counts"]["missing"], d["verdict"], d["results"][0]["severity"], d["results"][0]["metric"]')" = "1 fail missing None" ] &&
	pass || fail "JSON: counts, verdict, the row first: $(json 'd["counts"], d["results"][0]')"
pg check --no-store -f markdown; expect_rc 1 "markdown"
expect_in "$OUT" "**fast/op** missing: in the baseline" "markdown lists it"
expect_in "$OUT" "| missing |" "markdown table"
pg check --no-store -f junit; expect_rc 1 "junit"
expect_in "$OUT" '<failure type="missing" message="in the baseline at' "junit failure"
pg check --no-store -f html; expect_rc 1 "html"
expect_in "$OUT" '<tr class="missing">' "html row"

# A/B mode: the same
pg check --ab --pairs 11 --no-store; expect_rc 1 "A/B: a deleted benchmark fails the gate"
[ "$(severity_of fast/op -)" = missing ] && pass || fail "A/B: fast/op '$(severity_of fast/op -)'"
# storing, too, from a base commit without results of its own yet (the
# reviewer's case): the missing check reads the stored results before
# anything of this run is stored, and the base side, measured without fast,
# is not stored as the base's history (it would hide fast from every later
# check)
runs() { find ".perfgate/history/$1" -name '*.json' 2>/dev/null | wc -l; }
git checkout -q main
git commit -q --allow-empty -m "main 7, not measured"
main7=$(git rev-parse HEAD)
git checkout -q -b pr-unmeasured
config "$(synth_bench sleepy)"
git commit -qam "drop a benchmark"
pg check --ab --pairs 11; expect_rc 1 "A/B, storing: a deleted benchmark fails the gate"
[ "$(severity_of fast/op -)" = missing ] && pass || fail "A/B, storing: fast/op '$(severity_of fast/op -)'"
expect_in "$ERR" "the base side was measured without fast (in the base's perfgate.json); not stored as history of ${main7:0:12}" "says why the base side is not stored"
[ "$(runs "$main7")" -eq 0 ] && pass || fail "the base side was stored under main ($(runs "$main7") runs)"
[ "$(runs "$(git rev-parse HEAD)")" -eq 1 ] && pass || fail "the head side is stored"
pg check --no-store; expect_rc 1 "the history after the A/B run still has fast"
[ "$(severity_of fast/op -)" = missing ] && pass || fail "after A/B: fast/op '$(severity_of fast/op -)'"
git checkout -q pr

# main's newest results lack fast (a base side stored by an older perfgate,
# measured with a pull request's config): the base's perfgate.json still
# has it, and is the reference
cp -a .perfgate "$WORK/history-backup"
for f in $(find ".perfgate/history/$main6" -name '*.json'); do
	python3 - "$f" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["benchmarks"] = [b for b in d["benchmarks"] if not b["name"].startswith("fast")]
json.dump(d, open(sys.argv[1], "w"))
PY
done
for mode in "" --ab; do
	pg check $mode ${mode:+--pairs 11} --no-store; expect_rc 1 "spoiled history $mode: fast is still missing"
	[ "$(severity_of fast -)" = missing ] && pass || fail "spoiled history $mode: fast '$(severity_of fast -)'"
	expect_in "$OUT" "fast: in perfgate.json at ${main6:0:12} (the base) but not in this one" "the reason $mode"
done
rm -rf .perfgate && mv "$WORK/history-backup" .perfgate

# a renamed benchmark: the old name is missing, the new one new
config "$(synth_bench sleepy)" "$(synth_bench quick)"
pg check --no-store; expect_rc 1 "renamed"
[ "$(severity_of fast/op -) $(severity_of quick/op time_per_op)" = "missing new" ] && pass ||
	fail "renamed: $(severity_of fast/op -) $(severity_of quick/op time_per_op)"

# a benchmark that fails is failed, not also missing
config "$(synth_bench sleepy)" '{ "name": "fast", "command": ["'"$PG_TESTBENCH"'", "fail"] }'
pg check --no-store; expect_rc 1 "failed"
[ "$(severity_of fast -)" = failed ] && pass || fail "fast: '$(severity_of fast -)', expected failed"
expect_not_in "$OUT" "missing" "a failed benchmark is not missing"

# retired on purpose: passes, and says so
config "$(synth_bench sleepy)" -- '"retired": ["fast"]'
git commit -qam "retire fast"
pg check --no-store; expect_rc 0 "a retired benchmark passes"
expect_not_in "$OUT" "missing" "not missing"
expect_in "$ERR" "fast/op: retired (perfgate.json \"retired\"): in the baseline at ${main6:0:12}" "says it was retired"
echo '{ "retired": "fast", "benchmarks": [] }' > bad.json
pg check -c bad.json --no-store; expect_rc 2 "retired must be a list"
expect_in "$ERR" "bad.json: retired: expected an array of benchmark names" "names the field"

# once the base branch's newest run lacks it, nothing is missing (no
# "retired" needed any more)
git checkout -q main
config "$(synth_bench sleepy)"
git commit -qam "drop fast on main"
pg run -q; expect_rc 0 "main without fast"
git commit -q --allow-empty -m "main 8"
pg check --no-store; expect_rc 0 "nothing missing after the base moved on"
expect_not_in "$OUT" "missing" "nothing missing"

# results imported into the base branch (not made by `perfgate run` of a
# configured benchmark) are not expected from a run
pg import --format gbench "$PG_FIXTURES/gbench.json" --name gb
expect_rc 0 "import"
git commit -q --allow-empty -m "main 9"
pg check --no-store; expect_rc 0 "imported results are not missing"
expect_not_in "$OUT" "missing" "imports are not expected from a run"
# A flaky benchmark that failed in main's newest run is deleted: it counts
# as present there (with a config outside the repository there is no
# perfgate.json of the base to compare with: only the stored results tell)
new_repo "$WORK/flaky"
echo .perfgate/ >> .git/info/exclude
printf '{ "benchmarks": [ %s, { "name": "x", "command": "test ! -e flaky", "runs": 2, "warmup": 0 } ] }\n' \
	"$(synth_bench sleepy)" > "$WORK/flaky-main.json"
printf '{ "benchmarks": [ %s ] }\n' "$(synth_bench sleepy)" > "$WORK/flaky-pr.json"
for i in 1 2 3; do git commit -q --allow-empty -m "main $i"; pg run -q -c "$WORK/flaky-main.json"; expect_rc 0 "flaky main $i"; done
touch flaky && git add flaky && git commit -qm "x fails now"
pg run -q -c "$WORK/flaky-main.json"; expect_rc 1 "x failed in main's newest run"
newest=$(git rev-parse HEAD)
git checkout -q -b drop-x && git rm -q flaky && git commit -qm "drop x"
pg check --no-store -c "$WORK/flaky-pr.json"; expect_rc 1 "a benchmark that failed last is missing"
[ "$(severity_of x -)" = missing ] && pass || fail "x: '$(severity_of x -)', expected missing"
expect_in "$OUT" "x: in the baseline at ${newest:0:12} (where it failed) but not in this run" "the reason"

# No history at all (a fresh clone without the notes, a cache miss, a new
# testbed): nothing is judged, which passes but says so in every format
for fmt in json markdown html junit; do
	PERFGATE_TESTBED=elsewhere pg check --no-store -c "$WORK/flaky-pr.json" -f $fmt
	expect_rc 0 "no history ($fmt) passes"
	expect_in "$OUT" "nothing was judged: no results for testbed" "$fmt says nothing was judged"
	expect_in "$OUT" "elsewhere" "$fmt names the testbed"
done
pg check --no-store -c "$WORK/flaky-pr.json" -f json --testbed elsewhere
expect_in "$OUT" "nothing was judged: no results for testbed 'elsewhere' in the 5 commits of history" "how far it looked"
expect_in "$OUT" "restore the store dir:.perfgate/history in CI: check the cache key" "the store to restore"
expect_in "$OUT" "did the testbed change (this run's is 'elsewhere')?" "the testbed"
sed 's|"benchmarks"|"store": "notes:perfgate", "benchmarks"|' "$WORK/flaky-pr.json" > "$WORK/notes.json"
pg check --no-store -c "$WORK/notes.json"; expect_rc 0 "notes not fetched"
expect_in "$ERR" "fetch the notes: git fetch origin 'refs/notes/*:refs/notes/*'" "how to fetch the notes"
pg check --no-store -c "$WORK/flaky-pr.json" --fail-on never; expect_rc 0 "with history"
expect_not_in "$ERR" "nothing was judged" "no such warning with history"
finish
