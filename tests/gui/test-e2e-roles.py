# test-e2e-roles.py — signs in through the form with each role in turn (Sign
# Out in between) and checks that exactly that role's page tabs are on screen,
# and that a screen reader asking past the windows gets no CRITICAL.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (DEMO_PASSWORD, ROLE_TABS, Console, Devserver, fail, log,
                        scenario, wait_for)


def body(ws):
    server = Devserver(ws)
    console = Console(ws)
    for role in ("dispatcher", "support", "admin"):
        console.sign_in(server.url, "%s@demo.reloop.np" % role, DEMO_PASSWORD)
        wait_for(lambda: (console.status() or "").startswith(("Online", "Syncing")), 60,
                 "%s signed in" % role)
        expected = ROLE_TABS[role]
        tabs = wait_for(lambda: console.tabs() if console.tabs() == expected else None,
                        20, "the %s tabs %s (have %s)" % (role, sorted(expected), sorted(console.tabs())))
        log(role, "sees", sorted(tabs))
        if console.sign_in_visible():
            fail("the sign-in form is still on screen for %s" % role)
        console.ask_past_the_windows()  # no hidden window left behind

        console.click("push button", "Main Menu")
        console.click("menu item", "Sign Out", timeout=10)
        console.wait("push button", "Sign In", timeout=30)
        if console.tabs():
            fail("page tabs %s still on screen after signing out" % sorted(console.tabs()))
    console.kill()


scenario(body)
