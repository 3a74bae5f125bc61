# test_shards.sh - `--shard K/N`, `compare` over the stored shards and
# `merge` of shard files:
#   - 3 shards run as 3 processes at once give the same judgement (rows,
#     severities, changes) as one unsharded run of the same seeded samples
#     (each benchmark draws from its own counter file, so its samples do not
#     depend on which process measured it or when);
#   - the shares are deterministic, each benchmark in exactly one, balanced
#     by the durations in the history once there are some;
#   - a missing shard is reported and fails the gate: compare over the
#     store, compare --input of a merge or of one shard file;
#   - check --shard judges its own share only;
#   - merge refuses hostile or inconsistent files with one line.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

BENCHES="b1 b2 b3 b4 b5 b6 b7"
mkdir -p "$WORK/ctr"
bench_json() { # NAME: a synth benchmark with its own cost file and counter
	printf '{ "name": "%s", "command": ["%s", "synth", "cost_%s"], "format": "perfgate", "env": { "PG_TESTBENCH_COUNTER": "%s/ctr/%s" } }' \
		"$1" "$PG_TESTBENCH" "$1" "$WORK" "$1"
}
mkdir -p "$WORK/repo" && cd "$WORK/repo" || exit 1
git init -q -b main
list=""
for b in $BENCHES; do
	list="$list${list:+, }$(bench_json "$b")"
	echo 50 > "cost_$b"
done
printf '{ "window": 20, "min_history": 5, "benchmarks": [ %s ] }\n' "$list" > perfgate.json
echo .perfgate/ > .gitignore
git add -A && git commit -qm initial

# history: 6 commits, unsharded
for i in 1 2 3 4 5 6; do
	git commit -q --allow-empty -m "history $i"
	pg run -q; expect_rc 0 "history run $i"
done
git checkout -q -b topic
echo 65 > cost_b2   # +30 %: critical
echo 45 > cost_b5   # -10 %: improved
git commit -qam "change b2 and b5"
cp -r "$WORK/ctr" "$WORK/ctr.saved"

# one unsharded run (not stored), judged
pg run --no-store -o "$WORK/whole.json" -q; expect_rc 0 "unsharded run"
pg compare --input "$WORK/whole.json" -f json -o "$WORK/whole-report.json"; expect_rc 1 "unsharded judgement fails (b2)"

# the same samples in 3 shards, 3 processes at once
rm -rf "$WORK/ctr" && cp -r "$WORK/ctr.saved" "$WORK/ctr"
for k in 1 2 3; do
	"$PERFGATE" run --shard "$k/3" -o "$WORK/s$k.json" > "$WORK/s$k.out" 2> "$WORK/s$k.err" &
	eval "pid$k=$!"
done
for k in 1 2 3; do
	eval "wait \$pid$k"; rc=$?
	[ $rc -eq 0 ] && pass || { fail "shard $k exited $rc"; cat "$WORK/s$k.err"; }
	expect_in "$(cat "$WORK/s$k.err")" "shard $k/3:" "shard $k says its share"
	expect_in "$(cat "$WORK/s$k.err")" "balanced by their last durations" "shard $k balances by durations"
done
# each benchmark in exactly one shard
all=$(python3 -c '
import json, sys
names = []
for f in sys.argv[1:]:
    d = json.load(open(f))
    assert d["shard"]["count"] == 3, d["shard"]
    names += [b["name"] for b in d["benchmarks"]]
print(" ".join(sorted(names)))' "$WORK"/s1.json "$WORK"/s2.json "$WORK"/s3.json)
[ "$all" = "b1/op b2/op b3/op b4/op b5/op b6/op b7/op" ] && pass || fail "shards measured: $all"

rows() { # REPORT.json: "bench metric severity change" per row, sorted
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for row in sorted(r["results"], key=lambda x: (x["benchmark"], x.get("metric") or "")):
    print(row["benchmark"], row.get("metric"), row["severity"], row.get("change_pct"), row.get("current"), row.get("baseline"))
print("verdict", r.get("verdict"))' "$1"
}
rows "$WORK/whole-report.json" > "$WORK/whole.rows" || fail "cannot read the unsharded report"
cat "$WORK/whole.rows"
expect_in "$(cat "$WORK/whole.rows")" "b2/op time_per_op critical" "b2 is critical"
expect_in "$(cat "$WORK/whole.rows")" "b5/op time_per_op improved" "b5 improved"

# compare over the stored shards
pg compare -f json -o "$WORK/stored-report.json"; expect_rc 1 "compare over the stored shards"
rows "$WORK/stored-report.json" > "$WORK/stored.rows"
diff "$WORK/whole.rows" "$WORK/stored.rows" > "$WORK/diff" && pass ||
	{ fail "stored shards judged otherwise than the unsharded run:"; cat "$WORK/diff"; }
# merge of the shard files
pg merge "$WORK/s3.json" "$WORK/s1.json" "$WORK/s2.json" -o "$WORK/merged.json"; expect_rc 0 "merge"
pg compare --input "$WORK/merged.json" -f json -o "$WORK/merged-report.json"; expect_rc 1 "compare the merge"
rows "$WORK/merged-report.json" > "$WORK/merged.rows"
diff "$WORK/whole.rows" "$WORK/merged.rows" > "$WORK/diff" && pass ||
	{ fail "merged shards judged otherwise than the unsharded run:"; cat "$WORK/diff"; }

# --- a missing shard fails the gate -----------------------------------------
pg merge "$WORK/s1.json" "$WORK/s3.json" -o "$WORK/partial.json"; expect_rc 0 "merge of 2 of 3 shards"
expect_in "$ERR" "shard 2 of 3 was not stored" "merge warns about shard 2"
lost=$(python3 -c 'import json; print(len(json.load(open("'"$WORK"'/s2.json"))["benchmarks"]))')
# restore b2's and b5's costs so that only the missing shard can fail
pg compare --input "$WORK/partial.json" --fail-on never; expect_rc 1 "a missing shard fails even with --fail-on never"
expect_in "$OUT" "not measured: shard 2 of 3 missing" "the report says which shard"
pg merge "$WORK/s1.json" "$WORK/no-such-s2.json" "$WORK/s3.json" -o "$WORK/absent.json"
expect_rc 0 "merge with a shard file that was never uploaded"
expect_in "$ERR" "shard 2 of 3 was not stored" "an absent file is a missing shard"
pg compare --input "$WORK/absent.json" --fail-on never; expect_rc 1 "an absent shard file fails the gate"
expect_in "$OUT" "not measured: shard 2 of 3 missing" "the report says which shard"
pg merge "$WORK/no-such-1.json" "$WORK/no-such-2.json" -o "$WORK/x.json"; expect_rc 3 "no file exists"
expect_in "$ERR" "no-such-1.json: no such file" "names the absent file"
sed 's/"count": 3/"count": 4/' "$WORK/s2.json" > "$WORK/s2of4.json"
pg merge "$WORK/s1.json" "$WORK/s2of4.json" -o "$WORK/x.json"; expect_rc 3 "shards of 3 and of 4"
expect_in "$ERR" "merge the shards of one matrix only" "says why"
pg compare --input "$WORK/s1.json"; expect_rc 1 "one shard file alone"
expect_in "$OUT" "shards 2, 3 of 3 missing" "names both missing shards"
git commit -q --allow-empty -m "another commit"
rm -rf "$WORK/ctr" && cp -r "$WORK/ctr.saved" "$WORK/ctr"
pg run --shard 1/3 -q; expect_rc 0 "shard 1 of a new commit"
pg run --shard 3/3 -q; expect_rc 0 "shard 3 of a new commit"
pg compare --fail-on never; expect_rc 1 "compare with a shard missing in the store"
expect_in "$ERR" "shard 2 of 3 was not stored" "compare warns about the missing shard"
pg run --shard 2/3 -q; expect_rc 0 "the missing shard comes"
pg compare --fail-on never; expect_rc 0 "compare with every shard"

# --- check --shard judges its own share ---------------------------------------
rm -rf "$WORK/ctr" && cp -r "$WORK/ctr.saved" "$WORK/ctr"
fails=0
for k in 1 2 3; do
	pg check --shard "$k/3" --no-store -f json -o "$WORK/c$k.json"
	[ "$RC" -eq 1 ] && fails=$((fails + 1))
	n=$(python3 -c 'import json; print(len(json.load(open("'"$WORK/c$k.json"'"))["results"]))')
	m=$(python3 -c 'import json; print(len(json.load(open("'"$WORK/s$k.json"'"))["benchmarks"]))')
	[ "$n" = "$m" ] && pass || fail "check --shard $k/3 judged $n rows, its share has $m"
done
[ "$fails" -eq 1 ] && pass || fail "$fails shards failed the gate, expected exactly the one with b2"

# --- usage and hostile files ---------------------------------------------------
for bad in 0/3 4/3 3 a/b 1/0 1/1001 "1/3x" "-1/3" "1/ 3" ""; do
	pg run --shard "$bad" --no-store; expect_rc 2 "--shard '$bad'"
done
expect_in "$ERR" "--shard: expected K/N" "says what --shard takes"
pg merge -o "$WORK/x.json"; expect_rc 2 "merge without files"
pg merge "$WORK/s1.json" "$WORK/s1.json" -o "$WORK/x.json"; expect_rc 3 "the same shard twice"
expect_in "$ERR" "are both shard" "says which"
head -c 300 "$WORK/s2.json" > "$WORK/trunc.json"
pg merge "$WORK/s1.json" "$WORK/trunc.json" -o "$WORK/x.json"; expect_rc 3 "a truncated file"
expect_in "$ERR" "trunc.json" "names the file"
sed 's/"count": 3/"count": 100000/' "$WORK/s2.json" > "$WORK/huge.json"
pg merge "$WORK/huge.json" -o "$WORK/x.json"; expect_rc 3 "a huge shard count"
expect_in "$ERR" "\"shard\"" "names the field"
sed 's/"index": 2/"index": 1.5/' "$WORK/s2.json" > "$WORK/frac.json"
pg merge "$WORK/frac.json" -o "$WORK/x.json"; expect_rc 3 "a fractional shard index"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); d["commit"] = "f" * 40
json.dump(d, open(sys.argv[2], "w"))' "$WORK/s2.json" "$WORK/other.json"
pg merge "$WORK/s1.json" "$WORK/other.json" -o "$WORK/x.json"; expect_rc 3 "another commit"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); d["shard"]["index"] = 2
d["durations"] = {"b1": 1e999 if False else -1, "x\u202e": 5, "b2": "slow"}
json.dump(d, open(sys.argv[2], "w"))' "$WORK/s1.json" "$WORK/dup.json"
pg merge "$WORK/s1.json" "$WORK/dup.json" -o "$WORK/x.json"; expect_rc 3 "a benchmark in two files"
expect_in "$ERR" "in another of the files" "says so"
[ ! -e "$WORK/x.json" ] && pass || fail "a refused merge wrote its output"
finish
