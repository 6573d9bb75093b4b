#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer targets (tests/fuzz, clang, -Dfuzzing=true)
# and runs each for a number of runs over its seed corpus: the long run the
# suite's bounded one stands for (docs/testing.md "Fuzzing").
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   build-aux/fuzz.sh [--runs N] [TARGET…]     (default: 1000000 runs, every target)
#
# Targets run one after the other (each on one core). What a run finds
# stays in _build/fuzz/tests/fuzz/found/<target>/corpus; a crashing input is
# written as _build/fuzz/tests/fuzz/found/<target>/crash-… and ends the run.
# Ends with one JSON line per target (docs/benchmarks.md: bench "fuzz"):
#   {"bench":"fuzz","target":…,"runs":…,"crashes":…,"seconds":…,"corpus":…,"exec_per_s":…}
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

runs=1000000
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done

build_dir="_build/fuzz"
if [ -f "$build_dir/build.ninja" ]; then
  meson setup --reconfigure "$build_dir" >/dev/null
else
  CC=clang meson setup "$build_dir" -Dfuzzing=true -Dbuildtype=debugoptimized \
    -Db_lundef=false >/dev/null
fi
ninja -C "$build_dir"

if [ ${#targets[@]} -eq 0 ]; then
  targets=($(ls tests/fuzz/corpus))
fi

# The maximum input length of each target: tests/fuzz/meson.build's table.
max_len_of () {
  sed -n "s/^ *'$1': *\([0-9]*\),.*/\1/p" tests/fuzz/meson.build
}

status=0
lines=()
for t in "${targets[@]}"; do
  exe="$build_dir/tests/fuzz/fuzz-$t"
  work="$build_dir/tests/fuzz/found/$t"
  log="$work.log"
  mkdir -p "$work"
  echo "==> fuzz-$t: $runs runs (log: $log)"
  start=$(date +%s)
  crashes=0
  if ! tests/fuzz/run-fuzz.sh "$exe" "tests/fuzz/corpus/$t" "$work" "$runs" \
       "$(max_len_of "$t")" >"$log" 2>&1; then
    crashes=1
    status=1
    grep -a -m3 -E 'ERROR|SUMMARY|Test unit written' "$log" || true
  fi
  seconds=$(( $(date +%s) - start ))
  done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # Units in the run's corpus at its end (seeds and what it found that counts).
  corpus=$(grep -a -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  lines+=("{\"bench\":\"fuzz\",\"target\":\"$t\",\"runs\":${done_runs:-0},\"crashes\":$crashes,\"seconds\":$seconds,\"corpus\":${corpus:-0},\"exec_per_s\":${speed:-0}}")
done

printf '%s\n' "${lines[@]}"
exit $status
