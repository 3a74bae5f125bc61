# test_confirm.sh - check --confirm: history screens, A/B decides.  A pull
# request that changes nothing, measured on a "slower machine" (an injected
# 35 % drift that fools the history rule), is re-measured as A/B and passes
# ("not confirmed ... (runner drift)"); a real 30 % slowdown is confirmed and
# fails; when nothing is flagged nothing more is built or run (the benchmark
# is invoked exactly as often as without --confirm); only the flagged
# benchmarks are re-measured; every report format shows both verdicts; bad
# options and a base that fails to build are clear.  The samples are seeded
# (lib.sh): 2 % noise, so the 30-35 % steps sit 10 % or more above the
# critical threshold (20 %) and far from every other one.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

invocations() { cat "$PG_TESTBENCH_COUNTER" 2>/dev/null || echo 0; }
json_row() { # json_row BENCH: the JSON result object of BENCH in $OUT, one line
	echo "$OUT" | tr -d '\n' | sed 's/},  *{/}\n{/g' | grep "\"benchmark\": \"$1\""
}

mkdir -p "$WORK/repo" && cd "$WORK/repo" && git init -q -b main
cat > perfgate.json <<JSON
{ "window": 20, "min_history": 5, "fail_on": "warning",
  "benchmarks": [ $(synth_bench a),
    { "name": "b", "command": ["$PG_TESTBENCH", "synth", "cost_b"], "format": "perfgate" } ] }
JSON
printf '.perfgate/\n' > .gitignore
echo 50 > cost && echo 30 > cost_b
git add -A && git commit -qm initial
for i in 1 2 3 4 5 6; do git commit -q --allow-empty -m "main $i"; pg run -q; done

# nothing flagged: no build, no extra run, and the report says so
git checkout -q -b same main && git commit -q --allow-empty -m "A/A"
n0=$(invocations); pg check --no-store; n1=$(invocations)
expect_rc 0 "A/A by history"
pg check --no-store --confirm --build "touch '$WORK/built'"; n2=$(invocations)
expect_rc 0 "A/A with --confirm"
[ $((n2 - n1)) -eq $((n1 - n0)) ] && pass || fail "--confirm ran the benchmark $((n2 - n1)) times, history alone $((n1 - n0))"
expect_not_in "$ERR" "re-measuring" "nothing re-measured"
expect_in "$OUT" "nothing reached notice: nothing re-measured" "the report says nothing was flagged"
[ -z "$(ls -A "$TMPDIR")" ] && [ ! -e "$WORK/built" ] && pass || fail "a scratch checkout was made or built with nothing flagged"

# the runner is 35 % slower: history alone fails, --confirm sees drift
export PG_TESTBENCH_SCALE=1.35
pg check --no-store; expect_rc 1 "the drift fools the history rule"
pg check --no-store --confirm --pairs 12 -f json
expect_rc 0 "--confirm clears runner drift"
expect_in "$ERR" "re-measuring what history flags as A/B against $(git rev-parse --short=12 main)" "says what it does"
row=$(json_row a/op)
expect_in "$row" '"method": "ab"' "a's verdict is the A/B one"
expect_in "$row" '"confirmed": false' "not confirmed"
expect_in "$row" '"history_severity": "critical"' "history verdict kept"
expect_in "$OUT" "\"level\": \"notice\"" "level in the JSON"
expect_in "$OUT" "\"pairs\": 12" "pairs in the JSON"
[ -z "$(ls -A "$TMPDIR")" ] && pass || fail "scratch checkout left behind"
for f in term markdown html junit; do
	pg check --no-store --confirm --pairs 12 -f $f; expect_rc 0 "--confirm -f $f"
	expect_in "$OUT" "% critical; not confirmed: " "$f shows both verdicts"
	expect_in "$OUT" "(runner drift)" "$f says runner drift"
done
unset PG_TESTBENCH_SCALE

# a real 30 % slowdown of a only: confirmed; b is not re-measured
git checkout -q -b slower main && echo 65 > cost && git commit -qam "a 30% slower"
pg check --no-store --confirm --pairs 12 -f json
expect_rc 1 "a confirmed slowdown fails"
row=$(json_row a/op)
expect_in "$row" '"confirmed": true' "confirmed"
expect_in "$row" '"severity": "critical"' "A/B severity"
row=$(json_row b/op)
expect_not_in "$row" '"confirmed"' "b was not flagged"
expect_not_in "$row" '"method": "ab"' "b keeps its history verdict"
pg check --no-store --confirm --pairs 12
expect_in "$OUT" "% critical; confirmed by A/B: +" "term: confirmed by A/B"
expect_in "$OUT" "re-measured as A/B against $(git rev-parse --short=12 main), 12 pairs" "term: base and pairs"

# "confirm" in perfgate.json; --no-confirm; a higher level
sed -i 's/"fail_on": "warning",/"fail_on": "warning", "confirm": true,/' perfgate.json
pg check --no-store --pairs 12; expect_rc 1 "config confirm"
expect_in "$OUT" "confirmed by A/B" "config \"confirm\": true confirms"
pg check --no-store --no-confirm; expect_rc 1 "--no-confirm"
expect_not_in "$OUT" "confirm" "--no-confirm judges by history alone"
git checkout -q -f slower

# usage errors, before anything runs
n0=$(invocations)
pg check --no-store --confirm --ab; expect_rc 2 "--confirm with --ab"
expect_in "$ERR" "--ab and --confirm exclude each other" "explained"
pg check --no-store --confirm-on sometimes; expect_rc 2 "bad --confirm-on"
expect_in "$ERR" "--confirm-on: expected notice, warning or critical" "explained"
pg check --no-store --confirm --pairs 5; expect_rc 2 "too few pairs"
pg check --no-store --confirm --no-confirm; expect_rc 2 "contradicting flags"
[ "$(invocations)" -eq "$n0" ] && pass || fail "a usage error ran benchmarks"

# the base fails to build: exit 3 naming it
pg check --no-store --confirm --pairs 12 --build 'exit 9'
expect_rc 3 "base build fails"
expect_in "$ERR" "the base $(git rev-parse --short=12 main) failed to build" "names the base"
[ "$(echo "$ERR" | grep -c error)" -eq 1 ] && pass || { fail "one error line"; echo "$ERR"; }
finish
