#!/usr/bin/env bash
# bench/history_memory.sh [DIR] - time and peak memory of reading long
# histories: `history b007 -n 2000` and `compare` with "window": 2000, on
# the data set of bench/gen_history.py (2,000 commits x 500 benchmarks in a
# dir store, made under DIR, default build/bench-history, on first use).
# Prints elapsed and CPU seconds and the peak RSS of each (GNU time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
perfgate=$(realpath "${PERFGATE:-$root/build/perfgate}")
dir=${1:-$root/build/bench-history}
[ -d "$dir" ] || PERFGATE="$perfgate" python3 "$root/bench/gen_history.py" "$dir" 2000 500
cd "$dir"
export PERFGATE_TESTBED=bench
for cmd in "history b007 -n 2000" "compare --format json --output /dev/null"; do
	/usr/bin/time -f "$cmd: %e s elapsed, %U s user, %S s system, %M KB peak RSS" \
		"$perfgate" $cmd > /dev/null 2> "$dir/.err" || true
	tail -1 "$dir/.err"
done
