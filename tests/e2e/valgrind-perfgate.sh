#!/bin/sh
# valgrind-perfgate.sh - runs the real perfgate ($PERFGATE_REAL) under
# memcheck, for the valgrind_* tests: any memory error or definite leak
# makes perfgate exit 99, which no end-to-end expectation accepts.
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	"$PERFGATE_REAL" "$@"
