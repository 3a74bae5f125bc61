#!/usr/bin/env bash
# tests/fuzz/seeds.sh - (re)builds the seed files of tests/fuzz/corpus:
#   fixture-*  the importers' seeds, from tests/fixtures, and the
#              repository's configurations (always);
#   gen-*      run documents, git notes, JSON reports and configurations
#              written by the real perfgate on a temporary repository, as
#              the end-to-end tests make them (with --generate; needs
#              $PERFGATE and $PG_TESTBENCH, by default from build/).
# Hand-written seeds (hand-*) and crash regressions (crash-*) are kept.
# Usage: tests/fuzz/seeds.sh [--generate]
set -euo pipefail
FUZZ=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$FUZZ/../.." && pwd)
FIX=$ROOT/tests/fixtures
C=$FUZZ/corpus

seed() { # seed TARGET NAME < content
	mkdir -p "$C/$1"
	cat > "$C/$1/$2"
}

rm -f "$C"/*/fixture-*
seed config fixture-perfgate.json < "$ROOT/perfgate.json"
seed config fixture-demo.json < "$ROOT/examples/demo/perfgate.json"
seed import_perfgate fixture-perfgate-bench.json < "$FIX/perfgate-bench.json"
seed import_gbench fixture-gbench.json < "$FIX/gbench.json"
seed import_hyperfine fixture-hyperfine.json < "$FIX/hyperfine.json"
seed import_criterion fixture-criterion.jsonl < "$FIX/criterion.jsonl"
seed import_pytest-benchmark fixture-pytest-benchmark.json < "$FIX/pytest-benchmark.json"
seed import_gotest fixture-gotest.txt < "$FIX/gotest.txt"
seed import_catch2 fixture-catch2.xml < "$FIX/catch2.xml"
seed import_bmf fixture-bmf.json < "$FIX/bmf.json"
seed import_jmh fixture-jmh-1.37.json < "$FIX/jmh/jmh-1.37.json"
seed import_benchmarkdotnet fixture-report-full-compressed.json < "$FIX/benchmarkdotnet/Parser-report-full-compressed.json"
seed import_gab fixture-custom-smaller.json < "$FIX/gab/custom-smaller.json"
seed import_gab-bigger fixture-custom-bigger.json < "$FIX/gab/custom-bigger.json"
for v in 4.1.12 2.1.9; do
	seed import_vitest "fixture-vitest-$v.json" < "$FIX/vitest/vitest-$v.json"
done
seed import_k6 fixture-summary-export.json < "$FIX/k6/summary-export.json"
seed import_k6 fixture-handle-summary.json < "$FIX/k6/handle-summary.json"
# auto: one file of each format
for f in "$FIX"/*.json "$FIX"/*.jsonl "$FIX"/*.txt "$FIX"/*.xml "$FIX"/*/*.json; do
	[ "$f" = "$FIX/benchmarkdotnet/Md5VsSha256-report-full.json" ] && continue # 32 KB: the small one
	seed import_auto "fixture-$(basename "$(dirname "$f")")-$(basename "$f")" < "$f"
done
# the console logs (tests/fixtures/tools/regen-console.sh)
shopt -s nullglob
for f in "$FIX"/libtest/*.txt; do seed import_libtest "fixture-$(basename "$f")" < "$f"; done
for f in "$FIX"/criterion/*.txt; do seed import_criterion "fixture-$(basename "$f")" < "$f"; done
for f in "$FIX"/catch2/*.txt; do seed import_catch2 "fixture-$(basename "$f")" < "$f"; done
for t in wrk hey ab benchmarkjs iai-callgrind; do
	for f in "$FIX/$t"/*.txt; do seed "import_$t" "fixture-$(basename "$f")" < "$f"; done
done
shopt -u nullglob
# criterion's directory entries: sample.json, NUL, benchmark.json
for d in "$FIX"/criterion-dir/*/*/new "$FIX"/criterion-dir/*/*/base; do
	name=$(echo "${d#"$FIX"/criterion-dir/}" | tr / -)
	{ cat "$d/sample.json"; printf '\0'; cat "$d/benchmark.json"; } |
		seed import_criterion_sample "fixture-$name"
	seed import_criterion_sample "fixture-$name-alone" < "$d/sample.json"
done

[ "${1:-}" = --generate ] || exit 0

PERFGATE=${PERFGATE:-$ROOT/build/perfgate}
PG_TESTBENCH=${PG_TESTBENCH:-$ROOT/build/tests/pg_testbench}
export GIT_AUTHOR_NAME=seed GIT_AUTHOR_EMAIL=seed@example.com
export GIT_COMMITTER_NAME=seed GIT_COMMITTER_EMAIL=seed@example.com
export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 PERFGATE_TESTBED=seed-testbed PG_TESTBENCH_SEED=1
WORK=$(mktemp -d) && trap 'rm -rf "$WORK"' EXIT
rm -f "$C"/*/gen-*

cd "$WORK" && git init -q -b main repo && cd repo
cat > perfgate.json <<JSON
{
  "window": 20, "min_history": 3,
  "thresholds": { "sigma": 3, "notice": 2, "warning": 5, "critical": 10 },
  "environment": { "shell": "echo seed" },
  "benchmarks": [
    { "name": "sleepy", "command": ["$PG_TESTBENCH", "synth", "cost"], "format": "perfgate" },
    { "name": "true", "command": "true", "runs": 3, "warmup": 0,
      "metrics": ["wall_time", "cpu_time", "max_rss"] },
    { "name": "broken", "command": ["false"], "runs": 2 }
  ]
}
JSON
echo .perfgate/ > .gitignore && echo 50 > cost && git add -A && git commit -qm initial
seed config gen-e2e-repo.json < perfgate.json
for c in 51 50 49 50; do
	echo $c > cost && git commit -qam "cost $c"
	"$PERFGATE" run -q || true
done
i=0
for f in .perfgate/history/*/*/*.json; do
	i=$((i + 1))
	seed results "gen-run-$i.json" < "$f"
done
echo 60 > cost && git commit -qam "20% slower"
"$PERFGATE" check --no-store --format json --output "$WORK/r1.json" --fail-on never > /dev/null || true
seed report gen-report-regression.json < "$WORK/r1.json"
"$PERFGATE" compare --format json --output "$WORK/r2.json" > /dev/null 2>&1 || true
[ -s "$WORK/r2.json" ] && seed report gen-report-compare.json < "$WORK/r2.json"
echo 40 > cost && git commit -qam "faster"
"$PERFGATE" check --no-store --format json --output "$WORK/r3.json" > /dev/null || true
seed report gen-report-improved.json < "$WORK/r3.json"

# the same history in git notes: two runs (two testbeds) in one note
sed -i 's/"window": 20/"store": "notes:perfgate", "window": 20/' perfgate.json
git commit -qam "history in git notes"
"$PERFGATE" run -q || true
PERFGATE_TESTBED=other-testbed "$PERFGATE" run -q || true
git notes --ref perfgate show HEAD | seed results gen-note.json
seed config gen-e2e-notes.json < perfgate.json
