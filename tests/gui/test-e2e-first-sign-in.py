# test-e2e-first-sign-in.py — a new dispatcher's first sign-in: a fresh
# devserver, an empty cache, the sign-in form, then the Map page fills as the
# first sync lands, and the window closes as a person would close it. The
# console must print no GLib WARNING or CRITICAL on the way (scenario()
# checks its output; the map's tiles used to query the geo index before any
# point was known, one CRITICAL per tile).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

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
    console.close()


scenario(body)
