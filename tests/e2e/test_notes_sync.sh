# test_notes_sync.sh - `perfgate pull` / `perfgate push`: the notes store
# shared through a git remote (a local bare repository, reached with
# libgit2's local transport and as file://).
#   - 8 jobs in parallel, each in its own clone, each adding runs (on a
#     shared commit and on a commit of its own) and pushing, twice: every
#     run is on the remote at the end, none lost, none doubled;
#   - a fresh clone pulls them all and `history` sees them;
#   - a note that does not parse on one side: the other side's is kept, a
#     warning says so, and the unreadable one stays in the history;
#   - kill -9 in the middle of pushes: both stores stay readable, and a
#     push afterwards brings everything across;
#   - usage: a dir: store, an unknown remote; the token is never printed and
#     never sent over plain http.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

JOBS=8
new_repo "$WORK/seed"
sed -i 's/"window": 20/"store": "notes:perf", "window": 20/' perfgate.json
git commit -qm "history in git notes" perfgate.json
git clone -q --bare "$WORK/seed" "$WORK/remote.git"
BASE=$(git rev-parse HEAD)

# runs_on GITDIR: "id count" of every run in every note of refs/notes/perf
runs_on() {
	git --git-dir="$1" notes --ref perf list | while read -r blob commit; do
		git --git-dir="$1" cat-file blob "$blob"
		echo
	done | python3 -c '
import json, sys
text = sys.stdin.read()
dec = json.JSONDecoder()
i, ids = 0, []
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    doc, i = dec.raw_decode(text, i)
    ids += [r.get("id", "") for r in doc["runs"]]
print(len(ids), len(set(ids)))'
}

# job N: a clone that records 2 runs on the shared commit and 1 on its own
# commit, pushes, and does it again; file:// for odd jobs, a path for even.
job() {
	local n=$1 dir="$WORK/job$1" url="$WORK/remote.git"
	[ $((n % 2)) -eq 1 ] && url="file://$WORK/remote.git"
	git clone -q "$url" "$dir" || return 1
	cd "$dir" || return 1
	for round in 1 2; do
		"$PERFGATE" run > /dev/null || return 1
		"$PERFGATE" run > /dev/null || return 1
		git commit -q --allow-empty -m "job $n round $round" || return 1
		"$PERFGATE" run > /dev/null || return 1
		git checkout -q "$BASE" 2> /dev/null || return 1
		"$PERFGATE" push || return 1
	done
}

pids=()
for n in $(seq 1 $JOBS); do
	job "$n" > "$WORK/job$n.out" 2> "$WORK/job$n.err" &
	pids+=($!)
done
failed=0
for n in $(seq 1 $JOBS); do
	if ! wait "${pids[$((n - 1))]}"; then
		failed=$((failed + 1))
		echo "job $n failed:"; tail -5 "$WORK/job$n.err"
	fi
done
[ "$failed" -eq 0 ] && pass || fail "$failed of $JOBS jobs failed"
expected=$((JOBS * 2 * 3))
read -r total distinct < <(runs_on "$WORK/remote.git")
echo "runs on the remote: $total ($distinct distinct), expected $expected"
[ "$total" = "$expected" ] && pass || fail "the remote has $total runs, expected $expected"
[ "$distinct" = "$expected" ] && pass || fail "the remote has $distinct distinct runs, expected $expected"
grep -h "attempt" "$WORK"/job*.err | sort | uniq -c

# every local store still has its own runs (a push never loses local ones)
for n in 1 2; do
	read -r t _ < <(runs_on "$WORK/job$n/.git")
	[ "$t" -ge 6 ] && pass || fail "job $n's local notes have $t runs"
done

# a fresh clone pulls everything; history reads it
git clone -q "$WORK/remote.git" "$WORK/fresh" && cd "$WORK/fresh" || exit 1
pg pull; expect_rc 0 "pull into a fresh clone"
read -r t _ < <(runs_on "$WORK/fresh/.git")
[ "$t" = "$expected" ] && pass || fail "the fresh clone pulled $t runs, expected $expected"
pg history sleepy/op -m time_per_op -f json; expect_rc 0 "history after pull"
expect_in "$OUT" "\"samples\": $((JOBS * 2 * 2 * 5))" "history sees every run of the shared commit"
pg pull; expect_rc 0 "pull again"
expect_in "$ERR" "nothing new" "a second pull has nothing new"
pg push; expect_rc 0 "push with nothing new"
expect_in "$ERR" "nothing to push" "push says there is nothing to push"

# --- one side's note does not parse -----------------------------------------
cd "$WORK/job1" || exit 1
"$PERFGATE" pull 2> /dev/null
"$PERFGATE" run > /dev/null
cd "$WORK/fresh" || exit 1
git notes --ref perf add -f -m 'not json {' "$BASE"
git push -q -f "$WORK/remote.git" refs/notes/perf:refs/notes/perf
cd "$WORK/job1" || exit 1
pg pull; expect_rc 0 "pull over an unreadable remote note"
expect_in "$ERR" "remote note of ${BASE:0:12} does not parse" "the warning names the note"
git notes --ref perf show "$BASE" | python3 -c 'import json, sys; json.load(sys.stdin)' && pass ||
	fail "the local note was replaced by the unreadable one"
git log --format=%s refs/notes/perf | grep -q "merge the remote" && pass || fail "no merge commit"
pg push; expect_rc 0 "push repairs the remote note"
git --git-dir="$WORK/remote.git" notes --ref perf show "$BASE" |
	python3 -c 'import json, sys; json.load(sys.stdin)' && pass || fail "the remote note is still unreadable"
git --git-dir="$WORK/remote.git" log -p refs/notes/perf | grep -q 'not json {' && pass ||
	fail "the unreadable note left the history"

# --- kill -9 in the middle ---------------------------------------------------
for i in 1 2 3 4; do
	for n in 3 4; do
		(cd "$WORK/job$n" && "$PERFGATE" run > /dev/null 2>&1 && exec "$PERFGATE" push > /dev/null 2>&1) &
		kpid=$!
		sleep "0.$((RANDOM % 9 + 1))"
		kill -9 "$kpid" 2> /dev/null
		pkill -9 -P "$kpid" 2> /dev/null
		wait "$kpid" 2> /dev/null
	done
done
for d in "$WORK/job3/.git" "$WORK/job4/.git" "$WORK/remote.git"; do
	runs_on "$d" > /dev/null && pass || fail "$d: notes unreadable after kill -9"
	git --git-dir="$d" fsck --no-dangling --connectivity-only 2> "$WORK/fsck" > /dev/null && pass ||
		{ fail "$d: fsck after kill -9"; cat "$WORK/fsck"; }
done
# a stale lock (kill -9 between lock and rename) is removed as git asks
find "$WORK"/job3/.git "$WORK"/job4/.git "$WORK/remote.git" -name 'perf.lock' -delete
for n in 3 4; do
	(cd "$WORK/job$n" && "$PERFGATE" push > /dev/null 2> "$WORK/err") && pass ||
		{ fail "push after kill -9 (job $n)"; cat "$WORK/err"; }
done
read -r r3 _ < <(runs_on "$WORK/job3/.git")
read -r r4 _ < <(runs_on "$WORK/job4/.git")
read -r rr rd < <(runs_on "$WORK/remote.git")
cd "$WORK/job3" && "$PERFGATE" pull 2> /dev/null
read -r r3b _ < <(runs_on "$WORK/job3/.git")
[ "$rr" = "$rd" ] && pass || fail "duplicated runs on the remote after kill -9 ($rr, $rd distinct)"
[ "$r3b" = "$rr" ] && pass || fail "after kill -9 and push: job3 has $r3b runs, the remote $rr"

# --- a smart remote: git daemon, receive-pack over git:// ------------------
# (what GitHub is: the server checks the ref's old value itself)
git clone -q --bare "$WORK/seed" "$WORK/daemon.git"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git daemon --reuseaddr --listen=127.0.0.1 --port="$PORT" --base-path="$WORK" --export-all \
	--enable=receive-pack "$WORK/daemon.git" 2> "$WORK/daemon.log" &
daemon=$!
for _ in $(seq 100); do
	git ls-remote "git://127.0.0.1:$PORT/daemon.git" > /dev/null 2>&1 && break
	sleep 0.1
done
smart_job() {
	git clone -q "$WORK/seed" "$WORK/smart$1" && cd "$WORK/smart$1" || return 1
	for round in 1 2; do
		"$PERFGATE" run > /dev/null || return 1
		"$PERFGATE" push --remote "git://127.0.0.1:$PORT/daemon.git" || return 1
	done
}
pids=()
for n in 1 2 3 4 5 6; do
	smart_job "$n" > "$WORK/smart$n.out" 2> "$WORK/smart$n.err" &
	pids+=($!)
done
failed=0
for n in 1 2 3 4 5 6; do
	wait "${pids[$((n - 1))]}" || { failed=$((failed + 1)); tail -3 "$WORK/smart$n.err"; }
done
kill "$daemon" 2> /dev/null; wait "$daemon" 2> /dev/null
[ "$failed" -eq 0 ] && pass || fail "$failed of 6 jobs pushing over git:// failed"
read -r total distinct < <(runs_on "$WORK/daemon.git")
echo "runs on the git:// remote: $total ($distinct distinct), expected 12"
[ "$total" = 12 ] && [ "$distinct" = 12 ] && pass || fail "the git:// remote has $total runs ($distinct distinct), expected 12"
grep -h "attempt" "$WORK"/smart*.err | sort | uniq -c

# --- usage and credentials ---------------------------------------------------
cd "$WORK/fresh" || exit 1
pg push --remote nosuchremote; expect_rc 2 "an unknown remote"
expect_in "$ERR" "no remote called 'nosuchremote'" "says which remote"
pg push --attempts -1; expect_rc 2 "bad --attempts"
sed 's/"notes:perf"/"dir:.perfgate"/' perfgate.json > "$WORK/dir.json"
pg pull -c "$WORK/dir.json"; expect_rc 2 "pull with a dir: store"
expect_in "$ERR" "shares the notes store" "says why"
# plain http: the token is never offered, never printed
python3 - "$WORK/port" "$WORK/auth" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[2], "a") as f:
            f.write("%s %s\n" % (self.path, self.headers.get("Authorization")))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="x"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.timeout = 20
for _ in range(6):
    s.handle_request()
PY
srv=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
TOKEN=ghs_secret_token_0123456789
GITHUB_TOKEN=$TOKEN GITHUB_SERVER_URL=http://127.0.0.1 pg pull --remote "http://127.0.0.1:$(cat "$WORK/port")/r.git"
expect_rc 3 "pull from a server refusing us"
expect_not_in "$OUT$ERR" "$TOKEN" "the token in the output"
kill "$srv" 2> /dev/null; wait "$srv" 2> /dev/null
grep -q "None" "$WORK/auth" && pass || fail "the fake server saw no request"
if grep -qv " None$" "$WORK/auth"; then fail "credentials sent over http: $(cat "$WORK/auth")"; else pass; fi
finish
