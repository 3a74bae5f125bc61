# test_ab.sh - A/B mode: base and head measured interleaved on this machine.
# A pull request 7.5 % slower is flagged even when the job runs on a
# "faster machine" (an injected drift that fools the history rule); an A/A
# pull request is ok even on a slower machine; --adaptive stops early when
# the answer is clear; the user's tree is untouched; a base that fails to
# build, and a benchmark failing on one side, are clear; the base side is
# stored only when main's perfgate.json would have measured it the same
# way; a harness's results on one side only are new or missing, and counts
# of 0 are judged on differences.  The samples are seeded (lib.sh): the
# paired change of 30 pairs is known to about 0.4 %, so each verdict sits
# several times that away from every threshold.  A last case measures real
# wall time and asserts only what load cannot flip.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

json_field() { # json_field NAME: the first "NAME": value of $OUT
	echo "$OUT" | sed -n "s/.*\"$1\": \"\{0,1\}\([a-z0-9.]*\).*/\1/p" | head -1
}

new_repo "$WORK/repo"
for i in 1 2 3 4 5 6; do git commit -q --allow-empty -m "main $i"; pg run -q; done
echo .perfgate/ >> .git/info/exclude

# nothing else in perfgate.json changes: the base side is what main itself
# measures, so it is stored as main's history (checked below)

# the PR: 7.5 % slower (mid notice band)
git checkout -q -b slower main
commit_cost 53.75 "7.5% slower"
echo "work in progress" > notes.txt   # untracked
before=$(git status --porcelain; git rev-parse HEAD; git symbolic-ref HEAD; git diff --cached)

# this CI job's machine is 15 % faster than the ones that made the history:
# the history rule sees 0.85 x 1.075 = -8.6 %, an improvement
export PG_TESTBENCH_SCALE=0.85
pg check --no-store; expect_rc 0 "history rule on a faster machine"
sev=$(severity_of sleepy/op time_per_op)
[ "$sev" = improved ] && pass || fail "the drift should fool the history rule, got '$sev'"

pg check --ab --format json
expect_rc 0 "A/B check of a 7.5% slowdown (fail_on critical)"
expect_in "$OUT" '"mode": "ab"' "json states the mode"
expect_in "$OUT" '"pairs": 30' "30 pairs by default"
sev=$(json_field severity)
[ "$sev" = notice ] && pass || { fail "A/B of a 7.5% slowdown: '$sev', expected notice"; echo "$OUT"; }
expect_in "$OUT" '"method": "ab"' "paired method"
expect_in "$OUT" '"ci_low"' "interval reported"
after=$(git status --porcelain; git rev-parse HEAD; git symbolic-ref HEAD; git diff --cached)
[ "$before" = "$after" ] && pass || fail "A/B changed the user's tree"
left=$(ls -d "${TMPDIR:-/tmp}"/perfgate-* 2>/dev/null | wc -l)
[ "$left" -eq 0 ] && pass || fail "$left scratch directories left behind"
# both sides were stored: head under HEAD, base under the merge-base
[ -d ".perfgate/history/$(git rev-parse HEAD)" ] && pass || fail "head samples not stored"
n=$(find ".perfgate/history/$(git rev-parse main)" -name '*.json' | wc -l)
[ "$n" -eq 2 ] && pass || fail "base samples not stored under the base commit ($n runs)"

# the term report says how it was measured, with the interval
pg compare --ab --no-store --pairs 12
expect_in "$OUT" "mode: A/B against $(git rev-parse --short=12 main), 12 pairs, interleaved on this runner" "mode line"
expect_in "$OUT" "% [" "change with its interval"

# adaptive stopping stops early when the answer is far from every threshold
# (a change near a threshold may rightly run to the cap: its interval
# straddles the line)
git checkout -q -b much-slower main
commit_cost 57.5 "15% slower"
pg compare --ab --adaptive --no-store --format json
expect_rc 0 "adaptive A/B of a 15% slowdown (a warning)"
pairs=$(json_field samples)
[ -n "$pairs" ] && [ "$pairs" -ge 12 ] && [ "$pairs" -lt 30 ] && pass || fail "adaptive A/B of +15% used $pairs pairs"
expect_in "$OUT" '"adaptive": true' "adaptive mode stated"
sev=$(json_field severity)
[ "$sev" = warning ] && pass || fail "adaptive A/B misjudged the 15% slowdown: '$sev'"
git checkout -q slower

# A/A on a slower machine: the history rule cries wolf, A/B does not
git checkout -q -b same main
git commit -q --allow-empty -m "no change"
export PG_TESTBENCH_SCALE=1.3
pg check --no-store; expect_rc 1 "history rule on a slower machine: false alarm"
pg check --ab --no-store; expect_rc 0 "A/B of an A/A pull request"
sev=$(severity_of sleepy/op time_per_op)
[ "$sev" = ok ] && pass || fail "A/A should be ok, got '$sev'"
pg check --ab --adaptive --no-store --format json; expect_rc 0 "adaptive A/B of an A/A pull request"
pairs=$(json_field samples)
[ -n "$pairs" ] && [ "$pairs" -lt 30 ] && pass || fail "adaptive A/A used $pairs pairs"
unset PG_TESTBENCH_SCALE

# a base that fails to build: exit 3 naming the base
pg check --ab --no-store --build 'test -f buildable'
expect_rc 3 "base build failure"
expect_in "$ERR" "the base $(git rev-parse --short=12 main) failed to build" "base named"
# the build command never sees the token nor the runner's credentials
GITHUB_TOKEN=ghs_e2e_secret_0123456789 ACTIONS_RUNTIME_TOKEN=runtime_e2e_secret_0123456789 \
	pg check --ab --no-store --build 'echo "seen: ${GITHUB_TOKEN:-none} ${ACTIONS_RUNTIME_TOKEN:-none}" >&2; false'
expect_rc 3 "base build failure"
expect_in "$ERR" "seen: none none" "build environment without credentials"
expect_not_in "$ERR" "e2e_secret" "no credential in the error"

# a benchmark failing on the head side only
git checkout -q -b broken main
commit_cost oops "breaks the benchmark"
pg check --ab --no-store; expect_rc 1 "one-sided failure fails the gate"
expect_in "$OUT" "sleepy: head pair 1/1 exited with status 2" "which side failed"

# real wall time, interleaved: whatever the verdict (--fail-on never), the
# pairs, the report and the stored sides are there
git checkout -q -b wall main
cat > wall.json <<JSON
{ "benchmarks": [ { "name": "nap", "command": ["$PG_TESTBENCH", "sleep", "cost"],
                    "warmup": 1, "metrics": ["wall_time", "cpu_time"] } ] }
JSON
echo 5 > cost && git add -A && git commit -qm "a real benchmark"
pg check --ab -c wall.json --pairs 12 --fail-on never --no-store --format json
expect_rc 0 "A/B of a real process"
expect_in "$OUT" '"metric": "wall_time"' "wall time judged"
expect_in "$OUT" '"metric": "cpu_time"' "cpu time judged"
expect_in "$OUT" '"samples": 12' "twelve pairs measured"

# fewer pairs than can ever reach p < 0.001 (11: 2/2^11 = 0.00098) are
# refused, on the command line and in the config; 11 flag a +40 % change
git checkout -q -b forty main
commit_cost 70 "40% slower"
pg compare --ab --no-store --pairs 6
expect_rc 2 "--pairs 6"
expect_in "$ERR" "--pairs 6: at least 11 pairs are needed" "option and minimum named"
expect_in "$ERR" "cannot reach p < 0.001" "and why"
pg compare --ab --no-store --adaptive --max-pairs 10
expect_rc 2 "--max-pairs 10"
expect_in "$ERR" "--max-pairs 10: at least 11 pairs are needed" "option named"
cat > few.json <<JSON
{ "benchmarks": [ $(synth_bench sleepy), { "name": "other", "command": "true", "ab_pairs": 6 } ] }
JSON
pg compare --ab --no-store -c few.json
expect_rc 2 "ab_pairs 6"
expect_in "$ERR" "benchmarks[1].ab_pairs: 6: at least 11 pairs are needed" "field named"
pg compare --ab --no-store --pairs 11 --format json
expect_rc 1 "11 pairs flag +40%"
expect_in "$OUT" '"samples": 11' "eleven pairs"
sev=$(json_field severity)
[ "$sev" = critical ] && pass || fail "A/B of +40% with 11 pairs: '$sev', expected critical"

# a pull request that changes the "build" command: its base side was not
# built the way main builds itself, so it is not stored as main's history
git checkout -q -b build-cmd main
sed -i 's|"window": 20|"build": "true", "window": 20|' perfgate.json
git commit -qam "a build command"
before=$(find ".perfgate/history/$(git rev-parse main)" -name '*.json' | wc -l)
pg check --ab --pairs 11; expect_rc 0 "A/B with a new build command"
expect_in "$ERR" "the base side was built with this pull request's \"build\" command; not stored as history of $(git rev-parse --short=12 main)" "says why it is not stored"
after=$(find ".perfgate/history/$(git rev-parse main)" -name '*.json' | wc -l)
[ "$before" -eq "$after" ] && pass || fail "the base side was stored under main ($before -> $after runs)"
[ -d ".perfgate/history/$(git rev-parse HEAD)" ] && pass || fail "the head side is stored as always"

# An imported harness whose results differ between the sides (a committed
# bmf file, deterministic values).  A result the head side has and the
# base side lacks is new, not failed; one the base side has and the head
# lacks is missing.  Counts of 0 are judged on differences: 0 -> 5000
# allocations is critical (+inf %, as in history mode), and a throughput
# that drops to 0 is -100 % (critical), where both were dropped as `new`.
json() { # json EXPR: evaluates a Python expression on the JSON report in $OUT (as d)
	echo "$OUT" | python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"
}
row() { # row BENCH FIELD: FIELD of BENCH's first row in the JSON report
	json "[r['$2'] for r in d['results'] if r['benchmark'] == '$1'][0]"
}
git checkout -q -b harness main
echo '{ "retired": ["sleepy"], "benchmarks": [ { "name": "h", "command": ["cat", "res.json"], "format": "bmf" } ] }' > perfgate.json
echo '{"a": {"allocs": {"value": 0}}, "gone": {"allocs": {"value": 7}}, "tp": {"throughput": {"value": 1000}}}' > res.json
git add -A && git commit -qm "a harness"
git checkout -q -b harness-pr
echo '{"a": {"allocs": {"value": 5000}}, "added": {"allocs": {"value": 3}}, "tp": {"throughput": {"value": 0}}}' > res.json
git commit -qam "allocations, a result renamed, throughput lost"
pg check --ab --base harness --pairs 11 --no-store -f json
expect_rc 1 "A/B of a harness whose results changed"
[ "$(row h/a severity) $(row h/a change_pct) $(row h/a baseline) $(row h/a current)" = "critical None 0.0 5000.0" ] &&
	pass || fail "h/a 0 -> 5000: $(json "[r for r in d['results'] if r['benchmark'] == 'h/a']")"
[ "$(row h/tp severity) $(row h/tp change_pct)" = "critical 100.0" ] && pass ||
	fail "h/tp 1000 -> 0 ops/s: $(json "[r for r in d['results'] if r['benchmark'] == 'h/tp']")"
[ "$(row h/added severity) $(row h/added current)" = "new 3.0" ] && pass ||
	fail "h/added (head only): $(json "[r for r in d['results'] if r['benchmark'] == 'h/added']")"
[ "$(row h/gone severity) $(row h/gone metric)" = "missing None" ] && pass ||
	fail "h/gone (base only): $(json "[r for r in d['results'] if r['benchmark'] == 'h/gone']")"
expect_in "$(row h/gone reason)" "measured on the base side ($(git rev-parse --short=12 harness)) but not on the head side" "the reason"
[ "$(json 'd["counts"]["failed"]')" = 0 ] && pass || fail "nothing failed: $OUT"
pg check --ab --base harness --pairs 11 --no-store
expect_in "$OUT" "+inf%" "the term report shows 0 -> 5000 as +inf %"
# retired acknowledges the result the head no longer has
sed -i 's|"retired": \["sleepy"\]|"retired": ["sleepy", "h/gone"]|' perfgate.json
git commit -qam "retire h/gone"
pg check --ab --base harness --pairs 11 --no-store -f json
[ "$(json '[r["benchmark"] for r in d["results"] if r["severity"] == "missing"]')" = "[]" ] && pass ||
	fail "h/gone is retired: $OUT"
expect_in "$ERR" "h/gone: retired" "says it was retired"
expect_in "$ERR" "retired changed from [\"sleepy\"] to [\"sleepy\", \"h/gone\"] in this pull request" "a visible change of policy"
finish
