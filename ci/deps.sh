# ci/deps.sh - installs what perfgate needs to build and test, from
# Debian's archive only.  Sourced by ci/demo.sh and ci/test.sh.  When every
# package is already there it touches nothing (and needs no network).
PG_PACKAGES="gcc make cmake pkg-config git procps ca-certificates openssl python3 python3-yaml valgrind
  libgit2-dev libjansson-dev libcurl4-openssl-dev libcmocka-dev
  clang libclang-rt-14-dev"
# (libclang-rt-14-dev holds libFuzzer's runtime, for tests/fuzz: clang-14's
# libclang-common-14-dev only recommends it.)

pg_install_deps() {
	local missing="" p
	for p in $PG_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "ci: installing$missing" >&2
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
}

# pg_build DIR [CMAKE ARGS...]: configure and build perfgate into DIR.
pg_build() {
	local dir=$1
	shift
	cmake -S "$PG_ROOT" -B "$dir" -DPERFGATE_WERROR=ON "$@" >/dev/null &&
		cmake --build "$dir" -j "$(nproc)" -- --no-print-directory >/dev/null
}

PG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
