#!/usr/bin/env python3
# test-e2e-conflicts.py — two editors, one drop point, a field laptop offline,
# over AT-SPI as a person would. Two consoles with their own cache dirs:
# the laptop (admin, behind a proxy: its own network) and the office
# (admin2, Bikash Tamang).
#
#   1. The laptop opens a drop point and goes offline; admin writes a note
#      and saves (queued), and closes the laptop. The office changes the same
#      note and the status, and closes.
#   2. The laptop comes back: its edit meets a 409 that cannot merge (both
#      changed the note): a local conflict on the Conflicts page; admin keeps
#      their note field by field (the status, changed only in the office,
#      merges), with a comment, Resolve: the devserver holds the merge.
#   3. A sync job's conflict of a drop point (the devserver makes them) is
#      open on both; the office resolves it with Keep All Mine (its changed
#      fields, the server's one-sided ones: field by field); the laptop's
#      Resolve is refused (409): its page says someone else resolved it
#      first, who and how, and no conflict is added.
#
# Without a window manager both windows sit at the screen's origin: the one
# mapped last is on top and takes the clicks at coordinates, so each step
# that needs them runs while its console's window is the top one; buttons
# are pressed through their AT-SPI action wherever they are.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import time

import pyatspi

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (DEMO_PASSWORD, Console, Devserver, Proxy, api, fail, log, login, scenario,  # noqa: E402
                        second_desktop_user, showing, wait_for)

KEY_RETURN = 0xff0d
KEY_DOWN = 0xff54
MY_NOTE = "Lid hinge fixed, bin washed"
THEIR_NOTE = "Crew booked for Friday"
COMMENT = "Kept my note: the crew came today"


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
    console.click("page tab", name)
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


def online(console):
    return (console.status() or "").startswith("Online")


def write_note(console, text):
    notes = console.wait("text", "Notes")
    scroll_into_view(console, notes)
    click_at(notes)
    wait_for(lambda: focused(console.find("text", "Notes")), 10, "the notes focused")
    type_text(text)


def body(ws):
    server = Devserver(ws)
    proxy = Proxy(server)
    token = login(server, "admin2@demo.reloop.np")
    office_env = second_desktop_user(ws, "office")

    status, page = api(server, "GET", "/api/v1/drop-points?limit=500", token=token)
    point = next(p for p in page["data"] if p["status"] == "active" and p["name"].isascii())
    log("drop point", point["id"], point["name"], "version", point["version"])

    def laptop():
        return Console(ws, ["--server", proxy.url, "--demo-account", "admin@demo.reloop.np"],
                       demo_password=DEMO_PASSWORD)

    def office():
        return Console(ws, ["--server", server.url, "--demo-account", "admin2@demo.reloop.np"],
                       demo_password=DEMO_PASSWORD, env_extra=office_env)

    # 1. The laptop, offline, saves a note; the office changes note and status.
    b = laptop()
    wait_for(lambda: online(b), 90, "the laptop online")
    open_drop_point(b, point["name"])
    proxy.cut()
    wait_for(lambda: (b.status() or "").startswith("Offline"), 90,
             "the laptop offline (status %r)" % b.status())
    write_note(b, MY_NOTE)
    b.click("push button", "Save")
    wait_for(lambda: "1 change waiting" in (b.status() or ""), 30,
             "the edit queued (status %r)" % b.status())
    log("laptop: edit queued offline:", b.status())
    b.close()

    a = office()
    wait_for(lambda: online(a), 90, "the office online")
    open_drop_point(a, point["name"])
    write_note(a, THEIR_NOTE)
    status_row = a.wait("combo box", "Status")
    scroll_into_view(a, status_row)
    click_at(status_row)
    time.sleep(0.5)
    key(KEY_DOWN)  # Active → Maintenance
    key(KEY_RETURN)
    a.click("push button", "Save")

    def office_saved():
        status, rec = api(server, "GET", "/api/v1/drop-points/" + point["id"], token=token)
        return rec["data"] if rec["data"]["notes"] == THEIR_NOTE else None
    theirs = wait_for(office_saved, 60, "the office's edit on the devserver")
    if theirs["status"] != "maintenance":
        fail("the office's status did not reach the devserver: %r" % theirs["status"])
    log("office: saved notes and status, version", theirs["version"])
    a.close()

    # 2. The laptop back on the network: a conflict, decided field by field.
    proxy.restore()
    b = laptop()
    wait_for(lambda: online(b) and "waiting" not in (b.status() or ""), 120,
             "the laptop online with nothing waiting (status %r)" % b.status())
    open_page(b, "Conflicts")
    select_conflict(b, point["id"])
    if not b.find_all("label", match=lambda n: n == "This console"):
        fail("the conflict's source is not this console")
    wait_for(lambda: b.find("label", "0 of 1 field resolved"), 10, "one field to decide")
    choose_in_drop_down(b, "notes", 1)  # Mine
    wait_for(lambda: b.find("label", "1 of 1 field resolved"), 10, "the note decided")
    b.set_text("Comment", COMMENT)
    b.click("push button", "Resolve")

    def merged_on_server():
        status, rec = api(server, "GET", "/api/v1/drop-points/" + point["id"], token=token)
        return rec["data"] if rec["data"]["notes"] == MY_NOTE else None
    data = wait_for(merged_on_server, 60, "the merged record on the devserver")
    if data["status"] != "maintenance":
        fail("the merge lost the office's status: %r" % data["status"])
    if data["version"] <= theirs["version"]:
        fail("the merged record did not get a new version")
    log("devserver holds the merge: notes %r, status %r, version %d"
        % (data["notes"], data["status"], data["version"]))
    wait_for(lambda: b.find("label", match=lambda n: "admin@demo.reloop.np" in n and COMMENT in n), 30,
             "the resolution, who and the comment, on the laptop's page")

    # 3. A sync job's conflict, open on both; the office resolves it first.
    # A drop point's: it has a base, so "Keep All Mine" keeps the office's
    # changed fields and takes the server's one-sided ones (a field-by-field
    # resolution), where a customer's (no base) keeps the local version.
    conflict = None
    while conflict is None:
        status, made = api(server, "POST", "/__dev/conflicts", {"count": 1})
        made = made if isinstance(made, list) else made["data"]
        conflict = next((c for c in made if c["entityType"] == "drop_point"), None)
    log("server conflict", conflict["id"], "of", conflict["entityType"], conflict["entityId"])
    b.click("push button", connection_status(b))
    b.click("push button", "Sync Now")
    b.click("push button", connection_status(b))  # closes the popover
    wait_for(lambda: b.find("push button", "Sync Now") is None, 10, "the popover closed")
    select_conflict(b, conflict["entityId"])
    b.click("push button", "Keep All Theirs")
    status, before = api(server, "GET", "/api/v1/conflicts?status=open", token=token)
    n_open_before = len(before["data"])

    a = office()  # on top of the laptop's window from now on
    wait_for(lambda: online(a), 90, "the office online again")
    open_page(a, "Conflicts")
    select_conflict(a, conflict["entityId"])
    a.click("push button", "Keep All Mine")
    a.set_text("Comment", "Fixed from the office")
    a.click("push button", "Resolve")

    def resolved_on_server():
        status, rec = api(server, "GET", "/api/v1/conflicts?status=resolved", token=token)
        return next((c for c in rec["data"] if c["id"] == conflict["id"]), None)
    done = wait_for(resolved_on_server, 60, "the office's resolution on the devserver")
    if done["resolution"]["resolvedBy"] != "admin2@demo.reloop.np":
        fail("resolved by %r" % done["resolution"]["resolvedBy"])
    if done["resolution"]["strategy"] != "manual" \
            or done["resolution"]["merged"]["status"] != conflict["local"]["status"] \
            or done["resolution"]["merged"]["capacityLiters"] != conflict["remote"]["capacityLiters"]:
        fail("Keep All Mine resolved as %r" % done["resolution"])

    b.click("push button", "Resolve")
    wait_for(lambda: b.find("label", match=lambda n: "Someone else resolved this conflict first" in n),
             60, "the laptop's page saying someone else resolved it first")
    wait_for(lambda: b.find("label", match=lambda n: "admin2@demo.reloop.np" in n
                            and "Resolved field by field" in n), 60,
             "who resolved it and how, on the laptop's page")
    wait_for(lambda: b.find("label", match=lambda n: "Fixed from the office" in n), 30,
             "the office's comment on the laptop's page")
    status, after = api(server, "GET", "/api/v1/conflicts?status=open", token=token)
    if len(after["data"]) != n_open_before - 1:
        fail("open conflicts on the server: %d before, %d after" % (n_open_before, len(after["data"])))
    expected = "%d conflicts" % len(after["data"])
    wait_for(lambda: (b.status() or "").endswith(expected), 30,
             "the laptop's count of conflicts as the server's (%r, status %r)" % (expected, b.status()))
    if "refused" in (b.status() or ""):
        fail("the refused resolution waits in the laptop's outbox: %r" % b.status())
    log("someone else first: said so, nothing added; laptop status %r" % b.status())
    a.kill()
    b.kill()


def connection_status(console):
    button = console.find("push button", match=lambda n: n.startswith("Connection status: "))
    return button.name


scenario(body)
