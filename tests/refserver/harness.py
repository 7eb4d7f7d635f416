"""harness.py - what the refserver checks are built on (check.py,
checks.py and hostile.py use it): reading /proc, HTTP/1.1 to 127.0.0.1
with every wait bounded, starting a server and stopping it by its pid,
and the numbers mpmlint expects.  Standard library only.
"""
import json
import os
import re
import signal
import socket
import subprocess
import time


# ---- processes --------------------------------------------------------

def proc_stat(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except OSError:
        return None
    rest = s[s.rindex(")") + 2:].split()
    return rest[0], int(rest[1])        # state, ppid


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        st = proc_stat(int(d))
        if st is not None and st[1] == ppid and st[0] != "Z":
            out.append(int(d))
    return sorted(out)


def threads(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def alive(pid):
    st = proc_stat(pid)
    return st is not None and st[0] != "Z"


def start_time(pid):
    """The start time of pid (clock ticks since boot), None if gone: with
    the pid it names one process, whatever pid reuse happens later."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        return int(s[s.rindex(")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def still_ours(pid, started):
    """pid is alive and is still the process we recorded."""
    return started is not None and alive(pid) and start_time(pid) == started


# Ports: the suite's own range (REF_PORTS=LOW-HIGH, default 27000-27999),
# handed out in turn from a start that depends on the pid, each one
# checked free.
_ports = {}


def free_port():
    lo, _, hi = os.environ.get("REF_PORTS", "27000-27999").partition("-")
    lo, hi = int(lo), int(hi)
    n = hi - lo + 1
    if "next" not in _ports:
        _ports["next"] = os.getpid() % n
    for _ in range(n):
        p = lo + _ports["next"] % n
        _ports["next"] += 1
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
            return p
        except OSError:
            continue
        finally:
            s.close()
    raise RuntimeError("no free port in %d-%d" % (lo, hi))


def wait_until(fn, timeout, step=0.1):
    end = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() >= end:
            return v
        time.sleep(step)


# ---- HTTP -------------------------------------------------------------

def recv_all(s, timeout):
    """Read until EOF or timeout: (bytes, 'eof'|'reset'|'timeout')."""
    data = b""
    end = time.monotonic() + timeout
    try:
        while True:
            s.settimeout(max(0.01, end - time.monotonic()))
            b = s.recv(65536)
            if not b:
                return data, "eof"
            data += b
    except socket.timeout:
        return data, "timeout"
    except OSError:
        return data, "reset"


def read_eof(s):
    """What s receives until EOF, an error or a read that times out (the
    socket's own timeout); s is closed."""
    data = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    except OSError:
        pass
    s.close()
    return data


def exchange(port, raw, timeout=10.0, shut=False):
    """Send raw bytes, read until EOF or timeout.  Returns (bytes, how):
    how is 'eof', 'reset' or 'timeout'."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError:
        return b"", "refused"
    try:
        s.settimeout(timeout)
        s.sendall(raw)
        if shut:
            s.shutdown(socket.SHUT_WR)
        return recv_all(s, timeout)
    except socket.timeout:
        return b"", "timeout"
    except OSError:
        return b"", "reset"
    finally:
        s.close()


def parse_responses(data):
    """Split a byte stream into [(status, headers, body)]."""
    out = []
    while data:
        i = data.find(b"\r\n\r\n")
        if i < 0:
            break
        head = data[:i].decode("latin-1").split("\r\n")
        m = re.match(r"HTTP/1\.\d (\d{3})", head[0])
        if not m:
            break
        hdr = {}
        for line in head[1:]:
            k, _, v = line.partition(":")
            hdr[k.strip().lower()] = v.strip()
        n = int(hdr.get("content-length", "0"))
        out.append((int(m.group(1)), hdr, data[i + 4:i + 4 + n]))
        data = data[i + 4 + n:]
    return out


def req(path, method="GET", extra="", version="HTTP/1.1", close=True):
    return ("%s %s %s\r\nHost: localhost\r\n%s%s\r\n" % (
        method, path, version, "Connection: close\r\n" if close else "",
        extra)).encode("latin-1")


def get(port, path, method="GET", timeout=10.0):
    data, _ = exchange(port, req(path, method), timeout)
    r = parse_responses(data)
    return r[0] if r else (0, {}, b"")


def num(text):
    """An integer from text, or None: numbers are compared as numbers."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def status_page(port, timeout=5.0):
    st, _, body = get(port, "/server-status?auto", timeout=timeout)
    if st != 200:
        return None
    out = {}
    for line in body.decode("latin-1").splitlines():
        k, sep, v = line.partition(": ")
        if sep:
            out[k] = v
    return out


# ---- servers ----------------------------------------------------------

class Server:
    """A server process we started; every pid it had is remembered."""
    all_pids = {}                # pid -> start time, against pid reuse

    @staticmethod
    def note(pid):
        if not still_ours(pid, Server.all_pids.get(pid)):
            Server.all_pids[pid] = start_time(pid)

    def __init__(self, argv, env, log, port, cwd=None):
        self.port = port
        self.logpath = log
        self.logf = open(log, "wb")
        # A session of its own: httpd's prefork parent signals its whole
        # process group when it stops.
        self.p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                  stdout=self.logf, stderr=subprocess.STDOUT,
                                  cwd=cwd, start_new_session=True)
        self.pid = self.p.pid
        Server.note(self.pid)

    def kids(self):
        k = children(self.pid)
        for p in k:
            Server.note(p)
        return k

    def ready(self, timeout=10.0):
        def up():
            if self.p.poll() is not None:
                return "exited"
            return "up" if get(self.port, "/server-status?auto",
                               timeout=1.0)[0] == 200 else None
        return wait_until(up, timeout, 0.1) == "up"

    def log(self):
        try:
            with open(self.logpath, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, timeout=15.0):
        """SIGTERM, wait; SIGKILL the parent and its children if needed.
        Returns the exit status, or None when it had to be killed."""
        kids = self.kids()
        if self.p.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except OSError:
                pass
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            rc = None
            for k in kids + children(self.pid):
                try:
                    os.kill(k, signal.SIGKILL)
                except OSError:
                    pass
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            self.p.wait(5)
        wait_until(lambda: not any(alive(k) for k in kids), 5.0)
        self.logf.close()
        return rc


# ---- expectations from mpmlint ------------------------------------------

def effective(mpmlint, conf, env):
    r = subprocess.run([mpmlint, "-f", "json", conf], env=env,
                       capture_output=True, timeout=30)
    try:
        return json.loads(r.stdout.decode())["effective"]
    except (ValueError, KeyError):
        return None


def model(eff):
    """Threads per child, capacity, and the idle process count httpd's
    maintenance settles on from StartServers (with the steps it takes)."""
    mpm = eff["mpm"]
    if mpm == "prefork":
        unit, tpc_threads = 1, 1
        limit = eff["MaxRequestWorkers"]
        lo, hi = eff["MinSpareServers"], eff["MaxSpareServers"]
        cap = limit
    else:
        unit = eff["ThreadsPerChild"]
        tpc_threads = unit + 2       # workers, listener, main thread
        limit = eff["processes"]
        lo, hi = eff["MinSpareThreads"], eff["MaxSpareThreads"]
        cap = limit * unit
    return {"unit": unit, "threads": tpc_threads, "limit": limit,
            "lo": lo, "hi": hi, "cap": cap,
            "start": min(eff["StartServers"], limit)}


def settle(m, n):
    rate, steps = 1, 0
    while steps < 200:
        idle = n * m["unit"]
        if idle > m["hi"] and n > 0:
            n -= 1
            rate = 1
        elif idle < m["lo"]:
            add = min(rate, m["limit"] - n)
            if add <= 0:
                break
            n += add
            rate = min(rate * 2, 32)
        else:
            break
        steps += 1
    return n, steps


def ramp_seconds(m, n):
    """Seconds of maintenance to grow from n children to the limit."""
    rate, t = 1, 0
    while n < m["limit"] and t < 60:
        n += min(rate, m["limit"] - n)
        rate = min(rate * 2, 32)
        t += 1
    return t
