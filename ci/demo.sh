#!/usr/bin/env bash
# ci/demo.sh - installs the dependencies, builds perfgate, and runs its main
# job on the bundled example (examples/demo): a small repository whose
# history is benchmarked commit by commit, then a pull request branch that
# injects a regression, which `perfgate check` must catch (exit status 1).
set -euo pipefail
. "$(dirname "$0")/deps.sh"
pg_install_deps
cd "$PG_ROOT"
pg_build build
PERFGATE="$PG_ROOT/build/perfgate"

demo=$(mktemp -d "${TMPDIR:-/tmp}/perfgate-demo-XXXXXX")
trap 'rm -rf "$demo"' EXIT
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
export PERFGATE_TESTBED=demo

cp examples/demo/* "$demo/"
cd "$demo"
git init -q -b main
printf 'build/\n.perfgate/\n' > .gitignore
git add -A && git commit -qm "demo: sort benchmark"
build() { mkdir -p build && cc -O2 -o build/bench_sort bench_sort.c; }

echo "== building history on main (6 commits, one 'perfgate run' each)"
for i in 1 2 3 4 5 6; do
	echo "change $i" >> CHANGES
	git add CHANGES && git commit -qm "main: change $i"
	build
	"$PERFGATE" run -q
done
"$PERFGATE" history sort/200k

echo
echo "== a pull request that leaves a debug self-check in: scramble and re-sort every round"
git checkout -qb feature
sed -i 's|/\* REGRESSION \*/|for (size_t i = 0; i < n; i++) v[i] ^= (int)(i * 2654435761u); sort_ints(v, n);|' bench_sort.c
git commit -qam "feature: tidy up sorting"
build
set +e
"$PERFGATE" check
rc=$?
set -e
echo
if [ "$rc" -eq 1 ]; then
	echo "perfgate check exited 1: the gate caught the injected regression."
	echo
	echo "== the same report as Markdown (what the pull request comment shows)"
	"$PERFGATE" compare --format markdown || true
	exit 0
fi
echo "perfgate check exited $rc; expected 1 (the regression should fail the gate)" >&2
exit 1
