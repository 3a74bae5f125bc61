# test_gate.sh - the core promise: history over several commits, then an
# unchanged commit passes, a 30 % slowdown is critical and fails the gate,
# a 15 % slowdown is a warning that passes under the default fail_on; the
# JUnit XML and HTML reports say the same.  The benchmark's samples are
# seeded (lib.sh): each change sits mid-band, 25 times the 2 % noise of a
# commit's median away from the nearest threshold.
. "${PG_E2E_LIB:?set PG_E2E_LIB to tests/e2e/lib.sh}" || exit 1

new_repo "$WORK/repo"
for i in 1 2 3 4 5 6; do
	git commit -q --allow-empty -m "main $i"
	pg run -q; expect_rc 0 "building history, commit $i"
done
count=$(find .perfgate/history -name '*.json' | wc -l)
[ "$count" -eq 6 ] && pass || fail "expected 6 stored runs, found $count"

# unchanged
git checkout -qb same main
git commit -q --allow-empty -m "touch nothing"
pg check; expect_rc 0 "unchanged commit"
expect_in "$OUT" "baseline: 6 commits (window 20) from main" "baseline line"
sev=$(severity_of sleepy/op time_per_op)
[ "$sev" = ok ] && pass || fail "unchanged commit: severity '$sev', expected ok"
expect_in "$OUT" "PASS" "unchanged verdict"

# 30 % slower
git checkout -q -b slow30 main
commit_cost 65 "make it 30% slower"
pg check; expect_rc 1 "30% slowdown"
sev=$(severity_of sleepy/op time_per_op)
[ "$sev" = critical ] && pass || fail "30% slowdown: severity '$sev', expected critical"
expect_in "$OUT" "FAIL: 1 critical of 1 (fail_on: critical)" "30% verdict"

# the same judgement as JUnit XML, read back by a real XML parser
pg compare --format junit --output "$WORK/junit.xml"; expect_rc 1 "junit report of the slowdown"
junit=$(python3 - "$WORK/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
case = suite.find("testcase")
failure = case.find("failure")
props = {p.get("name"): p.get("value") for p in suite.iter("property")}
print(suite.get("tests"), suite.get("failures"), suite.get("errors"), case.get("classname"),
      case.get("name"), failure.get("type"), props["verdict"], props["fail_on"])
PY
)
[ "$junit" = "1 1 0 sleepy/op time_per_op critical fail critical" ] && pass || fail "junit report: '$junit'"

# and as one HTML page: every element closed, in order, the slowdown's row marked critical
pg compare --format html --output "$WORK/report.html"; expect_rc 1 "html report of the slowdown"
html=$(python3 - "$WORK/report.html" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "img", "hr", "input", "link"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(); self.open = []; self.bad = []; self.rows = []
    def handle_starttag(self, tag, attrs):
        if tag == "tr": self.rows.append(dict(attrs).get("class"))
        if tag not in VOID and tag not in ("polyline",): self.open.append(tag)
    def handle_startendtag(self, tag, attrs): pass
    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag: self.bad.append(tag)
c = Check(); c.feed(open(sys.argv[1], encoding="utf-8").read())
print("balanced" if not c.open and not c.bad else "unbalanced %s %s" % (c.open, c.bad), c.rows)
PY
)
[ "$html" = "balanced [None, 'critical']" ] && pass || fail "html report: '$html'"

# 15 % slower: warning, passes with fail_on critical, fails with warning
git checkout -q -b slow15 main
commit_cost 57.5 "make it 15% slower"
pg check --no-store; expect_rc 0 "15% slowdown under fail_on critical"
sev=$(severity_of sleepy/op time_per_op)
[ "$sev" = warning ] && pass || fail "15% slowdown: severity '$sev', expected warning"
pg check --no-store --fail-on warning; expect_rc 1 "15% slowdown under --fail-on warning"
pg check --no-store --fail-on never; expect_rc 0 "15% slowdown under --fail-on never"

# 25 % faster: improved, passes
git checkout -q -b fast main
commit_cost 37.5 "make it faster"
pg check --format json; expect_rc 0 "improvement"
expect_in "$OUT" '"severity": "improved"' "improvement severity"
expect_in "$OUT" '"verdict": "pass"' "improvement verdict"

# back on main the stored slow branches do not pollute main's baseline
git checkout -q main
pg compare --format json; expect_rc 0 "compare on main"
expect_in "$OUT" '"commits": 5' "main's own results are excluded from its baseline"

finish
