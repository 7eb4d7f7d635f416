"""httpd.py - starting and stopping a real apache2 for the Python suites.

Shared by tests/differential/diff.py and tests/resource/live.py: find the
binary, the users and a free port on 127.0.0.1, the server lines every
test configuration has (listen on 127.0.0.1, pid file, logs and document
root under a temporary ServerRoot), start it in the foreground in a
session of its own, and stop exactly that server: its pid, then whatever
is left of its own session.  Never signals a process it did not start.
Standard library only; import it with tests/lib on sys.path.
"""

import os
import shutil
import signal
import socket
import subprocess
import time


def find_apache2(explicit=None):
    """The apache2 (or httpd) binary, or None.  explicit: that binary or
    none (a path that does not exist tests the skip)."""
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for c in ("/usr/sbin/apache2", "/usr/sbin/httpd"):
        if os.access(c, os.X_OK):
            return c
    return shutil.which("apache2") or shutil.which("httpd")


def run_user_group():
    """User and Group for the children when running as root, else
    (None, None): the first of Debian's, then the generic names."""
    if os.geteuid() != 0:
        return None, None
    import grp
    import pwd
    user = group = None
    for u in ("www-data", "daemon", "nobody"):
        try:
            pwd.getpwnam(u)
            user = u
            break
        except KeyError:
            pass
    for g in ("www-data", "daemon", "nogroup", "nobody"):
        try:
            grp.getgrnam(g)
            group = g
            break
        except KeyError:
            pass
    return user, group


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_root(root):
    """The directories server_lines() names, under ServerRoot root."""
    for d in ("run", "logs", "htdocs"):
        os.makedirs(os.path.join(root, d), exist_ok=True)


def server_lines(root, port, user, group):
    """Configuration lines that keep the server on 127.0.0.1:port with
    everything it writes under root; User and Group when given."""
    lines = ["ServerName 127.0.0.1",
             "Listen 127.0.0.1:%d" % port,
             'PidFile "%s/run/httpd.pid"' % root,
             'DefaultRuntimeDir "%s/run"' % root,
             'ErrorLog "%s/logs/error.log"' % root,
             "LogLevel warn",
             'DocumentRoot "%s/htdocs"' % root]
    if user:
        lines.append("User %s" % user)
    if group:
        lines.append("Group %s" % group)
    return lines


def start(apache2, root, conf, err_path, env):
    """Start apache2 -f conf in the foreground, in a session of its own,
    its stderr in err_path.  Returns the Popen."""
    with open(err_path, "wb") as ef:
        return subprocess.Popen(
            [apache2, "-d", root, "-f", conf, "-D", "FOREGROUND"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=ef, env=env, start_new_session=True)


def proc_stat(pid):
    """pid, state, ppid, pgrp and sid from /proc/PID/stat, or None."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    fields = data[data.rfind(")") + 2:].split()
    return {"pid": pid, "state": fields[0], "ppid": int(fields[1]),
            "pgrp": int(fields[2]), "sid": int(fields[3])}


def own_group(pgid, root):
    """Live processes of the session/group we created (pgid == sid == our
    child's pid), optionally only those whose command line names root."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        st = proc_stat(int(name))
        if not st or st["pgrp"] != pgid or st["sid"] != pgid or \
                st["state"] == "Z":
            continue
        if root is not None:
            try:
                with open("/proc/%s/cmdline" % name, "rb") as f:
                    if root.encode() not in f.read():
                        continue
            except OSError:
                continue
        out.append(st["pid"])
    return out


def kill_own_group(pgid, root):
    """SIGKILL what own_group() finds; returns the pids signalled."""
    killed = []
    for pid in own_group(pgid, root):
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except OSError:
            pass
    return killed


def stop_server(proc, root):
    """SIGTERM to our httpd, then SIGKILL for what is left of its own
    session; returns the pids that needed SIGKILL."""
    if proc.poll() is None:
        try:
            os.kill(proc.pid, signal.SIGTERM)
        except OSError:
            pass
        try:
            proc.wait(timeout=6)
        except subprocess.TimeoutExpired:
            pass
    killed = kill_own_group(proc.pid, root)
    if proc.poll() is None:
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
    end = time.monotonic() + 3
    while own_group(proc.pid, root) and time.monotonic() < end:
        time.sleep(0.05)
        killed += kill_own_group(proc.pid, root)
    return killed
