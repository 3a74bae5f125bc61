# test_notes_tls.sh - the token of `perfgate pull`/`push` over real TLS
# (two HTTPS servers on 127.0.0.1, tls/redirect_server.py, with a
# certificate made here and trusted through SSL_CERT_FILE):
#   - the configured host asks for credentials: it gets the token (the
#     control: TLS and the trusted certificate work, the test can fail);
#   - the configured host redirects to another host that asks: that host
#     never sees the token, and the output never shows it.  (Debian's
#     libgit2 1.5 does not call the credentials callback after a redirect
#     at all; perfgate also checks the host of the TLS connection that asks,
#     for libgit2 versions that do, since they pass the original URL.)
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
sed -i 's/"window": 20/"store": "notes:perf", "window": 20/' perfgate.json
git commit -qm "history in git notes" perfgate.json
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
	-subj /CN=localhost -addext "subjectAltName=DNS:localhost,DNS:127.0.0.1,IP:127.0.0.1" \
	2> /dev/null || fail "openssl could not make a certificate"
TOKEN=ghs_tls_secret_0123456789
BASIC=$(printf 'x-access-token:%s' "$TOKEN" | base64 -w0)

# serve MODE: starts the servers; sets PORT and SRV
serve() {
	rm -f "$WORK/port" "$WORK/log"
	python3 "$(dirname "$PG_E2E_LIB")/tls/redirect_server.py" "$WORK/cert.pem" "$WORK/key.pem" \
		"$WORK/port" "$WORK/log" "$1" &
	SRV=$!
	for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
	PORT=$(cat "$WORK/port")
}

serve 401
GITHUB_TOKEN=$TOKEN SSL_CERT_FILE="$WORK/cert.pem" GITHUB_SERVER_URL="https://localhost:$PORT" \
	pg pull --remote "https://localhost:$PORT/r.git"
expect_rc 3 "a remote refusing the token"
expect_in "$ERR" "refused the credentials" "says the credentials were refused"
expect_not_in "$OUT$ERR" "$TOKEN" "the token in the output"
kill "$SRV" 2> /dev/null; wait "$SRV" 2> /dev/null
grep -q "^A .* Basic $BASIC$" "$WORK/log" && pass ||
	fail "the configured host asked and did not get the token: $(cat "$WORK/log")"

serve redirect
GITHUB_TOKEN=$TOKEN SSL_CERT_FILE="$WORK/cert.pem" GITHUB_SERVER_URL="https://localhost:$PORT" \
	pg pull --remote "https://localhost:$PORT/r.git"
expect_rc 3 "a remote redirecting to another host"
expect_not_in "$OUT$ERR" "$TOKEN" "the token in the output"
kill "$SRV" 2> /dev/null; wait "$SRV" 2> /dev/null
grep -q "^B " "$WORK/log" && pass || fail "the redirect was not followed: $(cat "$WORK/log")"
if grep -q "^B .*Basic" "$WORK/log"; then fail "the token went to the other host: $(cat "$WORK/log")"; else pass; fi
finish
