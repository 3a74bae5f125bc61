#!/usr/bin/env bash
# bench/overhead.sh [RUNS] [ROUNDS] - perfgate's own per-run overhead,
# side by side with hyperfine (Debian's `hyperfine`) in one sitting.
#   1. the wall time each records for /bin/true: RUNS runs (after 10
#      warm-ups), ROUNDS times alternating, median of the per-round medians;
#   2. the whole process for RUNS runs: `perfgate run --no-store` against
#      `hyperfine -N --runs RUNS /bin/true`, timed by hyperfine (ROUNDS runs
#      each), median wall time of each.
# Prints both medians and the ratio perfgate/hyperfine.  With `--gate`,
# prints only the ratio of recorded wall times, in Bencher Metric Format
# ({"true": {"recorded_ratio": {"value": R}}}), for perfgate.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
perfgate=$(realpath "${PERFGATE:-$root/build/perfgate}")
gate=0
[ "${1:-}" = --gate ] && { gate=1; shift; }
runs=${1:-200}
rounds=${2:-10}
command -v hyperfine > /dev/null || { echo "bench/overhead.sh: needs hyperfine" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
git init -q -b main repo && cd repo
cat > perfgate.json <<JSON
{ "benchmarks": [ { "name": "true", "command": ["/bin/true"], "warmup": 10, "runs": $runs,
                    "metrics": ["wall_time"] } ] }
JSON
git add perfgate.json
git -c user.name=b -c user.email=b@b commit -qm bench
export PERFGATE_TESTBED=bench
for i in $(seq 1 "$rounds"); do
	"$perfgate" run -q --no-store -o "$tmp/pg.$i.json" 2> /dev/null
	hyperfine -N --style none --warmup 10 --runs "$runs" --export-json "$tmp/hf.$i.json" \
		/bin/true > /dev/null 2>&1
done
if [ $gate = 0 ]; then
	hyperfine -N --style none --warmup 1 --runs "$rounds" --export-json "$tmp/whole.json" \
		"$perfgate run -q --no-store" \
		"hyperfine -N --style none --warmup 10 --runs $runs /bin/true" > /dev/null 2>&1
fi
python3 - "$tmp" "$rounds" "$gate" <<'PY'
import json, os, statistics, sys
tmp, rounds, gate = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
pg, hf = [], []
for i in range(1, rounds + 1):
    run = json.load(open("%s/pg.%d.json" % (tmp, i)))
    pg.append(statistics.median(run["benchmarks"][0]["metrics"]["wall_time"]["samples"]) / 1e6)
    hf.append(statistics.median(json.load(open("%s/hf.%d.json" % (tmp, i)))["results"][0]["times"]) * 1e3)
p, h = statistics.median(pg), statistics.median(hf)
if gate:
    print(json.dumps({"true": {"recorded_ratio": {"value": round(p / h, 4)}}}))
    sys.exit(0)
print("recorded wall time of /bin/true, median of %d rounds (ms):" % rounds)
print("  perfgate  %.4f  (rounds %.4f..%.4f)" % (p, min(pg), max(pg)))
print("  hyperfine %.4f  (rounds %.4f..%.4f)" % (h, min(hf), max(hf)))
print("  ratio     %.3f" % (p / h))
w = json.load(open(tmp + "/whole.json"))["results"]
wp, wh = statistics.median(w[0]["times"]), statistics.median(w[1]["times"])
print("whole process for the runs, median of %d (s):" % rounds)
print("  perfgate  %.4f" % wp)
print("  hyperfine %.4f" % wh)
print("  ratio     %.3f" % (wp / wh))
PY
