#!/usr/bin/env bash
# test.sh — the README's test command: install missing Debian packages, build,
# and run the whole suite the way CI does.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# 1. a normal build (-Dwerror=true) runs every suite (unit, integration, gui,
#    slow, bench)
# 2. an ASan+UBSan build runs unit, integration and slow again
# 3. a clang build with libFuzzer (-Dfuzzing=true: the core and tests/fuzz
#    only) runs each fuzz target for a bounded number of runs (suite fuzz;
#    build-aux/fuzz.sh runs each for 1,000,000: docs/testing.md "Fuzzing")
# Both run inside Xvfb + a private D-Bus session with an unlocked gnome-keyring;
# brokers (mosquitto, and RabbitMQ for the slow suite) and devservers are
# started by the tests themselves on free loopback ports. Ends with one line "N passed, N failed, N skipped" from meson's
# testlog.json files.
#
# Environment: RL_SKIP_ASAN=1 skips the sanitizer pass (quicker local runs),
# RL_SKIP_FUZZ=1 the fuzz targets,
# RL_TEST_ARGS adds arguments to `meson test` (e.g. "--suite unit").
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

bash build-aux/install-deps.sh

build_dir="_build/test"
asan_dir="_build/asan"
fuzz_dir="_build/fuzz"
jobs="$(nproc 2>/dev/null || echo 2)"

setup () {
  local dir="$1"; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
  ninja -C "$dir" -j "$jobs"
}

echo "==> building ($build_dir)"
setup "$build_dir" -Dwerror=true -Dbuildtype=debugoptimized

if [ "${RL_SKIP_ASAN:-0}" != "1" ]; then
  echo "==> building with AddressSanitizer + UndefinedBehaviorSanitizer ($asan_dir)"
  setup "$asan_dir" -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
fi

if [ "${RL_SKIP_FUZZ:-0}" != "1" ]; then
  echo "==> building the fuzz targets with clang and libFuzzer ($fuzz_dir)"
  CC=clang setup "$fuzz_dir" -Dfuzzing=true -Dwerror=true -Dbuildtype=debugoptimized -Db_lundef=false
fi

# Private, throw-away homes: the keyring, caches and data of the tests never
# touch the user's.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/reloop-test-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch"/{data,config,cache,runtime}
chmod 700 "$scratch/runtime"

run_suites () {
  local dir="$1"; shift
  rm -f "$dir/meson-logs/testlog.json"
  XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
  XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime" \
  xvfb-run -a -s "-screen 0 1400x900x24 -nolisten tcp -noreset" \
    dbus-run-session -- bash -c '
      set -e
      # Unlock (and on first use create) the login keyring before any libsecret call.
      eval "$(printf pass | gnome-keyring-daemon --unlock --components=secrets)"
      export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
      dir="$1"; shift
      meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 2 "$@"
    ' run-suites "$dir" "$@"
}

status=0
echo "==> running the suite ($build_dir)"
# shellcheck disable=SC2086
run_suites "$build_dir" ${RL_TEST_ARGS:-} || status=1

if [ "${RL_SKIP_ASAN:-0}" != "1" ]; then
  echo "==> running unit, integration and slow tests under ASan+UBSan ($asan_dir)"
  # shellcheck disable=SC2086
  run_suites "$asan_dir" --suite unit --suite integration --suite slow --timeout-multiplier 3 ${RL_TEST_ARGS:-} || status=1
fi

if [ "${RL_SKIP_FUZZ:-0}" != "1" ]; then
  echo "==> running the fuzz targets, a bounded number of runs each ($fuzz_dir)"
  # No display or keyring: the targets link the core only.
  rm -f "$fuzz_dir/meson-logs/testlog.json"
  XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" \
    meson test -C "$fuzz_dir" --no-rebuild --print-errorlogs --num-processes 1 --suite fuzz \
    || status=1
fi

logs=("$build_dir/meson-logs/testlog.json")
[ "${RL_SKIP_ASAN:-0}" != "1" ] && logs+=("$asan_dir/meson-logs/testlog.json")
[ "${RL_SKIP_FUZZ:-0}" != "1" ] && logs+=("$fuzz_dir/meson-logs/testlog.json")
python3 build-aux/test-summary.py "${logs[@]}" || status=1
exit $status
