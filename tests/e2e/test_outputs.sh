# test_outputs.sh - the files perfgate writes and reads around a run: a
# results file that cannot be written loses nothing (the run is stored
# first); a harness's "output" that is not a plain file (a FIFO, a link to
# /dev/zero, a huge sparse file) fails that benchmark with a clear reason,
# and the others still run.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
stored() { find .perfgate/history -name '*.json' 2>/dev/null | wc -l; }

# --- the results file is written after the run is stored -------------------
pg run -o "$WORK/no-such-dir/results.json"
expect_rc 3 "run -o into a missing directory"
expect_in "$ERR" "no-such-dir/results.json" "the error names the file"
expect_in "$OUT" "stored under" "the run is stored all the same"
[ "$(stored)" -eq 1 ] && pass || fail "run -o: $(stored) runs stored, expected 1"

pg check --results "$WORK/no-such-dir/results.json"
expect_rc 3 "check --results into a missing directory"
expect_in "$ERR" "no-such-dir/results.json" "the error names the file"
expect_in "$OUT" "sleepy/op" "the report is still written"
[ "$(stored)" -eq 2 ] && pass || fail "check --results: $(stored) runs stored, expected 2"

pg import --format gbench "$PG_FIXTURES/gbench.json" --name gb -o "$WORK/no-such-dir/r.json"
expect_rc 3 "import -o into a missing directory"
[ "$(stored)" -eq 3 ] && pass || fail "import -o: $(stored) runs stored, expected 3"

pg run -o "$WORK/results.json"; expect_rc 0 "run -o"
grep -q '"perfgate-run"' "$WORK/results.json" && pass || fail "run -o wrote the results"

# --- -o, --report-json and --results never replace what is not a file ---------
# a FIFO (read by a background cat) is written to, and stays a FIFO
mkfifo "$WORK/fifo"
timeout 60 cat "$WORK/fifo" > "$WORK/from-fifo" &
reader=$!
pg compare --fail-on never -f json -o "$WORK/fifo"; expect_rc 0 "compare -o FIFO"
[ -p "$WORK/fifo" ] && pass || { fail "the FIFO was replaced"; kill "$reader"; }
wait "$reader"
grep -q '"perfgate-report"' "$WORK/from-fifo" && pass || fail "the report went through the FIFO"
# a symbolic link to a file stays a link, to the rewritten file
echo old > "$WORK/real.json"
ln -s real.json "$WORK/link.json"
pg compare --fail-on never --report-json "$WORK/link.json"; expect_rc 0 "--report-json to a link"
[ -L "$WORK/link.json" ] && pass || fail "the link was replaced"
grep -q '"perfgate-report"' "$WORK/real.json" && pass || fail "the linked file has the report"
ls "$WORK" | grep -q 'tmp-' && fail "a temporary file was left" || pass
# /proc/self/fd/1 (what /dev/stdout links to) on a pipe
"$PERFGATE" compare --fail-on never -f json -o /proc/self/fd/1 2> "$WORK/err" | cat > "$WORK/piped"
grep -q '"perfgate-report"' "$WORK/piped" && pass || fail "-o /proc/self/fd/1: $(cat "$WORK/err")"
# a character device, as /dev/null is (root only: mknod)
if [ "$(id -u)" -eq 0 ] && mknod "$WORK/null" c 1 3 2>/dev/null; then
	pg run -q -o "$WORK/null"; expect_rc 0 "run -o to a character device"
	[ -c "$WORK/null" ] && pass || fail "the character device was replaced by a file"
else
	echo "skipped: the character device (needs root)"
fi

# --- a harness's "output" that is not a plain file ----------------------------
# Each benchmark leaves something in place of its gbench output: reading it
# must neither block (a FIFO), nor run out of memory (/dev/zero, a huge
# sparse file), nor follow a link; the benchmark fails with a clear reason
# and the others still run.
bench() { # bench NAME SHELL-COMMAND: a gbench benchmark with "output"
	printf '{ "name": "%s", "command": ["sh", "-c", "%s"], "format": "gbench", "output": "%s.json", "warmup": 0, "runs": 1, "timeout": 30 }' "$1" "$2" "$1"
}
cat > perfgate.json <<JSON
{ "benchmarks": [ $(synth_bench sleepy),
  $(bench fifo "mkfifo fifo.json"),
  $(bench zero "ln -s /dev/zero zero.json"),
  $(bench huge "truncate -s 300M huge.json"),
  $(bench link "cp $PG_FIXTURES/gbench.json real.json; ln -s real.json link.json"),
  $(bench good "cp $PG_FIXTURES/gbench.json good.json") ] }
JSON
printf '.perfgate/\n*.json\n!perfgate.json\n' > .gitignore
git add -A && git commit -qm "outputs that are not plain files"
start=$(date +%s)
timeout 120 "$PERFGATE" run --no-store > "$WORK/out" 2> "$WORK/err"; RC=$?
OUT=$(<"$WORK/out"); ERR=$(<"$WORK/err")
elapsed=$(( $(date +%s) - start ))
expect_rc 1 "run with outputs that are not plain files"
[ "$elapsed" -lt 60 ] && pass || fail "run took ${elapsed}s: reading an output blocked"
expect_in "$OUT" "fifo: FAILED: run 1/1: cannot import gbench results: $WORK/repo/fifo.json: is a FIFO, not a plain file" "FIFO"
expect_in "$OUT" "zero: FAILED: run 1/1: cannot import gbench results: $WORK/repo/zero.json: is a symbolic link" "link to /dev/zero"
expect_in "$OUT" "huge: FAILED: run 1/1: cannot import gbench results: $WORK/repo/huge.json: is larger than 256 MiB" "huge sparse file"
expect_in "$OUT" "link: FAILED: run 1/1: cannot import gbench results: $WORK/repo/link.json: is a symbolic link" "link to a file"
expect_in "$OUT" "good/BM_" "the plain output is read"
expect_in "$OUT" "sleepy/op: time_per_op" "the other benchmarks still run"
expect_not_in "$ERR" "out of memory" "nothing aborts"

# criterion's directory: benchmark.json beside sample.json is read the same way
sample=$(find "$PG_FIXTURES/criterion-dir" -path '*/new/sample.json' | head -n 1)
cat > perfgate.json <<JSON
{ "benchmarks": [ $(synth_bench sleepy),
  { "name": "crit", "command": ["sh", "-c", "d=target/criterion/x/new; mkdir -p \$d; cp $sample \$d/; mkfifo \$d/benchmark.json"],
    "format": "criterion", "output": "target/criterion", "warmup": 0, "runs": 1, "timeout": 30 } ] }
JSON
git commit -qam "criterion with a FIFO benchmark.json"
timeout 120 "$PERFGATE" run --no-store > "$WORK/out" 2> "$WORK/err"; RC=$?
OUT=$(<"$WORK/out"); ERR=$(<"$WORK/err")
expect_rc 1 "criterion with a FIFO benchmark.json"
expect_in "$OUT" "benchmark.json: is a FIFO, not a plain file" "criterion's benchmark.json"
expect_in "$OUT" "sleepy/op: time_per_op" "the other benchmarks still run"

finish
