#!/usr/bin/env python3
"""bench/gen_config.py N [FILE] - writes a perfgate.json with N benchmarks
(every third one an imported-format family, so that result-to-benchmark
lookups are exercised too), for measuring how long the config takes to load."""
import json
import sys

n = int(sys.argv[1])
out = sys.argv[2] if len(sys.argv) > 2 else "perfgate.json"
benches = []
for i in range(n):
    b = {"name": "suite%d/bench-%06d" % (i % 97, i), "command": ["true"], "runs": 3}
    if i % 3 == 0:
        b["format"] = "gbench"
    benches.append(b)
with open(out, "w") as f:
    json.dump({"store": "dir:.perfgate/history", "benchmarks": benches}, f)
