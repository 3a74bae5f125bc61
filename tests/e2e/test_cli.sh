# test_cli.sh - help and version, run --output + compare --input, the
# report formats, --no-store, detached HEAD, dirty trees and shallow clones.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

pg --version; expect_rc 0 "--version"
expect_in "$OUT" "perfgate " "version printed"
pg --help; expect_rc 0 "--help"
main_help=$OUT
for cmd in run compare check history bisect post import noise; do
	expect_in "$main_help" "  $cmd " "command $cmd listed"
	pg $cmd --help; expect_rc 0 "$cmd --help"
	expect_in "$OUT" "usage: perfgate $cmd" "$cmd usage"
done
pg; expect_rc 2 "no command"

new_repo "$WORK/repo"
for i in 1 2 3 4 5; do git commit -q --allow-empty -m "c$i"; pg run -q; done

# run --output writes the results document; --no-store adds nothing
stored=$(find .perfgate/history -name '*.json' | wc -l)
pg run --no-store --output "$WORK/results.json"; expect_rc 0 "run --no-store --output"
expect_in "$(cat "$WORK/results.json")" '"format": "perfgate-run"' "results document"
expect_in "$(cat "$WORK/results.json")" '"name": "sleepy/op"' "results content"
now=$(find .perfgate/history -name '*.json' | wc -l)
[ "$now" -eq "$stored" ] && pass || fail "--no-store stored something"

# compare --input judges the given document (HEAD's own results excluded)
pg compare --input "$WORK/results.json" --format markdown --output "$WORK/report.md"
expect_rc 0 "compare --input"
md=$(cat "$WORK/report.md")
expect_in "$md" "### ✅ perfgate: pass" "markdown verdict first"
expect_in "$md" "<details><summary>All 1 results</summary>" "markdown details"
expect_in "$md" "4 baseline commits" "markdown baseline"

# JSON report fields
pg compare --format json; expect_rc 0 "compare json"
for field in '"verdict"' '"results"' '"benchmark": "sleepy/op"' '"metric": "time_per_op"' \
	'"baseline"' '"current"' '"change_pct"' '"z"' '"severity"'; do
	expect_in "$OUT" "$field" "json report field $field"
done
pg compare --format yaml; expect_rc 2 "unknown format"

# a dirty tree is recorded as such
echo 50 > cost.tmp && echo 51 > cost
pg run; expect_rc 0 "run on a dirty tree"
expect_in "$OUT" "(dirty tree)" "dirty noted"
git checkout -q cost && rm cost.tmp

# detached HEAD works (CI checks out pull requests this way)
git checkout -q --detach HEAD
git commit -q --allow-empty -m "detached work"
pg check; expect_rc 0 "check on a detached HEAD"
expect_in "$OUT" "baseline: 5 commits" "detached baseline"
git checkout -q main

# a shallow clone: the history ends early, said once, still judged
cd "$WORK" && git clone -q --depth 2 "file://$WORK/repo" shallow && cd shallow
cp -r "$WORK/repo/.perfgate" .
pg check; expect_rc 0 "check in a shallow clone"
expect_in "$ERR" "shallow clone" "shallow clone warning"
expect_in "$OUT" "baseline: 1 commit " "shallow baseline"

# started with stdin and stdout closed: they are /dev/null (as git does),
# so the guardian's socket never takes fd 1 and the run is stored, exit 0
cd "$WORK/repo"
git commit -q --allow-empty -m "closed fds"
"$PERFGATE" run <&- >&- 2> "$WORK/closed.err"; RC=$?
expect_rc 0 "run with stdin and stdout closed"
[ -d ".perfgate/history/$(git rev-parse HEAD)" ] && pass || fail "the run with closed fds was not stored"
finish
