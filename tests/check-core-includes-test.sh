#!/bin/sh
# The include check must pass on src/core and must fail on a file that includes GTK.
set -e
root="$1"
check="$root/build-aux/check-core-includes.sh"
# Every file under src/core, in every folder.
find "$root/src/core" -name '*.[ch]' -exec "$check" - {} +
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <gtk/gtk.h>\n' > "$tmp/bad.c"
if "$check" - "$tmp/bad.c" 2>/dev/null; then
  echo "include check accepted a GTK include" >&2
  exit 1
fi
printf '#  include <shumate/shumate.h>\n' > "$tmp/bad2.h"
if "$check" - "$tmp/bad2.h" 2>/dev/null; then
  echo "include check accepted a libshumate include" >&2
  exit 1
fi
echo "ok"
