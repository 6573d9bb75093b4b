# test-e2e-map-tiles.py — the real console against a server without /tiles
# (reloop-devserver --no-tiles), over AT-SPI: with the tile template set to
# that server's /tiles, the map says once, in words, that the tiles cannot be
# loaded and why (404), with its three remedies as named buttons;
# "Choose a Map Source…" opens Preferences on the map source rows; "Show
# Without a Map" takes the card away while the drop points stay.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from e2e_common import (DEMO_PASSWORD, Console, Devserver, log, scenario,  # noqa: E402
                        wait_for)

REASON = "The tile server has no map tiles at this address (it answered “404 Not Found”)."


def write_settings(ws, server):
    """The keyfile settings backend's file: a custom template at the
    server's /tiles, as a person would type it in Preferences."""
    path = os.path.join(ws.env["XDG_CONFIG_HOME"], "glib-2.0", "settings")
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "keyfile"), "w") as f:
        f.write("[org/reloop/Console]\n")
        f.write("tile-source='custom'\n")
        f.write("tile-url-template='%s/tiles/{z}/{x}/{y}.png'\n" % server.url)


def close_preferences(console):
    """Its own Close button: the main window has one too."""
    for i in range(console.app.childCount):
        window = console.app.getChildAtIndex(i)
        if window is None or not console.find_all("combo box", "Tile Source", root=window):
            continue
        for button in console.find_all("push button", "Close", root=window):
            action = button.queryAction()
            for j in range(action.nActions):
                if action.getName(j) == "click":
                    action.doAction(j)
                    return
    raise AssertionError("no Close button in Preferences")


def body(ws):
    server = Devserver(ws, args=["--no-tiles"])
    write_settings(ws, server)
    console = Console(ws)
    console.sign_in(server.url, "dispatcher@demo.reloop.np", DEMO_PASSWORD)
    wait_for(lambda: (console.status() or "").startswith("Online"), 90, "signed in and synced")

    # The card: its title, the reason in words, and the three remedies.
    console.wait("label", "The map tiles cannot be loaded", timeout=60)
    console.wait("label", REASON, timeout=10)
    for name in ("Choose a Map Source…", "Import an Offline Map Pack…", "Show Without a Map"):
        console.wait("push button", name, timeout=10)
    # Once, not per tile.
    n = len(console.find_all("label", "The map tiles cannot be loaded"))
    if n != 1:
        raise AssertionError("%d failure cards on screen" % n)
    log("the failure card is on the map")

    # Choose a Map Source… → Preferences on the Map Source group.
    console.click("push button", "Choose a Map Source…")
    console.wait("combo box", "Tile Source", timeout=20)
    console.wait("label", "Map Source", timeout=10)
    log("Preferences opened at the map source rows")
    close_preferences(console)
    wait_for(lambda: console.find("combo box", "Tile Source") is None, 20, "Preferences closed")

    # Show Without a Map: the card goes, the points stay.
    console.click("push button", "Show Without a Map")
    wait_for(lambda: console.find("label", "The map tiles cannot be loaded") is None, 20,
             "the failure card gone")
    console.wait("label", match=lambda n: n.endswith(" drop points") and n[:1].isdigit())
    console.kill()


scenario(body, keyfile_settings=True)
