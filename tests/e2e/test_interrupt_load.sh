# test_interrupt_load.sh - a SIGTERM (or Ctrl-C) that arrives while
# perfgate.json is being read stops perfgate there with status 130, instead
# of being noticed only once the command is over.  The config comes through
# a FIFO, so the signal lands mid-load whatever this machine's speed.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
mkfifo "$WORK/config.fifo"
for sig in TERM INT; do
	exec 3<> "$WORK/config.fifo" # a writer, so perfgate's open does not block
	"$PERFGATE" compare -c "$WORK/config.fifo" > "$WORK/out" 2> "$WORK/err" 3>&- &
	pid=$!
	# wait until perfgate itself has the FIFO open (it then blocks reading
	# it): after the exec (the forked shell briefly holds fd 3 on it too)
	for _ in $(seq 1 600); do
		[ "$(cat /proc/$pid/comm 2> /dev/null)" = perfgate ] &&
			ls -l /proc/$pid/fd 2> /dev/null | grep -q config.fifo && break
		sleep 0.05
	done
	kill -$sig $pid
	sleep 0.2 # the handler runs; perfgate is still reading
	printf '{ "benchmarks": [ { "name": "a", "command": "true" } ] }' >&3
	exec 3>&-
	wait $pid; RC=$?; OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
	expect_rc 130 "SIG$sig while reading the config"
	expect_in "$ERR" "interrupted" "SIG$sig message"
done
finish
