# test_notes_concurrent.sh - the notes store under concurrency: 8
# `perfgate run` at once on one repository ("store": "notes:perf"), 20
# rounds.  Every process must succeed, and every run a process said it
# stored must be in the notes (no lost update, no run left only in a
# dangling notes commit).
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

WRITERS=8
ROUNDS=20
new_repo "$WORK/repo"
sed -i 's/"window": 20/"store": "notes:perf", "window": 20/' perfgate.json
git commit -qm "history in git notes" perfgate.json

started=$(date +%s)
claimed=0
failed=0
for round in $(seq 1 $ROUNDS); do
	# a new commit every 2 rounds: new notes and notes that grow
	[ $((round % 2)) -eq 1 ] && git commit -q --allow-empty -m "round $round"
	pids=()
	for w in $(seq 1 $WRITERS); do
		"$PERFGATE" run > "$WORK/out.$w" 2> "$WORK/err.$w" &
		pids+=($!)
	done
	for w in $(seq 1 $WRITERS); do
		wait "${pids[$((w - 1))]}"
		rc=$?
		if grep -q "^stored under" "$WORK/out.$w"; then claimed=$((claimed + 1)); fi
		if [ $rc -ne 0 ]; then
			failed=$((failed + 1))
			[ $failed -le 3 ] && echo "round $round writer $w: exit $rc: $(cat "$WORK/err.$w")"
		fi
	done
done
echo "$((WRITERS * ROUNDS)) runs in $(( $(date +%s) - started )) s"

# every run in every note of the notes ref
kept=$(git notes --ref perf list | while read -r blob commit; do
	git cat-file blob "$blob" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["runs"]))'
done | awk '{ n += $1 } END { print n + 0 }')
echo "processes: $((WRITERS * ROUNDS)), exited 0: $((WRITERS * ROUNDS - failed)), said stored: $claimed, runs kept: $kept"
[ "$failed" -eq 0 ] && pass || fail "$failed of $((WRITERS * ROUNDS)) writers failed"
[ "$claimed" -eq $((WRITERS * ROUNDS)) ] && pass || fail "only $claimed writers said they stored"
[ "$kept" -eq "$claimed" ] && pass || fail "$claimed runs said stored, $kept kept in the notes"

# the history reads them all: 10 commits with 16 runs x 1 invocation x 5 samples
pg history sleepy/op -m time_per_op -f json; expect_rc 0 "history over the notes"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
counts = [c["samples"] for c in d["commits"]]
sys.exit(0 if counts == [80] * 10 else "samples per commit: %s" % counts)' && pass ||
	fail "history does not see every stored sample"
finish
