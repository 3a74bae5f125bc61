# test_complexity.sh - complexity as a judgement, on imported results known
# by construction: a Google Benchmark family BM_Sort/256 ... /65536 whose
# cost follows n log n (merge sort) in the history and n^2 (insertion sort)
# in the pull request is a complexity regression "O(n log n) -> O(n^2)"; a
# family whose class does not change (BM_Copy, O(n)) is not; a family too
# noisy to tell (BM_Noisy) says so; "complexity": "n log n" is a budget,
# checked without history too.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

# gbench JSON with families; SORT is nlogn or n2; a fixed +-2 % wobble
write_results() {
	python3 - "$1" > bench.json <<'PY'
import json, math, sys
sort = sys.argv[1]
rows = []
for i, n in enumerate(256 * 2 ** k for k in range(9)):
    wob = 1 + 0.02 * (1 if i % 2 else -1)
    s = 3 * n * math.log2(n) if sort == "nlogn" else 0.05 * n * n
    noisy = 1000 * n * (7 if i % 2 else 0.2)
    for name, cost in (("BM_Sort", s * wob), ("BM_Copy", 2 * n * wob), ("BM_Noisy", noisy)):
        rows.append({"name": "%s/%d" % (name, n), "run_type": "iteration", "iterations": 100,
                     "real_time": cost, "cpu_time": cost, "time_unit": "ns"})
print(json.dumps({"context": {"num_cpus": 2}, "benchmarks": rows}))
PY
}

mkdir -p "$WORK/repo" && cd "$WORK/repo" && git init -q -b main
cat > perfgate.json <<'JSON'
{ "benchmarks": [ { "name": "lib", "command": ["cat", "bench.json"], "format": "gbench" } ] }
JSON
echo .perfgate/ > .gitignore
write_results nlogn
git add -A && git commit -qm "merge sort"
for i in 1 2 3 4 5; do git commit -q --allow-empty -m "c$i"; pg run -q; expect_rc 0 "history $i"; done

# the pull request: insertion sort
git checkout -q -b pr
write_results n2
git commit -qam "insertion sort"
pg check --no-store -f json; expect_rc 1 "a complexity regression fails the gate"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = {r["family"]: r for r in d["complexity"]}
assert set(c) == {"lib/BM_Sort", "lib/BM_Copy", "lib/BM_Noisy"}, c
s = c["lib/BM_Sort"]
assert (s["baseline"], s["current"], s["severity"]) == ("O(n log n)", "O(n^2)", "critical"), s
assert s["metric"] == "time_per_op" and s["sizes"] == 9, s
k = c["lib/BM_Copy"]
assert (k["baseline"], k["current"], k["severity"]) == ("O(n)", "O(n)", "ok"), k
z = c["lib/BM_Noisy"]
assert z["current"] is None and z["severity"] == "ok" and "too noisy" in z["note"], z
assert d["summary"].startswith("1 complexity regression"), d["summary"]' && pass || fail "complexity rows"
pg check --no-store; expect_rc 1 "term"
expect_in "$OUT" "lib/BM_Sort (time_per_op): O(n log n) -> O(n^2): critical" "the term report names the change"
expect_in "$OUT" "lib/BM_Noisy (time_per_op): -: ok" "the noisy family"
expect_in "$OUT" "too noisy to tell" "says so"
pg check --no-store -f markdown; expect_rc 1 "markdown"
expect_in "$OUT" "#### Complexity" "markdown section"
expect_in "$OUT" "| lib/BM\\_Sort | time\\_per\\_op | O(n log n) | O(n^2) | critical" "markdown row"

# an unchanged family: merge sort again, nothing flagged
write_results nlogn
pg check --no-store -f json; expect_rc 0 "merge sort again passes"
echo "$OUT" | python3 -c '
import json, sys
c = {r["family"]: r for r in json.load(sys.stdin)["complexity"]}
assert c["lib/BM_Sort"]["severity"] == "ok" and c["lib/BM_Sort"]["current"] == "O(n log n)", c' &&
	pass || fail "unchanged family"

# a budget, checked by run without history
git checkout -q -- bench.json && git checkout -q main
write_results n2
sed -i 's/"format": "gbench"/"format": "gbench", "complexity": "n log n"/' perfgate.json
pg run --no-store; expect_rc 1 "run: complexity budget"
expect_in "$OUT" "lib/BM_Sort (time_per_op): O(n^2) (budget O(n log n)): critical" "run shows it"
sed -i 's/"complexity": "n log n"/"complexity": "n^5"/' perfgate.json
pg run --no-store; expect_rc 2 "a class perfgate does not know"
expect_in "$ERR" 'perfgate.json: benchmarks[0].complexity: expected one of' "names the field"
git checkout -q -- perfgate.json bench.json

finish
