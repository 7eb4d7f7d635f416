# compare.py - the driver of `mpmref --compare`: the measurements and
# main().  Compiled into mpmref after compare_svg.py and compare_report.py
# (one text: refserver/compare.c runs it as `python3 -c TEXT`).
# Standard library only.  It converts a configuration to prefork,
# worker and event with mpmconv, runs each under mpmref (and apache2
# when installed) on 127.0.0.1, measures memory, throughput, slow
# clients, crash isolation, start-up and graceful reload, and writes
# report.md, report.html (inline SVG) and results.json.
#
# Every server is started in a session of its own and its process group
# is killed at exit, on SIGINT and on SIGTERM.
import errno
import json
import os
import platform
import re
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MPMS = ("prefork", "worker", "event")
MODDIR = "/usr/lib/apache2/modules"
HOST = "127.0.0.1"
PAGE = "/1k.html"
MPM_KEYS = ("ServerLimit", "ThreadLimit", "ThreadsPerChild",
            "MaxRequestWorkers", "StartServers", "MinSpareServers",
            "MaxSpareServers", "MinSpareThreads", "MaxSpareThreads",
            "MaxConnectionsPerChild", "AsyncRequestWorkerFactor")


class Interrupted(Exception):
    pass


def on_signal(sig, frame):
    raise Interrupted("signal %d" % sig)


# ---- plan: what a run measures -------------------------------------

def plan(quick):
    env = os.environ.get
    if quick:
        return {
            "quick": True, "levels": [0, 1000],
            "conc": [1, 64], "keepalive": [True, False],
            "duration": 1, "runs": 1, "hold_wait": 12.0,
            "slow_steps": [25, 100, 200], "inflight": 8,
            "sleep_ms": 2500, "reload_s": 3,
            # apache2 in --quick: start-up and crash isolation only
            "apache_steps": ("startup", "crash"),
        }
    return {
        "quick": False, "levels": [0, 100, 500, 1000, 2000],
        "conc": [1, 16, 64, 256], "keepalive": [True, False],
        "duration": int(env("COMPARE_DURATION", "5")),
        "runs": int(env("COMPARE_RUNS", "3")), "hold_wait": 13.0,
        "slow_steps": [10, 25, 50, 100, 150, 200, 300, 400, 600, 800,
                       1000, 1500, 2000],
        "inflight": 32, "sleep_ms": 4000, "reload_s": 6,
        "apache_steps": ("startup", "memory", "crash", "slow",
                         "throughput", "reload"),
    }


STEPS = ("startup", "memory", "crash", "slow", "throughput", "reload")


def step_cost(p, step):
    """Rough seconds a step takes, for the time-left estimate."""
    if step == "memory":
        return sum(p["hold_wait"] / 2 + 1.5 for _ in p["levels"])
    if step == "throughput":
        return (len(p["conc"]) * len(p["keepalive"]) * p["runs"] *
                (p["duration"] + 0.3))
    if step == "slow":
        return len(p["slow_steps"]) * 1.5
    if step == "crash":
        return p["sleep_ms"] / 1000.0 + 3
    if step == "reload":
        return p["reload_s"] + 1
    return 1.0


class Progress:
    def __init__(self, total):
        self.total = max(total, 1.0)
        self.done = 0.0
        self.t0 = time.monotonic()
        self.tty = sys.stderr.isatty()

    def say(self, what, cost=0.0):
        el = time.monotonic() - self.t0
        left = self.total - self.done
        if self.done > 0:
            left = left * el / self.done
        line = "compare: %-40s %3d%%, about %ds left" % (
            what, 100 * self.done / self.total, max(0, int(left)))
        if self.tty:
            sys.stderr.write("\r\033[K" + line)
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
        self.done += cost

    def end(self):
        if self.tty:
            sys.stderr.write("\n")


# ---- processes -----------------------------------------------------

def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def proc_tree(root):
    """root and all its descendants (from /proc/*/stat)."""
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        f = s[s.rindex(")") + 2:].split()
        if f[0] != "Z":
            kids.setdefault(int(f[1]), []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def pss_kib(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Server:
    """One server under test: mpmref or apache2, one MPM, one port."""
    live = []

    def __init__(self, ctx, kind, mpm):
        self.ctx, self.kind, self.mpm = ctx, kind, mpm
        self.port = free_port()
        self.dir = os.path.join(ctx.tmp, "%s-%s" % (kind, mpm))
        os.makedirs(os.path.join(self.dir, "logs"), exist_ok=True)
        self.conf = os.path.join(self.dir, "httpd.conf")
        with open(self.conf, "w") as f:
            f.write(ctx.server_conf(kind, mpm, self.port, self.dir))
        if kind == "apache2":
            self.argv = [ctx.apache2, "-d", self.dir, "-f", self.conf,
                         "-DFOREGROUND"]
        else:
            self.argv = [ctx.mpmref, "--crash-endpoint", "-f", self.conf]
        self.p = None

    def start(self):
        """Start; returns ms until the first request was answered."""
        log = open(os.path.join(self.dir, "logs", "stderr.log"), "ab")
        t0 = time.monotonic()
        self.p = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        log.close()
        Server.live.append(self)
        end = t0 + 30
        while time.monotonic() < end:
            if self.p.poll() is not None:
                raise RuntimeError("%s %s exited with %s: see %s" % (
                    self.kind, self.mpm, self.p.returncode,
                    os.path.join(self.dir, "logs")))
            st, _ = get(self.port, PAGE, 0.5)
            if st == 200:
                return (time.monotonic() - t0) * 1000.0
            time.sleep(0.01)
        raise RuntimeError("%s %s did not answer within 30 s" % (
            self.kind, self.mpm))

    def pss(self):
        pids = proc_tree(self.p.pid)
        return sum(pss_kib(p) for p in pids), len(pids)

    def stop(self):
        if self.p is None:
            return
        kill_group(self.p, signal.SIGTERM)
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            pass
        kill_group(self.p, signal.SIGKILL)
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            pass
        if self in Server.live:
            Server.live.remove(self)
        self.p = None


def kill_group(p, sig):
    try:
        os.killpg(p.pid, sig)
    except OSError:
        pass


def stop_all():
    for s in list(Server.live):
        s.stop()


# ---- HTTP clients --------------------------------------------------

def get(port, path, timeout, close=True):
    """One GET; returns (status or 0, seconds)."""
    t0 = time.monotonic()
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.settimeout(max(0.01, timeout - (time.monotonic() - t0)))
            s.sendall(("GET %s HTTP/1.1\r\nHost: localhost\r\n%s\r\n" % (
                path, "Connection: close\r\n" if close else "")).encode())
            data = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
                if response_done(data):
                    break
    except (OSError, socket.timeout):
        return 0, time.monotonic() - t0
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return (int(m.group(1)) if m else 0), time.monotonic() - t0


def response_done(data):
    i = data.find(b"\r\n\r\n")
    if i < 0:
        return False
    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", data[:i])
    return m is not None and len(data) - i - 4 >= int(m.group(1))


def open_many(port, n, request, wait, need_answer=True, stall=None):
    """Open n connections without blocking and send request on each.
    Waits up to wait seconds for answers (need_answer) or for the
    connections to be established, and no more than stall seconds
    without a new answer.  Returns (answered sockets, other open
    sockets, refused count)."""
    sel = selectors.DefaultSelector()
    refused = 0
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        e = s.connect_ex((HOST, port))
        if e not in (0, errno.EINPROGRESS):
            refused += 1
            s.close()
            continue
        sel.register(s, selectors.EVENT_WRITE, [0, b""])
    answered = []
    end = last = time.monotonic() + 0.0
    end += wait
    while time.monotonic() < end and sel.get_map():
        if stall and time.monotonic() - last > stall:
            break
        pending = [k for k in sel.get_map().values() if k.data[0] < 2]
        if not pending:
            break
        if not need_answer and all(k.data[0] == 1 for k in pending):
            break
        for key, _ in sel.select(0.1):
            s, st = key.fileobj, key.data
            try:
                if st[0] == 0:
                    e = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if e:
                        raise OSError(e, os.strerror(e))
                    s.sendall(request)
                    st[0] = 1
                    sel.modify(s, selectors.EVENT_READ, st)
                    continue
                b = s.recv(65536)
                if not b:
                    raise OSError(errno.ECONNRESET, "closed")
                st[1] += b
                if response_done(st[1]):
                    st[0] = 2
                    sel.unregister(s)
                    answered.append(s)
                    last = time.monotonic()
            except OSError:
                refused += 1
                sel.unregister(s)
                s.close()
    others = [k.fileobj for k in sel.get_map().values()]
    sel.close()
    return answered, others, refused


def still_open(socks):
    n = 0
    for s in socks:
        s.setblocking(False)
        try:
            n += s.recv(1) != b""
        except BlockingIOError:
            n += 1
        except OSError:
            pass
    return n


def close_all(*lists):
    for lst in lists:
        for s in lst:
            try:
                s.close()
            except OSError:
                pass


# ---- measurements --------------------------------------------------

def m_memory(srv, p, prog):
    out = []
    req = ("GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n" % PAGE).encode()
    for n in p["levels"]:
        prog.say("%s %s: memory, %d idle" % (srv.mpm, srv.kind, n),
                 p["hold_wait"] / 2 + 1.5)
        # until every connection is answered, or none more is for 2 s
        # (prefork forks its children at a rate), but never as long as
        # KeepAliveTimeout, which would close the first ones
        wait = min(p["hold_wait"], srv.ctx.conn["KeepAliveTimeout"] - 2)
        ans, other, refused = open_many(srv.port, n, req, max(wait, 1.0),
                                        stall=2.0)
        try:
            time.sleep(1.0)
            kib, nproc = srv.pss()
            held = still_open(ans)
            out.append({"connections": n, "held": held,
                        "answered": len(ans), "closed": len(ans) - held,
                        "queued": len(other), "refused": refused,
                        "pss_kib": kib, "processes": nproc})
        finally:
            close_all(ans, other)
        time.sleep(0.5)
    return out


def m_crash(srv, p, prog):
    prog.say("%s %s: crash isolation" % (srv.mpm, srv.kind),
             p["sleep_ms"] / 1000.0 + 3)
    n = p["inflight"]
    if srv.kind == "apache2":
        path, crash = "/__compare/sleep", "/__compare/crash"
    else:
        path = "/__mpmref/sleep?ms=%d" % p["sleep_ms"]
        crash = "/__mpmref/crash"
    # warm up: let the server start enough processes for n requests
    ans, other, _ = open_many(srv.port, n, (
        "GET /__mpmref/sleep?ms=500 HTTP/1.1\r\nHost: x\r\n"
        "Connection: close\r\n\r\n" if srv.kind == "mpmref" else
        "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" %
        PAGE).encode(), 5.0)
    close_all(ans, other)
    req = ("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" %
           path).encode()
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(n):
        s = socket.create_connection((HOST, srv.port), timeout=5)
        s.sendall(req)
        s.setblocking(False)
        socks.append(s)
        sel.register(s, selectors.EVENT_READ, [b""])
    time.sleep(1.0)
    st, _ = get(srv.port, crash, 3.0)
    ok = failed = 0
    end = time.monotonic() + p["sleep_ms"] / 1000.0 + 8
    while sel.get_map() and time.monotonic() < end:
        for key, _ in sel.select(0.2):
            s, d = key.fileobj, key.data
            try:
                b = s.recv(65536)
            except OSError:
                b = b""
            if b:
                d[0] += b
                if not response_done(d[0]):
                    continue
                ok += d[0].startswith(b"HTTP/1.1 200")
                failed += not d[0].startswith(b"HTTP/1.1 200")
            else:
                failed += 1
            sel.unregister(s)
    failed += len(sel.get_map())   # no answer in time
    sel.close()
    close_all(socks)
    time.sleep(0.5)
    after, _ = get(srv.port, PAGE, 5.0)
    return {"inflight": n, "ok": ok, "lost": failed,
            "crash_status": st, "serves_after": after == 200}


def m_slow(srv, p, prog):
    prog.say("%s %s: slow clients" % (srv.mpm, srv.kind),
             len(p["slow_steps"]) * 1.5)
    head = b"GET / HTTP/1.1\r\nHost: localhost\r\n"
    slow, steps, limit = [], [], None
    try:
        for target in p["slow_steps"]:
            ans, other, refused = open_many(srv.port, target - len(slow),
                                            head, 1.0, need_answer=False)
            slow += ans + other
            for s in slow:          # one more header line each
                try:
                    s.send(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            waits = []
            for _ in range(3):
                time.sleep(0.3)
                st, t = get(srv.port, PAGE, 1.0)
                waits.append(round(t * 1000.0, 1) if st == 200 else None)
                if st == 200:
                    break
            good = any(w is not None for w in waits)
            steps.append({"slow_clients": target, "refused": refused,
                          "probe_ms": waits, "ok": good})
            if not good:
                limit = target
                break
    finally:
        close_all(slow)
    time.sleep(1.0)
    return {"limit": limit, "max_tried": p["slow_steps"][-1],
            "steps": steps}


LAT = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(port, conc, keepalive, seconds, timeout_s=5):
    argv = ["wrk", "-t%d" % min(2, conc), "-c%d" % conc,
            "-d%ds" % seconds, "--timeout", "%ds" % timeout_s, "--latency"]
    if not keepalive:
        argv += ["-H", "Connection: close"]
    argv.append("http://%s:%d%s" % (HOST, port, PAGE))
    r = subprocess.run(argv, capture_output=True, timeout=seconds + 60)
    return parse_wrk(r.stdout.decode(errors="replace"))


def parse_wrk(out):
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    lat = {}
    for q, v, unit in LAT.findall(out):
        lat[q] = float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errs = 0
    e = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                  r"timeout (\d+)", out)
    if e:
        errs += sum(int(x) for x in e.groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {"rps": float(m.group(1)) if m else None,
            "p50_ms": lat.get("50"), "p99_ms": lat.get("99"),
            "errors": errs, "non2xx": int(bad.group(1)) if bad else 0,
            "requests": int(total.group(1)) if total else 0}


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2.0


def m_throughput(srv, p, prog):
    out = []
    wrk(srv.port, 16, True, 1)            # warm-up
    for ka in p["keepalive"]:
        for c in p["conc"]:
            prog.say("%s %s: wrk -c%d keep-alive %s" % (
                srv.mpm, srv.kind, c, "on" if ka else "off"),
                p["runs"] * (p["duration"] + 0.3))
            runs = [wrk(srv.port, c, ka, p["duration"])
                    for _ in range(p["runs"])]
            rps = [r["rps"] for r in runs if r["rps"] is not None]
            out.append({"concurrency": c, "keepalive": ka, "runs": runs,
                        "rps": median(rps),
                        "rps_min": min(rps) if rps else None,
                        "rps_max": max(rps) if rps else None,
                        "p50_ms": median([r["p50_ms"] for r in runs]),
                        "p99_ms": median([r["p99_ms"] for r in runs]),
                        "errors": sum(r["errors"] + r["non2xx"]
                                      for r in runs)})
    return out


def m_reload(srv, p, prog):
    prog.say("%s %s: graceful reload under load" % (srv.mpm, srv.kind),
             p["reload_s"] + 1)
    argv = ["wrk", "-t2", "-c16", "-d%ds" % p["reload_s"], "--timeout",
            "5s", "-H", "Connection: close",
            "http://%s:%d%s" % (HOST, srv.port, PAGE)]
    w = subprocess.Popen(argv, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    try:
        time.sleep(min(1.0, p["reload_s"] / 3.0))
        os.kill(srv.p.pid, signal.SIGUSR1)     # graceful, as apachectl
        out, _ = w.communicate(timeout=p["reload_s"] + 60)
    finally:
        if w.poll() is None:
            w.kill()
            w.wait()
    r = parse_wrk(out.decode(errors="replace"))
    time.sleep(0.5)
    st, _ = get(srv.port, PAGE, 5.0)
    return {"requests": r["requests"], "lost": r["errors"] + r["non2xx"],
            "serves_after": st == 200}


MEASURE = {"memory": m_memory, "crash": m_crash, "slow": m_slow,
           "throughput": m_throughput, "reload": m_reload}


# ---- configurations ------------------------------------------------

def run_tool(argv):
    r = subprocess.run(argv, capture_output=True, timeout=60)
    return r.returncode, r.stdout.decode(errors="replace"), \
        r.stderr.decode(errors="replace")


class Ctx:
    def __init__(self, conf, quick, out):
        self.conf, self.out = os.path.abspath(conf), out
        self.p = plan(quick)
        self.mpmref = os.environ.get("MPMREF_BIN") or shutil.which("mpmref")
        self.mpmconv = os.environ.get("MPMCONV_BIN") or \
            shutil.which("mpmconv")
        a = os.environ.get("APACHE2", shutil.which("apache2") or
                           "/usr/sbin/apache2")
        self.apache2 = a if os.access(a, os.X_OK) else None
        self.lua = os.path.exists(os.path.join(MODDIR, "mod_lua.so"))
        self.tmp = tempfile.mkdtemp(prefix="mpmref-compare.")
        os.chmod(self.tmp, 0o755)
        self.docroot = os.path.join(self.tmp, "htdocs")
        os.makedirs(self.docroot)
        with open(os.path.join(self.docroot, PAGE[1:]), "wb") as f:
            f.write(b"<!-- 1 KiB -->" + b"x" * (1024 - 15) + b"\n")
        self.settings = {}
        self.conn = {}
        self.errors = {}

    def connection_settings(self):
        """KeepAlive and timeouts of the original file (mpmref -t)."""
        rc, out, err = run_tool([self.mpmref, "-t", "-l", "%s:9" % HOST,
                                 self.conf])
        vals = dict(re.findall(r"^([A-Za-z ]+): (.*)$", out, re.M))
        if rc != 0 or "mpm" not in vals:
            raise RuntimeError("mpmref -t %s failed:\n%s" % (
                self.conf, err.strip()[-2000:]))
        self.from_mpm = vals["mpm"]
        ms = lambda k, d: int(vals.get(k, d).split()[0])
        self.conn = {
            "KeepAlive": vals.get("KeepAlive", "On"),
            "MaxKeepAliveRequests": int(vals.get("MaxKeepAliveRequests",
                                                 100)),
            "KeepAliveTimeout": ms("KeepAliveTimeout", "5000") / 1000.0,
            "Timeout": ms("Timeout", "60000") / 1000.0,
        }

    def convert(self, mpm):
        """The MPM settings mpmconv derives for mpm; None if refused."""
        rc, out, err = run_tool([self.mpmconv, "--to", mpm, "-f", "json",
                                 self.conf])
        try:
            d = json.loads(out)
        except ValueError:
            d = None
        if rc != 0 or d is None or "after" not in d:
            self.errors[mpm] = "mpmconv --to %s refused: %s" % (
                mpm, err.strip().splitlines()[-1] if err.strip() else rc)
            return None
        after = {k: v for k, v in d["after"].items() if k in MPM_KEYS}
        self.settings[mpm] = {"after": after, "status": d.get("status"),
                              "from": d.get("from")}
        return after

    def mpm_text(self, mpm):
        s = self.settings[mpm]["after"]
        c = self.conn
        lines = ["%s %s" % (k, s[k]) for k in MPM_KEYS if k in s]
        lines += ["KeepAlive %s" % c["KeepAlive"],
                  "MaxKeepAliveRequests %d" % c["MaxKeepAliveRequests"],
                  "KeepAliveTimeout %g" % c["KeepAliveTimeout"],
                  "Timeout %g" % c["Timeout"]]
        return "\n".join(lines) + "\n"

    def server_conf(self, kind, mpm, port, d):
        text = ("# mpmref --compare: %s, %s settings of %s\n"
                "LoadModule mpm_%s_module %s/mod_mpm_%s.so\n"
                "Listen %s:%d\nServerName localhost\n"
                "DocumentRoot \"%s\"\n%s" % (
                    kind, mpm, self.conf, mpm, MODDIR, mpm, HOST, port,
                    self.docroot, self.mpm_text(mpm)))
        if kind == "mpmref":
            return text
        lua = os.path.join(self.tmp, "compare.lua")
        if not os.path.exists(lua):
            with open(lua, "w") as f:
                f.write(LUA % {"s": self.p["sleep_ms"] / 1000.0})
        user = "User nobody\nGroup nogroup\n" if os.getuid() == 0 else ""
        return ("ServerRoot \"%s\"\nPidFile \"%s/logs/httpd.pid\"\n"
                "ErrorLog \"%s/logs/error.log\"\nMutex file:%s/logs\n%s"
                "LoadModule authz_core_module %s/mod_authz_core.so\n"
                "LoadModule lua_module %s/mod_lua.so\n"
                "LuaMapHandler ^/__compare/sleep$ \"%s\" sleep\n"
                "LuaMapHandler ^/__compare/crash$ \"%s\" crash\n"
                "<Directory />\nRequire all granted\n</Directory>\n" % (
                    d, d, d, d, user, MODDIR, MODDIR, lua, lua)) + text


# apache2's endpoints: mod_lua has no sleep of its own (r:sleep is
# missing in Debian's 2.4 build), so the sleep runs sleep(1).
# The crash endpoint ends its own process with SIGSEGV, as a
# faulting module would; its pid comes from /proc/self/stat.
LUA = """function sleep(r)
  os.execute("sleep %(s)g")
  r.content_type = "text/plain"
  r:puts("slept\\n")
  return apache2.OK
end
function crash(r)
  local f = io.open("/proc/self/stat")
  local pid = f:read("*n")
  f:close()
  os.execute("kill -SEGV " .. pid)
  os.exit(1)
end
"""


# ---- the run -------------------------------------------------------

def machine():
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1])
    except OSError:
        pass
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            model = m.group(1) if m else ""
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model,
            "ram_mib": mem // 1024, "kernel": platform.release(),
            "load_before": os.getloadavg()[0]}


def versions(ctx):
    v = {"python": platform.python_version()}
    _, out, _ = run_tool([ctx.mpmref, "-V"])
    v["mpmref"] = out.strip()
    try:
        _, out, err = run_tool(["wrk", "-v"])
        v["wrk"] = (out + err).splitlines()[0].split(" Copyright")[0]
    except (OSError, IndexError):
        v["wrk"] = None
    if ctx.apache2:
        _, out, _ = run_tool([ctx.apache2, "-v"])
        m = re.search(r"Server version: (.*)", out)
        v["apache2"] = m.group(1) if m else out.strip()
    return v


def kinds(ctx):
    if ctx.apache2 and ctx.lua:
        return ["mpmref", "apache2"]
    return ["mpmref"]


def run_one(ctx, kind, mpm, prog):
    p = ctx.p
    steps = STEPS if kind == "mpmref" else p["apache_steps"]
    res = {}
    srv = Server(ctx, kind, mpm)
    try:
        prog.say("%s %s: start-up" % (mpm, kind), 1.0)
        res["startup_ms"] = round(srv.start(), 1)
        res["step_seconds"] = {}
        for step in steps:
            if step != "startup":
                t0 = time.monotonic()
                res[step] = MEASURE[step](srv, p, prog)
                res["step_seconds"][step] = round(time.monotonic() - t0, 1)
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        res["error"] = str(e)
    finally:
        srv.stop()
    return res


def run_all(ctx):
    ctx.connection_settings()
    mpms = [m for m in MPMS if ctx.convert(m) is not None]
    ks = kinds(ctx)
    total = 0.0
    for k in ks:
        steps = STEPS if k == "mpmref" else ctx.p["apache_steps"]
        total += len(mpms) * sum(step_cost(ctx.p, s) for s in steps)
    prog = Progress(total)
    results = {m: {} for m in mpms}
    for mpm in mpms:
        for k in ks:
            results[mpm][k] = run_one(ctx, k, mpm, prog)
    prog.say("done")
    prog.end()
    return results


# ---- main ----------------------------------------------------------

USAGE = ("usage: mpmref --compare [--quick] [-o DIR] CONFIG\n"
         "       mpmref --compare --render RESULTS.json [-o DIR]\n")


def parse_args(argv):
    quick, out, conf, render = False, "compare-report", None, False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--quick":
            quick = True
        elif a == "--render":
            render = True
        elif a in ("-o", "--output") and i + 1 < len(argv):
            i += 1
            out = argv[i]
        elif a.startswith("--output="):
            out = a.split("=", 1)[1]
        elif a in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        elif a.startswith("-") and a != "-":
            sys.stderr.write("mpmref: --compare: unknown option %s\n%s" % (
                a, USAGE))
            sys.exit(3)
        elif conf is None:
            conf = a
        else:
            sys.stderr.write(USAGE)
            sys.exit(3)
        i += 1
    if conf is None:
        sys.stderr.write(USAGE)
        sys.exit(3)
    return conf, quick, out, render


def render_only(path, out):
    """--render: the reports again from a results.json."""
    try:
        with open(path) as f:
            doc = json.load(f)
        write_reports(out, doc)
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write("mpmref: --compare --render: %s: %s\n" % (path, e))
        return 1
    return 0


def main(argv):
    conf, quick, out, render = parse_args(argv)
    if not os.path.isfile(conf):
        sys.stderr.write("mpmref: --compare: cannot read %s\n" % conf)
        return 2
    if render:
        return render_only(conf, out)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    ctx = Ctx(conf, quick, out)
    try:
        if not ctx.mpmref or not ctx.mpmconv:
            raise RuntimeError("mpmref or mpmconv not found")
        if shutil.which("wrk") is None:
            raise RuntimeError("wrk not found (Debian package wrk)")
        doc = {"tool": "mpmref --compare", "config": ctx.conf,
               "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "machine": machine(), "versions": versions(ctx),
               "plan": ctx.p, "servers": kinds(ctx)}
        t0 = time.monotonic()
        doc["results"] = run_all(ctx)
        doc["seconds"] = round(time.monotonic() - t0, 1)
        doc["settings"] = ctx.settings
        doc["connection_settings"] = ctx.conn
        doc["errors"] = sorted(ctx.errors.values()) + [
            "%s %s: %s" % (m, k, r["error"])
            for m, k, r in servers(doc["results"]) if "error" in r]
        if ctx.apache2 is None:
            doc["errors"].append("apache2 not installed: mpmref only")
        elif not ctx.lua:
            doc["errors"].append("mod_lua missing: apache2 not run")
        write_reports(out, doc)
    except Interrupted as e:
        stop_all()
        sys.stderr.write("\nmpmref: --compare: interrupted (%s); every "
                         "server stopped\n" % e)
        return 130
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        stop_all()
        sys.stderr.write("mpmref: --compare: %s\n" % e)
        return 1
    finally:
        stop_all()
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    sys.stderr.write("mpmref: --compare: %s/report.html, report.md, "
                     "results.json (%.0f s)\n" % (out, doc["seconds"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[2:] if sys.argv[:1] == ["-c"] else sys.argv[1:]))
