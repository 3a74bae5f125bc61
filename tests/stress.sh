#!/usr/bin/env bash
# tests/stress.sh [N] - hunts flaky tests before they reach CI: runs the
# end-to-end and GitHub suites (and the valgrind end-to-end scripts) N times
# (default 5) in both builds, the plain one (build/) and the ASan+UBSan one
# (build-asan/, both made here if missing), with two busy loops holding the
# two cores, and prints how many times each test passed.  Run i uses
# PG_TESTBENCH_SEED=i, so the seeded benchmark noise differs from run to
# run: a verdict that holds only for one seed shows up here too.
# Exit status 0 when every test passed every time.
set -u
n=${1:-5}
case "$n" in '' | *[!0-9]*) echo "usage: tests/stress.sh [N]" >&2; exit 2 ;; esac
. "$(dirname "$0")/../ci/deps.sh"
cd "$PG_ROOT" || exit 2

[ -x build/perfgate ] || pg_build build || exit 2
[ -x build-asan/perfgate ] || pg_build build-asan -DCMAKE_BUILD_TYPE=Debug -DPERFGATE_SANITIZE=ON || exit 2

hogs=()
cleanup() { for h in "${hogs[@]}"; do kill "$h" 2>/dev/null; done; }
trap cleanup EXIT
for _ in 1 2; do yes > /dev/null & hogs+=($!); done

declare -A passed total
logs=$(mktemp -d)
for i in $(seq 1 "$n"); do
	for b in build build-asan; do
		log="$logs/$b-$i.log"
		(cd "$b" && PG_TESTBENCH_SEED=$i ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			ctest -j 2 -R '^(e2e_|valgrind_e2e_|github_)' --output-on-failure) > "$log" 2>&1
		while read -r name result; do
			key="$b/$name"
			total[$key]=$(( ${total[$key]:-0} + 1 ))
			[ "$result" = Passed ] && passed[$key]=$(( ${passed[$key]:-0} + 1 ))
		done < <(sed -n 's/^ *[0-9]*\/[0-9]* Test *#[0-9]*: \([^ ]*\) [ .*]*\([A-Za-z]*\).*/\1 \2/p' "$log")
		echo "run $i/$n, $b (seed $i): $(grep -c ' Passed ' "$log") passed, $(grep -cE '\*\*\*(Failed|Timeout)|Exception' "$log") failed"
	done
done

echo
flaky=0
for key in $(printf '%s\n' "${!total[@]}" | sort); do
	p=${passed[$key]:-0}
	printf '%-40s %d/%d\n' "$key" "$p" "${total[$key]}"
	[ "$p" -eq "${total[$key]}" ] || flaky=1
done
if [ "$flaky" -ne 0 ]; then
	echo "some tests failed; logs in $logs"
	exit 1
fi
rm -rf "$logs"
