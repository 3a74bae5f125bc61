# test_import_auto.sh - "format": "auto" in perfgate.json (stdout and an
# output file), `perfgate import --format auto` over files of several
# formats, the error when no format or two formats read a file, and a
# wrong --format that names the right one.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1
: "${PG_FIXTURES:?}"

new_repo "$WORK/repo"
cat > perfgate.json <<JSON
{ "benchmarks": [
  { "name": "jvm", "command": ["cat", "$PG_FIXTURES/jmh/jmh-1.37.json"], "format": "auto" },
  { "name": "api", "command": ["cp", "$PG_FIXTURES/k6/summary-export.json", "k6-out.json"],
    "format": "auto", "output": "k6-out.json" },
  { "name": "js", "command": ["cat", "$PG_FIXTURES/vitest/vitest-2.1.9.json"], "format": "vitest" }
] }
JSON
printf 'k6-out.json\n' >> .gitignore
git add -A && git commit -qm "auto formats"
pg run; expect_rc 0 "run with format auto"
expect_in "$OUT" "jvm/org.example.ListBench.add: time_per_op" "JMH detected on stdout"
expect_in "$OUT" "api/load: latency_p50" "k6 detected in the output file"
expect_in "$OUT" "js/bench/sample.bench.ts > fib > fib(10): time_per_op" "vitest named"
pg history "api/load" --metric latency_p95; expect_rc 0 "history of a k6 result"

# a command whose output no format reads: that benchmark fails, with the reasons
cat > junk.json <<JSON
{ "benchmarks": [ { "name": "junk", "command": ["echo", "hello"], "format": "auto" } ] }
JSON
pg run -c junk.json --no-store; expect_rc 1 "no format reads it"
expect_in "$OUT" "junk: FAILED: run 1/1: cannot import auto results: stdout: --format auto: no format reads it" "auto failure explained"
expect_in "$OUT" "jmh: it is text, not JSON (it starts 'hello')" "each format's reason"

# perfgate import --format auto: each file its own format, all or nothing
pg import --format auto "$PG_FIXTURES/gotest.txt" "$PG_FIXTURES/benchmarkdotnet/Md5VsSha256-report-full.json" --name mixed
expect_rc 0 "import two formats with auto"
expect_in "$OUT" "imported 8 results from 2 files" "both files"
stored=$(find .perfgate/history -name '*.json' | wc -l)
pg import --format auto "$PG_FIXTURES/jmh/jmh-1.37.json" "$PG_FIXTURES/gab/custom-bigger.json"
expect_rc 3 "two formats read the gab file"
expect_in "$ERR" "custom-bigger.json: --format auto: 2 formats read it (gab, gab-bigger)" "several formats named"
now=$(find .perfgate/history -name '*.json' | wc -l)
[ "$now" -eq "$stored" ] && pass || fail "a failed auto import stored something"
pg import --format gab-bigger "$PG_FIXTURES/gab/custom-bigger.json" --no-store
expect_rc 0 "gab-bigger reads it"
pg import --format jmh "$PG_FIXTURES/k6/summary-export.json" --no-store
expect_rc 3 "wrong format"
expect_in "$ERR" "(it looks like k6 output: use --format k6)" "the right format named"
finish
