#!/bin/sh
# valgrind-wrapper.sh — the exe wrapper of the valgrind test setup
# (tests/meson.build): runs a test program built here under memcheck with
# the given valgrind arguments; anything else (a script and its interpreter,
# desktop-file-validate, appstream-util) runs as it is: not ours to check.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   valgrind-wrapper.sh BUILD_ROOT VALGRIND [VALGRIND-ARGS…] -- PROGRAM [ARGS…]
set -eu
build_root="$1"; shift
valgrind="$1"; shift
args=""
while [ "$1" != "--" ]; do
  args="$args $1"; shift
done
shift
case "$1" in
  "$build_root"/*)
    if [ "$(head -c 4 "$1" 2>/dev/null)" = "$(printf '\177ELF')" ]; then
      # shellcheck disable=SC2086
      exec "$valgrind" $args "$@"
    fi
    ;;
esac
exec "$@"
