# test_definition.sh - results measured with another benchmark definition
# (command, cwd, env, format, output, metrics) are never compared: each
# result carries a fingerprint of its definition, and the baseline leaves
# out stored results with another one and says so.  Samples are seeded
# (lib.sh); "slower" below is an env var that scales them by 1.6, i.e. a
# change of definition, not of the code.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

json() { # json EXPR: evaluates a Python expression on the JSON report in $OUT (as d)
	echo "$OUT" | python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"
}

new_repo "$WORK/repo"
echo .perfgate/ >> .git/info/exclude
for i in 1 2 3 4 5 6; do git commit -q --allow-empty -m "main $i"; pg run -q; done
main6=$(git rev-parse HEAD)

# every stored result carries its definition: 16 hex digits
f=$(find .perfgate/history/"$main6" -name '*.json' | head -1)
def=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["benchmarks"][0]["definition"])' "$f")
[[ "$def" =~ ^[0-9a-f]{16}$ ]] && pass || fail "no definition stored: '$def'"

# 1. A pull request that changes the benchmark's definition, checked in A/B
# mode: the base's samples are stored under main's tip, measured with the
# PR's definition (1.6 x slower, both sides, so A/B says ok).
git checkout -q -b pr
sed -i 's|"format": "perfgate" }|"format": "perfgate", "env": { "PG_TESTBENCH_SCALE": "1.6" } }|' perfgate.json
git commit -qam "the benchmark now measures something else"
pg check --ab --pairs 11 -f json; expect_rc 0 "A/B of a definition change"
[ "$(json 'd["results"][0]["severity"]')" = ok ] && pass || fail "A/B: both sides alike"
n=$(find .perfgate/history/"$main6" -name '*.json' | wc -l)
[ "$n" -eq 2 ] && pass || fail "expected main's run and the A/B base's under main's tip, found $n"

# main goes on, unchanged: its baseline must not use the PR's samples at
# main's tip (their median, 1.6 x, would be that commit's)
git checkout -q main
git commit -q --allow-empty -m "main 7"
pg check --no-store -f json; expect_rc 0 "main after the A/B run"
hist=$(json '" ".join("%.1f" % (v / 1e6) for v in d["results"][0]["history"][:-1])')
base=$(json 'd["results"][0]["baseline"] / 1e6')
echo "baseline medians (ms): $hist; baseline $base ms"
python3 -c "import sys; sys.exit(0 if all(48 < float(v) < 52 for v in '$hist'.split()) and len('$hist'.split()) == 6 else 1)" &&
	pass || fail "main's baseline mixes in the PR's definition: $hist"
expect_in "$ERR" "runs at ${main6:0:12} measured with another command" "the left-out runs are named"
expect_in "$(json '" ".join(d["warnings"])')" "measured with another command" "in the report's warnings"

# 2. main itself changes the definition (another one than the PR's, whose
# samples at main's tip would be comparable): not a regression of 50 %, a
# new baseline that starts there
sed -i 's|"format": "perfgate" }|"format": "perfgate", "env": { "PG_TESTBENCH_SCALE": "1.5" } }|' perfgate.json
git commit -qam "the benchmark now measures something else"
pg check --no-store -f json; expect_rc 0 "a changed definition is not a regression"
[ "$(json 'd["results"][0]["severity"]')" = new ] && pass ||
	fail "severity $(json 'd["results"][0]["severity"]'), expected new (no comparable baseline)"
# (main 7 was only checked, not stored: the newest results are main 6's)
expect_in "$(json '" ".join(d["warnings"])')" "sleepy/op: definition changed at ${main6:0:12}, baseline restarts" "the JSON report says so"
for fmt in markdown html junit; do
	pg check --no-store -f $fmt; expect_rc 0 "check -f $fmt"
	expect_in "$OUT" "definition changed at ${main6:0:12}, baseline restarts" "$fmt says so"
done
pg check --no-store; expect_rc 0 "check -f term"
expect_in "$ERR" "warning: sleepy/op: definition changed at ${main6:0:12}, baseline restarts" "term: on stderr"
pg run -q
git commit -q --allow-empty -m "main 9"
pg check --no-store -f json; expect_rc 0 "the new baseline"
[ "$(json 'd["results"][0]["baseline_commits"]')" = 1 ] && pass || fail "one commit with the new definition"

# history shows the newest definition's values only, and says so
pg history sleepy/op -m time_per_op -f json; expect_rc 0 "history"
[ "$(json 'len(d["commits"])')" = 1 ] && pass || fail "history mixes definitions: $OUT"
expect_in "$ERR" "definition changed at ${main6:0:12}" "history says so"

# a stored result whose definition is not 16 hex digits is refused like
# any malformed document (skipped with a warning, left as it is)
f=$(find .perfgate/history/"$main6" -name '*.json' | head -1)
sed -i "s/\"definition\": \"[0-9a-f]*\"/\"definition\": \"\\\\u001b[2J\"/" "$f"
pg history sleepy/op -m time_per_op; expect_rc 0 "history with a bad file"
expect_in "$ERR" "definition is not 16 hex digits" "the bad definition is named"

# documents without a definition (older perfgate, imports) stay readable
# and comparable with any definition
git checkout -q -b old HEAD~3
find .perfgate/history -name '*.json' -exec sed -i '/"definition":/d' {} +
pg check --no-store -f json; expect_rc 0 "history without definitions"
[ "$(json 'd["results"][0]["baseline_commits"]')" = 5 ] && pass || fail "old documents are not used: $OUT"
finish
