#!/usr/bin/env bash
# test_changes.sh - `perfgate changes` on a real repository whose history
# was imported commit by commit from seeded files: a 10 % step at a known
# commit, a flat series, a drift; formats, --since, a hostile subject, and
# bad arguments.
. "$PG_E2E_LIB"

new_repo "$WORK/repo"
git commit -q --allow-empty -m "start"

# The harness JSON of commit I, in $WORK/h/I.json (seeded; 1 % noise per
# sample):
#   step/op  1000 ns up to commit 40, 1100 ns from commit 41 on
#   flat/op  500 ns throughout
#   drift/op 2000 ns, +0.5 % per commit from commit 30 to 49
mkdir -p "$WORK/h"
python3 - "$WORK/h" <<'PY'
import json, random, sys
for i in range(1, 81):
    rnd = random.Random(1000 + i)
    step = 1000 if i <= 40 else 1100
    drift = 2000 * 1.005 ** max(0, min(i, 50) - 30)
    def s(m):
        return [round(m * (1 + 0.01 * rnd.gauss(0, 1)), 3) for _ in range(5)]
    with open("%s/%d.json" % (sys.argv[1], i), "w") as f:
        json.dump({"format": "perfgate-bench", "version": 1, "benchmarks": [
            {"name": "step", "unit": "ns", "samples": s(step)},
            {"name": "flat", "unit": "ns", "samples": s(500)},
            {"name": "drift", "unit": "ns", "samples": s(drift)}]}, f)
PY

for i in $(seq 1 80); do
	if [ "$i" -eq 41 ]; then
		git commit -q --allow-empty -m "slow path | @octocat <b>x</b> [link](http://evil.example) $(printf '\033[2J')"
	else
		git commit -q --allow-empty -m "commit $i"
	fi
	[ "$i" -eq 41 ] && STEP_SHA=$(git rev-parse HEAD)
	[ "$i" -eq 20 ] && MID_SHA=$(git rev-parse HEAD)
	"$PERFGATE" import --format perfgate --name h "$WORK/h/$i.json" > /dev/null || fail "import $i"
done

pg changes -f json
expect_rc 0 "changes json"
echo "$OUT" > "$WORK/changes.json"
python3 - "$WORK/changes.json" "$STEP_SHA" <<'PY' || fail "changes json content"
import json, sys
d = json.load(open(sys.argv[1]))
step_sha = sys.argv[2]
assert d["format"] == "perfgate-changes" and d["version"] == 1, d
assert d["commits"] == 80 and d["series"] == 3, (d["commits"], d["series"])
by = {}
for c in d["changes"]:
    by.setdefault(c["benchmark"], []).append(c)
assert "h/flat" not in by, by.get("h/flat")
step = by["h/step"]
assert len(step) == 1, step
s = step[0]
assert s["commit"] == step_sha, (s["commit"], step_sha)
assert s["metric"] == "time_per_op" and s["unit"] == "ns"
assert 9 < s["change_pct"] < 11, s
assert abs(s["before"] - 1000) < 10 and abs(s["after"] - 1100) < 10, s
assert s["p"] < 1e-4 and s["severity"] == "warning", s
assert s["commits_before"] == 40 and s["commits_after"] == 40, s
assert s["subject"].startswith("slow path | @octocat"), s
for c in by["h/drift"]:
    assert c["change_pct"] > 0 and c["severity"] in ("notice", "warning", "critical", "ok"), c
print("ok", len(d["changes"]))
PY
# the drift's change points lie inside the drift (commits 30 to 50)
python3 - "$WORK/changes.json" <<'PY' || fail "drift located"
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
shas = subprocess.run(["git", "rev-list", "--first-parent", "--reverse", "HEAD"], capture_output=True,
                      text=True, check=True).stdout.split()
# shas[0] initial, shas[1] start, shas[1 + i] commit i
drift = [c for c in d["changes"] if c["benchmark"] == "h/drift"]
assert drift, "drift not found"
for c in drift:
    i = shas.index(c["commit"]) - 1
    assert 29 <= i <= 51, (i, c)
PY
pass

pg changes
expect_rc 0 "changes term"
expect_in "$OUT" "h/step time_per_op:" "term groups by series"
expect_in "$OUT" "warning" "term severity"
expect_in "$OUT" "${STEP_SHA:0:12}" "term commit"
expect_in "$OUT" "+10." "term change"
expect_not_in "$OUT" "h/flat" "flat series has no change point"
expect_not_in "$OUT" "$(printf '\033')" "term: no escape sequence from a subject"

pg changes -f markdown h/step
expect_rc 0 "changes markdown"
expect_in "$OUT" '| warning | h/step | time\_per\_op |' "markdown row"
expect_not_in "$OUT" "@octocat" "markdown: no @mention"
expect_not_in "$OUT" "<b>" "markdown: no HTML"
expect_in "$OUT" '\[link\](http:' "markdown: no link"
expect_not_in "$OUT" "h/drift" "BENCH filter"

# --since: only HEAD's history back to commit 20: the step is still there
pg changes --since "$MID_SHA" -f json h/step
expect_rc 0 "changes --since"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["commits"]==61 and len(d["changes"])==1, d' "$OUT" || fail "--since window"
# --since after the step: nothing
pg changes --since "$STEP_SHA" -f json h/step
expect_rc 0 "changes --since after the step"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["changes"]==[], d' "$OUT" || fail "--since after the step"

# -m filters metrics; an unknown benchmark warns
pg changes -m bytes_per_second -f json
expect_rc 0 "changes -m"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["series"]==0, d' "$OUT" || fail "-m filter"
pg changes no-such-bench
expect_rc 0 "unknown bench"
expect_in "$ERR" "no stored results for 'no-such-bench'" "unknown bench warns"

# bad arguments: usage errors (2)
pg changes -f xml
expect_rc 2 "bad format"
pg changes a b
expect_rc 2 "two names"
pg changes --since no-such-rev
expect_rc 2 "bad --since"
pg changes --base no-such-branch
expect_rc 2 "bad --base"
pg changes --since HEAD~1 --base main
expect_rc 2 "--since and --base"
pg changes -n -5
expect_rc 2 "bad --limit"
pg changes --help
expect_rc 0 "--help"
expect_in "$OUT" "--since REV" "--help lists --since"

finish
