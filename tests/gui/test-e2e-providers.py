#!/usr/bin/env python3
# test-e2e-providers.py — an admin's Providers page over AT-SPI, as a person
# would use it, against a devserver:
#
#   1. Signed in, the admin opens Providers, clicks eSewa's row (a fallback
#      of Payment, priority 1) and presses Alt+Down: on the server eSewa
#      becomes priority 2 and Fonepay QR priority 1, and the page's chain
#      says so.
#   2. "Test Connection" from Khalti wallet's menu: the row shows the
#      result (passed or failed, in ms: the devserver fails 1 test in 10).
#   3. The devserver forces three failures on Fonepay QR (POST
#      /__dev/providers/{id}/failures): after a refresh (Ctrl+R) its row says
#      "Circuit open". "Reset Circuit…" from its menu, confirmed: the
#      server's health is no longer circuit_open, and the row no longer says
#      so.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import time

import pyatspi

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import DEMO_PASSWORD, Console, Devserver, api, fail, log, login, scenario, wait_for  # noqa: E402

ADMIN = "admin@demo.reloop.np"
KEY_DOWN = 0xff54
KEY_R = 0x072
KEYCODE_ALT_L = 64  # Xvfb's default keymap
KEYCODE_CONTROL_L = 37


def providers(server, token):
    """The server's providers by name."""
    status, body = api(server, "GET", "/api/v1/providers?limit=500", token=token)
    if status != 200:
        fail("GET /providers: %s %r" % (status, body))
    return {p["name"]: p for p in body["data"]}


def with_keys(held, keysym):
    """Presses keysym with the keys of @held (keycodes) held down."""
    for code in held:
        pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    for code in reversed(held):
        pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_RELEASE)


def click_at(acc):
    ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, ext.y + ext.height // 2, "b1c")


def row(console, name):
    """The provider row (list item) named @name on screen."""
    return console.find("list item", name)


def row_labels(console, name):
    """The texts of the labels in @name's row."""
    r = row(console, name)
    return [label.name for label in console.find_all("label", root=r)] if r is not None else []


def row_says(console, name, predicate):
    return any(predicate(text) for text in row_labels(console, name))


def menu_item(console, label):
    """Clicks a menu item of the open popover menu by its label (with or
    without its mnemonic underscore)."""
    def clickable():
        for role in ("menu item", "push button", "check menu item"):
            for item in console.find_all(role, match=lambda n: n.replace("_", "") == label):
                try:
                    action = item.queryAction()
                except NotImplementedError:
                    continue
                for i in range(action.nActions):
                    if action.getName(i) == "click":
                        return (action, i)
        return None
    action, index = wait_for(clickable, 20, "the menu item %r" % label)
    action.doAction(index)


def body(ws):
    server = Devserver(ws)
    token = login(server, ADMIN)
    before = providers(server, token)
    esewa, fonepay = before["eSewa"], before["Fonepay QR"]
    if (esewa["role"], esewa["priority"], fonepay["role"], fonepay["priority"]) != ("fallback", 1, "fallback", 2):
        fail("unexpected seed: eSewa %s/%s, Fonepay %s/%s" % (esewa["role"], esewa["priority"],
                                                              fonepay["role"], fonepay["priority"]))

    c = Console(ws, ["--server", server.url, "--demo-account", ADMIN], demo_password=DEMO_PASSWORD)
    c.skip_lists()
    wait_for(lambda: (c.status() or "").startswith("Online"), 90, "the console online")
    c.click("page tab", "Providers")
    wait_for(lambda: c.current_tab() == "Providers", 20, "the Providers page")
    wait_for(lambda: c.find("label", match=lambda n: n.startswith("Tried in order: Khalti wallet → eSewa → Fonepay QR")),
             30, "Payment's chain")

    # 1. Alt+Down on eSewa's row: it goes below Fonepay QR, on the server too.
    title = wait_for(lambda: c.find("label", "eSewa"), 20, "eSewa's row")
    click_at(title)
    time.sleep(0.3)
    with_keys([KEYCODE_ALT_L], KEY_DOWN)

    def moved():
        now = providers(server, token)
        return now["eSewa"]["priority"] == 2 and now["Fonepay QR"]["priority"] == 1
    wait_for(moved, 30, "eSewa priority 2 and Fonepay QR priority 1 on the server")
    wait_for(lambda: c.find("label", match=lambda n: n.startswith("Tried in order: Khalti wallet → Fonepay QR → eSewa")),
             30, "the chain with Fonepay QR before eSewa")
    log("moved down: Fonepay QR 1, eSewa 2 on the server")

    # 2. Test Connection from Khalti wallet's menu: a result on its row.
    c.click("push button", "Actions for Khalti wallet")
    menu_item(c, "Test Connection")
    result = wait_for(lambda: next((t for t in row_labels(c, "Khalti wallet")
                                    if "Test passed in " in t or "Test failed in " in t), None),
                      30, "a test result on Khalti wallet's row")
    log("test result:", result.replace("\n", " / "))

    # 3. Fonepay QR's circuit opens on the server; the page shows it after a
    # refresh; Reset Circuit… closes it.
    status, body_ = api(server, "POST", "/__dev/providers/%s/failures" % fonepay["id"], {"count": 3})
    if status != 200 or body_["data"]["health"]["state"] != "circuit_open":
        fail("forcing failures: %s %r" % (status, body_))
    with_keys([KEYCODE_CONTROL_L], KEY_R)
    wait_for(lambda: row_says(c, "Fonepay QR", lambda t: t == "Circuit open"), 30,
             "Fonepay QR's row saying Circuit open")
    log("circuit open shown")
    c.click("push button", "Actions for Fonepay QR")
    menu_item(c, "Reset Circuit…")
    wait_for(c.dialog_open, 20, "the confirmation")
    time.sleep(0.5)  # mapped: its accessibles are realized
    wait_for(lambda: c.find("label", "Reset the Circuit of Fonepay QR?"), 20, "the confirmation naming Fonepay QR")
    c.click("push button", "Reset Circuit")
    wait_for(lambda: not c.dialog_open(), 20, "the dialog closed")
    time.sleep(1.0)  # destroyed, not only hidden
    wait_for(lambda: providers(server, token)["Fonepay QR"]["health"]["state"] != "circuit_open", 30,
             "Fonepay QR's circuit closed on the server")
    wait_for(lambda: not row_says(c, "Fonepay QR", lambda t: t == "Circuit open")
             and row(c, "Fonepay QR") is not None, 30, "Fonepay QR's row no longer saying Circuit open")
    log("circuit reset: server health", providers(server, token)["Fonepay QR"]["health"]["state"])
    c.close()


scenario(body)
