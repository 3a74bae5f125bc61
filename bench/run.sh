#!/usr/bin/env bash
# bench/run.sh - perfgate's own integration benchmarks (registered in the
# root perfgate.json).  Each measures one perfgate command on a fixture
# repository with 200 commits of stored history, built on first use under
# build/bench-fixture (the benchmarks' warm-up run pays for it).
#   bench/run.sh compare   judge HEAD against a 20-commit window
#   bench/run.sh history   walk and print 200 commits of one benchmark
#   bench/run.sh config    read a perfgate.json of 100,000 benchmarks (history
#                          of one of them, stored once)
#   bench/run.sh spawn     perfgate run of 200 runs of /bin/true (nothing stored)
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

# A repository whose perfgate.json has 100,000 benchmarks (bench/gen_config.py),
# with results stored for one of them, "a".
make_config_fixture() {
	local tmp="$1.tmp.$$"
	rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp"
	export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=b@b GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=b@b
	git init -q -b main
	python3 "$root/bench/gen_config.py" 100000 perfgate.json
	echo '{ "benchmarks": [ { "name": "a", "command": ["true"], "warmup": 0, "runs": 3 } ] }' > one.json
	echo .perfgate/ > .gitignore
	git add -A && git commit -qm init
	PERFGATE_TESTBED=bench "$perfgate" run -q -c one.json
	cd "$root" && mv "$tmp" "$1"
}

# A repository that runs /bin/true 200 times.
make_spawn_fixture() {
	local tmp="$1.tmp.$$"
	rm -rf "$tmp" && mkdir -p "$tmp" && cd "$tmp"
	git init -q -b main
	echo '{ "benchmarks": [ { "name": "true", "command": ["/bin/true"], "warmup": 0, "runs": 200,
	  "metrics": ["wall_time"] } ] }' > perfgate.json
	git add -A && git -c user.name=b -c user.email=b@b commit -qm init
	cd "$root" && mv "$tmp" "$1"
}

export PERFGATE_TESTBED=bench
case "${1:-}" in
compare|history)
	[ -d "$fixture" ] || make_fixture
	cd "$fixture" ;;
config)
	[ -d "$fixture-config" ] || make_config_fixture "$fixture-config"
	cd "$fixture-config" ;;
spawn)
	[ -d "$fixture-spawn" ] || make_spawn_fixture "$fixture-spawn"
	cd "$fixture-spawn" ;;
esac
case "${1:-}" in
compare) "$perfgate" compare --format json --output /dev/null ;;
history) "$perfgate" history a --limit 200 > /dev/null ;;
config) "$perfgate" history a > /dev/null ;;
spawn) "$perfgate" run -q --no-store ;;
*) echo "usage: bench/run.sh compare|history|config|spawn" >&2; exit 2 ;;
esac
