# test-e2e-cli.py — the command line for field laptops' timers, as a timer
# would run it: --sign-in URL EMAIL with the password on standard input, then
# --sync-once with no window (this process syncs and exits), with the window
# open (the running console syncs, over D-Bus, and stays), and with the server
# gone (non-zero exit, a line that says why).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sqlite3
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (CONSOLE, DEMO_PASSWORD, Console, Devserver, fail, keyring_items, log,
                        scenario, wait_for)

ACCOUNT = "admin@demo.reloop.np"


def run_cli(ws, args, stdin=None):
    result = subprocess.run([CONSOLE] + args, env=ws.env, input=stdin, capture_output=True,
                            text=True, timeout=120)
    log("reloop-console", " ".join(args), "→", result.returncode, repr(result.stdout.strip()),
        repr(result.stderr.strip()))
    # Its output counts for the WARNING/CRITICAL check too.
    path = os.path.join(ws.root, "cli-%d.log" % len(ws.console_logs))
    with open(path, "w") as f:
        f.write(result.stdout + result.stderr)
    ws.console_logs.append(path)
    return result


def cached_drop_points(ws):
    servers = os.path.join(ws.env["XDG_DATA_HOME"], "reloop-console", "servers")
    files = [f for f in os.listdir(servers) if f.endswith(".sqlite")] if os.path.isdir(servers) else []
    if len(files) != 1:
        return None
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(servers, files[0]), uri=True)
    try:
        return db.execute("SELECT count(*) FROM drop_points").fetchone()[0]
    finally:
        db.close()


def body(ws):
    server = Devserver(ws)

    # A wrong password: refused, nothing kept.
    bad = run_cli(ws, ["--sign-in", server.url, ACCOUNT], stdin="not the password\n")
    if bad.returncode == 0 or "sign in" not in bad.stderr:
        fail("a wrong password was not refused plainly")
    if keyring_items("api-refresh-token", server.url) != 0:
        fail("a refused sign-in left a token in the keyring")

    signed = run_cli(ws, ["--sign-in", server.url, ACCOUNT], stdin=DEMO_PASSWORD + "\n")
    if signed.returncode != 0:
        fail("--sign-in failed")
    if keyring_items("api-refresh-token", server.url) != 1:
        fail("--sign-in did not leave the refresh token in the keyring")

    # No window: this process restores the session, syncs and exits.
    once = run_cli(ws, ["--sync-once"])
    if once.returncode != 0 or "Synced with " + server.url not in once.stdout:
        fail("--sync-once without a window failed")
    if cached_drop_points(ws) != 200:
        fail("--sync-once did not fill the cache (%r drop points)" % cached_drop_points(ws))

    # With the window open (restored from the same keyring): the running
    # console does the sync and stays.
    console = Console(ws)
    wait_for(lambda: (console.status() or "").startswith("Online"), 60, "the window online")
    again = run_cli(ws, ["--sync-once"])
    if again.returncode != 0 or "Synced with " + server.url not in again.stdout:
        fail("--sync-once with the window open failed")
    if console.proc.poll() is not None:
        fail("the window's console exited after --sync-once")
    with open(console.log_path, errors="replace") as f:
        if "sync-once from the command line (another process)" not in f.read():
            fail("the running console did not do the sync (no D-Bus hand-over in its log)")
    console.close()

    # The server gone: a non-zero exit and why.
    server.stop()
    down = run_cli(ws, ["--sync-once"])
    if down.returncode == 0 or "cannot be reached" not in down.stderr:
        fail("--sync-once with the server down did not fail plainly")


scenario(body, keyfile_settings=True)
