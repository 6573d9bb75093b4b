# e2e_common.py — helpers for the end-to-end scenarios: a devserver process,
# the real reloop-console, and AT-SPI look-ups by role and accessible name.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pyatspi
from gi.repository import GLib

BUILD_ROOT = os.environ["RL_BUILD_ROOT"]
CONSOLE = os.path.join(BUILD_ROOT, "src", "reloop-console")
DEVSERVER = os.environ["RL_DEVSERVER"]
DEMO_PASSWORD = "reloop-demo"

ROLE_TABS = {
    "dispatcher": {"Map", "Alerts"},
    "support": {"Map", "Alerts", "Activity", "Conflicts"},
    "admin": {"Map", "Alerts", "Providers", "Activity", "Conflicts"},
}


def log(*args):
    print("#", time.strftime("%H:%M:%S"), *args, flush=True)


def fail(message):
    print("FAIL:", message, flush=True)
    sys.exit(1)


def wait_for(predicate, timeout, what, interval=0.2):
    """Polls predicate until it returns a true value or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception as e:  # the tree changes under us: retry
            value = None
            last_error = e
        if value:
            return value
        if time.monotonic() > deadline:
            fail("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


class Workspace:
    """Temporary XDG dirs and environment for one scenario."""

    def __init__(self, keyfile_settings=False):
        self.root = tempfile.mkdtemp(prefix="rl-e2e-")
        self.env = dict(os.environ)
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            path = os.path.join(self.root, name.lower())
            os.makedirs(path)
            self.env[name] = path
        self.env["GSETTINGS_SCHEMA_DIR"] = os.path.join(BUILD_ROOT, "data")
        # memory settings do not survive a restart; the keyfile backend does.
        self.env["GSETTINGS_BACKEND"] = "keyfile" if keyfile_settings else "memory"
        self.env["RELOOP_LOCALEDIR"] = os.path.join(BUILD_ROOT, "po")
        self.env["LANGUAGE"] = "en"
        self.env["G_MESSAGES_DEBUG"] = os.environ.get("RL_E2E_MESSAGES_DEBUG", "reloop-console")
        # A CRITICAL is a bug: the console aborts on one (as under meson's
        # test environment, also when a scenario is run by hand).
        self.env["G_DEBUG"] = "gc-friendly,fatal-criticals"
        # The GL renderer on llvmpipe costs seconds of CPU per window on a
        # loaded 2-core machine; these scenarios look at the tree, not pixels.
        self.env["GSK_RENDERER"] = "cairo"
        # Sanitizer builds: memory errors still abort the console, but its
        # leaks are not checked here (it is killed, not quit, in most
        # scenarios) and the slow unwinder would make every step take seconds.
        if "ASAN_OPTIONS" in self.env:
            self.env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
        self.env.pop("GTK_A11Y", None)
        self.env.pop("RELOOP_DEMO_PASSWORD", None)
        self.devservers = []
        self.consoles = []
        self.console_logs = []  # every console's stdout + stderr

    def cleanup(self):
        for proc in self.consoles + self.devservers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if os.environ.get("RL_TEST_KEEP_LOGS"):
            log("logs kept in", self.root)
        else:
            shutil.rmtree(self.root, ignore_errors=True)


class Devserver:
    def __init__(self, ws, db_path=None, port=0, args=()):
        self.ws = ws
        self.args = list(args)
        self.db_path = db_path or os.path.join(ws.root, "devserver.db")
        self.log_path = os.path.join(ws.root, "devserver.log")
        self.start(port)

    def start(self, port):
        self.log_file = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [DEVSERVER, "--port", str(port), "--db", self.db_path, "--drop-points", "200"] + self.args,
            stdout=subprocess.PIPE, stderr=self.log_file, text=True)
        self.ws.devservers.append(self.proc)
        line = self.proc.stdout.readline()
        m = re.match(r"LISTENING (http://127\.0\.0\.1:(\d+))", line)
        if not m:
            fail("devserver did not start: %r (log %s)" % (line, self.log_path))
        self.url = m.group(1)
        self.port = int(m.group(2))
        log("devserver at", self.url)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()

    def restart(self):
        self.start(self.port)


class Proxy:
    """A TCP forwarder from a loopback port to a devserver: one console's
    network. cut() closes every connection and refuses new ones (that
    laptop is offline; the server and the other consoles are not);
    restore() listens on the same port again."""

    def __init__(self, server):
        self.target = ("127.0.0.1", server.port)
        self.lock = threading.Lock()
        self.conns = []
        self.listener = None
        self.port = 0
        self.restore()
        self.url = "http://127.0.0.1:%d" % self.port
        log("proxy at", self.url, "to", server.url)

    def restore(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        with self.lock:
            listener, self.listener = self.listener, None
            conns, self.conns = self.conns, []
        if listener is not None:
            listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def second_desktop_user(ws, name):
    """Environment overrides for another console on the same desktop with
    its own data directories (another laptop, as far as the console can
    tell): RELOOP_CONSOLE_NON_UNIQUE keeps it out of the first one's
    process."""
    env = {"RELOOP_CONSOLE_NON_UNIQUE": "1"}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = os.path.join(ws.root, name, var.lower())
        os.makedirs(path)
        env[var] = path
    return env


# Widgets that come and go by themselves (a toast), not searched once
# skip_lists() is on.
SKIPPED_WIDGETS = ("AdwToastWidget",)


class Console:
    """A running reloop-console and its AT-SPI application object."""

    def __init__(self, ws, args=(), demo_password=None, env_extra=None):
        env = dict(ws.env)
        env.update(env_extra or {})
        if demo_password is not None:
            env["RELOOP_DEMO_PASSWORD"] = demo_password
        self.log_path = os.path.join(ws.root, "console-%d.log" % len(ws.consoles))
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen([CONSOLE] + list(args), env=env,
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        ws.consoles.append(self.proc)
        ws.console_logs.append(self.log_path)
        self.app = wait_for(self._find_app, 30, "the console on AT-SPI")

    def _find_app(self):
        if self.proc.poll() is not None:
            fail("the console exited with %s (log %s)" % (self.proc.returncode, self.log_path))
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            try:
                if app is not None and app.get_process_id() == self.proc.pid and app.childCount > 0:
                    return app
            except Exception:
                continue
        return None

    # Subtrees of these roles are not searched (see skip_lists).
    skip_roles = ()

    # Look-ups: only widgets on screen (non-zero size) count; GTK 4.8 keeps
    # hidden pages and the narrow view switcher in the tree.
    def find_all(self, role, name=None, match=None, root=None):
        found = []

        def visit(acc):
            try:
                if acc.getRoleName() == role and showing(acc):
                    if (name is None or acc.name == name) and (match is None or match(acc.name or "")):
                        found.append(acc)
                if acc is not root and (acc.getRoleName() in self.skip_roles
                                        or (self.skip_roles and acc.name in SKIPPED_WIDGETS)):
                    return
                for i in range(acc.childCount):
                    child = acc.getChildAtIndex(i)
                    if child is not None and not hidden(child):
                        visit(child)
            except Exception:
                pass

        visit(root if root is not None else self.app)
        return found

    def skip_lists(self):
        """Searches stop at column views ("tree table") and toasts: GTK 4.8
        answers GetChildAtIndex for a child whose accessible is not realized
        (a widget being made or being destroyed: list rows as the list
        changes, a toast going away, a dialog closing) with a NULL object
        path: a GLib CRITICAL in the console, fatal under
        G_DEBUG=fatal-criticals. Read a list with find_all(..., root=the
        tree table) once it is at rest; wait for a dialog to close with
        dialog_open(). (The one such CRITICAL traced to its line in GTK
        4.8.3 was the root's: see ask_past_the_windows.)"""
        self.skip_roles = ("tree table",)

    def dialog_open(self):
        """Whether a dialog window is on screen, from the application's
        windows alone (never inside a closing dialog: see skip_lists)."""
        for i in range(self.app.childCount):
            try:
                window = self.app.getChildAtIndex(i)
                if window is not None and window.getRoleName() in ("dialog", "alert") and showing(window):
                    return True
            except Exception:
                continue
        return False

    def find(self, role, name=None, match=None):
        found = self.find_all(role, name, match)
        return found[0] if found else None

    def wait(self, role, name=None, match=None, timeout=30):
        return wait_for(lambda: self.find(role, name, match), timeout,
                        "%s %r" % (role, name if name is not None else "(match)"))

    def set_text(self, name, text):
        entry = self.wait("text", name)
        entry.queryEditableText().setTextContents(text)

    def click(self, role, name, timeout=30):
        """Clicks the on-screen widget of that role and name that has a
        click action (a GtkMenuButton shows as two nested buttons)."""
        def clickable():
            for widget in self.find_all(role, name):
                try:
                    action = widget.queryAction()
                except NotImplementedError:
                    continue
                for i in range(action.nActions):
                    if action.getName(i) == "click":
                        return (action, i)
            return None
        action, index = wait_for(clickable, timeout, "a clickable %s %r" % (role, name))
        action.doAction(index)

    def status(self):
        button = self.find("push button", match=lambda n: n.startswith("Connection status: "))
        return button.name[len("Connection status: "):] if button else None

    def tabs(self):
        lists = self.find_all("page tab list")
        names = set()
        for tab_list in lists:
            for i in range(tab_list.childCount):
                tab = tab_list.getChildAtIndex(i)
                if tab is not None and showing(tab) and tab.name:
                    names.add(tab.name)
        return names

    def current_tab(self):
        """The name of the selected page tab on screen, or None."""
        for tab_list in self.find_all("page tab list"):
            for i in range(tab_list.childCount):
                tab = tab_list.getChildAtIndex(i)
                if tab is None or not showing(tab):
                    continue
                states = tab.getState()
                if states.contains(pyatspi.STATE_CHECKED) or states.contains(pyatspi.STATE_SELECTED) \
                        or states.contains(pyatspi.STATE_PRESSED):
                    return tab.name
        return None

    def sign_in_visible(self):
        return self.find("push button", "Sign In") is not None

    def sign_in(self, server, email, password):
        self.set_text("Server", server)
        self.set_text("Email", email)
        self.set_text("Password", password)
        self.click("push button", "Sign In")

    def ask_past_the_windows(self):
        """GetChildAtIndex one past the application's windows, as a screen
        reader whose count went stale (a dialog closed between two calls)
        would: an error or a window, never a CRITICAL. GTK 4.8's root
        answers with the last toplevel; a hidden one that was never mapped
        has no object path (docs/testing.md, "AT-SPI")."""
        n = self.app.childCount
        try:
            self.app.getChildAtIndex(n)
        except Exception:
            pass
        time.sleep(0.5)  # the console's answer (and any CRITICAL) is out
        if self.proc.poll() is not None:
            fail("the console exited (%s) when asked for window %d of %d"
                 % (self.proc.returncode, n + 1, n))

    def close(self):
        """Closes the window as a person would, so settings get saved."""
        frame = self.app.getChildAtIndex(0)
        action = frame.queryAction()
        for i in range(action.nActions):
            if action.getName(i) == "window.close":
                try:
                    action.doAction(i)
                except GLib.GError as e:
                    # The console may quit before it answers the call
                    # ("disconnected from message bus without replying"):
                    # whether it quit is checked below.
                    log("window.close:", e.message)
                break
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            fail("the console did not quit after its window closed")
        self.log_file.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()


def api(server, method, path, body=None, token=None, headers=None):
    """(status, parsed body) of a REST call; HTTP errors are answers too."""
    req = urllib.request.Request(server.url + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read()
            return resp.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        text = e.read()
        return e.code, json.loads(text) if text else None


def login(server, email):
    status, body = api(server, "POST", "/api/v1/auth/login", {"email": email, "password": DEMO_PASSWORD})
    if status != 200:
        fail("login of %s: %s %r" % (email, status, body))
    return body["data"]["accessToken"]


def showing(acc):
    try:
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return ext.width > 0 and ext.height > 0
    except Exception:
        return False


def hidden(acc):
    """True only when the widget is known to have no size (a stack page
    object has no extents at all: look inside it)."""
    try:
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    except Exception:
        return False
    return ext.width <= 0 or ext.height <= 0


def keyring_items(kind, server):
    """How many keyring items of one kind exist for one server. Uses
    secret-tool (libsecret-tools); its output, secrets included, is only
    counted, never printed."""
    # Attributes go to standard error, the secret to standard output.
    out = subprocess.run(["secret-tool", "search", "--all", "kind", kind, "server", server],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    return sum(1 for line in out.splitlines() if line.startswith("attribute.kind = "))


# A GLib log line at level WARNING or CRITICAL, as g_log's default handler
# writes it: "(process:PID): DOMAIN-WARNING **: HH:MM:SS.mmm: message" (the
# program name instead of "process" when it is set; "DOMAIN-" is absent for
# the NULL domain). Debug and info lines ("DOMAIN-DEBUG: …") and what other
# libraries print in their own formats do not match.
GLIB_BAD_LINE = re.compile(r"^(?:\*\* )?\([^()\s]+:\d+\): (?:\S+-)?(?:WARNING|CRITICAL) \*\*: ")


def bad_log_lines(path):
    """The GLib WARNING and CRITICAL lines of a console's output file."""
    try:
        with open(path, errors="replace") as f:
            return [line.rstrip("\n") for line in f if GLIB_BAD_LINE.match(line)]
    except FileNotFoundError:
        return []


def check_console_logs(ws):
    """Fails when any console of the scenario printed a GLib WARNING or
    CRITICAL line: each one is a bug. Prints the offending lines."""
    bad = []
    for path in ws.console_logs:
        for line in bad_log_lines(path):
            bad.append("%s: %s" % (os.path.basename(path), line))
    if bad:
        for line in bad:
            print("BAD LOG LINE:", line, flush=True)
        return "%d WARNING/CRITICAL line(s) in the console's output" % len(bad)
    return None


def scenario(body, keyfile_settings=False):
    """Runs body(ws) in a fresh workspace; prints the logs when it fails.
    Fails when a console printed a GLib WARNING or CRITICAL line, whether
    body passed or not."""
    ws = Workspace(keyfile_settings)
    ok = False
    try:
        try:
            body(ws)
            ok = True
        finally:
            # Also when body failed (sys.exit from fail, or an exception):
            # a CRITICAL is often the cause. Stop the consoles first so
            # their output is complete.
            for proc in ws.consoles:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            problem = check_console_logs(ws)
        if problem:
            ok = False
            fail(problem)
    finally:
        if not ok:
            for path in sorted(os.listdir(ws.root)):
                if path.endswith(".log"):
                    log("---- %s" % path)
                    with open(os.path.join(ws.root, path), errors="replace") as f:
                        for line in f.read().splitlines()[-40:]:
                            log(line)
        ws.cleanup()
    print("PASS", flush=True)
