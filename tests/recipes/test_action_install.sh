# test_action_install.sh - what the Action caches: ci/github/install.sh
# builds perfgate into a prefix as a relocatable bundle.  The bundle runs
# with a clean environment from another place (as a restored cache does),
# finds libgit2, jansson and libcurl in its own lib/ through its RPATH, and
# gives no LD_LIBRARY_PATH to what it starts.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pg-action-XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

bash "$root/ci/github/install.sh" "$work/built" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
# moved elsewhere, as actions/cache restores it
mv "$work/built" "$work/restored"
bin="$work/restored/bin/perfgate"
readelf -d "$bin" | grep -q 'RPATH.*\$ORIGIN/../lib' || fail "no RPATH \$ORIGIN/../lib: $(readelf -d "$bin" | grep -i path)"
for lib in libgit2 libjansson libcurl; do
	where=$(readlink -f "$(ldd "$bin" | awk -v l="$lib" 'index($1, l) == 1 { print $3 }')")
	case "$where" in "$work/restored/lib/"*) ;; *) fail "$lib resolves to '$where', not the bundle" ;; esac
done
out=$(env -i PATH=/usr/bin:/bin "$bin" --version) || fail "the bundle does not run: $out"
[ "${out#perfgate }" != "$out" ] || fail "unexpected --version: $out"
du -sh "$work/restored" | awk '{ print "bundle size: " $1 }'
echo "$fails failed"
[ "$fails" -eq 0 ]
