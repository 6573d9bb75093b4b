#!/usr/bin/env bash
# demo.sh — the README's demo command: install missing Debian packages, build,
# then start a private mosquitto broker, reloop-devserver with its bin
# simulator, and (once the app exists) the console signed in as the demo admin.
# Everything runs on free loopback ports; nothing comes from the internet.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Options (environment): RL_DEMO_DROP_POINTS (default 2000), RL_DEMO_RATE
# (simulator messages per second, default 200), RL_DEMO_ACCOUNT (default
# admin@demo.reloop.np). Ctrl+C stops everything.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

bash build-aux/install-deps.sh

build_dir="_build/demo"
if [ -f "$build_dir/build.ninja" ]; then
  meson setup --reconfigure "$build_dir" -Dtests=false >/dev/null
else
  meson setup "$build_dir" -Dtests=false >/dev/null
fi
ninja -C "$build_dir"

free_port () {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

work="$(mktemp -d "${TMPDIR:-/tmp}/reloop-demo-XXXXXX")"
pids=()
cleanup () {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mqtt_port="$(free_port)"
cat > "$work/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
log_dest stderr
CONF
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
"$mosquitto_bin" -c "$work/mosquitto.conf" 2>"$work/mosquitto.log" &
pids+=($!)

# The devserver prints "LISTENING http://127.0.0.1:PORT" once it is ready.
mkfifo "$work/devserver.out"
"$build_dir/src/devserver/reloop-devserver" --port 0 \
  --db "$work/devserver.sqlite" \
  --drop-points "${RL_DEMO_DROP_POINTS:-2000}" \
  --mqtt "mqtt://127.0.0.1:$mqtt_port" --rate "${RL_DEMO_RATE:-200}" \
  >"$work/devserver.out" 2>"$work/devserver.log" &
pids+=($!)
read -r _ server_url < "$work/devserver.out"

echo
echo "ReLoop demo is running:"
echo "  devserver   $server_url   (log: $work/devserver.log)"
echo "  broker      mqtt://127.0.0.1:$mqtt_port"
echo "  tiles       $server_url/tiles/{z}/{x}/{y}.png"
echo "  accounts    admin@demo.reloop.np, admin2@demo.reloop.np, dispatcher@demo.reloop.np, support@demo.reloop.np"
echo "              password: reloop-demo"

console="$build_dir/src/reloop-console"
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "note: no D-Bus session bus: the console cannot keep its sign-in in the keyring" >&2
fi
if [ -x "$console" ]; then
  export RELOOP_DEMO_PASSWORD="reloop-demo"
  # Uninstalled build: schemas and translations from the build tree.
  export GSETTINGS_SCHEMA_DIR="$top/$build_dir/data"
  export RELOOP_LOCALEDIR="$top/$build_dir/po"
  "$console" --server "$server_url" --mqtt "mqtt://127.0.0.1:$mqtt_port" \
    --demo-account "${RL_DEMO_ACCOUNT:-admin@demo.reloop.np}"
else
  echo
  echo "The console application is not built yet; try for example:"
  echo "  curl -s -X POST -H 'Content-Type: application/json' \\"
  echo "       -d '{\"email\":\"admin@demo.reloop.np\",\"password\":\"reloop-demo\"}' $server_url/api/v1/auth/login"
  echo "  mosquitto_sub -p $mqtt_port -t 'devices/+/sensor-data' -C 5"
  echo
  echo "Press Ctrl+C to stop."
  wait "${pids[1]}"
fi
