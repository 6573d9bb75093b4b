#!/bin/sh
# check-db-access.sh — only src/core/store touches the cache's SQLite
# connection (RlStore's ->db); everything else goes through rl_store_prepare
# and the store's helpers (rl-store-private.h). Not counted: the devserver's
# own database and the MBTiles file that src/map/rl-tile-sources.c reads.
# With a second argument, checks that file alone (the test proves the check
# can fail).
# SPDX-License-Identifier: GPL-3.0-or-later
set -e
root="$1"

check () {
  grep -nE -- '->db([^_a-zA-Z0-9]|$)' "$@" || true
}

if [ -n "$2" ]; then
  found=$(check "$2")
else
  found=$(find "$root/src" -name '*.[ch]' \
            ! -path "$root/src/core/store/*" \
            ! -path "$root/src/devserver/*" \
            ! -path "$root/src/map/rl-tile-sources.c" \
            -exec grep -nHE -- '->db([^_a-zA-Z0-9]|$)' {} + || true)
fi
if [ -n "$found" ]; then
  echo "the cache's connection used outside src/core/store:" >&2
  echo "$found" >&2
  exit 1
fi
echo "ok"
