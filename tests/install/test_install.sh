# test_install.sh - the installed micro-benchmark harness, used the way a
# project uses it: `cmake --install` into a temporary prefix, the tree then
# moved elsewhere (the pkg-config file and the CMake package must follow
# it), a tiny benchmark built against it once with pkg-config and once with
# find_package(perfgate-bench 0.1) in a throwaway CMake project, both run.
# The benchmark overwrites its counter's name buffer after
# pg_bench_counter() returns: the JSON must still carry the right name.
# Run by ctest (install_bench) with $PG_BUILD_DIR, $CMAKE, $CC and
# $PG_SANITIZE_FLAGS (the sanitizer flags the build used, or empty).
set -u
: "${PG_BUILD_DIR:?set PG_BUILD_DIR to the build directory}"
: "${CMAKE:=cmake}" "${CC:=cc}" "${PG_SANITIZE_FLAGS:=}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg-install-XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
FAILS=0 PASSES=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }
run() { # run LOG CMD...: CMD's output in LOG, shown when it fails
	local log=$1; shift
	"$@" > "$log" 2>&1 && return 0
	echo "--- $*:"; cat "$log"; return 1
}

run "$WORK/install.log" "$CMAKE" --install "$PG_BUILD_DIR" --prefix "$WORK/stage" || exit 1
mv "$WORK/stage" "$WORK/moved"
PREFIX=$WORK/moved
pc=$(find "$PREFIX" -name perfgate-bench.pc)
[ -n "$pc" ] && pass || { fail "perfgate-bench.pc not installed"; exit 1; }
find "$PREFIX" -name perfgate-bench-config-version.cmake | grep -q . && pass ||
	fail "no CMake package version file"

mkdir -p "$WORK/src"
cat > "$WORK/src/bench.c" <<'C'
#include <perfgate/bench.h>
#include <string.h>

char counter_name[16]; /* the benchmark's buffer, reused once the call returns */

PG_BENCH(named)
{
	uint64_t x = 0;
	PG_BENCH_LOOP(st) {
		pg_bench_opaque(x);
		x++;
	}
	strcpy(counter_name, "widgets");
	pg_bench_counter(st, counter_name, 3);
	strcpy(counter_name, "overwritten");
}

PG_BENCH_MAIN()
C

check_output() { # check_output HOW JSON
	case "$2" in *'"widgets_per_second": ['*) pass ;; *) fail "$1: no widgets_per_second in: $2" ;; esac
	case "$2" in *overwritten*) fail "$1: the counter took the overwritten name: $2" ;; *) pass ;; esac
	case "$2" in *'"name": "named"'*) pass ;; *) fail "$1: benchmark 'named' missing: $2" ;; esac
}

# pkg-config, through the moved prefix
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir perfgate-bench)
incdir=$(pkg-config --variable=includedir perfgate-bench)
[ -f "$incdir/perfgate/bench.h" ] && [ -f "$libdir/libperfgate_bench.a" ] && pass ||
	fail "pkg-config points at '$incdir' and '$libdir', not into $PREFIX"
# shellcheck disable=SC2046,SC2086
if run "$WORK/cc.log" "$CC" $PG_SANITIZE_FLAGS -o "$WORK/bench_pc" "$WORK/src/bench.c" \
	$(pkg-config --cflags --libs perfgate-bench); then
	out=$(LD_LIBRARY_PATH=$libdir "$WORK/bench_pc" --format json --min-time 0.001 --repetitions 2)
	[ $? -eq 0 ] && pass || fail "the pkg-config build failed to run"
	check_output pkg-config "$out"
else
	fail "build with pkg-config"
fi

# find_package: the version file accepts 0.1 and refuses 99
cat > "$WORK/src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(tiny C)
find_package(perfgate-bench 99 QUIET)
if(perfgate-bench_FOUND)
  message(FATAL_ERROR "perfgate-bench ${perfgate-bench_VERSION} accepted a request for 99")
endif()
find_package(perfgate-bench 0.1 REQUIRED)
message(STATUS "perfgate-bench version ${perfgate-bench_VERSION}")
add_executable(tiny bench.c)
target_link_libraries(tiny PRIVATE perfgate::perfgate_bench)
CMAKE
if run "$WORK/cmake.log" "$CMAKE" -S "$WORK/src" -B "$WORK/tiny" -DCMAKE_PREFIX_PATH="$PREFIX" \
	-DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$PG_SANITIZE_FLAGS" \
	-DCMAKE_EXE_LINKER_FLAGS="$PG_SANITIZE_FLAGS" &&
	run "$WORK/build.log" "$CMAKE" --build "$WORK/tiny"; then
	grep -q "perfgate-bench version [0-9]" "$WORK/cmake.log" && pass || fail "no version found"
	out=$("$WORK/tiny/tiny" --format json --min-time 0.001 --repetitions 2)
	[ $? -eq 0 ] && pass || fail "the find_package build failed to run"
	check_output find_package "$out"
else
	fail "build with find_package"
fi

echo "$PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
