#!/usr/bin/env bash
# tests/fuzz/run.sh - builds the libFuzzer targets (clang, into build-fuzz/)
# and runs each for SECONDS (default 60), one after another, one job each.
# Exit status 0 when no target found anything; otherwise 1, after naming
# each crashing input and the command that reproduces it.  CI's fuzz stage
# runs it for a few seconds per target (ci/test.sh); run it longer locally.
#
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
#        tests/fuzz/run.sh --runs N [TARGET...]
#   --runs N: N inputs per target from a fixed seed (-seed=1) instead of a
#   time budget, so the same tree gives the same answer on any machine
#   (what CI runs; a time budget explores further but varies with speed).
#   TARGET: config, results, report, callgrind, import_<format>, import_criterion_sample
#   (default: all; see tests/fuzz/README.md).
# Environment: CC (default clang), PG_FUZZ_BUILD (default build-fuzz),
# PG_FUZZ_FLAGS (more libFuzzer flags, e.g. "-max_len=65536").
#
# New inputs are kept in $PG_FUZZ_BUILD/corpus/<target> (the seeds in
# tests/fuzz/corpus are only read), crashes in $PG_FUZZ_BUILD/artifacts.
set -uo pipefail
FUZZ=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$FUZZ/../.." && pwd)
BUILD=${PG_FUZZ_BUILD:-$ROOT/build-fuzz}
if [ "${1:-}" = --runs ]; then
	RUNS=${2:-}
	shift 2 || true
	case $RUNS in '' | *[!0-9]*) echo "usage: $0 --runs N [TARGET...]" >&2; exit 2 ;; esac
	budget=(-runs="$RUNS" -seed=1) what="$RUNS inputs (seed 1)"
else
	SECONDS_EACH=${1:-60}
	shift || true
	case $SECONDS_EACH in '' | *[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;; esac
	budget=(-max_total_time="$SECONDS_EACH") what="${SECONDS_EACH}s"
fi

echo "== fuzz: building the targets in $BUILD"
mkdir -p "$BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER="${CC:-clang}" -DPERFGATE_FUZZ=ON \
	-DPERFGATE_TESTS=OFF -DPERFGATE_WERROR=ON > "$BUILD/build.log" 2>&1 &&
	cmake --build "$BUILD" --target fuzz -j "$(nproc)" -- --no-print-directory >> "$BUILD/build.log" 2>&1 ||
	{ cat "$BUILD/build.log" >&2; echo "fuzz: the build failed (log: $BUILD/build.log)" >&2; exit 2; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for bin in "$BUILD"/tests/fuzz/fuzz_*; do
		targets+=("${bin##*/fuzz_}")
	done
fi

# The target's dictionary, with the files its "# include: FILE" lines name.
dictionary() {
	local dict=$FUZZ/dict/$1.dict inc
	[ -f "$dict" ] || dict=$FUZZ/dict/json.dict
	sed -n 's/^# include: //p' "$dict" | while read -r inc; do cat "$FUZZ/dict/$inc"; done
	cat "$dict"
}

failed=()
for t in "${targets[@]}"; do
	bin=$BUILD/tests/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz: no target '$t' ($bin)" >&2; failed+=("$t"); continue; }
	work=$BUILD/run/$t corpus=$BUILD/corpus/$t artifacts=$BUILD/artifacts/$t
	mkdir -p "$work" "$corpus" "$artifacts"
	dictionary "$t" > "$work/dict"
	touch "$work/start"
	echo "== fuzz: $t for $what"
	# shellcheck disable=SC2086 # PG_FUZZ_FLAGS is a list of flags
	(cd "$work" && "$bin" -jobs=1 "${budget[@]}" -timeout=10 \
		-rss_limit_mb=2048 -dict="$work/dict" -artifact_prefix="$artifacts/" \
		-print_final_stats=1 ${PG_FUZZ_FLAGS:-} "$corpus" "$FUZZ/corpus/$t" > "$work/log" 2>&1)
	rc=$?
	grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^#[0-9]+.*DONE' \
		"$work/fuzz-0.log" | sed "s/^/  $t: /"
	if [ $rc -ne 0 ]; then
		failed+=("$t")
		cat "$work/fuzz-0.log" >&2
		find "$artifacts" -type f -newer "$work/start" | while read -r a; do
			echo "fuzz: $t: FOUND $a" >&2
			echo "fuzz: reproduce with: $bin $a" >&2
		done
	fi
done

if [ ${#failed[@]} -ne 0 ]; then
	echo "fuzz: FAILED: ${failed[*]} (inputs in $BUILD/artifacts; keep each under" \
	     "tests/fuzz/corpus/<target>/crash-* with a unit test once fixed)" >&2
	exit 1
fi
echo "fuzz: ${#targets[@]} targets ran $what each; nothing found"
