# test_terminal.sh - perfgate on a terminal (a pseudo-terminal that
# python3 drives): benchmarks cannot take it.  `stty raw -echo </dev/tty`
# fails at once (a benchmark has no controlling terminal) instead of
# stopping; a program that ignores SIGTTOU and grabs /dev/tty gets
# nothing; one that opens the terminal by its name and makes it raw has
# the modes put back after its run; and Ctrl-C typed on the terminal
# afterwards still stops perfgate (exit 130).  The waits poll with
# generous bounds; nothing depends on this machine's speed.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
python3 - "$PERFGATE" "$PG_TESTBENCH" "$WORK" > "$WORK/py" 2>&1 <<'PY'
import json, os, select, signal, subprocess, sys, termios, time

perfgate, testbench, work = sys.argv[1:4]
master, slave = os.openpty()
tty = os.ttyname(slave)
failures = []
LFLAGS = termios.ECHO | termios.ICANON | termios.ISIG

def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)

STTY = {"name": "stty", "command": "stty raw -echo </dev/tty", "runs": 1, "warmup": 0,
        "timeout": 60}
GRAB = {"name": "grab", "command": [testbench, "grab-tty", "/dev/tty"], "runs": 1, "warmup": 0}
BY_NAME = {"name": "grab-by-name", "command": [testbench, "grab-tty", tty], "runs": 1,
           "warmup": 0}
LONG = {"name": "long", "command": [testbench, "hang", work + "/long"], "runs": 1, "warmup": 0,
        "timeout": 120}

def start(benchmarks):
    """perfgate run, in a session whose controlling terminal is the pty."""
    with open("perfgate.json", "w") as f:
        json.dump({"benchmarks": benchmarks}, f)
    pid = os.fork()
    if pid == 0:
        import fcntl
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.execv(perfgate, [perfgate, "run"])
    return pid

output = b""
def pump(pid, seconds):
    """Reads the terminal for up to `seconds`; perfgate's exit status, or
    None if it still runs."""
    global output
    end = time.monotonic() + seconds
    while True:
        if select.select([master], [], [], 0.1)[0]:
            output += os.read(master, 65536)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            while select.select([master], [], [], 0.1)[0]:
                output += os.read(master, 65536)
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= end:
            return None

def stop(pid):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

def long_runs():
    return subprocess.run(["pgrep", "-f", "hang " + work + "/long$"],
                          stdout=subprocess.DEVNULL).returncode == 0

before = termios.tcgetattr(slave)
check(before[3] & LFLAGS == LFLAGS, "the terminal starts with echo, canonical mode and signals")

# 1. the benchmarks that try to take the terminal, to the end
pid = start([STTY, GRAB, BY_NAME])
status = pump(pid, 120)
check(status == 1, "a run with failing benchmarks exits 1 (got %s)" % status)
if status is None:
    stop(pid)
text = output.decode("utf-8", "replace")
check(termios.tcgetattr(slave) == before, "the modes are as they were after the run")
check("stty: FAILED: run 1/1 exited with status" in text and "/dev/tty" in text,
      "stty on /dev/tty fails at once (it cannot open it)")
check("grab: FAILED: run 1/1 exited with status 3: pg_testbench: cannot open /dev/tty" in text,
      "a benchmark cannot open /dev/tty")
check("grab-by-name: wall_time" in text, "the terminal opened by name was measured")

# 2. Ctrl-C after a benchmark made the terminal raw and tried to take it
output = b""
pid = start([GRAB, BY_NAME, LONG])
status = None
deadline = time.monotonic() + 120
while status is None and not long_runs() and time.monotonic() < deadline:
    status = pump(pid, 0.2)
check(status is None and long_runs(), "perfgate reaches the last benchmark")
if status is None:
    check(termios.tcgetattr(slave) == before, "the modes are back after the run that changed them")
    os.write(master, b"\x03")  # Ctrl-C, as typed
    status = pump(pid, 60)
    check(status == 130, "Ctrl-C stops perfgate (exit %s, expected 130)" % status)
    if status is None:
        stop(pid)
check(termios.tcgetattr(slave) == before, "the modes are as they were after the interrupt")
if failures:
    print("--- perfgate's terminal output:\n" + text + output.decode("utf-8", "replace"))
sys.exit(1 if failures else 0)
PY
rc=$?
[ "$rc" -eq 0 ] && pass || fail "terminal checks: $(cat "$WORK/py")"
finish
