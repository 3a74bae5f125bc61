# test_bisect.sh - `perfgate bisect` on real repositories where one commit
# makes the benchmark 30 % slower: found exactly, within ceil(log2 N) + 2
# builds, with the user's tree untouched; around a commit that fails to
# build; with everything already stored (zero builds); --history-only; and
# the refusals.  The benchmark's samples are seeded (lib.sh): the 30 % step
# is 15 times the 2 % noise, and the flat stretches have no step near the
# 5 % notice threshold, whatever the machine's load.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

# make_history N CULPRIT [BROKEN]: N commits after the initial one; commit
# CULPRIT raises the cost from 20 to 26 ms, commit BROKEN cannot build.
make_history() {
	local n=$1 culprit=$2 broken=${3:-0} i
	git init -q -b main
	echo 20 > cost
	git add cost && git commit -qm "c0"
	for i in $(seq 1 "$n"); do
		echo "$i" > counter
		[ "$i" -eq "$culprit" ] && echo 26 > cost
		if [ "$i" -eq "$broken" ]; then touch broken; else rm -f broken; fi
		git add -A && git commit -qm "c$i"
	done
}

# perfgate.json is NOT committed: old commits are probed with today's config.
write_config() {
	echo "{ \"benchmarks\": [ $(synth_bench sleepy) ] }" > perfgate.json
}

sha_of() { git log --format=%H --grep="^$1\$" main; }
state() { git status --porcelain; git rev-parse HEAD; git symbolic-ref -q HEAD; git diff; git diff --cached; git stash list; git branch; }

mkdir -p "$WORK/a" && cd "$WORK/a"
make_history 31 19
write_config
echo .perfgate/ >> .git/info/exclude   # the store appears; that is not the user's tree
echo 999 > cost            # an uncommitted change to a tracked file
echo scratch > notes.txt   # and an untracked file
before=$(state)

pg bisect --good main~31 --bad main --bench sleepy/op --metric time_per_op --build 'test -f cost'
expect_rc 0 "bisect finds the culprit"
expect_in "$OUT" "first bad commit: $(sha_of c19)" "the culprit exactly"
expect_in "$OUT" "subject: c19" "subject shown"
expect_in "$OUT" "author:  perfgate-test <test@example.com>" "author shown"
builds=$(echo "$OUT" | sed -n 's/.*candidate commits, \([0-9]*\) build.*/\1/p')
[ -n "$builds" ] && [ "$builds" -le 7 ] && pass || fail "used $builds builds, more than ceil(log2 31) + 2 = 7"
step=$(echo "$OUT" | sed -n 's/.*step: *+\([0-9.]*\)%.*/\1/p')
awk -v s="$step" 'BEGIN { exit !(s > 25 && s < 35) }' && pass || fail "step +$step% is not about +30%"
after=$(state)
[ "$before" = "$after" ] && pass || { fail "the user's tree, index, HEAD or branches changed"; diff <(echo "$before") <(echo "$after"); }
[ "$(cat cost)" = 999 ] && [ "$(cat notes.txt)" = scratch ] && pass || fail "work tree files changed"
left=$(ls -d "${TMPDIR:-/tmp}"/perfgate-* 2>/dev/null | wc -l)
[ "$left" -eq 0 ] && pass || fail "$left scratch directories left behind"

# everything is stored now: zero builds, same answer
pg bisect --good main~31 --bad main --bench sleepy/op --metric time_per_op --format json
expect_rc 0 "bisect from stored results"
expect_in "$OUT" "\"builds\": 0" "zero builds"
expect_in "$OUT" "\"commit\": \"$(sha_of c19)\"" "same culprit from history"

# nothing to find: good and bad cost the same
pg bisect --good main~31 --bad main~20 --bench sleepy/op --metric time_per_op
expect_rc 1 "equal endpoints are refused"
expect_in "$OUT" "refused: nothing to find" "refusal says why"

# bad input
pg bisect --good no-such-rev --bad main --bench sleepy
expect_rc 2 "unknown revision"
expect_in "$ERR" "--good: unknown revision 'no-such-rev'" "unknown revision named"
pg bisect --good main --bad main~3 --bench sleepy
expect_rc 2 "good after bad"
expect_in "$ERR" "is not an ancestor of bad" "ancestry explained"
pg bisect --good main~3 --bad main --bench nope
expect_rc 2 "unknown benchmark"
pg bisect --good main~3 --bench sleepy
expect_rc 2 "missing --bad"

# a commit right after the culprit fails to build: skipped, culprit found
mkdir -p "$WORK/b" && cd "$WORK/b"
make_history 16 9 10
write_config
pg bisect --good main~16 --bad main --bench sleepy/op --metric time_per_op --build 'test ! -f broken'
expect_rc 0 "bisect around a broken build"
expect_in "$OUT" "first bad commit: $(sha_of c9)" "culprit next to a broken commit"
expect_in "$ERR$OUT" "skipped" "the broken commit is skipped"
# a failed build says nothing of the commit's benchmark: never stored as
# its result (a later bisect, with the build fixed, measures it)
if grep -rqs '"failed"' .perfgate/history; then
	fail "a build failure was stored as the commit's result"
else
	pass
fi

# --history-only: history recorded commit by commit, no builds at all
mkdir -p "$WORK/c" && cd "$WORK/c"
git init -q -b main && write_config && echo perfgate.json > .gitignore
echo 20 > cost && git add cost .gitignore && git commit -qm c0 && "$PERFGATE" run -q
for i in $(seq 1 15); do
	[ "$i" -eq 11 ] && echo 26 > cost
	echo "$i" > counter && git add -A && git commit -qm "c$i" && "$PERFGATE" run -q
done
pg bisect --history-only --bench sleepy/op --metric time_per_op
expect_rc 0 "history-only over the window"
expect_in "$OUT" "first bad commit: $(sha_of c11)" "history-only finds the step"
expect_in "$OUT" "0 builds" "history-only builds nothing"
pg bisect --history-only --good main~15 --bad main~6 --bench sleepy/op --metric time_per_op --format json
expect_rc 1 "history-only with no step inside the range"
expect_in "$OUT" "no significant step change" "inconclusive explained"

# a quiet benchmark (0.2 % noise) with a real 2 % step: Welch's t-test alone
# calls it significant, but it is below the 5 % notice threshold: no step
mkdir -p "$WORK/d" && cd "$WORK/d"
git init -q -b main && write_config && echo perfgate.json > .gitignore
export PG_TESTBENCH_JITTER=0.002
for i in $(seq 0 15); do
	if [ "$i" -lt 8 ]; then echo 20 > cost; else echo 20.4 > cost; fi
	echo "$i" > counter && git add -A && git commit -qm "q$i" && "$PERFGATE" run -q
done
unset PG_TESTBENCH_JITTER
pg bisect --history-only --bench sleepy/op --metric time_per_op
expect_rc 1 "a 2% step is below the notice threshold"
expect_in "$OUT" "no significant step change of 5.0% or more" "the floor explained"
finish
