# test-e2e-first-sign-in.py — a new dispatcher's first sign-in: a fresh
# devserver, an empty cache, the sign-in form, then the Map page fills as the
# first sync lands, and the window closes as a person would close it. The
# console must print no GLib WARNING or CRITICAL on the way (scenario()
# checks its output; the map's tiles used to query the geo index before any
# point was known, one CRITICAL per tile). Last, a screen reader whose count
# of the application's windows has gone stale (a dialog closed between two
# calls) asks for a window past the end, before and after the keyboard
# shortcuts window was opened and closed: GTK 4.8 answers with the last
# toplevel, and while the shortcuts window was kept hidden there that was a
# CRITICAL (src/rl-window-actions.c).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

import pyatspi

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (DEMO_PASSWORD, ROLE_TABS, Console, Devserver, fail, log,  # noqa: E402
                        scenario, wait_for)

N_POINTS = 200  # e2e_common's Devserver seeds 200


def files_under(path):
    return [os.path.join(d, f) for d, _, names in os.walk(path) for f in names]


def server_caches(ws):
    """The console's caches of servers (rl_store_path_for_server)."""
    servers = os.path.join(ws.env["XDG_DATA_HOME"], "reloop-console", "servers")
    return [f for f in files_under(servers) if f.endswith(".sqlite")]


def count_label(console):
    label = console.find("label", match=lambda n: n.endswith(" drop points") and n[:1].isdigit())
    return label.name if label else None


KEYCODE_CONTROL_L = 37  # Xvfb's default keymap
KEYSYM_QUESTION = 0x3f
KEYSYM_ESCAPE = 0xff1b


def shortcuts_window(console):
    for i in range(console.app.childCount):
        window = console.app.getChildAtIndex(i)
        if window is not None and window.name == "Keyboard Shortcuts":
            return window
    return None


def body(ws):
    server = Devserver(ws)
    home = [ws.env[name] for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")]
    if any(files_under(path) for path in home):
        fail("not a first run: %s" % [files_under(path) for path in home])

    console = Console(ws)
    console.sign_in(server.url, "dispatcher@demo.reloop.np", DEMO_PASSWORD)
    wait_for(lambda: (console.status() or "").startswith("Online"), 90,
             "signed in and synced (status %r)" % console.status())
    tabs = wait_for(lambda: console.tabs() if console.tabs() == ROLE_TABS["dispatcher"] else None,
                    20, "the dispatcher's tabs (have %s)" % sorted(console.tabs()))
    log("dispatcher sees", sorted(tabs))
    wait_for(lambda: console.current_tab() == "Map", 10,
             "the Map page shown first (have %r)" % console.current_tab())
    wait_for(lambda: count_label(console) == "%d drop points" % N_POINTS, 60,
             "the map's count \"%d drop points\" (have %r)" % (N_POINTS, count_label(console)))
    console.wait("filler", "Drop points map", timeout=30)
    log("the map shows", count_label(console))
    if len(server_caches(ws)) != 1:
        fail("expected one server cache after the first sync, have %s" % server_caches(ws))

    console.ask_past_the_windows()
    pyatspi.Registry.generateKeyboardEvent(KEYCODE_CONTROL_L, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(KEYSYM_QUESTION, None, pyatspi.KEY_SYM)
    pyatspi.Registry.generateKeyboardEvent(KEYCODE_CONTROL_L, None, pyatspi.KEY_RELEASE)
    wait_for(lambda: shortcuts_window(console), 20, "the keyboard shortcuts window (Ctrl+?)")
    pyatspi.Registry.generateKeyboardEvent(KEYSYM_ESCAPE, None, pyatspi.KEY_SYM)
    wait_for(lambda: console.app.childCount == 1, 20, "the shortcuts window closed (Escape)")
    console.ask_past_the_windows()
    log("asked past the windows twice: no CRITICAL")
    console.close()


scenario(body)
