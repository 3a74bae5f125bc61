# test_repo_owner.sh - a repository owned by another user (a container job
# running as root on a checkout it did not make): git's safe.directory check
# refuses it, and perfgate says so, with the command that lets it in,
# instead of "not inside a git repository".  The command it gives works.
# Needs root (to chown to another uid); skipped otherwise.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIPPED: needs root to give a repository to another user"
	exit 0
fi
new_repo "$WORK/owned"
chown -R 65534:65534 "$WORK/owned"
export HOME="$WORK/home" && mkdir -p "$HOME"   # a global git config of our own
pg run
expect_rc 3 "a repository owned by another user"
expect_in "$ERR" "belongs to another user (uid 65534)" "the owner is named"
expect_in "$ERR" "run \`git config --global --add safe.directory $WORK/owned\`" "what to do"
expect_not_in "$ERR" "not inside a git repository" "not mistaken for a missing repository"
git config --global --add safe.directory "$WORK/owned"
pg run
expect_rc 0 "the repository once it is trusted"
finish
