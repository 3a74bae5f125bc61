# test_untrusted.sh - what a pull request or another tool hands perfgate is
# refused in one clear line or repaired, and never poisons the store: names
# that are not UTF-8 (--testbed, $PERFGATE_TESTBED, --name, a Catch2 result),
# text perfgate puts into JSON without having validated it (a Latin-1 commit
# author, an environment command's output, a branch name, a failure reason),
# an "output" outside the repository, numbers out of range, and a config
# with several mistakes.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

SURROGATE=$'box\xed\xa0\x80'   # a UTF-16 surrogate: not UTF-8 for jansson

# json_get FILE EXPR: a value of a JSON document (python3 is a test dependency)
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8')); print($2)" "$1"; }
one_line() { [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] && pass || fail "$1: not one line: $ERR"; }

new_repo "$WORK/repo"

# ---- names that are not UTF-8: refused before anything is created or run
pg run --testbed "$SURROGATE"; expect_rc 2 "--testbed not UTF-8"
expect_in "$ERR" "--testbed: testbed name 'box" "--testbed named"
expect_in "$ERR" "is not valid UTF-8" "--testbed problem said"
one_line "--testbed"
PERFGATE_TESTBED=$SURROGATE pg check; expect_rc 2 "\$PERFGATE_TESTBED not UTF-8"
expect_in "$ERR" "\$PERFGATE_TESTBED: testbed name 'box" "\$PERFGATE_TESTBED named"
one_line "\$PERFGATE_TESTBED"
pg import --format gotest --name "$SURROGATE" "$PG_FIXTURES/gotest.txt"; expect_rc 2 "--name not UTF-8"
expect_in "$ERR" "--name 'box" "--name named"
one_line "--name"
[ ! -e .perfgate ] && pass || fail "a refused name still created the store"
[ ! -e "$PG_TESTBENCH_COUNTER" ] && pass || fail "a refused name still ran the benchmark"

# a Catch2 result with that name: refused (exit 3), not imported and then lost
printf '<Catch2TestRun name="t">\n<BenchmarkResults name="%s">\n<mean value="12"/>\n</BenchmarkResults>\n</Catch2TestRun>\n' \
	"$SURROGATE" > "$WORK/c2.xml"
pg import --format catch2 "$WORK/c2.xml"; expect_rc 3 "Catch2 name not UTF-8"
expect_in "$ERR" "c2.xml: catch2 results: benchmark name 'box" "Catch2 name named"
expect_in "$ERR" "is not valid UTF-8" "Catch2 problem said"
one_line "Catch2 name"
[ ! -e .perfgate ] && pass || fail "a refused import stored something"

# ---- text perfgate did not validate goes into JSON repaired, never dropped
# an environment command that prints Latin-1, and a branch named in Latin-1
cat > perfgate.json <<JSON
{ "environment": { "banner": "printf 'caf\\\\351 1.0\\\\n'" },
  "benchmarks": [ $(synth_bench sleepy) ] }
JSON
git commit -qam "environment banner"
git checkout -q -b $'caf\xe9'
pg run --output "$WORK/run.json"; expect_rc 0 "run with Latin-1 environment output and branch"
banner=$(json_get "$WORK/run.json" "d['environment'].get('banner', 'MISSING')")
[ "$banner" = $'caf\xef\xbf\xbd 1.0' ] && pass || fail "environment output not kept repaired: '$banner'"
branch=$(json_get "$WORK/run.json" "d['branch']")
[ "$branch" = $'caf\xef\xbf\xbd' ] && pass || fail "branch not kept repaired: '$branch'"
git checkout -q main

# a failure reason quoting the tool's bad bytes is stored, not dropped
cat > perfgate.json <<JSON
{ "benchmarks": [ { "name": "go", "command": ["printf", "Benchmark\\\\355\\\\240\\\\200-2\\\\t10\\\\t5 ns/op\\\\n"],
                    "format": "gotest" } ] }
JSON
pg run --no-store --output "$WORK/failed.json"; expect_rc 1 "benchmark whose results have a bad name"
reason=$(json_get "$WORK/failed.json" "d['benchmarks'][0].get('reason', 'MISSING')")
expect_in "$reason" "run 1/1: cannot import gotest results: stdout: gotest results: benchmark name 'Benchmark" "reason stored"
expect_in "$reason" "is not valid UTF-8" "reason says why"
git checkout -q perfgate.json

# bisect -f json with a commit author in Latin-1 (git's i18n.commitEncoding)
mkdir -p "$WORK/bisect" && cd "$WORK/bisect"
git init -q -b main
echo "{ \"benchmarks\": [ $(synth_bench sleepy) ] }" > perfgate.json
printf 'perfgate.json\n.perfgate/\n' > .gitignore
echo 20 > cost && git add cost .gitignore && git commit -qm c0 && "$PERFGATE" run -q
for i in $(seq 1 12); do
	echo "$i" > counter && git add -A
	if [ "$i" -eq 9 ]; then
		echo 26 > cost && git add cost
		GIT_AUTHOR_NAME=$'Jos\xe9 Garc\xeda' git -c i18n.commitEncoding=ISO-8859-1 commit -qm $'caf\xe9 slower'
	else
		git commit -qm "c$i"
	fi
	"$PERFGATE" run -q
done
culprit=$(git rev-parse main~3)
pg bisect --history-only --bench sleepy/op --metric time_per_op --format json
expect_rc 0 "bisect -f json with a Latin-1 author"
printf '%s\n' "$OUT" > "$WORK/bisect.json"
got=$(json_get "$WORK/bisect.json" "d['first_bad']['commit'], d['first_bad']['author'], d['first_bad']['subject']")
[ "$got" = "$culprit José García <test@example.com> café slower" ] && pass ||
	fail "bisect JSON first_bad: $got"
pg bisect --history-only --bench sleepy/op --metric time_per_op
expect_rc 0 "bisect (term) with a Latin-1 author"
expect_in "$OUT" "author:  José García <test@example.com>" "author converted from Latin-1"

# ---- "output" and "cwd" stay inside the repository
cd "$WORK/repo"
mkdir -p "$WORK/outside" && echo keep > "$WORK/victim.txt" && echo keep > "$WORK/outside/victim.txt"
cat > evil.json <<JSON
{ "benchmarks": [ { "name": "h", "command": ["true"], "format": "hyperfine", "output": "../victim.txt" } ] }
JSON
pg run -c evil.json --no-store; expect_rc 2 "output with .."
expect_in "$ERR" "evil.json: benchmarks[0].output: must stay inside the repository" "output field named"
one_line "output with .."
[ "$(cat "$WORK/victim.txt" 2>/dev/null)" = keep ] && pass || fail "a file outside the repository was removed"
sed -i 's|"../victim.txt"|"'"$WORK"'/victim.txt"|' evil.json
pg run -c evil.json --no-store; expect_rc 2 "absolute output"
expect_in "$ERR" "evil.json: benchmarks[0].output: must be a path relative to the repository" "absolute output named"
[ "$(cat "$WORK/victim.txt" 2>/dev/null)" = keep ] && pass || fail "an absolute output was removed"

# a symbolic link in the tree (or as the cwd) that leads out: not followed
ln -s "$WORK/outside" link
for spec in '"output": "link/victim.txt"' '"cwd": "link", "output": "victim.txt"'; do
	echo "{ \"benchmarks\": [ { \"name\": \"h\", \"command\": [\"true\"], \"format\": \"hyperfine\", $spec } ] }" > evil.json
	pg run -c evil.json --no-store; expect_rc 1 "output through a link ($spec)"
	expect_in "$OUT" "leads out of the repository through a symbolic link: not removed, not run" "link refusal ($spec)"
	[ "$(cat "$WORK/outside/victim.txt" 2>/dev/null)" = keep ] && pass || fail "removed through a link ($spec)"
done
# a link that stays inside is fine: the stale file behind it is removed, never read
mkdir -p sub && ln -s sub inlink && cp "$PG_FIXTURES/hyperfine.json" sub/stale.json
echo '{ "benchmarks": [ { "name": "h", "command": ["true"], "format": "hyperfine", "output": "inlink/stale.json" } ] }' > evil.json
pg run -c evil.json --no-store; expect_rc 1 "a tool that wrote nothing"
[ ! -e sub/stale.json ] && pass || fail "the stale output inside the tree was not removed"
expect_in "$OUT" "cannot import hyperfine results" "nothing stale imported"

# ---- numbers out of range, several mistakes at once
echo '{ "benchmarks": [ { "name": "a", "command": "true", "timeout": 2e10 } ] }' > evil.json
pg run -c evil.json --no-store; expect_rc 2 "timeout out of range"
expect_in "$ERR" "evil.json: benchmarks[0].timeout: expected a number from 0.001 to 604800 (seconds, a week)" "range named"
one_line "timeout out of range"
cat > evil.json <<'JSON'
{ "window": 0, "thresholds": { "critical": 1e7 },
  "benchmarks": [ { "name": "a", "command": "true", "runs": 0, "cpu": 5000 },
                  { "name": "b", "command": "true", "format": "gbench", "output": "../x" } ] }
JSON
pg run -c evil.json --no-store; expect_rc 2 "several mistakes"
expected="perfgate: error: evil.json: window: expected an integer from 1 to 10000
perfgate: error: evil.json: thresholds.critical: expected a number from 0 to 1000000 (%)
perfgate: error: evil.json: benchmarks[0].runs: expected an integer from 1 to 100000
perfgate: error: evil.json: benchmarks[0].cpu: expected an integer from 0 to 1023
perfgate: error: evil.json: benchmarks[1].output: must stay inside the repository: no \"..\" in the path"
[ "$ERR" = "$expected" ] && pass || { fail "several mistakes not listed one per line"; echo "$ERR"; }
finish
