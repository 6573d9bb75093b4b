#!/usr/bin/env python3
# test-e2e-activity.py — support staff on the Activity page over AT-SPI, as a
# person would use it, against a devserver:
#
#   1. Signed in as support, Activity, Runs: the "Run status" drop-down to
#      Failed and the "Workflow" drop-down to Legacy ERP export (wf-0004):
#      the list says 3 runs.
#   2. The newest failed run clicked, Retry Selected…, the confirmation
#      "Retry 1 Failed Run?", Retry: on the devserver the run is attempt 2
#      and succeeds, and the console lists 2 succeeded runs of wf-0004.
#   3. Running runs of "Nightly" (the zombie of wf-0001, hours old): the
#      first clicked, Cancel Run…, "Cancel the Run of “Nightly collection
#      routes”?", Cancel Run: the devserver has it cancelled.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import time

import pyatspi

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import DEMO_PASSWORD, Console, Devserver, api, fail, log, login, scenario, wait_for  # noqa: E402

KEY_UP = 0xff52
KEY_DOWN = 0xff54
KEY_RETURN = 0xff0d
SUPPORT = "support@demo.reloop.np"
# The status drop-down's rows, and the workflows by name after "All workflows".
STATUS_ROWS = ["All statuses", "Failed", "Running", "Queued", "Succeeded", "Cancelled"]


def runs_of(server, token, workflow_id):
    status, body = api(server, "GET", "/api/v1/workflows/%s/runs?limit=500" % workflow_id, token=token)
    if status != 200:
        fail("GET runs of %s: %s" % (workflow_id, status))
    return body["data"]


def run(server, token, run_id):
    status, body = api(server, "GET", "/api/v1/runs/" + run_id, token=token)
    if status != 200:
        fail("GET run %s: %s" % (run_id, status))
    return body["data"]


def key(keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)


def click_at(acc):
    ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, ext.y + ext.height // 2, "b1c")


def choose(console, combo_name, steps):
    """Opens the drop-down @combo_name and moves @steps rows (negative: up)
    from the chosen one, then Return."""
    click_at(console.wait("combo box", combo_name))
    time.sleep(0.5)
    for _ in range(abs(steps)):
        key(KEY_DOWN if steps > 0 else KEY_UP)
        time.sleep(0.1)
    key(KEY_RETURN)
    time.sleep(0.5)


def count_label(console):
    label = console.find("label", match=lambda n: n.endswith(" runs") or n.endswith(" run")
                         or n.endswith(" selected"))
    return label.name if label else None


def at_rest(console):
    last = [None, time.monotonic()]

    def quiet():
        now = count_label(console)
        if now != last[0]:
            last[0], last[1] = now, time.monotonic()
            return False
        return now is not None and time.monotonic() - last[1] >= 1.5
    wait_for(quiet, 30, "the list at rest")


def first_row_cell(console, text):
    """The top cell of the runs table that reads @text."""
    at_rest(console)
    table = console.wait("tree table", "Runs")
    cells = console.find_all("label", text, root=table)
    if not cells:
        fail("no row of %r in the runs table" % text)
    return sorted(cells, key=lambda c: c.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y)[0]


def confirm(console, heading, button):
    wait_for(console.dialog_open, 20, "the confirmation")
    time.sleep(0.5)
    wait_for(lambda: console.find("label", heading), 20, "the confirmation %r" % heading)
    console.click("push button", button)
    wait_for(lambda: not console.dialog_open(), 20, "the dialog closed")
    time.sleep(1.0)


def body(ws):
    server = Devserver(ws)
    token = login(server, SUPPORT)
    failed = sorted((r for r in runs_of(server, token, "wf-0004") if r["status"] == "failed"),
                    key=lambda r: r["startedAt"], reverse=True)
    if len(failed) != 3:
        fail("the devserver has %d failed wf-0004 runs, not 3" % len(failed))
    zombie = runs_of(server, token, "wf-0001")[0]
    if zombie["status"] != "running":
        fail("the newest wf-0001 run is %s, not running" % zombie["status"])

    c = Console(ws, ["--server", server.url, "--demo-account", SUPPORT], demo_password=DEMO_PASSWORD)
    c.skip_lists()
    wait_for(lambda: (c.status() or "").startswith("Online"), 90, "the console online")
    c.click("page tab", "Activity")
    wait_for(lambda: c.current_tab() == "Activity", 20, "the Activity page")
    c.wait("tree table", "Runs", timeout=60)

    # 1. By status and by workflow.
    choose(c, "Run status", STATUS_ROWS.index("Failed"))
    choose(c, "Workflow", 2)  # All, Image classification, Legacy ERP export, …
    wait_for(lambda: count_label(c) == "3 runs", 60, "3 failed runs of wf-0004 (%r)" % count_label(c))
    log("filtered: 3 failed runs of Legacy ERP export")

    # 2. Retry the newest; it succeeds as attempt 2.
    click_at(first_row_cell(c, "Legacy ERP export"))
    wait_for(lambda: count_label(c) == "1 of 3 runs selected", 10, "one row selected")
    c.click("push button", "Retry Selected…")
    confirm(c, "Retry 1 Failed Run?", "Retry")
    wait_for(lambda: run(server, token, failed[0]["id"])["status"] == "succeeded", 90,
             "the retried run succeeded on the devserver")
    if run(server, token, failed[0]["id"])["attempt"] != 2:
        fail("the retried run is not attempt 2")
    choose(c, "Run status", STATUS_ROWS.index("Succeeded") - STATUS_ROWS.index("Failed"))
    wait_for(lambda: count_label(c) == "2 runs", 60,
             "2 succeeded runs of wf-0004 listed (%r)" % count_label(c))
    log("retried:", failed[0]["id"], "succeeded as attempt 2")

    # 3. Cancel the zombie.
    choose(c, "Run status", STATUS_ROWS.index("Running") - STATUS_ROWS.index("Succeeded"))
    choose(c, "Workflow", -2)
    c.wait("entry", "Search runs").queryEditableText().setTextContents("Nightly")
    wait_for(lambda: (count_label(c) or "").endswith(" run") or (count_label(c) or "").endswith(" runs"),
             30, "running runs of Nightly")
    click_at(first_row_cell(c, "Nightly collection routes"))
    c.click("push button", "Cancel Run…")
    confirm(c, "Cancel the Run of “Nightly collection routes”?", "Cancel Run")
    wait_for(lambda: run(server, token, zombie["id"])["status"] == "cancelled", 60,
             "the zombie run cancelled on the devserver")
    log("cancelled:", zombie["id"])
    c.close()


scenario(body)
