# test_processes.sh - benchmark processes never outlive perfgate, whether
# it finishes, times a benchmark out, is interrupted or is killed with
# SIGKILL, even when they start grandchildren, call setsid() or
# double-fork a daemon; the guardian that covers SIGKILL holds nothing of
# perfgate's and goes away with it; benchmarks (and builds) see no
# descriptor of perfgate's but 0, 1 and 2, under run, check --ab and
# bisect.  Every process is marked by $WORK in its command line; waits
# poll with generous bounds, and no assertion depends on this machine's
# speed.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
# a process marked by $1, and how many run (a shell running them ends its
# command line otherwise, so it is not counted)
hang() { echo "$PG_TESTBENCH hang $WORK/$1"; }
count() { pgrep -f "hang $WORK/$1\$" | wc -l; }
# started MARK N: waits (up to 60 s) for N processes marked MARK
started() {
	for _ in $(seq 1 600); do [ "$(count "$1")" -ge "$2" ] && return 0; sleep 0.1; done
	return 1
}
# gone MARK: waits (up to 30 s) until no process marked MARK is left
gone() {
	for _ in $(seq 1 300); do [ "$(count "$1")" -eq 0 ] && return 0; sleep 0.1; done
	return 1
}
bench() { # bench NAME COMMAND [TIMEOUT]: perfgate.json with one shell benchmark
	cat > perfgate.json <<JSON
{ "benchmarks": [ { "name": "$1", "command": "$2", "runs": 2, "warmup": 0, "timeout": ${3:-120} } ] }
JSON
}
# what escapes the process group: a session of its own, a double fork
escapes() { echo "setsid $(hang "$1") & ( setsid $(hang "$1") & )"; }

# --- kill -9 while grandchildren run in the benchmark's process group
bench group "$(hang k1) & $(hang k1) & $(hang k1) & wait"
"$PERFGATE" run > "$WORK/out" 2>&1 &
pid=$!
if started k1 3; then
	guard=$(pgrep -P "$pid" -x perfgate-guard)
	# the guardian: its own group, only its socket and /dev/null
	[ -n "$guard" ] && [ "$(ps -o pgid= -p "$guard" | tr -d ' ')" = "$guard" ] && pass ||
		fail "no guardian in a process group of its own (pid '$guard')"
	# (valgrind keeps descriptors of its own at the top of the range)
	fds=$(cd "/proc/$guard/fd" 2>/dev/null && for f in *; do
		[ "$f" -lt 1024 ] && echo "$f $(readlink "$f")"; done)
	expected=$(printf '0 /dev/null\n1 /dev/null\n2 /dev/null\n3 socket:')
	[ "$(echo "$fds" | sed 's/socket:.*/socket:/')" = "$expected" ] && pass ||
		fail "the guardian holds other descriptors: $fds"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	gone k1 && pass || fail "$(count k1) grandchildren survived kill -9 of perfgate"
	for _ in $(seq 1 300); do [ -d "/proc/$guard" ] || break; sleep 0.1; done
	[ ! -d "/proc/$guard" ] && pass || fail "the guardian outlived its clean-up"
else
	fail "the benchmark did not start: $(cat "$WORK/out")"; kill -9 "$pid"
fi

# --- kill -9 while processes that left the group run (setsid, daemon)
bench escape "$(escapes k2); $(hang k2) & wait"
"$PERFGATE" run > "$WORK/out" 2>&1 &
pid=$!
if started k2 3; then
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	gone k2 && pass || fail "$(count k2) escaped processes survived kill -9 of perfgate"
else
	fail "the benchmark did not start: $(cat "$WORK/out")"; kill -9 "$pid"
fi

# --- a benchmark that leaves daemons behind and exits: they are gone by
# the time perfgate is (no waiting: perfgate reaped them), the result counts
bench daemons "$(escapes d) ; $(hang d) & exit 0"
pg run
expect_rc 0 "a benchmark leaving daemons behind"
expect_in "$OUT" "daemons: wall_time" "its result is recorded"
[ "$(count d)" -eq 0 ] && pass || fail "$(count d) daemons outlived perfgate"

# --- timeout: the group and what escaped it are killed
bench slow "$(escapes t); $(hang t) & wait" 0.5
pg run
expect_rc 1 "a benchmark that times out"
expect_in "$OUT" "slow: FAILED: run 1/2 timed out after 0.5s" "timeout reported"
[ "$(count t)" -eq 0 ] && pass || fail "$(count t) processes outlived a timed-out run"

# --- Ctrl-C: the same
bench long "$(escapes i); $(hang i) & wait"
"$PERFGATE" run > "$WORK/out" 2> "$WORK/err" &
pid=$!
if started i 3; then
	kill -INT "$pid"
	wait "$pid"; RC=$?
	expect_rc 130 "interrupted run"
	[ "$(count i)" -eq 0 ] && pass || fail "$(count i) processes outlived the interrupt"
else
	fail "the benchmark did not start: $(cat "$WORK/err")"; kill -9 "$pid"
fi

# --- the guardian exits with perfgate (marked by perfgate's environment)
bench quick "true"
PG_E2E_MARK=$WORK "$PERFGATE" run -q > /dev/null 2>&1 < /dev/null
mine() { for g in $(pgrep -x perfgate-guard); do
	grep -qzx "PG_E2E_MARK=$WORK" "/proc/$g/environ" 2>/dev/null && echo "$g"; done; }
for _ in $(seq 1 300); do [ -z "$(mine)" ] && break; sleep 0.1; done
[ -z "$(mine)" ] && pass || fail "a guardian outlived perfgate: $(mine)"

# --- descriptors: a benchmark sees only 0, 1 and 2 (pg_testbench fds fails
# and lists the others otherwise), under run, check --ab and bisect
cat > perfgate.json <<JSON
{ "benchmarks": [ { "name": "fds", "command": ["$PG_TESTBENCH", "fds"], "runs": 2, "warmup": 0 } ] }
JSON
git add perfgate.json && git commit -qm "fds benchmark"
pg run
expect_rc 0 "a benchmark that checks its descriptors"
expect_not_in "$OUT$ERR" "inherited descriptors" "run: only 0, 1, 2"
git checkout -q -b pr && git commit -q --allow-empty -m "pr"
pg check --ab --pairs 11 --no-store
expect_not_in "$OUT$ERR" "inherited descriptors" "check --ab: only 0, 1, 2"
expect_not_in "$OUT$ERR" "FAILED" "check --ab: nothing failed"
expect_in "$OUT" "fds" "check --ab measured the benchmark"
pg bisect --good main --bad pr --bench fds --runs 2 --build "$PG_TESTBENCH fds"
expect_not_in "$OUT$ERR" "inherited descriptors" "bisect (and its build): only 0, 1, 2"
expect_not_in "$OUT$ERR" "build failed" "bisect's build ran"
finish
