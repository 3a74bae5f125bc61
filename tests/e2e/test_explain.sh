# test_explain.sh - `perfgate explain`: a C program where one function
# becomes 3 times slower and another is unchanged.  callgrind counts
# instructions, which are deterministic: the slowed function is listed first
# at about +200 %, the unchanged one near 0 %, whatever the machine's load.
# Without valgrind, for a stripped binary and for a command too slow under
# callgrind, explain says so and exits 0.  check --ab --explain shows the
# same in every report format.  Needs cc and valgrind.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1
if ! command -v valgrind > /dev/null || ! command -v cc > /dev/null; then
	echo "SKIP: needs valgrind and cc"; exit 0
fi

mkdir -p "$WORK/repo" && cd "$WORK/repo" && git init -q -b main
cat > prog.c <<'C'
#include <stdio.h>
__attribute__((noinline)) static unsigned long slowed(unsigned long n)
{ unsigned long s = 0; for (unsigned long i = 0; i < n; i++) s += i * i ^ (s >> 3); return s; }
__attribute__((noinline)) static unsigned long same(unsigned long n)
{ unsigned long s = 0; for (unsigned long i = 0; i < n; i++) s += i ^ (s << 1); return s; }
int main(void)
{
	FILE *f = fopen("factor", "r");
	int k = 1;
	if (f) { if (fscanf(f, "%d", &k) != 1) k = 1; fclose(f); }
	printf("%lu\n", slowed(200000ul * k) + same(200000));
	return 0;
}
C
cat > perfgate.json <<'JSON'
{ "build": "cc -O1 -g -o prog prog.c", "setup": "cc -O1 -g -o prog prog.c",
  "benchmarks": [ { "name": "prog", "command": ["./prog"], "timeout": 60 } ] }
JSON
printf 'prog\n.perfgate/\n' > .gitignore
echo 1 > factor && echo 50 > cost && git add -A && git commit -qm base
echo 3 > factor && echo 65 > cost && git commit -qam "slowed 3x"

pg explain prog --base main~1 --top 50 -f json
expect_rc 0 "explain"
echo "$OUT" > "$WORK/ex.json"
python3 - "$WORK/ex.json" <<'PY' && pass || fail "explain's list: $(cat "$WORK/ex.json")"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["functions"]
assert d["note"] is None
assert f[0]["function"] == "slowed", f[0]
assert 195 < f[0]["change_pct"] < 205, f[0]
assert f[0]["file"] == "prog.c" and f[0]["line"] in (2, 3), f[0]
same = [x for x in f if x["function"] == "same"][0]
assert abs(same["change_pct"]) < 1, same
assert f[0]["incl_after"] >= f[0]["self_after"] > f[0]["self_before"] > 0
PY
pg explain prog --base main~1
expect_rc 0 "explain, term"
first=$(echo "$OUT" | sed -n 4p)
expect_in "$first" "+200.0%" "term: +200 % first"
expect_in "$first" "slowed (prog.c:" "term: the function and where"
[ -z "$(ls -A "$TMPDIR")" ] && pass || fail "scratch or callgrind files left behind"

# a stripped binary: no symbols, said
sed -i 's/-g -o prog/-s -o prog/g' perfgate.json
pg explain prog --base main~1
expect_rc 0 "stripped"
expect_in "$OUT" "not explained: no symbols on" "stripped binary said"
git checkout -q perfgate.json

# too slow under callgrind: timeout x 100
sed -i 's/"timeout": 60/"timeout": 0.001/' perfgate.json
pg explain prog --base main~1
expect_rc 0 "too slow"
expect_in "$OUT" "too slow under callgrind on the base" "too slow said"
expect_in "$OUT" "timeout x 100" "the bound named"
git checkout -q perfgate.json

# no valgrind on PATH
mkdir -p "$WORK/bin"
for f in /usr/local/bin/* /usr/bin/*; do
	case ${f##*/} in valgrind*) ;; *) [ -e "$WORK/bin/${f##*/}" ] || ln -s "$f" "$WORK/bin/";; esac
done
PATH="$WORK/bin" pg explain prog --base main~1
expect_rc 0 "no valgrind"
expect_in "$OUT" "valgrind is not installed" "missing valgrind said"

# check --ab --explain: the flagged benchmark is explained in every report
# format.  Its verdict comes from the committed cost, printed as harness
# output (50 on the base, 65 on HEAD in every pair: +30 %, critical whatever
# the load); its command also runs the program, which is what callgrind
# explains (plain programs only: a sanitizer build's pg_testbench cannot run
# under valgrind).
cat > "$WORK/check.json" <<'JSON'
{ "build": "cc -O1 -g -o prog prog.c", "setup": "cc -O1 -g -o prog prog.c",
  "benchmarks": [ { "name": "mixed", "format": "perfgate",
    "command": "./prog > /dev/null && printf '{\"format\": \"perfgate-bench\", \"version\": 1, \"benchmarks\": [{\"name\": \"op\", \"unit\": \"ns\", \"samples\": [%s]}]}' $(cat cost)" } ] }
JSON
pg check -c "$WORK/check.json" --ab --explain --no-store --pairs 12 -f json
expect_rc 1 "check --ab --explain fails on the slowdown"
expect_in "$OUT" '"severity": "critical"' "A/B flags it"
echo "$OUT" > "$WORK/check-report.json"
python3 - "$WORK/check-report.json" <<'PY' && pass || fail "the JSON report's explain: $(cat "$WORK/check-report.json")"
import json, sys
d = json.load(open(sys.argv[1]))
e = d["explain"][0]
assert e["benchmark"] == "mixed" and e["note"] is None, e
assert e["functions"][0]["function"] == "slowed", e
assert 195 < e["functions"][0]["change_pct"] < 205, e
PY
pg check -c "$WORK/check.json" --ab --explain --no-store --pairs 12 -f markdown
expect_in "$OUT" "#### Where the instructions went (callgrind)" "markdown section"
expect_in "$OUT" "<details><summary>mixed: top functions by change in instructions" "collapsed"
expect_in "$OUT" "| +200.0% | 1800006 | 5400006 |" "markdown row"
pg check -c "$WORK/check.json" --ab --explain --no-store --pairs 12 -f html
expect_in "$OUT" "<tr><td>+200.0%</td><td>1800006</td><td>5400006</td>" "html row"
pg check -c "$WORK/check.json" --ab --explain --no-store --pairs 12
expect_in "$OUT" "slowed (prog.c:" "term table"
pg check --explain --no-store; expect_rc 2 "--explain alone"
expect_in "$ERR" "--explain needs --ab or --confirm" "explained"

pg explain nope; expect_rc 2 "unknown benchmark"
pg explain; expect_rc 2 "no benchmark"
pg explain prog --top 0; expect_rc 2 "--top 0"
finish
