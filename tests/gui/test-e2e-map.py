# test-e2e-map.py — the Map page as a dispatcher uses it, over AT-SPI: the
# keyboard reaches the map, Down then Return opens the panel on the selected
# point (its heading is that point's name), a Devanagari name typed in the
# search and Return show that point, and a filter changes the count.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import sys
import unicodedata
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyatspi  # noqa: E402
from gi.repository import GLib  # noqa: E402

from e2e_common import (DEMO_PASSWORD, Console, Devserver, fail, hidden, log, scenario,  # noqa: E402
                        showing, wait_for)

KEY_TAB = 0xff09
KEY_DOWN = 0xff54
KEY_RETURN = 0xff0d
KEY_SPACE = 0x20
N_POINTS = 200  # e2e_common's Devserver seeds 200


def api(server, method, path, body=None, token=None):
    req = urllib.request.Request(server.url + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)


def drop_points(server):
    token = api(server, "POST", "/auth/login",
                {"email": "dispatcher@demo.reloop.np", "password": DEMO_PASSWORD})["data"]["accessToken"]
    return api(server, "GET", "/drop-points?limit=5000", token=token)["data"]


def fold(text):
    """rl_search_normalize: NFC, case-folded, NFC again."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text or "").casefold())


def key(keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)


def click_at(acc):
    """Clicks the middle of acc. GTK 4 reports no screen coordinates over
    AT-SPI (asked for them, it warns "Screen coordinates not supported" and
    answers window coordinates): ask for window coordinates, which are the
    screen's here, where nothing moves the window from the origin of a bare
    Xvfb screen (no window manager). The callers check that the click
    landed (the focus moved)."""
    ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, ext.y + ext.height // 2, "b1c")


def on_screen(acc):
    """Inside the window: AdwFlap keeps a closed flap allocated (and in the
    tree) just outside the window's right edge."""
    try:
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        win = acc
        while win.getRoleName() != "frame":
            win = win.parent
        width = win.queryComponent().getExtents(pyatspi.WINDOW_COORDS).width
        return ext.width > 0 and ext.height > 0 and ext.x >= 0 and ext.x + ext.width <= width
    except Exception:
        return False


def panel_open(console):
    return on_screen(console.find("push button", "Close drop point details"))


def focused_all(acc):
    out = []
    try:
        if acc.getState().contains(pyatspi.STATE_FOCUSED):
            out.append(acc)
        for i in range(acc.childCount):
            out += focused_all(acc.getChildAtIndex(i))
    except Exception:
        pass
    return out


def focused(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_FOCUSED)
    except Exception:
        return False


class FocusEvents:
    """Counts the focus changes AT-SPI reports (object:state-changed:focused
    with detail1 = 1): Tab is pressed, then the next focus event is waited
    for. The events arrive on this process's GLib main context, which
    nothing else runs here: pump() dispatches what came."""

    def __init__(self):
        self.count = 0
        pyatspi.Registry.registerEventListener(self._on_event, "object:state-changed:focused")

    def _on_event(self, event):
        if event.detail1:
            self.count += 1

    def pump(self):
        context = GLib.MainContext.default()
        while context.pending():
            context.iteration(False)
        return self.count


def tab_until(console, focus, reached, what, max_tabs):
    """Presses Tab until reached() (at most max_tabs times), each time
    waiting for the focus to move before looking again."""
    for _ in range(max_tabs):
        if reached():
            return
        before = focus.pump()
        key(KEY_TAB)
        wait_for(lambda: focus.pump() > before, 10, "the focus to move on Tab (towards %s)" % what)
        if os.environ.get("RL_E2E_DUMP"):
            log("focus:", [(a.getRoleName(), a.name) for a in focused_all(console.app)])
    if not reached():
        fail("Tab never reached %s" % what)


def find_named(console, name):
    """The first on-screen accessible of that name, whatever its role."""
    def visit(acc):
        try:
            if acc.name == name and showing(acc):
                return acc
            for i in range(acc.childCount):
                child = acc.getChildAtIndex(i)
                if child is not None and not hidden(child):
                    found = visit(child)
                    if found is not None:
                        return found
        except Exception:
            pass
        return None
    return visit(console.app)


def count_label(console):
    label = console.find("label", match=lambda n: n.endswith(" drop points") and n[:1].isdigit())
    return label.name if label else None


def body(ws):
    server = Devserver(ws)
    points = drop_points(server)
    if len(points) != N_POINTS:
        fail("the devserver has %d drop points, expected %d" % (len(points), N_POINTS))

    focus = FocusEvents()
    console = Console(ws)
    console.sign_in(server.url, "dispatcher@demo.reloop.np", DEMO_PASSWORD)
    wait_for(lambda: (console.status() or "").startswith("Online"), 90, "signed in and synced")
    wait_for(lambda: count_label(console) == "%d drop points" % N_POINTS, 60,
             "the map's count \"%d drop points\" (have %r)" % (N_POINTS, count_label(console)))
    layer = wait_for(lambda: find_named(console, "Drop points map"), 30, "the map \"Drop points map\"")
    log("map role:", layer.getRoleName())
    def dump(acc, depth=0):
        try:
            if acc.name or acc.getRoleName() in ("text", "entry"):
                log("  " * min(depth, 12), acc.getRoleName(), repr(acc.name), showing(acc))
            for i in range(acc.childCount):
                dump(acc.getChildAtIndex(i), depth + 1)
        except Exception:
            pass
    if os.environ.get("RL_E2E_DUMP"):
        dump(console.app)

    # The keyboard reaches the map: into the search entry, then Tab.
    click_at(console.wait("entry", "Search drop points"))
    wait_for(lambda: focused(console.find("entry", "Search drop points")), 10, "the search entry focused")
    tab_until(console, focus, lambda: focused(layer), "the map", 30)
    log("the map has the keyboard focus")

    # Down selects a point (its name leads the map's description), Return
    # opens the panel: a heading with that name.
    key(KEY_DOWN)
    description = wait_for(lambda: layer.description, 10, "a selection (the map's description)")
    name = description.split(", fill ")[0].split(", ")[0]
    log("selected:", description)
    if panel_open(console):
        fail("the panel opened on Down alone")
    key(KEY_RETURN)
    wait_for(lambda: panel_open(console), 20, "the panel")
    wait_for(lambda: on_screen(console.find("label", name)), 30, "the panel's heading %r" % name)
    log("the panel shows", name)

    # A Devanagari name in the search; Return activates the first result.
    deva = next(p for p in points if p["status"] != "retired" and "\u0900" <= p["name"][:1] <= "\u097f")
    query = deva["name"]
    matches = sorted((p for p in points
                      if fold(query) in fold(p["name"]) or fold(query) in fold(p.get("address"))),
                     key=lambda p: p["name"])
    log("query %s: %d match(es)" % (query, len(matches)))
    entry = console.wait("entry", "Search drop points")
    click_at(entry)
    wait_for(lambda: focused(console.find("entry", "Search drop points")), 10, "the search entry focused")
    entry.queryEditableText().setTextContents(query)
    expected = "%d of %d drop points" % (len(matches), N_POINTS)
    wait_for(lambda: count_label(console) == expected, 30,
             "the count %r (have %r)" % (expected, count_label(console)))
    key(KEY_RETURN)
    wait_for(lambda: on_screen(console.find("label", matches[0]["name"])), 30,
             "the panel's heading %r" % matches[0]["name"])
    log("the panel shows", matches[0]["name"])

    # Clear the query, then a filter: Status = In maintenance.
    entry.queryEditableText().setTextContents("")
    wait_for(lambda: count_label(console) == "%d drop points" % N_POINTS, 30, "every point again")
    maintenance = sum(1 for p in points if p["status"] == "maintenance")
    console.click("push button", "Filters")
    # GTK 4.8 check buttons offer no AT-SPI action, and a popover's extents
    # are not in screen coordinates: the keyboard, as a person would.
    box = console.wait("check box", "In maintenance", timeout=10)
    tab_until(console, focus, lambda: focused(box), "the \"In maintenance\" check box", 40)
    key(KEY_SPACE)
    expected = "%d of %d drop points" % (maintenance, N_POINTS)
    wait_for(lambda: count_label(console) == expected, 30,
             "the count %r (have %r)" % (expected, count_label(console)))
    log("filter In maintenance:", expected)
    console.kill()


scenario(body)
