# test_interrupt.sh - Ctrl-C (SIGINT) during a run stops the benchmark's
# whole process group, stores nothing, and exits 130.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
cat > perfgate.json <<JSON
{ "benchmarks": [ { "name": "long", "command": "$PG_TESTBENCH hang $WORK & $PG_TESTBENCH hang $WORK",
                    "runs": 3, "timeout": 60 } ] }
JSON
git commit -qam "a long benchmark"
"$PERFGATE" run > "$WORK/out" 2> "$WORK/err" &
pid=$!
# wait until the benchmark really runs (however slow this machine is)
for _ in $(seq 1 600); do pgrep -f "$PG_TESTBENCH hang $WORK" > /dev/null && break; sleep 0.1; done
kill -INT $pid
wait $pid; RC=$?; OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
expect_rc 130 "interrupted run"
expect_in "$ERR" "interrupted; nothing was stored" "interrupt message"
[ ! -d .perfgate/history ] || [ -z "$(find .perfgate/history -name '*.json')" ] && pass || fail "something was stored"
sleep 0.3
left=$(pgrep -f "$PG_TESTBENCH hang $WORK" | wc -l)
[ "$left" -eq 0 ] && pass || fail "$left benchmark processes survived the interrupt"
finish
