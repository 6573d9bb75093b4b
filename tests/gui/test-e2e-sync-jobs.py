#!/usr/bin/env python3
# test-e2e-sync-jobs.py — the sync jobs view over AT-SPI, as support would use
# it: the test program test-sync-jobs-view-en --serve signs in to its own
# devserver and shows the view in a window (the Activity page that holds the
# view is another branch's; the lead wires this scenario to the app):
#
#   1. The selected job (the first by name) is paused with "Pause": the server
#      has it paused, the row says "Paused" and "Resume" takes Pause's place;
#      "Resume": the server has it idle again, the row says "Idle".
#   2. "Payloads…" opens the newest sync-log row's payloads: the request is
#      pretty-printed JSON (one member a line, indented) in a text area named
#      "Request payload"; "Copy Request"; the window closes.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common  # noqa: E402
from e2e_common import DEMO_PASSWORD, Console, fail, log, scenario, wait_for  # noqa: E402

PROGRAM = os.path.join(e2e_common.BUILD_ROOT, "tests", "gui", "test-sync-jobs-view-en")
SUPPORT = "support@demo.reloop.np"
FIRST_JOB = "Collections → ward GIS"


class ViewProgram(Console):
    """The test program's window instead of the console (same look-ups)."""

    def __init__(self, ws):
        env = dict(ws.env)
        env["RL_DEVSERVER"] = e2e_common.DEVSERVER
        self.log_path = os.path.join(ws.root, "console-%d.log" % len(ws.consoles))
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen([PROGRAM, "--serve"], env=env, stdout=subprocess.PIPE,
                                     stderr=self.log_file, text=True)
        ws.consoles.append(self.proc)
        ws.console_logs.append(self.log_path)
        line = self.proc.stdout.readline()
        m = re.match(r"READY (http://127\.0\.0\.1:\d+)", line)
        if not m:
            fail("the test program did not start: %r (log %s)" % (line, self.log_path))
        self.url = m.group(1)
        log("test program's devserver at", self.url)
        self.app = wait_for(self._find_app, 30, "the test program on AT-SPI")


def api(url, method, path, body=None, token=None):
    req = urllib.request.Request(url + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, None


def job_status(url, token, name):
    status, body = api(url, "GET", "/sync/jobs?limit=100", token=token)
    if status != 200:
        fail("GET /sync/jobs: %s" % status)
    for job in body["data"]:
        if job["name"] == name:
            return job["status"]
    fail("no job %r on the server" % name)


def body(ws):
    view = ViewProgram(ws)
    view.skip_lists()
    status, answer = api(view.url, "POST", "/auth/login", {"email": SUPPORT, "password": DEMO_PASSWORD})
    if status != 200:
        fail("login: %s" % status)
    token = answer["data"]["accessToken"]

    jobs = view.wait("tree table", "Sync jobs")

    def row_says(word):
        # The table at rest: read it (see skip_lists).
        return len(view.find_all("label", word, root=jobs))

    # 1. Pause and resume the selected job.
    view.wait("label", FIRST_JOB)
    wait_for(lambda: row_says("Idle") >= 3, 30, "the idle jobs")
    paused_before = row_says("Paused")
    view.click("push button", "Pause")
    wait_for(lambda: job_status(view.url, token, FIRST_JOB) == "paused", 30, "the job paused on the server")
    view.wait("push button", "Resume")
    wait_for(lambda: row_says("Paused") == paused_before + 1, 30, "the row saying Paused")
    log("paused:", FIRST_JOB)

    view.click("push button", "Resume")
    wait_for(lambda: job_status(view.url, token, FIRST_JOB) == "idle", 30, "the job idle on the server")
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
    view.click("push button", "Close")
    # From the application's windows alone (see skip_lists): the view's only.
    wait_for(lambda: view.app.childCount == 1, 20, "the payload window to close")


scenario(body)
