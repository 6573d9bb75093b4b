#!/bin/sh
# check-core-includes.sh — fail when a src/core file includes GTK, libadwaita or libshumate.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: check-core-includes.sh STAMP FILE...
stamp="$1"; shift
bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|adwaita|adw-|shumate/)' "$@" 2>/dev/null)
if [ -n "$bad" ]; then
  echo "src/core must not include GTK, libadwaita or libshumate headers:" >&2
  echo "$bad" >&2
  exit 1
fi
[ -n "$stamp" ] && [ "$stamp" != "-" ] && : > "$stamp"
exit 0
