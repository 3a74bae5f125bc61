# test_micro.sh - micro benchmarks in perfgate.json: perfgate's own harness
# ("format": "perfgate"), other harnesses' output on stdout or in a file,
# a tool whose output is not in its format, criterion's target/criterion
# directory, `perfgate import`, and A/B on
# a harness benchmark.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1
: "${PG_FIXTURES:?}" "${PG_HARNESS_BENCH:?}"

new_repo "$WORK/repo"
cat > perfgate.json <<JSON
{ "benchmarks": [
  { "name": "micro", "command": ["$PG_HARNESS_BENCH", "--format", "json", "--min-time", "0.005",
                                 "--repetitions", "5", "--filter", "^kept\$"], "format": "perfgate",
    "thresholds": { "critical": 50 } },
  { "name": "gb", "command": ["cat", "$PG_FIXTURES/gbench.json"], "format": "gbench" },
  { "name": "hf", "command": ["cp", "$PG_FIXTURES/hyperfine.json", "hf-out.json"],
    "format": "hyperfine", "output": "hf-out.json" }
] }
JSON
printf 'hf-out.json\ntarget/\n' >> .gitignore
git add -A && git commit -qm "micro benchmarks"
for i in 1 2 3; do
	git commit -q --allow-empty -m "c$i"
	pg run; expect_rc 0 "run with imported formats ($i)"
done
expect_in "$OUT" "micro/kept: time_per_op" "harness results named config/micro"
expect_in "$OUT" "gb/BM_fnv1a_64: time_per_op" "gbench results"
expect_in "$OUT" "bytes_per_second" "throughput counter"
expect_in "$OUT" "hf/sleepy: wall_time" "hyperfine results from the output file"

pg history gb/BM_sum_1k --metric time_per_op; expect_rc 0 "history of an imported result"
expect_in "$OUT" "3 commits" "three commits of it"
# (micro/kept is real timing: whatever its verdict, --fail-on never)
pg compare --format json --fail-on never; expect_rc 0 "compare imported results"
expect_in "$OUT" '"benchmark": "gb/BM_collatz_27"' "judged by name"

# a tool whose output is not in the declared format: failed, one line, gate fails
cat > bad.json <<JSON
{ "benchmarks": [ { "name": "liar", "command": ["cat", "$PG_FIXTURES/bmf.json"], "format": "gbench" } ] }
JSON
pg run -c bad.json --no-store; expect_rc 1 "wrong format fails the benchmark"
expect_in "$OUT" "liar: FAILED: run 1/1: cannot import gbench results: stdout: not Google Benchmark JSON output" "import failure explained"

# perfgate import: all or nothing
stored=$(find .perfgate/history -name '*.json' | wc -l)
pg import --format gotest "$PG_FIXTURES/gotest.txt" "$PG_FIXTURES/bmf.json" --name go
expect_rc 3 "import with a bad file"
expect_in "$ERR" "bmf.json: no gotest results found in it" "bad file named"
now=$(find .perfgate/history -name '*.json' | wc -l)
[ "$now" -eq "$stored" ] && pass || fail "a failed import stored something"
pg import --format gotest "$PG_FIXTURES/gotest.txt" --name go
expect_rc 0 "import go test output"
expect_in "$OUT" "imported 4 results from 1 file" "import summary"
pg history go/example.com/pgdemo/msg.BenchmarkAppendMsgitem --metric mb_per_second; expect_rc 0 "history of imported go results"
pg import --format nope x; expect_rc 2 "unknown import format"

# criterion's target/criterion directory: only what this run wrote counts
mkdir -p target/criterion/gone/new target/idle/gone/new
cp "$PG_FIXTURES/criterion-dir/fib/20/new/sample.json" target/criterion/gone/new/
cp "$PG_FIXTURES/criterion-dir/fib/20/new/sample.json" target/idle/gone/new/
touch -d 2020-01-01 target/criterion/gone/new/sample.json target/idle/gone/new/sample.json
cat > rs.json <<JSON
{ "benchmarks": [ { "name": "rs", "command": ["cp", "-R", "$PG_FIXTURES/criterion-dir/.", "target/criterion/"],
    "format": "criterion", "output": "target/criterion" },
  { "name": "idle", "command": ["true"], "format": "criterion", "output": "target/idle" } ] }
JSON
pg run -c rs.json --no-store; expect_rc 1 "criterion directory (one benchmark writes nothing)"
expect_in "$OUT" "rs/fib/20: time_per_op" "criterion result named by its benchmark.json"
expect_in "$OUT" "rs/parse/small: time_per_op 512 ns, bytes_per_second 2.00 GB/s" "criterion throughput"
case "$OUT" in *gone*) fail "a stale criterion sample was imported: $OUT" ;; *) pass ;; esac
expect_in "$OUT" "idle: FAILED: run 1/1: cannot import criterion results: " "nothing written"
expect_in "$OUT" "target/idle: no criterion results written by this run (1 older" "stale results named"
pg import --format criterion target/criterion --name cargo --no-store
expect_rc 0 "import a target/criterion directory"
expect_in "$OUT" "imported 3 results from 1 file" "every sample in it"
expect_in "$OUT" "cargo/gone: time_per_op" "named by its directory without benchmark.json"

# A/B on a harness benchmark: one invocation per side per pair
git checkout -q -b pr
git commit -q --allow-empty -m "pr"
cat > ab.json <<JSON
{ "benchmarks": [ { "name": "micro", "command": ["$PG_HARNESS_BENCH", "--format", "json",
  "--min-time", "0.002", "--repetitions", "3", "--filter", "^kept\$"], "format": "perfgate" } ] }
JSON
pg check --ab -c ab.json --no-store --pairs 12 --fail-on never --format json
expect_rc 0 "A/B of a harness benchmark"
expect_in "$OUT" '"benchmark": "micro/kept"' "A/B result named config/micro"
expect_in "$OUT" '"pairs": 12' "twelve pairs"
finish
