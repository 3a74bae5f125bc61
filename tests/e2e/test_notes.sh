# test_notes.sh - history kept in git notes ("store": "notes:NAME"): the
# gate works the same, and the history travels with the repository.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
sed -i 's/"window": 20/"store": "notes:perfgate", "window": 20/' perfgate.json
git commit -qam "history in git notes"
for i in 1 2 3 4 5; do git commit -q --allow-empty -m "c$i"; pg run -q; expect_rc 0 "run $i"; done
[ ! -d .perfgate ] && pass || fail "the notes store wrote files"
n=$(git notes --ref perfgate list | wc -l)
[ "$n" -eq 5 ] && pass || fail "expected 5 notes, found $n"

git checkout -q -b slow
commit_cost 65 "30% slower"
pg check --no-store; expect_rc 1 "30% slowdown judged from notes"
expect_in "$OUT" "baseline: 5 commits" "notes baseline"

# a clone that fetches the notes has the history
cd "$WORK" && git clone -q "$WORK/repo" clone && cd clone
git fetch -q origin 'refs/notes/*:refs/notes/*'
pg history sleepy/op -m time_per_op; expect_rc 0 "history in a clone"
expect_in "$OUT" "5 commits" "the notes travelled"
finish
