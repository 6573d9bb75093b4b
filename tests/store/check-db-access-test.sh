#!/bin/sh
# The ->db check passes on the tree and refuses a file that uses ->db.
# SPDX-License-Identifier: GPL-3.0-or-later
set -e
root="$1"
check="$(dirname "$0")/check-db-access.sh"
"$check" "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'sqlite3_prepare_v2 (store->db, "SELECT 1", -1, &stmt, NULL);\n' > "$tmp/bad.c"
if "$check" "$root" "$tmp/bad.c" 2>/dev/null; then
  echo "the check accepted store->db outside the store" >&2
  exit 1
fi
printf 'sqlite3_stmt *debug_db; x->dbx = 1;\n' > "$tmp/fine.c"
"$check" "$root" "$tmp/fine.c" >/dev/null
echo "ok"
