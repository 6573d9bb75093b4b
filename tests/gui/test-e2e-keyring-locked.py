# test-e2e-keyring-locked.py — with the keyring locked, signing in still
# works and the console says plainly that it cannot keep the sign-in.
#
# Runs on a private D-Bus session of its own, where the Secret Service is
# activated on demand and stays locked (no one unlocks it); the bus and
# what it activated go away with it.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import signal
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

# Without DISPLAY: the accessibility bus launcher this bus activates would
# otherwise point the X root window's AT_SPI_BUS at itself, and leave it
# dangling for the scenarios that run after this one.
bus_env = dict(os.environ)
bus_env.pop("DISPLAY", None)
bus = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                     check=True, capture_output=True, text=True, env=bus_env).stdout.split()
bus_address, bus_pid = bus[0], int(bus[1])
os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus_address

# A keyring daemon of this session's own, with its own files and control
# socket (sharing the outer session's runtime dir would make it hand over to
# the outer daemon, or hang): create the login keyring unlocked, then lock it.
keyring_home = tempfile.mkdtemp(prefix="rl-keyring-locked-")
for sub in ("data", "runtime"):
    os.makedirs(os.path.join(keyring_home, sub), mode=0o700)
keyring_env = dict(os.environ)
keyring_env.pop("DISPLAY", None)
keyring_env["XDG_DATA_HOME"] = os.path.join(keyring_home, "data")
keyring_env["XDG_RUNTIME_DIR"] = os.path.join(keyring_home, "runtime")
subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"], input="pass",
               check=True, capture_output=True, text=True, env=keyring_env)
subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.secrets",
                "--object-path", "/org/freedesktop/secrets",
                "--method", "org.freedesktop.Secret.Service.Lock",
                "['/org/freedesktop/secrets/collection/login']"],
               check=True, capture_output=True, text=True, timeout=30)
# The accessibility bus of this session, for pyatspi (imported below) and the
# console: libatspi would otherwise follow the X root window's AT_SPI_BUS,
# which names the outer session's.
reply = subprocess.run(["gdbus", "call", "--session", "--dest", "org.a11y.Bus",
                        "--object-path", "/org/a11y/bus", "--method", "org.a11y.Bus.GetAddress"],
                       check=True, capture_output=True, text=True).stdout
os.environ["AT_SPI_BUS_ADDRESS"] = reply.strip().split("'")[1]

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import DEMO_PASSWORD, Console, Devserver, fail, log, scenario, wait_for  # noqa: E402

LOCKED_MESSAGE = "The keyring is locked: you will have to sign in again next time."


def body(ws):
    server = Devserver(ws)
    console = Console(ws, ["--server", server.url, "--demo-account", "dispatcher@demo.reloop.np"],
                      demo_password=DEMO_PASSWORD)
    wait_for(lambda: (console.status() or "").startswith("Online"), 60, "the status Online with a locked keyring")
    console.wait("label", LOCKED_MESSAGE, timeout=20)
    log("told:", LOCKED_MESSAGE)
    if console.sign_in_visible():
        fail("the sign-in form is on screen although the server accepted the password")
    console.kill()


try:
    scenario(body)
finally:
    os.kill(bus_pid, signal.SIGTERM)
    shutil.rmtree(keyring_home, ignore_errors=True)
