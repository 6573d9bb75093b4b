#!/usr/bin/env python3
# test-summary.py — count results in meson testlog.json files.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prints one line per log, then the closing line "N passed, N failed, N skipped".
# Exits 1 when anything failed or when no test ran at all.
import json
import os
import sys

PASS = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}

total = {"passed": 0, "failed": 0, "skipped": 0}
for path in sys.argv[1:]:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    failed = []
    if not os.path.exists(path):
        print(f"{path}: missing (the run did not happen)")
        counts["failed"] += 1
    else:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                entry = json.loads(line)
                result = entry.get("result")
                if result in PASS:
                    counts["passed"] += 1
                elif result in SKIP:
                    counts["skipped"] += 1
                else:
                    counts["failed"] += 1
                    failed.append(f'{entry.get("name")} ({result})')
    label = os.path.basename(os.path.dirname(os.path.dirname(path))) or path
    print(f'{label}: {counts["passed"]} passed, {counts["failed"]} failed, {counts["skipped"]} skipped'
          + (f' — failed: {", ".join(failed)}' if failed else ""))
    for k in total:
        total[k] += counts[k]

print(f'{total["passed"]} passed, {total["failed"]} failed, {total["skipped"]} skipped')
sys.exit(1 if total["failed"] or total["passed"] == 0 else 0)
