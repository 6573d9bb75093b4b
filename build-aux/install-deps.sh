#!/usr/bin/env bash
# install-deps.sh — install the Debian 12 packages ReLoop Console needs to build, run and test.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs only what is missing; uses sudo when not root. Safe to run repeatedly.
set -euo pipefail

PACKAGES=(
  # build
  build-essential meson ninja-build pkg-config gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libshumate-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libsqlite3-dev
  libmosquitto-dev libcairo2-dev
  # run: broker, keyring, demo
  mosquitto mosquitto-clients gnome-keyring dbus dbus-x11 libsecret-tools
  # test (openssl makes the TLS tests' certificates; rabbitmq-server is the
  # second broker of the slow suite, started by the tests, never as a service)
  openssl rabbitmq-server
  # the feed-record test makes a locale with a decimal comma (localedef + sources)
  locales
  xvfb xauth at-spi2-core python3 python3-gi python3-pyatspi gir1.2-atspi-2.0
  desktop-file-utils appstream-util flatpak-builder sqlite3 curl imagemagick
  libclang-rt-14-dev clang clang-format
  # memcheck for the valgrind test setup (meson test --setup valgrind)
  valgrind
  # fonts: Latin and Devanagari render in screenshots
  fonts-cantarell fonts-noto-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

# The slow suite starts its own RabbitMQ node and epmd on free loopback ports:
# the service and the all-interfaces epmd socket the packages enable are not
# wanted (stopped and disabled only when this run installed them).
for p in "${missing[@]}"; do
  if [ "$p" = rabbitmq-server ] && command -v systemctl >/dev/null; then
    $SUDO systemctl disable --now rabbitmq-server.service epmd.socket epmd.service >/dev/null 2>&1 || true
  fi
done
