#!/usr/bin/env python3
# test-e2e-sync-jobs.py — the sync jobs view over AT-SPI, as support would use
# it: the console signed in to a devserver, Activity, "Sync Jobs":
#
#   1. The first job by name, selected with a click, is paused with "Pause": the server
#      has it paused, the row says "Paused" and "Resume" takes Pause's place;
#      "Resume": the server has it idle again, the row says "Idle".
#   2. "Payloads…" opens the newest sync-log row's payloads: the request is
#      pretty-printed JSON (one member a line, indented) in a text area named
#      "Request payload"; "Copy Request"; the window closes.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys

import pyatspi

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import DEMO_PASSWORD, Console, Devserver, api, fail, log, login, scenario, wait_for  # noqa: E402

SUPPORT = "support@demo.reloop.np"
FIRST_JOB = "Collections → ward GIS"


def job_status(server, token, name):
    status, body = api(server, "GET", "/api/v1/sync/jobs?limit=100", token=token)
    if status != 200:
        fail("GET /sync/jobs: %s" % status)
    for job in body["data"]:
        if job["name"] == name:
            return job["status"]
    fail("no job %r on the server" % name)


def body(ws):
    server = Devserver(ws)
    token = login(server, SUPPORT)
    view = Console(ws, ["--server", server.url, "--demo-account", SUPPORT], demo_password=DEMO_PASSWORD)
    view.skip_lists()
    wait_for(lambda: (view.status() or "").startswith("Online"), 90, "the console online")
    view.click("page tab", "Activity")
    wait_for(lambda: view.current_tab() == "Activity", 20, "the Activity page")
    view.click("page tab", "Sync Jobs")  # the page's view switcher
    jobs = view.wait("tree table", "Sync jobs", timeout=60)

    def row_says(word):
        # The table at rest: read it (see skip_lists).
        return len(view.find_all("label", word, root=jobs))

    # 1. Pause and resume the selected job.
    cell = wait_for(lambda: (view.find_all("label", FIRST_JOB, root=jobs) or [None])[0], 30,
                    "the job %r in the list" % FIRST_JOB)
    ext = cell.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, ext.y + ext.height // 2, "b1c")
    view.wait("label", FIRST_JOB)  # the selected job's pane
    wait_for(lambda: row_says("Idle") >= 3, 30, "the idle jobs")
    paused_before = row_says("Paused")
    view.click("push button", "Pause")
    wait_for(lambda: job_status(server, token, FIRST_JOB) == "paused", 30, "the job paused on the server")
    view.wait("push button", "Resume")
    wait_for(lambda: row_says("Paused") == paused_before + 1, 30, "the row saying Paused")
    log("paused:", FIRST_JOB)

    view.click("push button", "Resume")
    wait_for(lambda: job_status(server, token, FIRST_JOB) == "idle", 30, "the job idle on the server")
    view.wait("push button", "Pause")
    wait_for(lambda: row_says("Paused") == paused_before, 30, "the row no longer paused")
    log("resumed:", FIRST_JOB)

    # 2. The newest sync-log row's payloads.
    view.wait("tree table", match=lambda n: n.startswith("Sync log of "))
    view.click("push button", "Payloads…")
    request = view.wait("text", "Request payload")
    text_iface = request.queryText()
    text = text_iface.getText(0, text_iface.characterCount)
    if not re.match(r'^\{\n  "id" : "dp-\d+",\n  "op" : "', text):
        fail("the request is not pretty JSON: %r" % text[:80])
    log("request payload:", text.splitlines()[1].strip())
    view.click("push button", "Copy Request")
    payloads = wait_for(lambda: next((view.app.getChildAtIndex(i) for i in range(view.app.childCount)
                                      if view.app.getChildAtIndex(i).name == "Payloads"), None),
                        10, "the Payloads window")
    close = wait_for(lambda: (view.find_all("push button", "Close", root=payloads) or [None])[0], 10,
                     "the Payloads window's Close")
    close.queryAction().doAction(0)
    # From the application's windows alone (see skip_lists): the console's only.
    wait_for(lambda: view.app.childCount == 1, 20, "the payload window to close (windows: %r)"
             % [view.app.getChildAtIndex(i).name for i in range(view.app.childCount)])
    view.close()


scenario(body)
