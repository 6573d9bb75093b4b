#!/usr/bin/env python3
# test-e2e-conflicts.py — two editors, one drop point, a field laptop offline,
# over AT-SPI as a person would:
#
#   1. admin's console (behind a proxy: its own network) opens a drop point;
#      the laptop goes offline; admin writes a note and saves (queued);
#      meanwhile admin2 (Bikash, elsewhere: the REST API) changes the same
#      note and the status;
#   2. the network comes back: the edit meets a 409 that cannot merge (both
#      changed the note): a local conflict, on the Conflicts page; admin
#      decides the note field by field (theirs for the status came merged),
#      adds a comment, Resolve: the devserver holds the merged record;
#   3. a conflict of a sync job (the devserver makes one): admin opens it and
#      decides; before Resolve, admin2 resolves it elsewhere; admin's Resolve
#      is refused (409): the page says someone else resolved it first and how,
#      and no new conflict appears.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import sys
import time
import urllib.error
import urllib.request

import pyatspi

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (DEMO_PASSWORD, Console, Devserver, Proxy, fail, log, scenario,  # noqa: E402
                        showing, wait_for)

KEY_RETURN = 0xff0d
KEY_DOWN = 0xff54
MY_NOTE = "Lid hinge fixed, bin washed"
THEIR_NOTE = "Crew booked for Friday"
COMMENT = "Kept my note: the crew came today"


def api(server, method, path, body=None, token=None, headers=None):
    """(status, parsed body) of a REST call; HTTP errors are answers too."""
    req = urllib.request.Request(server.url + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read()
            return resp.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        text = e.read()
        return e.code, json.loads(text) if text else None


def login(server, email):
    status, body = api(server, "POST", "/api/v1/auth/login", {"email": email, "password": DEMO_PASSWORD})
    if status != 200:
        fail("login of %s: %s %r" % (email, status, body))
    return body["data"]["accessToken"]


def key(keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)


def type_text(text):
    pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)


def click_at(acc):
    """The middle of acc (one window, at the origin of a bare Xvfb screen:
    window coordinates are the screen's; see test-e2e-map.py)."""
    ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, ext.y + ext.height // 2, "b1c")


def scroll_into_view(console, acc):
    """Turns the mouse wheel over acc's scrolled panel until acc is inside
    the window, as a person would."""
    frame = console.app.getChildAtIndex(0)
    height = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS).height
    for _ in range(60):
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        if ext.y >= 0 and ext.y + ext.height <= height - 8:
            return
        # Over the panel's column, a third of the way down the window.
        pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, height // 3, "b5c")
        time.sleep(0.1)
    fail("%s %r never scrolled into the window" % (acc.getRoleName(), acc.name))


def focused(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_FOCUSED)
    except Exception:
        return False


def labels(console, match):
    return [a.name for a in console.find_all("label", match=match)]


def find_any(console, name_match):
    """On-screen accessibles (any role) whose name matches."""
    found = []

    def visit(acc):
        try:
            if acc.name and name_match(acc.name) and showing(acc):
                found.append(acc)
            for i in range(acc.childCount):
                child = acc.getChildAtIndex(i)
                if child is not None:
                    visit(child)
        except Exception:
            pass
    visit(console.app)
    return found


def open_page(console, name):
    tab = wait_for(lambda: next((t for t in find_any(console, lambda n: n == name)
                                 if t.getRoleName() == "page tab"), None), 20, "the %s tab" % name)
    click_at(tab)
    if os.environ.get("RL_E2E_SHOT"):
        time.sleep(2)
        import subprocess
        subprocess.run(["import", "-window", "root", os.environ["RL_E2E_SHOT"]])
    wait_for(lambda: console.current_tab() == name, 20,
             "the %s page (have %r)" % (name, console.current_tab()))


def open_drop_point(console, name):
    entry = console.wait("entry", "Search drop points")
    click_at(entry)
    wait_for(lambda: focused(console.find("entry", "Search drop points")), 10, "the search entry focused")
    entry.queryEditableText().setTextContents(name)
    time.sleep(1.0)  # the search runs on a worker; Return takes its first result
    key(KEY_RETURN)
    wait_for(lambda: console.find("label", name) is not None
             and console.find("push button", "Close drop point details") is not None,
             30, "the panel of %r" % name)


def select_conflict(console, entity_id):
    """Searches the conflicts for @entity_id and opens the one row."""
    entry = console.wait("entry", "Search conflicts")
    entry.queryEditableText().setTextContents(entity_id)
    cell = wait_for(lambda: next(iter(console.find_all("label", match=lambda n: entity_id in n
                                                      and "—" in n)), None),
                    30, "the conflict of %s in the list" % entity_id)
    click_at(cell)
    wait_for(lambda: console.find("push button", "Keep All Theirs") is not None, 30,
             "the conflict of %s open" % entity_id)


def choose_in_drop_down(console, field, steps_down):
    """Opens the drop-down "Value to keep for @field" and moves @steps_down
    rows down its list (Choose…, Mine, Theirs, Base, Another value…), then
    Return: the keyboard, as a popover's items have no usable extents."""
    name = "Value to keep for %s" % field
    combo = wait_for(lambda: console.find("combo box", name), 10, "the drop-down %r" % name)
    click_at(combo)
    time.sleep(0.5)
    for _ in range(steps_down):
        key(KEY_DOWN)
        time.sleep(0.1)
    key(KEY_RETURN)


def body(ws):
    server = Devserver(ws)
    proxy = Proxy(server)
    bikash = login(server, "admin2@demo.reloop.np")

    status, page = api(server, "GET", "/api/v1/drop-points?limit=500", token=bikash)
    point = next(p for p in page["data"] if p["status"] == "active" and p["name"].isascii())
    log("drop point", point["id"], point["name"], "version", point["version"])

    console = Console(ws, ["--server", proxy.url, "--demo-account", "admin@demo.reloop.np"],
                      demo_password=DEMO_PASSWORD)
    wait_for(lambda: (console.status() or "").startswith("Online"), 90, "the console online")
    open_drop_point(console, point["name"])

    # 1. Offline: the note, saved on the laptop.
    proxy.cut()
    wait_for(lambda: (console.status() or "").startswith("Offline"), 90,
             "the console offline (status %r)" % console.status())
    notes = console.wait("text", "Notes")
    scroll_into_view(console, notes)
    click_at(notes)
    wait_for(lambda: focused(console.find("text", "Notes")), 10, "the notes focused")
    type_text(MY_NOTE)
    console.click("push button", "Save")
    wait_for(lambda: "1 change waiting" in (console.status() or ""), 30,
             "the edit queued (status %r)" % console.status())
    log("offline edit queued:", console.status())

    # Elsewhere, Bikash changes the same note, and the status.
    status, current = api(server, "GET", "/api/v1/drop-points/" + point["id"], token=bikash)
    status, changed = api(server, "PATCH", "/api/v1/drop-points/" + point["id"],
                          {"notes": THEIR_NOTE, "status": "maintenance"}, token=bikash,
                          headers={"If-Match": '"%d"' % current["data"]["version"]})
    if status != 200:
        fail("admin2's edit: %s %r" % (status, changed))
    log("admin2 changed notes and status: version", changed["data"]["version"])

    # 2. Back online: the edit meets a 409 it cannot merge; the panel, still
    #    open on it, asks; "Field by Field…" leads to the Conflicts page.
    proxy.restore()
    console.click("push button", "Field by Field…", timeout=120)
    # Nothing walks the tree until the dialog is gone: GTK 4.8's AT-SPI
    # bridge answers a query about a widget of a closing window with a
    # CRITICAL (an object path of NULL; docs/HACKING.md). Only the
    # application's top-level windows are counted here.
    wait_for(lambda: console.app.childCount == 1, 20, "the dialog closed")
    time.sleep(0.5)
    wait_for(lambda: console.current_tab() == "Conflicts", 20,
             "the Conflicts page (have %r)" % console.current_tab())
    wait_for(lambda: console.find("push button", "Keep All Theirs") is not None, 30,
             "the conflict open on the page")
    if "waiting" in (console.status() or ""):
        fail("the conflicting edit still waits to be sent: %r" % console.status())
    if not console.find_all("label", match=lambda n: n == "This console"):
        fail("the conflict's source is not this console")
    wait_for(lambda: console.find("label", "0 of 1 field resolved"), 10, "one field to decide")
    choose_in_drop_down(console, "notes", 1)  # Mine
    wait_for(lambda: console.find("label", "1 of 1 field resolved"), 10, "the note decided")
    console.set_text("Comment", COMMENT)
    console.click("push button", "Resolve")

    def merged_on_server():
        status, rec = api(server, "GET", "/api/v1/drop-points/" + point["id"], token=bikash)
        data = rec["data"]
        return data if data["notes"] == MY_NOTE else None
    data = wait_for(merged_on_server, 60, "the merged record on the devserver")
    if data["status"] != "maintenance":
        fail("the merge lost admin2's status: %r" % data["status"])
    if data["version"] <= changed["data"]["version"]:
        fail("the merged record did not get a new version")
    log("devserver holds the merge: notes %r, status %r, version %d"
        % (data["notes"], data["status"], data["version"]))

    # 3. A sync job's conflict; someone else resolves it first.
    status, made = api(server, "POST", "/__dev/conflicts", {"count": 1})
    conflict = made[0] if isinstance(made, list) else made["data"][0]
    log("server conflict", conflict["id"], "of", conflict["entityType"], conflict["entityId"])
    status_button = match_connection_status(console)
    console.click("push button", status_button)
    console.click("push button", "Sync Now")
    console.click("push button", match_connection_status(console))  # closes the popover
    wait_for(lambda: console.find("push button", "Sync Now") is None, 10, "the popover closed")
    select_conflict(console, conflict["entityId"])
    console.click("push button", "Keep All Theirs")
    status, before = api(server, "GET", "/api/v1/conflicts?status=open", token=bikash)
    n_open_before = len(before["data"])
    status, other = api(server, "POST", "/api/v1/conflicts/%s/resolve" % conflict["id"],
                        {"strategy": "local_wins", "merged": conflict["local"],
                         "comment": "Fixed from the office"}, token=bikash,
                        headers={"If-Match": '"%d"' % conflict["version"]})
    if status != 200:
        fail("admin2's resolution: %s %r" % (status, other))
    console.click("push button", "Resolve")
    wait_for(lambda: console.find("label", match=lambda n: "Someone else resolved this conflict first" in n),
             60, "the page saying someone else resolved it first")
    wait_for(lambda: console.find("label", match=lambda n: "admin2@demo.reloop.np" in n
                                  and "Local version kept" in n), 60,
             "who resolved it and how")
    wait_for(lambda: console.find("label", match=lambda n: "Fixed from the office" in n), 30,
             "their comment")
    status, after = api(server, "GET", "/api/v1/conflicts?status=open", token=bikash)
    if len(after["data"]) != n_open_before - 1:
        fail("open conflicts on the server: %d before, %d after" % (n_open_before, len(after["data"])))
    if "refused" in (console.status() or ""):
        fail("the refused resolution waits in the outbox: %r" % console.status())
    log("someone else first: said so, nothing new; status %r" % console.status())
    console.kill()


def match_connection_status(console):
    button = console.find("push button", match=lambda n: n.startswith("Connection status: "))
    return button.name


scenario(body)
