#!/bin/sh
# check-format.sh — every C file under src/ and tests/ is formatted as .clang-format says.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: check-format.sh SOURCE_ROOT [CLANG_FORMAT]
# Fix a failure with: clang-format -i FILE (the same version as CI: Debian 12's 14).
set -eu
root="$1"
clang_format="${2:-clang-format}"
cd "$root"
files=$(find src tests -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "no C files found under $root" >&2; exit 1; }
# shellcheck disable=SC2086
"$clang_format" --style=file --dry-run --Werror $files
echo "$(echo "$files" | wc -l) files formatted"
