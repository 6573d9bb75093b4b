#!/bin/sh
# run-private-bus.sh — runs a test binary on its own D-Bus session bus, so that
# keyring states can be staged without touching the caller's keyring.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   run-private-bus.sh keyring    BINARY [ARGS…]  private bus + unlocked gnome-keyring
#   run-private-bus.sh no-service BINARY [ARGS…]  private bus, nothing can be activated
#   run-private-bus.sh no-bus     BINARY [ARGS…]  a bus address where nothing listens
#   run-private-bus.sh no-bus-autolaunch BINARY   no bus address and no display
set -eu

mode=$1
shift
export RL_PRIVATE_BUS_MODE="$mode"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rl-private-bus.XXXXXX")
cleanup () {
  # The daemon we started, by its pid (also when the test was interrupted).
  if [ -s "$tmp/keyring.pid" ]; then
    kill "$(cat "$tmp/keyring.pid")" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# The nested daemon keeps its sockets and keyrings here, never in the caller's.
mkdir -m 0700 "$tmp/runtime" "$tmp/data" "$tmp/config" "$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime" XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" HOME="$tmp"
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS || true

# A session bus with no service directories: no keyring can be auto-started.
cat > "$tmp/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=$tmp/runtime</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

case "$mode" in
  keyring)
    # The daemon runs in the foreground so that we know its pid and stop it.
    dbus-run-session --config-file="$tmp/bus.conf" -- sh -c '
      printf pass | gnome-keyring-daemon --foreground --unlock --components=secrets >"$0/keyring.log" 2>&1 &
      echo $! >"$0/keyring.pid"
      i=0
      until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
              --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true; do
        i=$((i + 1))
        if [ $i -gt 300 ]; then echo "gnome-keyring-daemon did not start" >&2; cat "$0/keyring.log" >&2; exit 1; fi
        sleep 0.1
      done
      "$@"
      status=$?
      kill "$(cat "$0/keyring.pid")" 2>/dev/null
      exit $status
    ' "$tmp" "$@"
    ;;
  no-service)
    dbus-run-session --config-file="$tmp/bus.conf" -- "$@"
    ;;
  no-bus)
    DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/runtime/no-such-bus" "$@"
    ;;
  no-bus-autolaunch)
    # No address and no display: GLib's "Cannot autolaunch D-Bus without X11 $DISPLAY".
    "$@"
    ;;
  *)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac
