# test-e2e-offline.py — stopping the server turns the status to offline
# within 10 s; starting it again (same database, same port) turns it back
# to online.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import DEMO_PASSWORD, Console, Devserver, fail, log, scenario, wait_for


def body(ws):
    server = Devserver(ws)
    console = Console(ws, ["--server", server.url, "--demo-account", "dispatcher@demo.reloop.np"],
                      demo_password=DEMO_PASSWORD)
    wait_for(lambda: (console.status() or "").startswith("Online"), 60, "the status Online")

    server.stop()
    stopped = time.monotonic()
    status = wait_for(lambda: console.status() if (console.status() or "").startswith("Offline") else None,
                      10, "the status Offline within 10 s of the server stopping")
    log("offline after %.1f s: %r" % (time.monotonic() - stopped, status))
    if "since" not in status or "waiting" not in status:
        fail("the offline status does not say since when and what is waiting: %r" % status)
    if console.sign_in_visible():
        fail("going offline signed the user out")

    server.restart()
    restarted = time.monotonic()
    wait_for(lambda: (console.status() or "").startswith("Online"), 30, "the status Online after the restart")
    log("online again after %.1f s" % (time.monotonic() - restarted))
    console.kill()


scenario(body)
