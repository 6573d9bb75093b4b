# test-e2e-sign-out.py — Sign Out from the primary menu returns to the form
# and leaves no token of that server in the keyring.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (DEMO_PASSWORD, Console, Devserver, fail, keyring_items, log,
                        scenario, wait_for)


def body(ws):
    server = Devserver(ws)
    console = Console(ws, ["--server", server.url, "--demo-account", "admin@demo.reloop.np"],
                      demo_password=DEMO_PASSWORD)
    wait_for(lambda: (console.status() or "").startswith("Online"), 60, "the status Online")
    if not keyring_items("api-refresh-token", server.url):
        fail("no refresh token in the keyring after signing in")

    console.click("push button", "Main Menu")
    console.click("menu item", "Sign Out", timeout=10)
    console.wait("push button", "Sign In", timeout=30)
    wait_for(lambda: console.status() in (None, "Signed out"), 10, "the status Signed out")

    for kind in ("api-refresh-token", "api-access-token"):
        items = keyring_items(kind, server.url)
        if items:
            fail("%d %s item(s) left in the keyring after signing out" % (items, kind))
    log("no tokens left for", server.url)
    console.kill()


scenario(body)
