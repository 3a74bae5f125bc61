# test_bad_input.sh - malformed config, corrupt history, no repository, no
# commits, unknown revisions: one clear line, the documented exit status,
# and no history file changed or lost.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

# not a git repository: exit 3
mkdir -p "$WORK/plain" && cd "$WORK/plain"
pg run; expect_rc 3 "outside a repository"
expect_in "$ERR" "not inside a git repository" "no-repo message"

# a repository without commits: exit 3
mkdir -p "$WORK/empty" && cd "$WORK/empty" && git init -q
pg run; expect_rc 3 "no commits"
expect_in "$ERR" "commit something first" "unborn HEAD message"

new_repo "$WORK/repo"
for i in 1 2 3; do git commit -q --allow-empty -m "c$i"; pg run -q; expect_rc 0 "history $i"; done

# malformed config: exit 2, names file and field
cp perfgate.json good.json
echo '{"benchmarks": [ {"name": "x", "command": "true", "runs": "ten"} ]}' > perfgate.json
pg check; expect_rc 2 "bad config"
expect_in "$ERR" "perfgate.json: benchmarks[0].runs: expected a positive integer or \"auto\"" "bad field named"
[ "$(echo "$ERR" | wc -l)" -eq 1 ] && pass || fail "config error is not one line: $ERR"
printf '{"benchmarks": [' > perfgate.json
pg run; expect_rc 2 "truncated config"
expect_in "$ERR" "perfgate.json:1:" "truncated config position"
pg run -c nonexistent.json; expect_rc 2 "missing config"
expect_in "$ERR" "nonexistent.json: no such file" "missing config named"
cp good.json perfgate.json

# usage errors: exit 2, before anything is run or stored
stored=$(find .perfgate/history -name '*.json' | wc -l)
pg frobnicate; expect_rc 2 "unknown command"
pg check --fail-on sometimes; expect_rc 2 "bad --fail-on"
pg check --format yaml; expect_rc 2 "bad --format"
pg check --bogus; expect_rc 2 "unknown option"
expect_in "$ERR" "unknown option '--bogus'" "unknown option named"
now=$(find .perfgate/history -name '*.json' | wc -l)
[ "$now" -eq "$stored" ] && pass || fail "a usage error still ran and stored benchmarks"

# corrupt history: reported, skipped, never overwritten
victim=$(find .perfgate/history -name '*.json' | sort | head -1)
printf '{"format": "perfgate-run", "version": 1, "commit": "tr' > "$victim"
newer=$(find .perfgate/history -name '*.json' | sort | sed -n 2p)
sed -i 's/"version": 1/"version": 99/' "$newer"
before=$(cat "$victim" "$newer" | md5sum)
git commit -q --allow-empty -m "c4"
pg check; expect_rc 0 "check with corrupt history"
expect_in "$ERR" "$victim" "corrupt file named"
expect_in "$ERR" "malformed JSON" "corrupt file reason"
expect_in "$ERR" "written by a newer perfgate (format version 99" "newer format named"
expect_in "$ERR" "skipped" "skipped said"
expect_in "$OUT" "baseline: 1 commit " "only the intact commit is used"
after=$(cat "$victim" "$newer" | md5sum)
[ "$before" = "$after" ] && pass || fail "a corrupt history file was modified"

# unknown base revision: exit 3
pg compare --base no-such-branch; expect_rc 3 "unknown --base"
expect_in "$ERR" "unknown revision 'no-such-branch'" "unknown revision named"
# base branch missing entirely
sed -i 's/"window": 20/"base": "develop", "window": 20/' perfgate.json
pg compare; expect_rc 3 "missing base branch"
expect_in "$ERR" "base branch 'develop' not found" "missing base named"
cp good.json perfgate.json

# compare with nothing stored for HEAD: exit 3 with advice
git commit -q --allow-empty -m "c5"
pg compare; expect_rc 3 "compare without results"
expect_in "$ERR" "run \`perfgate run\` first" "advice given"
# perfgate.json committed as a link to /dev/zero: bounded read, exit 2
mv perfgate.json real.json
ln -s /dev/zero perfgate.json
pg run; expect_rc 2 "perfgate.json -> /dev/zero"
expect_in "$ERR" "perfgate.json: is larger than 64 MiB" "the bound named"
rm perfgate.json
mv real.json perfgate.json
finish
