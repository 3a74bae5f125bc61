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

finish
