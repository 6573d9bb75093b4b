# test-e2e-wrong-password.py — a wrong password shows the server's own
# message in place, and the form stays.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Console, Devserver, fail, log, scenario

# What reloop-devserver answers to a wrong password (401 UNAUTHORIZED).
SERVER_MESSAGE = "Wrong email or password"


def body(ws):
    server = Devserver(ws)
    console = Console(ws)
    console.sign_in(server.url, "dispatcher@demo.reloop.np", "not-the-password")
    label = console.wait("label", match=lambda n: SERVER_MESSAGE in n, timeout=30)
    log("shown:", label.name)
    if not console.sign_in_visible():
        fail("the sign-in form went away after a refused password")
    if console.status() not in (None, "Signed out"):
        fail("status is %r after a refused password" % console.status())

    # A server address that is not allowed is refused in place, before any request.
    console.sign_in("http://192.0.2.1", "dispatcher@demo.reloop.np", "whatever")
    console.wait("label", match=lambda n: "Plain http:// is only allowed" in n, timeout=10)
    console.kill()


scenario(body)
