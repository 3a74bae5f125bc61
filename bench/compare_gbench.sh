#!/usr/bin/env bash
# bench/compare_gbench.sh - ns/op of the same three small functions
# (tests/fixtures/tools/three.h) measured by perfgate's harness and by
# Google Benchmark in one session, ROUNDS times each, alternating.  Needs
# libbenchmark-dev and g++; prints per function the median of the per-run
# medians and the run-to-run spread (min..max) for both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tools="$root/tests/fixtures/tools"
gcc -O2 -I "$root/include" -o "$tmp/pg" "$tools/pg_three.c" "$root/src/benchlib/harness.c" -lm
g++ -O2 -o "$tmp/gb" "$tools/gbench_three.cc" -lbenchmark -lpthread
for i in $(seq 1 "$rounds"); do
	"$tmp/pg" --repetitions 10 --min-time 0.1 --format json > "$tmp/pg.$i.json"
	"$tmp/gb" --benchmark_repetitions=10 --benchmark_min_time=0.1 --benchmark_format=json \
		> "$tmp/gb.$i.json" 2>/dev/null
done
python3 - "$tmp" "$rounds" <<'PY'
import json, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
names = {"fnv1a_64": "BM_fnv1a_64", "sum_1k": "BM_sum_1k", "collatz_27": "BM_collatz_27"}
pg = {n: [] for n in names}
gb = {n: [] for n in names}
for i in range(1, rounds + 1):
    for b in json.load(open("%s/pg.%d.json" % (tmp, i)))["benchmarks"]:
        pg[b["name"]].append(statistics.median(b["samples"]))
    runs = {}
    for b in json.load(open("%s/gb.%d.json" % (tmp, i)))["benchmarks"]:
        if b.get("run_type") == "iteration":
            runs.setdefault(b["run_name"], []).append(b["real_time"])
    for n, g in names.items():
        gb[n].append(statistics.median(runs[g]))
print("%-11s %26s %26s %7s" % ("function", "perfgate ns/op (spread)", "gbench ns/op (spread)", "ratio"))
for n in names:
    p, g = statistics.median(pg[n]), statistics.median(gb[n])
    print("%-11s %9.2f (%6.2f..%6.2f) %9.2f (%6.2f..%6.2f) %7.3f" % (
        n, p, min(pg[n]), max(pg[n]), g, min(gb[n]), max(gb[n]), p / g))
PY
