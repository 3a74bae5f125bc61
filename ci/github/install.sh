#!/bin/bash
# ci/github/install.sh PREFIX - builds perfgate from this checkout and
# installs it into PREFIX as a relocatable bundle that the Action caches:
# PREFIX/bin/perfgate, and in PREFIX/lib the shared libraries it needs
# that are not part of the C library (libgit2, jansson, libcurl and theirs),
# found through an RPATH of $ORIGIN/../lib (DT_RPATH, which also applies to
# the libraries' own dependencies).  A restored bundle needs no package
# installed, and no LD_LIBRARY_PATH that the benchmarks would inherit.
# Installs the build dependencies first when they are missing (apt-get).
set -euo pipefail
prefix=${1:?usage: install.sh PREFIX}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/perfgate-build-XXXXXX")
trap 'rm -rf "$build"' EXIT

need=""
for p in gcc make cmake pkg-config libgit2-dev libjansson-dev libcurl4-openssl-dev; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
	sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -q > /dev/null
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $need > /dev/null
fi

cmake -S "$root" -B "$build" -DPERFGATE_TESTS=OFF -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_RPATH='$ORIGIN/../lib' \
	-DCMAKE_BUILD_WITH_INSTALL_RPATH=ON -DCMAKE_EXE_LINKER_FLAGS=-Wl,--disable-new-dtags > /dev/null
cmake --build "$build" -j "$(nproc)" --target perfgate > /dev/null
mkdir -p "$prefix/bin" "$prefix/lib"
install -m 755 "$build/perfgate" "$prefix/bin/perfgate"
# every shared library but the C library's own and the loader
ldd "$build/perfgate" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
	grep -Ev '/(libc|libm|libdl|libpthread|librt|libresolv|ld-linux[^/]*)\.so' |
	while read -r lib; do cp -L "$lib" "$prefix/lib/"; done
"$prefix/bin/perfgate" --version
