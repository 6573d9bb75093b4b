#!/usr/bin/env python3
# check-sql.py — SQL in src/ takes its values only through bound parameters.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every C string literal in src/ that reads as SQL (a keyword such as SELECT,
# INSERT, UPDATE, DELETE, WHERE, VALUES, LIMIT) and holds a printf directive is
# checked:
#   - a directive inside quotes ('%s', '%d') puts a value into the text;
#   - a number directive (%d, %u, %ld, G_GINT64_FORMAT…) not written as a
#     parameter number (?%u) puts a value into the text;
#   - %s right after a comparison (=, <, >, LIKE) or opening VALUES ( / IN (
#     puts a value into the text (an identifier there is written tbl.%s or
#     %s.col, which stays allowed).
# %s elsewhere is an identifier or a fragment from the static tables (the
# schema's entities, the list specs): this check cannot tell where an
# argument comes from, so that rule is the code review's (docs/reliability.md).
# Also: sqlite3_exec with anything but a literal is refused in src/core.
# An exception carries "/* check-sql: allowed: <why> */" on its line or the
# line before (a fragment from a static table, a wrapper whose callers pass
# literals).
# Exit 1 and one line per finding when something is found.
import os
import re
import sys

# --expect N: exit 0 when exactly N findings (the check of the check).
args = sys.argv[1:]
expect = None
if len(args) >= 2 and args[0] == "--expect":
    expect = int(args[1])
    args = args[2:]
root = args[0] if args else "."
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|LIMIT|OFFSET|ORDER BY)\b")
QUOTED = re.compile(r"'%[-0-9.]*[a-z]+'")
NUMBER = re.compile(r"(?<!\?)%[-0-9.]*(?:l?l?[dui]|z[du])")
FORMAT_MACRO = re.compile(r'(?<!\?)%"\s*G_G(U?INT64|SIZE|SSIZE)_FORMAT')
VALUE_S = re.compile(r"(?:[=<>]|\bLIKE|\bVALUES\s*\(|\bIN\s*\()\s*%s(?!\.)")
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"(?:\s*G_G(?:U?INT64|SIZE|SSIZE)_FORMAT(?:\s*"(?:[^"\\\n]|\\.)*")?)*')
EXEC = re.compile(r"sqlite3_exec\s*\(\s*[^,]+,\s*([^,]+),")

ALLOW = "check-sql: allowed"


def allowed(text, line):
    # An exception says why on the line before or the line itself:
    # /* check-sql: allowed: <reason> */
    lines = text.split("\n")
    for n in (line - 4, line - 3, line - 2, line - 1):
        if 0 <= n < len(lines) and ALLOW + ":" in lines[n]:
            return True
    return False


findings = []
for dirpath, _, files in os.walk(os.path.join(root, "src")):
    for name in files:
        if not name.endswith(".c"):
            continue
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in STRING.finditer(text):
            s = m.group(0)
            if not SQL.search(s) or "%" not in s:
                continue
            line = text.count("\n", 0, m.start()) + 1
            if allowed(text, line):
                continue
            for rule, rx in (("quoted value", QUOTED), ("number value", NUMBER),
                             ("number value", FORMAT_MACRO), ("value %s", VALUE_S)):
                if rx.search(s):
                    findings.append("%s:%d: %s in SQL: %s" % (rel, line, rule, s[:100]))
        if "/core/" in path.replace(os.sep, "/"):
            for m in EXEC.finditer(text):
                arg = m.group(1).strip()
                if not arg.startswith('"'):
                    # A variable: fine only when it holds a literal the file defines.
                    line = text.count("\n", 0, m.start()) + 1
                    if allowed(text, line):
                        continue
                    findings.append("%s:%d: sqlite3_exec of a built string (%s): prepare and bind"
                                    % (rel, line, arg))

for f in findings:
    print(f)
print("check-sql: %d finding(s)" % len(findings), file=sys.stderr)
if expect is not None:
    sys.exit(0 if len(findings) == expect else 1)
sys.exit(1 if findings else 0)
