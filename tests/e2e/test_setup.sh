# test_setup.sh - "setup": data a benchmark needs, made once per checkout by
# a command, at a path relative to the checkout, works on every side: `run`
# (the work tree), `check --ab` (the base's scratch checkout and HEAD),
# `check --confirm` and `bisect` (each probed commit's scratch checkout).
# The data (gen/cost, and sub/gen of a benchmark with its own "cwd" and
# "setup") is ignored by git, so a scratch checkout has it only if setup
# ran there; a benchmark reading it without setup fails.  Failures of setup
# name the side and the exit status.  The samples are seeded (lib.sh).
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

LOG="$WORK/setup.log"   # one line per setup run: which and where
write_config() {
	cat > perfgate.json <<JSON
{
  "window": 20, "min_history": 5,
  "setup": "mkdir -p gen && cp cost gen/cost && echo top \$PWD >> '$LOG'",
  "benchmarks": [
    { "name": "data", "command": ["$PG_TESTBENCH", "synth", "gen/cost"], "format": "perfgate" },
    { "name": "own", "cwd": "sub", "command": ["$PG_TESTBENCH", "synth", "gen"], "format": "perfgate",
      "setup": "cp ../cost gen && echo own \$PWD >> '$LOG'" }
  ]
}
JSON
}
count() { grep -c "^$1 " "$LOG" 2>/dev/null || true; }

mkdir -p "$WORK/repo" && cd "$WORK/repo" && git init -q -b main
write_config
mkdir sub && echo keep > sub/.keep
printf '.perfgate/\ngen/\nsub/gen\n' > .gitignore
echo 50 > cost
git add -A && git commit -qm initial

# without setup the data is not there: the benchmark fails (the test is real)
mv perfgate.json "$WORK/cfg" && sed '/"setup": "mkdir/d' "$WORK/cfg" > perfgate.json
pg run -q --no-store 2>/dev/null; [ "$RC" -ne 0 ] && pass || fail "without setup the data benchmark should fail"
mv "$WORK/cfg" perfgate.json && rm -rf gen sub/gen && : > "$LOG"

# run: setup once at the root, the benchmark's own once in its cwd
pg run -q; expect_rc 0 "run with setup"
[ -f gen/cost ] && [ -f sub/gen ] && pass || fail "setup did not make the data in the work tree"
[ "$(count top)" -eq 1 ] && [ "$(count own)" -eq 1 ] && pass || { fail "setup runs once each per run"; cat "$LOG"; }
grep -q "^top $WORK/repo\$" "$LOG" && grep -q "^own $WORK/repo/sub\$" "$LOG" && pass || { fail "setup directories"; cat "$LOG"; }
for i in 1 2 3 4 5 6; do git commit -q --allow-empty -m "main $i"; pg run -q; expect_rc 0 "history $i"; done

# check --ab: the scratch base has no gen/ of its own; setup makes it there
git checkout -q -b slower main
echo 60 > cost && git commit -qam "20% slower"
rm -rf gen sub/gen; : > "$LOG"
pg check --ab --no-store --pairs 12 --format json
expect_rc 1 "A/B with setup on both sides (a 20 % slowdown is critical)"
expect_in "$OUT" '"severity": "critical"' "A/B judged the data benchmark"
expect_not_in "$OUT" '"severity": "failed"' "no side failed for want of data"
[ "$(count top)" -eq 2 ] && [ "$(count own)" -eq 2 ] && pass || { fail "setup once per checkout in A/B"; cat "$LOG"; }
grep -q "^top $WORK/repo\$" "$LOG" && grep -q "^top $TMPDIR/perfgate-" "$LOG" && pass || { fail "A/B setup sides"; cat "$LOG"; }
left=$(ls -d "$TMPDIR"/perfgate-* 2>/dev/null | wc -l)
[ "$left" -eq 0 ] && pass || fail "$left scratch directories left behind"

# a setup failing on the base only: one line naming the base and the status
git checkout -q main && git checkout -q -b needs-marker
sed -i 's|"setup": "mkdir|"setup": "test -f marker \|\| exit 7; mkdir|' perfgate.json
touch marker && git add -A && git commit -qm "setup needs a marker"
pg check --ab --no-store --pairs 12
expect_rc 3 "setup failing on the base"
expect_in "$ERR" "setup of the base $(git rev-parse --short=12 main) failed: setup \`test -f marker" "names the base side"
expect_in "$ERR" "exited with status 7" "gives the exit status"
[ "$(echo "$ERR" | grep -c 'error')" -eq 1 ] && pass || { fail "one error line"; echo "$ERR"; }
# ... and on HEAD
rm marker
pg run --no-store
expect_rc 3 "setup failing on HEAD"
expect_in "$ERR" "setup of HEAD failed" "names HEAD"
expect_in "$ERR" "exited with status 7" "exit status on HEAD"
# a benchmark's own setup failing names the benchmark
git checkout -q -f main && git checkout -q -b own-fails
sed -i 's|"setup": "cp ../cost gen|"setup": "exit 5; cp ../cost gen|' perfgate.json
pg run --no-store
expect_rc 3 "a benchmark's setup failing"
expect_in "$ERR" "setup of HEAD failed: benchmark 'own': setup \`exit 5" "names the benchmark"
expect_in "$ERR" "(in sub) exited with status 5" "its directory and status"
git checkout -q -f main

# check --confirm: the flagged benchmark is re-measured against a scratch
# base, whose data only setup makes; HEAD's setup ran for the history run
git checkout -q -b confirm main && echo 65 > cost && git commit -qam "30% slower"
rm -rf gen sub/gen; : > "$LOG"
pg check --no-store --confirm --pairs 12 -f json
expect_rc 1 "--confirm with setup (a 30 % slowdown is critical)"
expect_in "$OUT" '"confirmed": true' "confirmed by A/B through setup's data"
expect_not_in "$OUT" '"severity": "failed"' "no side failed for want of data"
[ "$(count top)" -eq 2 ] && [ "$(count own)" -eq 2 ] && pass || { fail "setup once per checkout with --confirm"; cat "$LOG"; }
grep -q "^top $TMPDIR/perfgate-" "$LOG" && pass || { fail "--confirm setup in the base checkout"; cat "$LOG"; }
git checkout -q -f main

# bisect: every probed scratch checkout gets its own setup; c10's fails
mkdir -p "$WORK/b" && cd "$WORK/b" && git init -q -b main
write_config
mkdir sub && echo keep > sub/.keep
printf '.perfgate/\ngen/\nsub/gen\nperfgate.json\n' > .gitignore
echo 20 > cost && git add -A && git commit -qm c0
for i in $(seq 1 16); do
	[ "$i" -eq 9 ] && echo 26 > cost
	if [ "$i" -eq 10 ]; then touch broken; else rm -f broken; fi
	echo "$i" > counter && git add -A && git commit -qm "c$i"
done
culprit=$(git log --format=%H --grep='^c9$' main)
: > "$LOG"
pg bisect --good main~16 --bad main --bench data/op --metric time_per_op
expect_rc 0 "bisect with setup"
expect_in "$OUT" "first bad commit: $culprit" "bisect finds the culprit through setup's data"
builds=$(echo "$OUT" | sed -n 's/.*candidate commits, \([0-9]*\) build.*/\1/p')
[ "$(count top)" -eq "$builds" ] && [ "$(count own)" -eq 0 ] && pass || { fail "setup once per bisect checkout ($builds builds)"; cat "$LOG"; }
grep -q "^top $TMPDIR/perfgate-" "$LOG" && pass || fail "bisect setup in the scratch checkouts"
# a commit whose setup fails is skipped like a broken build, named
sed -i 's|"setup": "mkdir|"setup": "test ! -f broken \|\| exit 4; mkdir|' perfgate.json
rm -rf .perfgate
pg bisect --good main~16 --bad main --bench data/op --metric time_per_op
expect_rc 0 "bisect around a commit whose setup fails"
expect_in "$OUT" "first bad commit: $culprit" "culprit next to a commit whose setup fails"
expect_in "$OUT$ERR" "skipped" "that commit is skipped"
expect_in "$OUT$ERR" "exited with status 4" "with its setup's status"
finish
