#!/usr/bin/env python3
# test-e2e-provider-dialog.py — an admin adds a Stripe provider over AT-SPI,
# as a person would, in the real console signed in to a devserver: the
# Providers page, the add provider dialog (win.add-provider: the page's own
# "Add provider…" button comes with the Providers page), "stripe" typed in
# the type search and Enter (the only type left: Stripe), its publishable
# key, secret key and webhook secret typed, Add. Then the devserver (GET
# /providers) has the provider with the secret keys' hints, and
# `secret-tool search` finds its secrets in the keyring, labelled for
# Seahorse.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys

import pyatspi

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import DEMO_PASSWORD, Console, Devserver, api, fail, log, login, scenario, showing, wait_for  # noqa: E402

ADMIN = "admin@demo.reloop.np"
KEY_RETURN = 0xff0d
NAME = "Stripe (added over AT-SPI)"
PUBLISHABLE_KEY = "pk_test_e2e_51Reloop"
SECRET_KEY = "sk_test_e2e_value_7q3k"
WEBHOOK_SECRET = "whsec_e2e_value_m8x2"


def providers(server, token):
    status, body = api(server, "GET", "/api/v1/providers?limit=200", token=token)
    if status != 200:
        fail("GET /providers: %s %r" % (status, body))
    return body["data"]


def added(server, token):
    found = [p for p in providers(server, token) if p.get("name") == NAME]
    if len(found) > 1:
        fail("%d providers named %r: added more than once" % (len(found), NAME))
    return found[0] if found else None


def hint(value):
    return "…" + value[-4:]


def secrets_hinted(server, token):
    p = added(server, token)
    if p is None:
        return None
    secrets = p.get("secrets") or {}
    for key, value in (("secretKey", SECRET_KEY), ("webhookSecret", WEBHOOK_SECRET)):
        s = secrets.get(key) or {}
        if not s.get("set") or s.get("hint") != hint(value):
            return None
    return p


def find_named(console, name, root):
    """The on-screen accessible named @name under @root, whatever its role."""
    found = []

    def visit(acc):
        try:
            if acc.name == name and showing(acc):
                found.append(acc)
            for i in range(acc.childCount):
                child = acc.getChildAtIndex(i)
                if child is not None:
                    visit(child)
        except Exception:
            pass
    visit(root)
    return found


# On a failure: what the dialog shows over AT-SPI (roles, names, texts).
def dump(acc, depth=0):
    try:
        text = ""
        try:
            t = acc.queryText()
            text = t.getText(0, -1)
        except Exception:
            pass
        log("  " * depth + "%s %r %r showing=%s" % (acc.getRoleName(), acc.name, text, showing(acc)))
        for i in range(acc.childCount):
            child = acc.getChildAtIndex(i)
            if child is not None and depth < 25:
                dump(child, depth + 1)
    except Exception as e:
        log("  " * depth + "error %r" % e)


def dialog(console):
    for i in range(console.app.childCount):
        window = console.app.getChildAtIndex(i)
        if window is not None and window.name == "Add Provider" and showing(window):
            return window
    return None


def window_action(console, name):
    frame = console.app.getChildAtIndex(0)
    action = frame.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    if name not in names:
        fail("the window offers no %s (it offers %r)" % (name, names))
    action.doAction(names.index(name))


def keyring_search(server, provider_id):
    """The fields of this provider's secrets that secret-tool finds, and the
    items' labels (values are read but never printed)."""
    result = subprocess.run(["secret-tool", "search", "--all", "kind", "provider-secret",
                             "server", server.url, "provider-id", provider_id],
                            capture_output=True, text=True)
    fields, labels = [], []
    # Attributes go to standard error; labels and values to standard output.
    for line in result.stderr.splitlines():
        if line.startswith("attribute.field = "):
            fields.append(line[len("attribute.field = "):])
    for line in result.stdout.splitlines():
        if line.startswith("label = "):
            labels.append(line[len("label = "):])
    values = [line[len("secret = "):] for line in result.stdout.splitlines() if line.startswith("secret = ")]
    return sorted(fields), labels, values


def body(ws):
    server = Devserver(ws)
    token = login(server, ADMIN)
    if added(server, token) is not None:
        fail("the devserver already has %r" % NAME)
    # The keyring lives as long as the test run: an earlier test's devserver
    # may have had this address (a free port given again) and left provider
    # secrets under it. This devserver is new: nothing there is its.
    subprocess.run(["secret-tool", "clear", "kind", "provider-secret", "server", server.url],
                   capture_output=True)

    c = Console(ws, ["--server", server.url, "--demo-account", ADMIN], demo_password=DEMO_PASSWORD)
    wait_for(lambda: (c.status() or "").startswith("Online"), 90, "the console online")
    c.click("page tab", "Providers")
    wait_for(lambda: c.current_tab() == "Providers", 20, "the Providers page")

    window_action(c, "win.add-provider")
    d = wait_for(lambda: dialog(c), 20, "the Add Provider dialog")
    search = wait_for(lambda: find_named(c, "Search provider types", d), 30, "the type search")[0]
    wait_for(lambda: search.getState().contains(pyatspi.STATE_FOCUSED), 20, "the search focused")
    # Typed as a person would (the search has the focus), then Enter: the
    # first type the search leaves, Stripe alone.
    pyatspi.Registry.generateKeyboardEvent(0, "stripe", pyatspi.KEY_STRING)
    wait_for(lambda: not find_named(c, "Khalti", d) and find_named(c, "Stripe", d), 20,
             "the types filtered to Stripe")
    pyatspi.Registry.generateKeyboardEvent(KEY_RETURN, None, pyatspi.KEY_SYM)
    try:
        wait_for(lambda: c.find("text", "Publishable key"), 20, "the Stripe form")
    except SystemExit:
        dump(d)
        raise

    c.set_text("Name", NAME)
    c.set_text("Publishable key", PUBLISHABLE_KEY)
    c.set_text("Secret key", SECRET_KEY)
    c.set_text("Webhook signing secret", WEBHOOK_SECRET)
    c.click("push button", "Add")
    wait_for(lambda: dialog(c) is None, 30, "the dialog closed")
    log("added; waiting for the secrets on the server")

    p = wait_for(lambda: secrets_hinted(server, token), 60, "the provider with its secrets' hints")
    if p["type"] != "stripe" or p["config"].get("publishableKey") != PUBLISHABLE_KEY:
        fail("the server's provider: %r" % p)
    if SECRET_KEY in json.dumps(p) or WEBHOOK_SECRET in json.dumps(p):
        fail("the server's record holds a secret value")
    log("on the server:", p["id"], p["secrets"]["secretKey"]["hint"], p["secrets"]["webhookSecret"]["hint"])

    fields, labels, values = keyring_search(server, p["id"])
    if fields != ["secretKey", "webhookSecret"]:
        fail("secret-tool found fields %r for %s" % (fields, p["id"]))
    if sorted(values) != sorted([SECRET_KEY, WEBHOOK_SECRET]):
        fail("the keyring items do not hold the typed values")
    for field in fields:
        want = "ReLoop provider %s secret “%s” on %s" % (p["id"], field, server.url)
        if want not in labels:
            fail("no keyring item labelled %r (labels %r)" % (want, labels))
    log("secret-tool finds", fields)
    c.close()


scenario(body)
