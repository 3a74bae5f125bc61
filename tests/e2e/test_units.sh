# test_units.sh - samples in different units are never compared, in every
# walk over stored history: the judgement, `history`, `bisect` and
# `bisect --history-only`.  The unit is the current result's, else the
# newest commit's; commits in another unit are left out, with a warning.
#
# The history: c1..c6 hold instruction counts "from valgrind" (the stored
# samples are rewritten to unit instr@valgrind, 0.6 x the value), c7..c12
# the benchmark's own unit (ns).  The code never changes cost: any step
# found is the change of unit.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
for i in $(seq 1 12); do
	git commit -q --allow-empty -m "c$i"
	pg run -q; expect_rc 0 "run c$i"
	eval "c$i=$(git rev-parse HEAD)"
	if [ "$i" -le 6 ]; then
		for f in .perfgate/history/"$(git rev-parse HEAD)"/*/*.json; do
			python3 - "$f" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for b in d["benchmarks"]:
    for m in b["metrics"].values():
        m["unit"] = "instr@valgrind"
        m["samples"] = [v * 0.6 for v in m["samples"]]
json.dump(d, open(sys.argv[1], "w"))
PY
		done
	fi
done
warning="sleepy/op time_per_op: 6 commits measured in instr@valgrind, not ns, left out (newest ${c6:0:12})"

# history: only the newest commit's unit
pg history sleepy/op -m time_per_op -f json; expect_rc 0 "history"
n=$(echo "$OUT" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["commits"]), d["unit"])')
[ "$n" = "6 ns" ] && pass || fail "history: expected 6 commits in ns, got $n"
expect_in "$ERR" "$warning" "history says what it left out"

# bisect --history-only: no step (before, the change of unit was one)
pg bisect --history-only --bench sleepy/op --metric time_per_op
expect_rc 1 "history-only finds nothing"
expect_not_in "$OUT" "first bad commit" "no culprit from a change of unit"
expect_in "$OUT" "in 6 commits" "only the commits in ns"
expect_in "$ERR" "$warning" "history-only says what it left out"

# the judgement: the baseline is the 5 commits in ns before HEAD
pg compare -f json; expect_rc 0 "compare"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d["results"][0]["baseline_commits"] == 5 else "baseline: %s" % d["results"][0])' &&
	pass || fail "the judgement's baseline"
expect_in "$OUT" "$warning" "the report says so"

# bisect: bad's stored results are in ns; good's (instr@valgrind) are not
# used, good is measured again, and good and bad do not differ
pg bisect --good "$c1" --bad "$c12" --bench sleepy/op --metric time_per_op
expect_rc 1 "bisect across a change of unit: nothing to find"
expect_in "$OUT" "refused: nothing to find" "no false culprit"
expect_not_in "$OUT" "first bad commit" "no culprit from a change of unit"
expect_in "$ERR" "stored samples at 1 commit (${c1:0:12} first) are in instr@valgrind, not ns; not used" "bisect says what it did not use"

# bad's stored samples in a unit this machine does not measure in: an
# error naming both units, and the new measurement is kept all the same
sed -i 's/"unit": "ns"/"unit": "instr@perf"/' .perfgate/history/"$c12"/*/*.json
before=$(find .perfgate/history/"$c7" -name '*.json' | wc -l)
pg bisect --good "$c7" --bad "$c12" --bench sleepy/op --metric time_per_op
expect_rc 3 "bisect: measured in another unit than compared"
expect_in "$ERR" "sleepy/op time_per_op: measured here in ns, but the samples it is compared with are in instr@perf" "names both units"
after=$(find .perfgate/history/"$c7" -name '*.json' | wc -l)
[ "$after" -eq $((before + 1)) ] && pass || fail "the measurement was not stored ($before -> $after)"
finish
