# test_definition.sh - results measured with another benchmark definition
# (command, cwd, env, format, output, metrics) are never compared: each
# result carries a fingerprint of its definition, and the baseline leaves
# out stored results with another one and says so.  A pull request that
# changes a definition ends its history: `missing` unless "retired"; A/B
# mode judges it, but does not store the base side as main's history.
# Policy changes in perfgate.json are warnings.  Samples are seeded
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

# 1. A pull request that changes the benchmark's definition (1.6 x slower:
# an env var of the test bench, not the code).  The history rule cannot
# compare it with anything: its history ends, which is `missing` (fails the
# gate) with the new result `new`, not a silent pass.
git checkout -q -b pr
sed -i 's|"format": "perfgate" }|"format": "perfgate", "env": { "PG_TESTBENCH_SCALE": "1.6" } }|' perfgate.json
git commit -qam "the benchmark now measures something else"
pg check --no-store -f json; expect_rc 1 "a changed definition ends the history"
[ "$(json '" ".join(r["severity"] for r in d["results"])')" = "missing new" ] && pass ||
	fail "expected missing and new: $(json 'd["results"]')"
expect_in "$(json 'd["results"][0]["reason"]')" "definition changed at ${main6:0:12} (env): the history of the old definition ends here; list it in \"retired\" to restart its history, or compare with check --ab" "the reason names what changed"
pg check --no-store --fail-on never; expect_rc 0 "--fail-on never passes it"

# 2x slower and the definition "pinned" in the same pull request (the
# reviewer's case): still fails
git checkout -q -b pr-2x main
echo 100 > cost && git commit -qam "2x slower"
pg check --no-store; expect_rc 1 "2x slower"
sed -i 's|"format": "perfgate" }|"format": "perfgate", "env": { "LC_ALL": "C" } }|' perfgate.json
git commit -qam "pin the locale"
pg check --no-store; expect_rc 1 "2x slower with a changed definition"
[ "$(severity_of sleepy/op -) $(severity_of sleepy/op time_per_op)" = "missing new" ] && pass ||
	fail "2x with an env: $OUT"
# a cwd of "." (the default, spelled out) is another definition all the
# same: the fingerprint is the contract
git checkout -q main -- perfgate.json
sed -i 's|"format": "perfgate" }|"format": "perfgate", "cwd": "." }|' perfgate.json
pg check --no-store; expect_rc 1 "cwd spelled out"
expect_in "$OUT" "definition changed at ${main6:0:12} (cwd)" "names the field"
git checkout -q HEAD -- perfgate.json
git checkout -q pr

# In A/B mode both sides are measured with the pull request's definition:
# judged, and (1.6 x both sides) ok.  The base side is not what main
# measures, so it is not stored as main's history.
pg check --ab --pairs 11 -f json; expect_rc 0 "A/B of a definition change"
[ "$(json 'd["results"][0]["severity"]')" = ok ] && pass || fail "A/B: both sides alike"
n=$(find .perfgate/history/"$main6" -name '*.json' | wc -l)
[ "$n" -eq 1 ] && pass || fail "expected main's run only under main's tip, found $n"
expect_in "$ERR" "the base side was measured with this pull request's definition of sleepy; not stored as history of ${main6:0:12}" "says why"
expect_in "$(json '" ".join(d["warnings"])')" "not stored as history of ${main6:0:12}" "in the report's warnings"

# retired acknowledges the change: its history restarts
sed -i 's|"window": 20|"retired": ["sleepy"], "window": 20|' perfgate.json
git commit -qam "retire the old definition"
pg check --no-store -f json; expect_rc 0 "a retired definition passes"
[ "$(json '" ".join(r["severity"] for r in d["results"])')" = "new" ] && pass || fail "retired: $(json 'd["results"]')"
expect_in "$ERR" "sleepy/op: retired (perfgate.json \"retired\"): its definition changed at ${main6:0:12}; its history restarts here" "says so"

# Runs of another definition at one commit of main (made with a config that
# is not committed): left out, and said so; main's baseline stays its own
git checkout -q main
sed 's|"format": "perfgate" }|"format": "perfgate", "env": { "PG_TESTBENCH_SCALE": "1.6" } }|' perfgate.json > other.json
pg run -q -c other.json; expect_rc 0 "a run with another definition at main's tip"
rm other.json
git commit -q --allow-empty -m "main 7"
pg check --no-store -f json; expect_rc 0 "main after the other run"
hist=$(json '" ".join("%.1f" % (v / 1e6) for v in d["results"][0]["history"][:-1])')
echo "baseline medians (ms): $hist"
python3 -c "import sys; sys.exit(0 if all(48 < float(v) < 52 for v in '$hist'.split()) and len('$hist'.split()) == 6 else 1)" &&
	pass || fail "main's baseline mixes in another definition: $hist"
expect_in "$ERR" "runs at ${main6:0:12} measured with another command" "the left-out runs are named"
expect_in "$(json '" ".join(d["warnings"])')" "measured with another command" "in the report's warnings"

# Policy changes in a pull request are said, so reviewers see them
git checkout -q -b weaker main
sed -i 's|"window": 20, "min_history": 5|"window": 3, "min_history": 2, "fail_on": "never", "thresholds": { "critical": 500 }|' perfgate.json
git commit -qam "a weaker gate"
pg check --no-store -f json; expect_rc 0 "policy changes"
for change in "fail_on changed from critical to never in this pull request" \
	"thresholds changed from {sigma 3, notice 5, warning 10, critical 20} to {sigma 3, notice 5, warning 10, critical 500}" \
	"window changed from 20 to 3" "min_history changed from 5 to 2"; do
	expect_in "$(json '" ".join(d["warnings"])')" "perfgate.json: $change" "$change"
done
git checkout -q main
git branch -D weaker -q

# 2. main itself changes the definition (another one than the PR's), and
# retires the old one, as its pull request had to: not a regression of
# 50 %, a new baseline that starts there
sed -i 's|"format": "perfgate" }|"format": "perfgate", "env": { "PG_TESTBENCH_SCALE": "1.5" } }|' perfgate.json
sed -i 's|"window": 20|"retired": ["sleepy"], "window": 20|' perfgate.json
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
