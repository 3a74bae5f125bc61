# test_significance.sh - every test perfgate judges with can reach
# significance, or the verdict says why it could not.
#  - A/B on a benchmark over a second (an imported harness: "runs" 1) uses
#    at least 11 pairs, the fewest whose signed-rank test can reach
#    p < 0.001, and flags +40 % (it used 6 pairs and passed);
#  - history mode with runs of one sample: 4 baseline commits and a +100 %
#    change is critical (Welch's test gave NaN: "ok"); one value on each
#    side is not judged, and the reports say so;
#  - bisect refuses one run per commit for a command benchmark, and tops
#    up endpoints stored with one sample instead of giving up.
# Samples are seeded (lib.sh); the only real time is a 1 s sleep that makes
# the A/B benchmark "over a second", which load can only lengthen.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

# --- A/B: a harness benchmark that takes over a second
new_repo "$WORK/ab"
cat > slow.sh <<'SH'
#!/bin/sh
sleep 1
exec "$PG_TESTBENCH" synth cost
SH
chmod +x slow.sh
cat > perfgate.json <<'JSON'
{ "benchmarks": [ { "name": "slow", "command": ["./slow.sh"], "format": "perfgate" } ] }
JSON
git add -A && git commit -qm "a benchmark over a second"
git checkout -q -b forty
commit_cost 70 "40% slower"
pg compare --ab --no-store --format json
expect_rc 1 "A/B of +40% on a benchmark over a second fails the gate"
expect_in "$OUT" '"samples": 11' "11 pairs, the fewest that can reach p < 0.001"
expect_in "$OUT" '"severity": "critical"' "+40% is critical"

# --- history mode, one sample per run
export PG_TESTBENCH_SAMPLES=1
new_repo "$WORK/hist"
echo .perfgate/ >> .git/info/exclude
pg run -q
expect_rc 0 "first baseline run"
git checkout -q -b doubled
commit_cost 100 "twice as slow"
# one baseline value, one current value: nothing to test with
pg check --no-store --format json
expect_rc 0 "one value each side cannot fail the gate"
expect_in "$OUT" '"note": "not judged: one value on each side; a t-test needs two on one side"' \
	"the JSON says why +100% is not flagged"
pg check --no-store
expect_in "$OUT" "sleepy/op time_per_op: not judged: one value on each side" "the term report says why"
# four baseline commits of one value each (fewer than min_history): the
# current value is tested against them (3 df: +100 % is t ~ 40 with 2 %
# noise, p < 0.001 unless their spread is 3.5 times the noise's), critical
git checkout -q main
for i in 2 3 4; do git commit -q --allow-empty -m "main $i"; pg run -q; done
git checkout -q doubled && git rebase -q main
pg check --no-store --format json
expect_rc 1 "+100% against 4 one-sample commits fails the gate"
expect_in "$OUT" '"severity": "critical"' "+100% is critical"
expect_in "$OUT" '"method": "welch"' "judged by the t-test"
expect_not_in "$OUT" '"note"' "nothing to explain"

# --- bisect
make_steps() { # make_steps N CULPRIT: cost 20 ms, 26 ms from commit CULPRIT on
	git init -q -b main
	echo .perfgate/ > .gitignore
	echo 20 > cost && git add -A && git commit -qm c0
	for i in $(seq 1 "$1"); do
		[ "$i" -eq "$2" ] && echo 26 > cost
		echo "$i" > counter && git add -A && git commit -qm "c$i"
	done
}
mkdir -p "$WORK/bisect" && cd "$WORK/bisect"
make_steps 8 5
echo "{ \"benchmarks\": [ $(synth_bench sleepy) ] }" > perfgate.json
# the endpoints were stored with one sample each (runs of one value)
git checkout -q main~8 && pg run -q && git checkout -q main && pg run -q
unset PG_TESTBENCH_SAMPLES
pg bisect --good main~8 --bad main --bench sleepy/op --metric time_per_op --max-remeasure 0
expect_rc 0 "bisect from one-sample endpoints"
expect_in "$OUT" "first bad commit: $(git log --format=%H --grep='^c5$' main)" "the culprit found"

# a command benchmark measured once per commit can never be tested
cat > cmd.json <<JSON
{ "benchmarks": [ { "name": "nap", "command": ["$PG_TESTBENCH", "sleep", "cost"], "runs": 1 } ] }
JSON
pg bisect -c cmd.json --good main~8 --bad main --bench nap
expect_rc 2 "runs: 1 refused"
expect_in "$ERR" "benchmark 'nap' has \"runs\": 1: bisect needs at least 2 runs per commit" "names the field"
pg bisect -c cmd.json --good main~8 --bad main --bench nap --runs 1
expect_rc 2 "--runs 1 refused"
expect_in "$ERR" "--runs 1: bisect needs at least 2 runs per commit" "names the option"
expect_in "$ERR" "pass --runs 2 or more" "says what to do"
finish
