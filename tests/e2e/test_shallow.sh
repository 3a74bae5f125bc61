# test_shallow.sh - a shallow clone (actions/checkout's default, --depth 1)
# whose history does not reach the merge-base with the base branch: one
# line that says so and how to fetch it, for check and for check --ab.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

# libgit2 (1.5) leaks a few bytes on git_merge_base's error path when a
# parent is missing, as it is here on purpose; under ASan, LeakSanitizer
# would fail perfgate's exit for it: suppressed for libgit2's frames only
printf 'leak:libgit2.so\n' > "$WORK/lsan.supp"
export LSAN_OPTIONS="suppressions=$WORK/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

new_repo "$WORK/origin"
git commit -q --allow-empty -m c2
git checkout -q -b pr
commit_cost 60 "slower"
git checkout -q main
git commit -q --allow-empty -m c3

git clone -q --depth 1 --no-single-branch --branch pr "file://$WORK/origin" "$WORK/clone"
cd "$WORK/clone" || exit 1
[ -f .git/shallow ] && pass || fail "the clone is not shallow"
hint="the base branch is not in this shallow clone's history: fetch it (actions/checkout with fetch-depth: 0, or git fetch --unshallow)"
pg check --no-store; expect_rc 3 "check in a shallow clone"
expect_in "$ERR" "$hint" "shallow clone hint"
expect_not_in "$ERR" "object not found" "no libgit2 jargon"
pg check --ab --no-store --pairs 11; expect_rc 3 "check --ab in a shallow clone"
expect_in "$ERR" "$hint" "shallow clone hint (A/B)"

# with the history fetched, the same check works
git fetch -q --unshallow
pg check --no-store; expect_rc 0 "check after git fetch --unshallow"
finish
