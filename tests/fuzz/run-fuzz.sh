#!/bin/sh
# run-fuzz.sh — runs one libFuzzer target of tests/fuzz for a number of runs
# over its seed corpus, the way the suite `fuzz` and build-aux/fuzz.sh do.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-fuzz.sh EXE SEEDS WORKDIR RUNS MAX_LEN [fresh]
#   SEEDS    the target's seed corpus (read only)
#   WORKDIR  where the run keeps the inputs it finds (WORKDIR/corpus) and
#            a crashing input (WORKDIR/crash-…), created when missing
#   fresh    start WORKDIR/corpus empty (the suite: the same work each time)
# Exits non-zero on a crash, a sanitizer report, a leak or a timeout.
set -eu
exe="$1"; seeds="$2"; work="$3"; runs="$4"; max_len="$5"

if [ "${6:-}" = fresh ]; then
  rm -rf "$work/corpus"
fi
mkdir -p "$work/corpus"
# Leaks are findings too; a slow input (over 10 s) is a hang.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export GIO_USE_VFS=local
export GSETTINGS_BACKEND=memory
# GLib's slice allocator stays on: with G_SLICE=always-malloc a run is ~25
# times slower (LeakSanitizer scans after most inputs), and json-glib 1.6
# leaks the tree of a second top-level value ("{}{}"), which it accepts.
# Leaks of slice-allocated blocks (JsonNode, JsonObject, GHashTable) are
# then invisible here: the valgrind setup (G_SLICE=always-malloc) finds them
# in the unit tests (docs/testing.md).
# libFuzzer exits 77 on a finding by default: meson reads 77 as a skip.
exec "$exe" -error_exitcode=1 -timeout_exitcode=1 -runs="$runs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$seeds"
