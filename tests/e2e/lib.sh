# lib.sh - shared by the end-to-end tests: a real git repository in a
# temporary directory, a benchmark whose cost is a committed file, and
# small assertions.  Each test script sources this file.
#
# The benchmark is a real process (`pg_testbench synth cost`, imported as
# perfgate harness output), but its samples are drawn from a seeded
# distribution around the committed cost: every severity, significance or
# step a test asserts is known by construction and cannot be flipped by a
# loaded machine.  Tests that measure real time (timeouts, failures,
# interrupts) assert only what load cannot change.  $PG_TESTBENCH_SEED
# (default 1) picks the noise; tests/stress.sh varies it.
set -u
: "${PERFGATE:?set PERFGATE to the perfgate binary}"
: "${PG_TESTBENCH:?set PG_TESTBENCH to the pg_testbench binary}"

export GIT_AUTHOR_NAME=perfgate-test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=perfgate-test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 PERFGATE_TESTBED=e2e-testbed
unset PERFGATE_TESTBED_OVERRIDE PG_TESTBENCH_SCALE PG_TESTBENCH_JITTER PG_TESTBENCH_SAMPLES
export PG_TESTBENCH_SEED=${PG_TESTBENCH_SEED:-1}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg-e2e-XXXXXX") || exit 1
WORK=$(cd "$WORK" && pwd -P)
trap 'rm -rf "$WORK"' EXIT
export PG_TESTBENCH_COUNTER="$WORK/testbench-counter"
# scratch checkouts and valgrind logs of this script only, so scripts
# running at the same time never see each other's
export TMPDIR="$WORK/tmp" && mkdir -p "$TMPDIR"
FAILS=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }

# synth_bench NAME: the JSON of a benchmark NAME whose one result, NAME/op
# (metric time_per_op), has 5 samples per invocation around the committed
# cost in ms with a 2 % standard deviation (see testbench.c).
synth_bench() {
	printf '{ "name": "%s", "command": ["%s", "synth", "cost"], "format": "perfgate" }' "$1" "$PG_TESTBENCH"
}

# new_repo DIR: a repository whose benchmark "sleepy" reports the committed
# file `cost` (ms) as its time: result sleepy/op, metric time_per_op.
new_repo() {
	local dir=$1
	mkdir -p "$dir" && cd "$dir" || exit 1
	git init -q -b main
	cat > perfgate.json <<JSON
{
  "window": 20, "min_history": 5,
  "benchmarks": [ $(synth_bench sleepy) ]
}
JSON
	echo .perfgate/ > .gitignore
	echo 50 > cost
	git add -A && git commit -qm "initial"
}

# commit_cost MS MESSAGE: commit a new cost.
commit_cost() {
	echo "$1" > cost
	git commit -qam "$2"
}

# pg ARGS...: runs perfgate, leaving stdout in $OUT, stderr in $ERR and the
# exit status in $RC.
pg() {
	"$PERFGATE" "$@" > "$WORK/out" 2> "$WORK/err"
	RC=$?
	OUT=$(<"$WORK/out")
	ERR=$(<"$WORK/err")
}

expect_rc() {
	if [ "$RC" -eq "$1" ]; then pass; else
		fail "$2: exit $RC, expected $1"; echo "--- stdout:"; echo "$OUT"; echo "--- stderr:"; echo "$ERR"
	fi
}

expect_in() { # expect_in HAYSTACK NEEDLE WHAT
	case "$1" in *"$2"*) pass ;; *) fail "$3: '$2' not found in:"; echo "$1" ;; esac
}

expect_not_in() {
	case "$1" in *"$2"*) fail "$3: '$2' unexpectedly found in:"; echo "$1" ;; *) pass ;; esac
}

# severity_of BENCH METRIC: the severity column of the term report in $OUT.
severity_of() {
	echo "$OUT" | awk -v b="$1" -v m="$2" '$1 == b && $2 == m { print $NF }'
}

finish() {
	echo "$PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
