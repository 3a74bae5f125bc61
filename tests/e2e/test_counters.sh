# test_counters.sh - measurements a gate can trust: instruction counts that
# are identical run to run and scale with the work, labelled with their
# source (perf or valgrind), clear errors when no source is available,
# adaptive runs, CPU pinning, environment capture and `perfgate noise`.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
echo 1 > work1 && echo 2 > work2
cat > perfgate.json <<JSON
{ "environment": { "shell": "echo hello from the environment" },
  "benchmarks": [
  { "name": "spin1", "command": ["$PG_TESTBENCH", "spin", "work1"], "runs": 3, "warmup": 0,
    "metrics": ["wall_time", "instructions"] },
  { "name": "spin2", "command": ["$PG_TESTBENCH", "spin", "work2"], "runs": 3, "warmup": 0,
    "metrics": ["instructions"], "cpu": 0 } ] }
JSON
git add -A && git commit -qm "spin benchmarks"

# which source does this machine have?
if PERFGATE_COUNTERS=perf "$PERFGATE" run --no-store -q 2>/dev/null; then src=perf; else src=valgrind; fi
echo "instruction counts here come from: $src"

pg run --output "$WORK/r.json"; expect_rc 0 "run with instruction counts"
doc=$(cat "$WORK/r.json")
expect_in "$doc" "\"unit\": \"instr@$src\"" "the source is recorded in the unit"
expect_in "$doc" '"shell": "hello from the environment"' "environment command recorded"
expect_in "$doc" '"pinned": {' "pinning recorded"
expect_in "$doc" '"spin2": 0' "spin2 pinned to CPU 0"
# identical across runs, and 2x the loop is ~2x the instructions
read -r a b c d e f < <(python3 - "$WORK/r.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
s = {b["name"]: b["metrics"]["instructions"]["samples"] for b in doc["benchmarks"]}
print(*(s["spin1"] + s["spin2"]))
PY
)
if [ "$src" = valgrind ]; then
	[ "$a" = "$b" ] && [ "$b" = "$c" ] && [ "$d" = "$e" ] && [ "$e" = "$f" ] && pass ||
		fail "valgrind counts differ run to run: $a $b $c / $d $e $f"
else
	awk -v a="$a" -v b="$b" 'BEGIN { exit !((a - b) ^ 2 < (a * 0.001) ^ 2) }' && pass ||
		fail "perf counts differ by more than 0.1%: $a $b"
fi
awk -v a="$a" -v d="$d" 'BEGIN { r = d / a; exit !(r > 1.9 && r < 2.1) }' && pass ||
	fail "2x the work gave $d / $a instructions"
expect_in "$(pg history spin1 --metric instructions; echo "$OUT")" "instr ($src)" "history shows the source"

# forcing a source
PERFGATE_COUNTERS=valgrind pg run --no-store --output "$WORK/v.json"
expect_rc 0 "forced valgrind"
expect_in "$(cat "$WORK/v.json")" '"unit": "instr@valgrind"' "valgrind labelled"
PERFGATE_COUNTERS=none pg run --no-store
expect_rc 3 "counts forced unavailable"
expect_in "$ERR" "benchmark 'spin1': instruction counts are disabled (\$PERFGATE_COUNTERS=none)" "clear error"
[ -z "$OUT" ] && pass || fail "something ran although counts were unavailable"
if [ "$src" = valgrind ]; then
	PERFGATE_COUNTERS=perf pg run --no-store; expect_rc 3 "perf forced where there is none"
	expect_in "$ERR" "PERFGATE_COUNTERS=perf, but" "perf problem named"
	mkdir -p "$WORK/bin" && ln -sf "$(command -v git)" "$WORK/bin/git"
	PATH="$WORK/bin" pg run --no-store; expect_rc 3 "no perf and no valgrind"
	expect_in "$ERR" "valgrind is not installed (apt-get install valgrind)" "what to install"
	sed -i 's/"metrics": \["instructions"\]/"metrics": ["cycles"]/' perfgate.json
	pg run --no-store; expect_rc 3 "cycles without perf"
	expect_in "$ERR" "\"cycles\" needs hardware counters" "cycles explained"
	git checkout -q perfgate.json
fi

# pinning to a CPU that does not exist fails that benchmark clearly
cat > pin.json <<JSON
{ "benchmarks": [ { "name": "pinned", "command": ["true"], "cpu": 1023, "runs": 1 } ] }
JSON
pg run -c pin.json --no-store; expect_rc 1 "impossible pinning"
expect_in "$OUT" "could not pin to the CPU" "pinning failure explained"

# adaptive runs on real processes.  When to stop is a statistical decision,
# tested on seeded samples (unit test_stats, median_precise); here only what
# load cannot flip: at least min_runs, and max_time bounds the measuring.
cat > auto.json <<JSON
{ "benchmarks": [ { "name": "steady", "command": ["$PG_TESTBENCH", "sleep", "cost"], "runs": "auto",
                    "precision": 1, "min_runs": 7, "max_time": 20, "metrics": ["wall_time"] } ] }
JSON
echo 5 > cost
pg run -c auto.json --no-store --output "$WORK/a.json"; expect_rc 0 "adaptive runs"
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['benchmarks'][0]['metrics']['wall_time']['samples']))" "$WORK/a.json")
[ "$n" -ge 7 ] && pass || fail "adaptive runs took $n samples, fewer than min_runs"
cat > auto2.json <<JSON
{ "benchmarks": [ { "name": "noisy", "command": ["$PG_TESTBENCH", "sleep", "cost"], "runs": "auto",
                    "precision": 0.01, "min_runs": 3, "max_time": 1, "metrics": ["wall_time"] } ] }
JSON
start=$(date +%s)
PG_TESTBENCH_JITTER=0.2 pg run -c auto2.json --no-store; expect_rc 0 "adaptive runs hit max_time"
# one second of measuring, then stop: even a sanitizer build under load
# stays far inside a minute
[ $(( $(date +%s) - start )) -lt 60 ] && pass || fail "max_time was not honoured"

# noise report, with outliers counted and kept
for i in 1 2 3 4 5; do git commit -q --allow-empty -m "n$i"; pg run -q; done
pg noise spin1; expect_rc 0 "noise report"
expect_in "$OUT" "cv history" "noise table"
expect_in "$OUT" "spin1" "the benchmark asked for"
expect_not_in "$OUT" "spin2 " "only that benchmark"
pg compare --format json; expect_in "$OUT" '"mdc_pct"' "mdc in the JSON report"
expect_in "$OUT" '"outliers"' "outliers in the JSON report"
finish
