# test-e2e-restore.py — after a sign-in, starting the console again goes
# straight to the main view with the refresh token from the keyring: the
# sign-in form never shows, and the page last shown comes back.
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
    first = Console(ws, ["--server", server.url, "--demo-account", "support@demo.reloop.np"],
                    demo_password=DEMO_PASSWORD)
    wait_for(lambda: (first.status() or "").startswith("Online"), 60, "the first run online")
    first.click("page tab", "Conflicts")
    wait_for(lambda: first.current_tab() == "Conflicts", 10,
             "the Conflicts tab selected (have %r)" % first.current_tab())
    first.close()

    second = Console(ws)

    def reached():
        if second.sign_in_visible():
            return "the sign-in form"
        if (second.status() or "").startswith("Online") and second.tabs() == ROLE_TABS["support"]:
            return "the main view"
        return None

    if wait_for(reached, 60, "the second run at the main view or the sign-in form") != "the main view":
        fail("the second run asked to sign in again")
    log("restored as support:", sorted(second.tabs()))
    wait_for(lambda: second.current_tab() == "Conflicts", 10,
             "the last page (Conflicts) shown again (have %r)" % second.current_tab())
    second.close()


scenario(body, keyfile_settings=True)
