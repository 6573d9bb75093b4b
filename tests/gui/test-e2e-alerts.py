#!/usr/bin/env python3
# test-e2e-alerts.py — a dispatcher's Alerts page over AT-SPI, as a person
# would use it, against a devserver reached through a proxy (the laptop's
# own network):
#
#   1. Signed in, the dispatcher opens Alerts, turns on the saved filter
#      "Open High", selects the first two rows (a click, then Shift+Down),
#      Acknowledge…, types a comment, Acknowledge: the devserver's request
#      log shows each of the two acknowledgements applied once, and the
#      server holds the comment.
#   2. The network goes (the proxy cuts): the same on the next two rows; the
#      header says 2 changes wait; with "Not resolved" listed, both rows say
#      "Waiting to sync". The network comes back: each lands once, and the
#      rows no longer wait.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import sys
import time

import pyatspi

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import DEMO_PASSWORD, Console, Devserver, Proxy, api, fail, log, login, scenario, wait_for  # noqa: E402

KEY_DOWN = 0xff54
KEY_RETURN = 0xff0d
KEYCODE_SHIFT_L = 50  # Xvfb's default keymap
ONLINE_COMMENT = "Crew on the way"
OFFLINE_COMMENT = "Seen from the field"
DISPATCHER = "dispatcher@demo.reloop.np"


def applied_acks(server):
    """{alert id: times applied} from the devserver's request log (answers
    replayed for a repeated idempotency key are not applications)."""
    status, body = api(server, "GET", "/__dev/requests")
    if status != 200:
        fail("GET /__dev/requests: %s" % status)
    log_rows = body if isinstance(body, list) else body["data"]
    counts = {}
    prefix, suffix = "/api/v1/alerts/", "/acknowledge"
    for r in log_rows:
        path = r.get("path", "")
        if path.startswith(prefix) and path.endswith(suffix) and r.get("status") == 200 \
                and not r.get("replayed", False):
            alert_id = path[len(prefix):-len(suffix)]
            counts[alert_id] = counts.get(alert_id, 0) + 1
    return counts


def key(keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)


def click_at(acc):
    ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, ext.y + ext.height // 2, "b1c")


def alerts_table(console):
    return console.wait("tree table", "Alerts")


def count_text(console):
    label = console.find("label", match=lambda n: n.endswith(" alerts") or n.endswith(" alert")
                         or n.endswith(" selected"))
    return label.name if label else None


def at_rest(console):
    """Waits until the action bar's count has not changed for 1.5 s: the list
    is at rest (see Console.skip_lists)."""
    last = [None, time.monotonic()]

    def quiet():
        now = count_text(console)
        if now != last[0]:
            last[0], last[1] = now, time.monotonic()
            return False
        return now is not None and time.monotonic() - last[1] >= 1.5
    wait_for(quiet, 30, "the list at rest")


def point_cells(console):
    """The drop point cells of the list's rows on screen, top to bottom:
    "Name (dp-…)"."""
    at_rest(console)
    cells = console.find_all("label", match=lambda n: n.endswith(")") and "(dp-" in n,
                             root=alerts_table(console))
    return sorted(cells, key=lambda c: c.queryComponent().getExtents(pyatspi.WINDOW_COORDS).y)


def drop_point_of(cell_name):
    return cell_name[cell_name.rindex("(dp-") + 1:-1]


def select_first_two(console):
    """Clicks the first row, then Shift+Down: two rows selected, as the
    action bar's count says. Returns the two drop point ids."""
    cells = wait_for(lambda: (lambda c: c if len(c) >= 2 else None)(point_cells(console)), 30,
                     "two rows in the list")
    first, second = drop_point_of(cells[0].name), drop_point_of(cells[1].name)
    click_at(cells[0])
    wait_for(lambda: console.find("label", match=lambda n: n.startswith("1 of ") and n.endswith(" selected")), 10,
             "one row selected")
    pyatspi.Registry.generateKeyboardEvent(KEYCODE_SHIFT_L, None, pyatspi.KEY_PRESS)
    key(KEY_DOWN)
    pyatspi.Registry.generateKeyboardEvent(KEYCODE_SHIFT_L, None, pyatspi.KEY_RELEASE)
    wait_for(lambda: console.find("label", match=lambda n: n.startswith("2 of ") and n.endswith(" selected")), 10,
             "two rows selected")
    return first, second


def acknowledge(console, comment):
    console.click("push button", "Acknowledge…")
    wait_for(console.dialog_open, 20, "the confirmation")
    time.sleep(0.5)  # mapped: its accessibles are realized
    wait_for(lambda: console.find("label", "Acknowledge 2 Alerts?"), 20, "the confirmation naming 2")
    console.set_text("Comment", comment)
    console.click("push button", "Acknowledge")
    wait_for(lambda: not console.dialog_open(), 20, "the dialog closed")
    time.sleep(1.0)  # destroyed, not only hidden


def open_high_alerts(server, token):
    status, body = api(server, "GET", "/api/v1/alerts?status=open&severity=HIGH&limit=500", token=token)
    if status != 200:
        fail("GET alerts: %s %r" % (status, body))
    return body["data"]


def check_acked(server, token, drop_points, comment, before):
    """The alerts acknowledged on the server for @drop_points: exactly one
    new application each, with @comment. Returns their ids."""
    counts = applied_acks(server)
    new = {k: v - before.get(k, 0) for k, v in counts.items() if v - before.get(k, 0) > 0}
    if len(new) != 2 or any(v != 1 for v in new.values()):
        fail("acknowledgements applied: %r (want two, once each)" % new)
    for alert_id in new:
        status, body = api(server, "GET", "/api/v1/alerts/" + alert_id, token=token)
        alert = body["data"]
        if alert["status"] != "acknowledged" or alert["dropPointId"] not in drop_points:
            fail("alert %s: %s on %s (rows %r)" % (alert_id, alert["status"], alert["dropPointId"],
                                                 drop_points))
        note = alert.get("acknowledgedNote") or alert.get("note") or ""
        if comment not in json.dumps(alert):
            fail("alert %s does not hold the comment %r: %r" % (alert_id, comment, alert))
        log("acknowledged once on the server:", alert_id, alert["dropPointId"], repr(note))
    return list(new)


def body(ws):
    server = Devserver(ws)
    proxy = Proxy(server)
    token = login(server, DISPATCHER)
    if len(open_high_alerts(server, token)) < 4:
        fail("the devserver has fewer than 4 open HIGH alerts")

    c = Console(ws, ["--server", proxy.url, "--demo-account", DISPATCHER], demo_password=DEMO_PASSWORD)
    c.skip_lists()
    wait_for(lambda: (c.status() or "").startswith("Online"), 90, "the console online")
    c.click("page tab", "Alerts")
    wait_for(lambda: c.current_tab() == "Alerts", 20, "the Alerts page")
    c.click("push button", "Open High")  # a toggle: GTK 4.8 says "push button"
    wait_for(lambda: c.find("combo box", "Alert severity") is not None
             and c.find("label", match=lambda n: n.endswith(" alerts")) is not None, 20,
             "the list filtered")

    # 1. Online: two acknowledged with a comment, each applied once.
    before = applied_acks(server)
    rows = select_first_two(c)
    acknowledge(c, ONLINE_COMMENT)
    wait_for(lambda: sum(applied_acks(server).values()) >= sum(before.values()) + 2, 60,
             "two acknowledgements on the devserver")
    time.sleep(2)  # anything sent twice would be in the log by now
    check_acked(server, token, rows, ONLINE_COMMENT, before)
    # Acknowledged, they leave "Open High".
    wait_for(lambda: not any(drop_point_of(x.name) in rows for x in point_cells(c)[:2]), 30,
             "the acknowledged rows gone from Open High")

    # 2. Offline: the next two wait, then land once each.
    proxy.cut()
    wait_for(lambda: (c.status() or "").startswith("Offline"), 90,
             "the console offline (status %r)" % c.status())
    before = applied_acks(server)
    rows = select_first_two(c)
    acknowledge(c, OFFLINE_COMMENT)
    wait_for(lambda: "2 changes waiting" in (c.status() or ""), 30,
             "two changes waiting (status %r)" % c.status())
    status_combo = c.wait("combo box", "Alert status")
    click_at(status_combo)
    time.sleep(0.5)
    for _ in range(3):  # Open → Acknowledged → Resolved → Not resolved
        key(KEY_DOWN)
        time.sleep(0.1)
    key(KEY_RETURN)
    def waiting_rows():
        at_rest(c)
        return len(c.find_all("label", "Waiting to sync", root=alerts_table(c)))
    wait_for(lambda: waiting_rows() == 2, 30, "two rows waiting to sync (have %d)" % waiting_rows())
    if applied_acks(server) != before:
        fail("an acknowledgement reached the server while offline")
    log("offline: two rows waiting to sync;", c.status())

    proxy.restore()
    wait_for(lambda: (c.status() or "").startswith("Online") and "waiting" not in (c.status() or ""),
             120, "online with nothing waiting (status %r)" % c.status())
    time.sleep(2)
    check_acked(server, token, rows, OFFLINE_COMMENT, before)
    wait_for(lambda: waiting_rows() == 0, 30, "no row waiting any more")
    c.close()


scenario(body)
