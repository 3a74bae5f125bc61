# test_history.sh - `perfgate history`: per-commit values along the
# first-parent chain, newest first, with a sparkline.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
for ms in 20 30 40; do commit_cost $ms "cost $ms"; pg run -q; expect_rc 0 "run at $ms ms"; done

pg history sleepy/op -m time_per_op; expect_rc 0 "history"
expect_in "$OUT" "sleepy/op time_per_op on e2e-testbed: 3 commits" "history header"
first=$(echo "$OUT" | sed -n 4p); last=$(echo "$OUT" | sed -n 6p)
expect_in "$first" "cost 40" "newest first"
expect_in "$last" "cost 20" "oldest last"
spark=$(echo "$OUT" | sed -n 2p)
case "$spark" in ▁?█) pass ;; *) fail "sparkline '$spark', expected ▁, a middle bar, █" ;; esac

pg history sleepy/op -m time_per_op --limit 2 --format json; expect_rc 0 "history json"
n=$(echo "$OUT" | grep -c '"commit"')
[ "$n" -eq 2 ] && pass || fail "--limit 2 gave $n commits"

pg history nope; expect_rc 3 "unknown benchmark"
expect_in "$ERR" "no stored results for 'nope'" "unknown benchmark named"
pg history; expect_rc 2 "history without a name"
finish
