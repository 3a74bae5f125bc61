#!/usr/bin/env bash
# bench/run.sh - perfgate's own integration benchmarks (registered in the
# root perfgate.json).  Each measures one perfgate command on a fixture
# repository with 200 commits of stored history, built on first use under
# build/bench-fixture (the benchmarks' warm-up run pays for it).
#   bench/run.sh compare   judge HEAD against a 20-commit window
#   bench/run.sh history   walk and print 200 commits of one benchmark
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
perfgate="$root/build/perfgate"
fixture="$root/build/bench-fixture"

make_fixture() {
	local tmp="$fixture.tmp.$$"
	rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp"
	export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=b@b GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=b@b
	git init -q -b main
	cat > perfgate.json <<'JSON'
{ "benchmarks": [
  { "name": "a", "command": ["true"], "warmup": 0, "runs": 10 },
  { "name": "b", "command": ["true"], "warmup": 0, "runs": 10 },
  { "name": "c", "command": ["true"], "warmup": 0, "runs": 10 } ] }
JSON
	echo .perfgate/ > .gitignore
	git add -A && git commit -qm init
	for i in $(seq 1 200); do
		git commit -q --allow-empty -m "commit $i"
		PERFGATE_TESTBED=bench "$perfgate" run -q
	done
	cd "$root" && mv "$tmp" "$fixture"
}

[ -d "$fixture" ] || make_fixture
cd "$fixture"
export PERFGATE_TESTBED=bench
case "${1:-}" in
compare) "$perfgate" compare --format json --output /dev/null ;;
history) "$perfgate" history a --limit 200 > /dev/null ;;
*) echo "usage: bench/run.sh compare|history" >&2; exit 2 ;;
esac
