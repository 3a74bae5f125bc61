# test_guard_group.sh - after kill -9 of perfgate, the guardian kills the
# benchmark's process group even where it cannot see perfgate's token:
# processes in the group started with an empty environment (env -i) are
# found only through the group perfgate told the guardian to watch (now
# written into a page they share, read by the guardian once perfgate is
# gone).  Waits poll with generous bounds.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
count() { pgrep -f "hang $WORK/$1\$" | wc -l; }
hang() { echo "env -i $PG_TESTBENCH hang $WORK/$1"; }
cat > perfgate.json <<JSON
{ "benchmarks": [ { "name": "scrubbed", "command": "$(hang g) & $(hang g) & wait",
                    "runs": 2, "warmup": 0, "timeout": 120 } ] }
JSON
"$PERFGATE" run > "$WORK/out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do [ "$(count g)" -ge 2 ] && break; sleep 0.1; done
if [ "$(count g)" -ge 2 ]; then
	kill -9 "$pid"
	wait "$pid" 2> /dev/null
	for _ in $(seq 1 300); do [ "$(count g)" -eq 0 ] && break; sleep 0.1; done
	[ "$(count g)" -eq 0 ] && pass || fail "$(count g) processes without the token survived kill -9"
else
	fail "the benchmark did not start: $(cat "$WORK/out")"; kill -9 "$pid"
fi
for p in $(pgrep -f "hang $WORK/g\$"); do kill -9 "$p" 2> /dev/null; done
finish
