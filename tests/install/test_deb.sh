# test_deb.sh - the Debian packages (cmake/packaging.cmake): `cpack -G DEB`
# in the build directory makes perfgate and libperfgate-bench-dev; each is
# unpacked with `dpkg-deb -x` into a temporary root (nothing is installed
# on the machine), their control fields are checked (names, the library
# dependencies dpkg-shlibdeps found), the packaged perfgate runs, and a
# micro benchmark is built against the packaged harness with pkg-config and
# with find_package, and runs.
# Run by ctest (install_deb) with $PG_BUILD_DIR, $CMAKE, $CC, $PG_SANITIZE_FLAGS.
set -u
: "${PG_BUILD_DIR:?set PG_BUILD_DIR to the build directory}"
: "${CMAKE:=cmake}" "${CC:=cc}" "${PG_SANITIZE_FLAGS:=}"
CPACK=$(dirname "$CMAKE")/cpack
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg-deb-XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
FAILS=0 PASSES=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }

(cd "$PG_BUILD_DIR" && "$CPACK" -G DEB -B "$WORK/pkgs") > "$WORK/cpack.log" 2>&1 ||
	{ cat "$WORK/cpack.log"; exit 1; }
tool=$(ls "$WORK"/pkgs/perfgate_*.deb 2> /dev/null)
dev=$(ls "$WORK"/pkgs/libperfgate-bench-dev_*.deb 2> /dev/null)
[ -f "$tool" ] && [ -f "$dev" ] && pass || { fail "packages not made: $(ls "$WORK/pkgs")"; exit 1; }

deps=$(dpkg-deb -f "$tool" Depends)
for want in libgit2 libjansson libcurl libc6; do
	case "$deps" in *"$want"*) pass ;; *) fail "perfgate does not depend on $want: $deps" ;; esac
done
devdeps=$(dpkg-deb -f "$dev" Depends)
case "$devdeps" in *libc6-dev*) pass ;; *) fail "libperfgate-bench-dev: Depends: $devdeps" ;; esac
case "$devdeps" in *libgit2*|*libcurl*) fail "the harness package pulls perfgate's libraries: $devdeps" ;; *) pass ;; esac
files=$(dpkg-deb -c "$dev")
for f in include/perfgate/bench.h libperfgate_bench.a libperfgate_bench.so pkgconfig/perfgate-bench.pc \
	cmake/perfgate-bench/perfgate-bench-config.cmake cmake/perfgate-bench/perfgate-bench-config-version.cmake; do
	case "$files" in *"$f"*) pass ;; *) fail "libperfgate-bench-dev lacks $f" ;; esac
done
case "$(dpkg-deb -c "$tool")" in *usr/bin/perfgate*usr/share/man/man1/perfgate.1*|*usr/share/man/man1/perfgate.1*usr/bin/perfgate*) pass ;;
	*) fail "perfgate lacks the binary or the man page" ;; esac

ROOT=$WORK/root
dpkg-deb -x "$tool" "$ROOT" && dpkg-deb -x "$dev" "$ROOT" || { fail "dpkg-deb -x"; exit 1; }
out=$("$ROOT/usr/bin/perfgate" --version 2>&1) && pass || fail "the packaged perfgate does not run: $out"
case "$out" in "perfgate "*) pass ;; *) fail "perfgate --version: $out" ;; esac

cat > "$WORK/bench.c" <<'C'
#include <perfgate/bench.h>
PG_BENCH(add)
{
	uint64_t x = 0;
	PG_BENCH_LOOP(st) {
		pg_bench_opaque(x);
		x++;
	}
}
PG_BENCH_MAIN()
C
pc=$(find "$ROOT" -name perfgate-bench.pc)
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir perfgate-bench)
case "$(readlink -f "$libdir")" in "$ROOT"/*) pass ;; *) fail "pkg-config's libdir is $libdir" ;; esac
# shared, through pkg-config; then the static archive
# shellcheck disable=SC2046,SC2086
for how in shared static; do
	if [ $how = shared ]; then
		link=$(pkg-config --libs perfgate-bench)
	else
		link="$libdir/libperfgate_bench.a -lm"
	fi
	if "$CC" $PG_SANITIZE_FLAGS -o "$WORK/bench_$how" "$WORK/bench.c" \
		$(pkg-config --cflags perfgate-bench) $link > "$WORK/cc.log" 2>&1; then
		out=$(LD_LIBRARY_PATH=$libdir "$WORK/bench_$how" --format json --min-time 0.001 --repetitions 2) &&
			pass || fail "the $how benchmark failed"
		case "$out" in *'"name": "add"'*) pass ;; *) fail "$how benchmark output: $out" ;; esac
	else
		cat "$WORK/cc.log"; fail "$how build against the packaged harness"
	fi
done
[ $how = static ] && ! ldd "$WORK/bench_static" | grep -q perfgate_bench && pass ||
	fail "the static build links the shared library"
mkdir -p "$WORK/proj"
cp "$WORK/bench.c" "$WORK/proj/"
cat > "$WORK/proj/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(tiny C)
find_package(perfgate-bench 0.1 REQUIRED)
add_executable(tiny bench.c)
target_link_libraries(tiny PRIVATE perfgate::perfgate_bench)
CMAKE
if "$CMAKE" -S "$WORK/proj" -B "$WORK/proj/b" -DCMAKE_PREFIX_PATH="$ROOT/usr" \
	-DCMAKE_C_FLAGS="$PG_SANITIZE_FLAGS" -DCMAKE_EXE_LINKER_FLAGS="$PG_SANITIZE_FLAGS" > "$WORK/cm.log" 2>&1 &&
	"$CMAKE" --build "$WORK/proj/b" > "$WORK/cm.log" 2>&1; then
	"$WORK/proj/b/tiny" --format json --min-time 0.001 --repetitions 2 > /dev/null && pass ||
		fail "the find_package benchmark failed"
else
	cat "$WORK/cm.log"; fail "build against the packaged harness with find_package"
fi
echo "$PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
