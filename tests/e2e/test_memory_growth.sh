# test_memory_growth.sh - the metric rss_growth: the resident memory of a
# benchmark's whole process tree, sampled every 100 ms while it runs, its
# least-squares slope stored (bytes per second, with the count of samples
# behind each value), so that "memory growth > 50 MB per hour" is a
# budget.  Real processes: only generous bands are asserted (a 20 MB/s
# leak measures between 8 and 40 MB/s; a process that does not leak stays
# far below 5 MB/s), which load cannot flip.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

mkdir -p "$WORK/repo" && cd "$WORK/repo" && git init -q -b main
cat > perfgate.json <<JSON
{ "budgets": { "rss_growth": { "max": "50 MB/h" } },
  "benchmarks": [
    { "name": "leaky", "command": "'$PG_TESTBENCH' leak 20 1.5; true", "runs": 2, "warmup": 0,
      "metrics": ["wall_time", "rss_growth"] },
    { "name": "flat", "command": ["$PG_TESTBENCH", "leak", "0", "1.5"], "runs": 2, "warmup": 0,
      "metrics": ["rss_growth"], "budgets": { "rss_growth": { "max": "5 MB/s" } } },
    { "name": "quick", "command": ["true"], "runs": 1, "warmup": 0,
      "metrics": ["wall_time", "rss_growth"] },
    { "name": "plain", "command": ["true"], "runs": 1, "warmup": 0 } ] }
JSON
echo .perfgate/ > .gitignore
git add -A && git commit -qm init

pg run -o "$WORK/run.json"; expect_rc 1 "the leak breaches 50 MB/h"
expect_in "$OUT" "leaky     rss_growth max 50 MB/h" "the leaker's budget row"
expect_in "$ERR" "quick: no rss_growth: no run lasted long enough for 3 samples" "too short, said"
python3 - "$WORK/run.json" <<'PY' && pass || fail "stored rss_growth"
import json, sys
d = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
leak = d["leaky"]["metrics"]["rss_growth"]
assert leak["unit"] == "B/s" and leak["direction"] == "lower", leak
assert len(leak["samples"]) == 2 and len(leak["counts"]) == 2, leak
assert all(8e6 < v < 40e6 for v in leak["samples"]), leak
assert all(c >= 3 for c in leak["counts"]), leak
flat = d["flat"]["metrics"]["rss_growth"]["samples"]
assert all(abs(v) < 2e6 for v in flat), flat
assert "rss_growth" not in d["quick"]["metrics"], d["quick"]
assert set(d["plain"]["metrics"]) == {"wall_time", "cpu_time", "max_rss"}, d["plain"]
PY
# the budget table: the leaker breached; flat met; quick not measured
echo "$OUT" | grep -q "^  flat      rss_growth max 5 MB/s .* met$" && pass || fail "flat met: $OUT"
echo "$OUT" | grep -q "^  quick     rss_growth max 50 MB/h .*BREACHED" && fail "an inherited budget applies only to results that have the metric" || pass

# a budget in a unit of another kind is refused for rss_growth
sed -i 's|"max": "5 MB/s"|"max": "5 MB"|' perfgate.json
pg run; expect_rc 2 "a size for a rate"
expect_in "$ERR" 'benchmarks[1].budgets.rss_growth.max: "5 MB" is a size in bytes, but rss_growth is measured in B/s' "names the field"

finish
