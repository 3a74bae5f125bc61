#!/usr/bin/env bash
# test_drift.sh - compare on the base branch itself sees a drift that no
# single commit shows: seeded history imported commit by commit, 40 flat
# commits then +1 % per commit; a flat benchmark beside it never drifts.
. "$PG_E2E_LIB"

new_repo "$WORK/repo"
cat > perfgate.json <<'JSON'
{ "window": 20, "min_history": 5, "fail_on": "warning", "benchmarks": [] }
JSON
git commit -qam "config"

# The harness JSON of commit I in $WORK/h/I.json: 5 samples, 2 % noise;
# drift/op 1000 ns, then +1 % per commit from commit 41 on; flat/op 500 ns.
mkdir -p "$WORK/h"
python3 - "$WORK/h" <<'PY'
import json, random, sys
for i in range(1, 61):
    rnd = random.Random(2000 + i)
    drift = 1000 * 1.01 ** max(0, i - 40)
    def s(m):
        return [round(m * (1 + 0.02 * rnd.gauss(0, 1)), 3) for _ in range(5)]
    with open("%s/%d.json" % (sys.argv[1], i), "w") as f:
        json.dump({"format": "perfgate-bench", "version": 1, "benchmarks": [
            {"name": "drift", "unit": "ns", "samples": s(drift)},
            {"name": "flat", "unit": "ns", "samples": s(500)}]}, f)
PY

FAILED=""
for i in $(seq 1 60); do
	git commit -q --allow-empty -m "commit $i"
	echo "$i $(git rev-parse HEAD)" >> "$WORK/shas"
	"$PERFGATE" import --format perfgate --name h "$WORK/h/$i.json" > /dev/null || fail "import $i"
	[ "$i" -le 30 ] && continue
	pg compare
	case "$OUT$ERR" in
	*"h/flat time_per_op: "*"since"*) fail "commit $i: the flat series drifted" ;;
	esac
	if [ "$RC" -ne 0 ] && [ -z "$FAILED" ]; then
		FAILED=$i
		FAILED_OUT="$OUT$ERR"
	fi
	# no commit passes or fails by accident: only the drift fails the gate
	[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "commit $i: exit $RC"
done
# Each commit alone is inside the noise (the sigma rule passes them one by
# one); the gate fails at the commit that completes the drift, and says so.
echo "the gate failed first at commit $FAILED"
[ -n "$FAILED" ] && [ "$FAILED" -gt 41 ] || fail "the drift never failed the gate (or failed too early: $FAILED)"
expect_in "${FAILED_OUT:-}" "h/drift time_per_op: slowed down" "drift message"
since=$(echo "${FAILED_OUT:-}" | sed -n 's/.*slowed down [0-9.]* % over [0-9]* commits since \([0-9a-f]*\).*/\1/p' | head -1)
at=$(grep " $since" "$WORK/shas" | cut -d' ' -f1)
[ -n "$since" ] && [ -n "$at" ] && [ "$at" -ge 38 ] && [ "$at" -le "$FAILED" ] ||
	fail "the drift starts at commit '$at' ($since)"
pass

# Not on the base branch: a pull request's commit is judged by the sigma rule only.
git checkout -qb feature
git commit -q --allow-empty -m "feature"
"$PERFGATE" import --format perfgate --name h "$WORK/h/60.json" > /dev/null || fail "import feature"
pg compare
expect_not_in "$OUT$ERR" "commits since" "no drift message on a pull request"

finish
