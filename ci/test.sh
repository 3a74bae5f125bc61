#!/usr/bin/env bash
# ci/test.sh - installs the dependencies, builds perfgate with warnings as
# errors, and runs every test: once in a normal build (where four
# end-to-end scripts also run with perfgate under valgrind's memcheck),
# once under AddressSanitizer + UndefinedBehaviorSanitizer; then fuzzes
# every parser with a fixed seed (tests/fuzz/run.sh --runs; clang, libFuzzer).
# This is what CI runs.
set -euo pipefail
. "$(dirname "$0")/deps.sh"
pg_install_deps

cd "$PG_ROOT"
# each stage's start, in seconds since the script began (the suite's budget is 10 minutes)
stage() { echo "== $* (at ${SECONDS}s)"; }
stage "build (RelWithDebInfo, -Werror)"
pg_build build
stage "tests"
(cd build && ctest --output-on-failure -j 2)

stage "build (ASan + UBSan)"
pg_build build-asan -DCMAKE_BUILD_TYPE=Debug -DPERFGATE_SANITIZE=ON
stage "tests under ASan + UBSan"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j 2)

# A fixed number of inputs from a fixed seed per target, so that the stage
# gives the same answer on any machine (a time budget would explore further
# on a fast one); 4,000 inputs each (the slowest target, import_auto,
# tries every importer per input), the stage about 2 minutes with its build
# on 2 cores, the whole script under 10 minutes.  Any crash, leak, timeout or sanitizer report fails it, naming the
# input and the command that reproduces it.
stage "fuzz (libFuzzer + ASan + UBSan, every parser)"
"$PG_ROOT/tests/fuzz/run.sh" --runs "${PG_FUZZ_RUNS:-4000}"
stage "done"
