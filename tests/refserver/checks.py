"""checks.py - the checks of one running server, for check.py: process
and thread counts, capacity, static files and paths that need encoding,
keep-alive, malformed requests, slowloris, an idle flood, a child killed,
reload, stop, recycling, spare servers and -X.  Each reports through the
suite S (S.check); every wait is bounded.  Standard library only.
"""
import os
import random
import re
import selectors
import signal
import socket
import subprocess
import threading
import time

from harness import (Server, alive, effective, exchange, free_port, get, model,
                     num, parse_responses, ramp_seconds, read_eof, req, settle,
                     status_page, threads, wait_until)


# ---- checks -------------------------------------------------------------

def check_counts(S, tag, srv, m, expect_n, settle_s):
    """Children settle on expect_n, each with m['threads'] threads.
    Returns what was observed: {"children": int, "threads": [int]}."""
    seen = []

    def stable():
        k = srv.kids()
        seen.append(len(k))
        return len(seen) >= 6 and all(x == expect_n for x in seen[-6:])
    ok = wait_until(stable, settle_s + 5.0, 0.25)
    k = srv.kids()
    S.check(ok, "%s: %d children at idle" % (tag, expect_n),
            "observed %s" % seen[-8:])
    th = [threads(p) for p in k]
    S.check(th and all(t == m["threads"] for t in th),
            "%s: %d threads per child" % (tag, m["threads"]),
            "observed %s" % th)
    return {"children": len(k), "threads": sorted(th)}


class Recorder:
    """Collects check results instead of printing them (for a retry)."""

    def __init__(self):
        self.results = []

    def check(self, cond, name, why=""):
        self.results.append((bool(cond), name, why))
        return cond

    def fail(self, name, why):
        self.results.append((False, name, why))

    def ok(self):
        return all(r[0] for r in self.results)


def capacity(S, tag, port, n, ramp_s, sleep_s=2.5):
    """n slow requests at once are all served together; request n+1 waits
    until one of them ends.  A timing check on a machine that may be busy:
    a failed attempt is measured once more, and the failure is printed as
    a "# retry" line; the second attempt's results count."""
    rec = Recorder()
    res = capacity_once(rec, tag, port, n, ramp_s, sleep_s)
    if not rec.ok():
        for ok, name, why in rec.results:
            if not ok:
                print("# retry - [%s] %s: first attempt: %s" % (
                    S.kind, name, why[:300]), flush=True)
        time.sleep(sleep_s + ramp_s)     # let the first attempt drain
        rec = Recorder()
        res = capacity_once(rec, tag, port, n, ramp_s, sleep_s)
    for ok, name, why in rec.results:
        S.check(ok, name, why)
    return res


def capacity_once(S, tag, port, n, ramp_s, sleep_s):
    sleep_s += ramp_s
    ms = int(sleep_s * 1000)
    sel = selectors.DefaultSelector()
    t0 = time.monotonic()
    infos = []
    try:
        for i in range(n + 1):
            if i == n:
                # the extra request, once the n are in (and children grew)
                time.sleep(ramp_s + 1.0)
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.setblocking(False)
            path = "/__mpmref/sleep?ms=%d" % (ms if i < n else 0)
            s.sendall(req(path))
            info = {"sock": s, "data": b"", "done": None}
            sel.register(s, selectors.EVENT_READ, info)
            infos.append(info)
        deadline = t0 + sleep_s * 2 + ramp_s + 10
        left = n + 1
        while left and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.2):
                info = key.data
                try:
                    b = key.fileobj.recv(65536)
                except OSError:
                    b = b""
                if b:
                    info["data"] += b
                    continue
                info["done"] = time.monotonic()
                sel.unregister(key.fileobj)
                # Close at once: httpd lingers on a half-closed socket.
                key.fileobj.close()
                left -= 1
    except OSError as e:
        S.fail("%s: capacity %d" % (tag, n), "client error: %s" % e)
        return {"at_once": None, "extra_waited": None}
    finally:
        for info in infos:
            info["sock"].close()
        sel.close()
    batch, extra = infos[:n], infos[n]
    st = [parse_responses(x["data"]) for x in batch]
    okst = all(r and r[0][0] == 200 for r in st)
    done = [x["done"] - t0 for x in batch if x["done"] is not None]
    # Served at once: answered 200 within one sleep of the start.
    at_once = sum(1 for x, r in zip(batch, st) if r and r[0][0] == 200 and
                  x["done"] is not None and
                  x["done"] - t0 < sleep_s + ramp_s + 1.5)
    S.check(okst and len(done) == n and max(done) < sleep_s + ramp_s + 1.5,
            "%s: %d slow requests served at once" % (tag, n),
            "statuses %s, finished at %s s (sleep %.1f s)" % (
                [r[0][0] if r else None for r in st],
                ["%.1f" % d for d in sorted(done)], sleep_s))
    er = parse_responses(extra["data"])
    if not done or extra["done"] is None or not er:
        S.fail("%s: request %d waits for a free worker" % (tag, n + 1),
               "no answer to the extra request")
        return {"at_once": at_once, "extra_waited": None}
    first = min(done)
    e = extra["done"] - t0
    waited = er[0][0] == 200 and e >= first - 0.05 and e < first + 1.5
    S.check(waited,
            "%s: request %d waits for a free worker" % (tag, n + 1),
            "answered at %.2f s, first slow one ended at %.2f s" % (e, first))
    return {"at_once": at_once, "extra_waited": waited}


def proc_of_conn(srv, client_sock):
    """The child holding the server side of client_sock (via inodes)."""
    lport = client_sock.getsockname()[1]
    want = "0100007F:%04X" % lport
    inode = None
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            p = line.split()
            if p[2] == want and p[1].endswith(":%04X" % srv.port):
                inode = p[9]
    if inode is None:
        return None
    tag = "socket:[%s]" % inode
    for k in srv.kids():
        try:
            for fd in os.listdir("/proc/%d/fd" % k):
                try:
                    if os.readlink("/proc/%d/fd/%s" % (k, fd)) == tag:
                        return k
                except OSError:
                    pass
        except OSError:
            pass
    return None


def check_static(S, tag, port, docroot):
    with open(os.path.join(docroot, "1k.txt"), "rb") as f:
        body1k = f.read()
    st, h, b = get(port, "/1k.txt")
    S.check(st == 200 and b == body1k and
            num(h.get("content-length")) == 1024,
            "%s: GET a 1 KB file" % tag, "status %d, %d bytes" % (st, len(b)))
    data, _ = exchange(port, req("/1k.txt", "HEAD"))
    r = parse_responses(data)
    S.check(r and r[0][0] == 200 and data.endswith(b"\r\n\r\n") and
            num(r[0][1].get("content-length")) == 1024,
            "%s: HEAD has the length and no body" % tag, repr(data[-40:]))
    cases = [
        ("/missing.txt", (404,)),
        ("/../../../etc/passwd", (400, 403, 404)),
        ("/%2e%2e/%2e%2e/etc/passwd", (400, 403, 404)),
        ("/sub/../../etc/passwd", (400, 403, 404)),
        ("/link", (403, 404)),
        ("/dirlink/passwd", (403, 404)),
        ("/sub/link", (403, 404)),
        ("/.htaccess", (403,)),
        ("/a%00b", (400, 404)),
        ("/a%2fb", (400, 404)),
        ("/bad%zz", (400,)),
        ("/sub/../1k.txt", (200,)),
        ("http://localhost/1k.txt", (200,)),
        ("/sub/", (200,)),
    ]
    for path, allowed in cases:
        st, h, b = get(port, path)
        S.check(st in allowed and b"root:" not in b,
                "%s: GET %s -> %s" % (tag, path, "/".join(map(str, allowed))),
                "got %d" % st)
    st, h, b = get(port, "/sub")
    S.check(st == 301 and h.get("location", "").endswith("/sub/"),
            "%s: GET /sub redirects to /sub/" % tag, "%d %s" % (st, h))
    # The Location of a directory redirect is percent-encoded: a name
    # with CR LF cannot inject a header (issue 18).
    for path, want in SPECIAL_DIRS:
        st, h, b = get(port, path)
        S.check(st == 301 and h.get("location") == want and
                "set-cookie" not in h,
                "%s: GET %s -> 301 Location %s" % (tag, path, want),
                "%d %s" % (st, h))
    st, h, b = get(port, "/" + "/".join(["%C3%A9" * 45] * 12))
    S.check(st == 414 and "location" not in h,
            "%s: a directory redirect whose Location would pass 3072 "
            "bytes -> 414" % tag, "%d %s" % (st, h))


def check_keepalive(S, tag, port):
    # Pipelined: two requests in one write, two answers on one connection.
    data, _ = exchange(port, req("/1k.txt", close=False) + req("/1k.txt"))
    r = parse_responses(data)
    S.check(len(r) == 2 and r[0][0] == 200 and r[1][0] == 200 and
            r[0][1].get("connection", "").lower() == "keep-alive",
            "%s: two pipelined requests on one connection" % tag,
            "%d answers" % len(r))
    # MaxKeepAliveRequests 3: the fourth answer closes (httpd allows max+1).
    data, how = exchange(port, req("/1k.txt", close=False) * 5, timeout=8)
    r = parse_responses(data)
    conn = [x[1].get("connection", "").lower() for x in r]
    S.check(len(r) == 4 and conn[:3] == ["keep-alive"] * 3 and
            conn[3] == "close" and how == "eof",
            "%s: MaxKeepAliveRequests 3 closes after the fourth" % tag,
            "%d answers, %s, %s" % (len(r), conn, how))
    # KeepAliveTimeout 2: an idle connection is closed after about 2 s.
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    t0 = time.monotonic()
    s.sendall(req("/1k.txt", close=False))
    data = read_eof(s)
    dt = time.monotonic() - t0
    S.check(len(parse_responses(data)) == 1 and 1.5 <= dt <= 4.5,
            "%s: KeepAliveTimeout 2 closes an idle connection" % tag,
            "closed after %.2f s" % dt)
    data, _ = exchange(port, req("/1k.txt", version="HTTP/1.0", close=False))
    r = parse_responses(data)
    S.check(r and r[0][1].get("connection", "").lower() == "close",
            "%s: HTTP/1.0 without keep-alive closes" % tag, str(r[:1]))


MALFORMED = [
    ("garbage line", b"GARBAGE\r\n\r\n", (400,)),
    ("HTTP/0.9 request", b"GET /\r\n\r\n", (400,)),
    ("no Host in HTTP/1.1", b"GET / HTTP/1.1\r\n\r\n", (400,)),
    ("HTTP/2.0", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", (505,)),
    ("bad version", b"GET / HTTX/1.1\r\nHost: x\r\n\r\n", (400,)),
    ("unknown method", b"BREW / HTTP/1.1\r\nHost: x\r\n\r\n", (501,)),
    ("POST", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
     b"Connection: close\r\n\r\nabc", (405,)),
    ("9000-byte request line",
     b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", (414,)),
    ("9000-byte header", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " +
     b"b" * 9000 + b"\r\n\r\n", (400,)),
    ("101 headers", b"GET / HTTP/1.1\r\nHost: x\r\n" +
     b"".join(b"X-%d: y\r\n" % i for i in range(101)) + b"\r\n", (400,)),
    ("70 KB of headers", b"GET / HTTP/1.1\r\nHost: x\r\n" +
     b"".join(b"X-%d: %s\r\n" % (i, b"z" * 7000) for i in range(10)) +
     b"\r\n", (431, 400)),
    ("NUL in the target", b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n", (400,)),
    ("header without colon", b"GET / HTTP/1.1\r\nHost: x\r\nBogus\r\n\r\n",
     (400,)),
    ("obs-fold", b"GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", (400,)),
    ("space before colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", (400,)),
    ("two Host headers", b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
     (400,)),
    ("chunked body", b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
     b"chunked\r\n\r\n0\r\n\r\n", (501, 400)),
    ("bad Content-Length", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: "
     b"abc\r\n\r\n", (400,)),
    ("huge Content-Length", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: "
     b"99999999999\r\n\r\n", (413,)),
    ("bare CR in a header", b"GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n", (400,)),
    ("control bytes", bytes(range(1, 32)) * 40 + b"\r\n\r\n", (400, 414)),
    ("binary junk", bytes((i * 37 + 11) % 256 for i in range(4096)),
     (400, 408, 414, None)),
    ("sleep without ms", b"GET /__mpmref/sleep HTTP/1.1\r\nHost: x\r\n"
     b"Connection: close\r\n\r\n", (400,)),
    ("sleep too long", b"GET /__mpmref/sleep?ms=99999999 HTTP/1.1\r\nHost: x"
     b"\r\nConnection: close\r\n\r\n", (400,)),
]


def check_malformed(S, tag, srv):
    before = srv.kids()
    for name, raw, allowed in MALFORMED:
        data, how = exchange(srv.port, raw, timeout=8, shut=False)
        r = parse_responses(data)
        st = r[0][0] if r else None
        S.check(st in allowed or (st is None and how in ("eof", "reset")
                                  and None in allowed),
                "%s: %s -> %s" % (tag, name, "/".join(
                    "drop" if a is None else str(a) for a in allowed)),
                "got %s (%s)" % (st, how))
    # Random mutations of valid requests; the client half-closes, so an
    # incomplete head ends at once instead of after Timeout.
    rnd = random.Random(8)
    seeds = [req("/1k.txt"), req("/sub/", "HEAD"), req("/server-status?auto"),
             req("/__mpmref/sleep?ms=1"), req("/1k.txt", close=False) * 2,
             b"GET /a%20b?x=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"]
    answered = 0
    for i in range(300):
        b = bytearray(rnd.choice(seeds))
        for _ in range(rnd.randint(1, 6)):
            op = rnd.randrange(5)
            pos = rnd.randrange(len(b) + 1)
            if op == 0 and b:
                b[pos % len(b)] = rnd.randrange(256)
            elif op == 1:
                b[pos:pos] = bytes([rnd.choice(b" :/%\r\n\x00\x7f\xff")])
            elif op == 2 and b:
                del b[pos % len(b)]
            elif op == 3:
                b[pos:pos] = b[pos:pos + rnd.randint(1, 64)] * rnd.randint(
                    1, 200)
            else:
                del b[pos:]
        data, how = exchange(srv.port, bytes(b), timeout=5, shut=True)
        answered += bool(parse_responses(data))
    S.check(answered > 0, "%s: 300 mutated requests" % tag,
            "%d answered" % answered)
    st, _, _ = get(srv.port, "/1k.txt")
    after = srv.kids()
    S.check(st == 200 and before == after and
            "exit signal" not in srv.log(),
            "%s: no child crashed on malformed input" % tag,
            "status %s, children %s -> %s" % (st, before, after))


def check_slowloris(S, tag, port):
    # A head that never ends: 408 when Timeout (3 s) runs out.
    t0 = time.monotonic()
    data, how = exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ",
                         timeout=10)
    dt = time.monotonic() - t0
    r = parse_responses(data)
    S.check(r and r[0][0] == 408 and 2.0 <= dt <= 6.0,
            "%s: partial head gets 408 after Timeout" % tag,
            "%s after %.1f s (%s)" % (r[0][0] if r else None, dt, how))
    # Dripping a byte every 0.5 s does not extend it: Timeout covers the
    # whole head, not each read.
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    t0 = time.monotonic()
    try:
        s.sendall(b"GET / HTTP/1.1\r\n")
        for i in range(30):
            time.sleep(0.5)
            s.sendall(b"X-%d: y\r\n" % i)
    except OSError:
        pass
    s.settimeout(5)
    data = read_eof(s)
    dt = time.monotonic() - t0
    r = parse_responses(data)
    S.check(r and r[0][0] == 408 and dt < 10,
            "%s: a dripping head gets 408 within Timeout" % tag,
            "%s after %.1f s" % (r[0][0] if r else None, dt))


def check_slow_heads(S, tag, port, n):
    """n workers, all running: n - 1 clients that sent part of a request
    head leave a worker for one more request; n leave none, in event too
    (httpd 2.4 reads a request head in its worker, blocking, until
    Timeout).  Returns {"n-1 answered": bool, "n answered": bool}."""
    res = {}
    for k, key in ((n - 1, "n-1 answered"), (n, "n answered")):
        slow = []
        try:
            for _ in range(k):
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                slow.append(s)
            time.sleep(0.8)
            st, _, _ = get(port, "/1k.txt", timeout=1.2)
            res[key] = st == 200
        except OSError:
            res[key] = None
        finally:
            for s in slow:
                s.close()
        time.sleep(0.5)   # the workers see the clients go
    S.check(res == {"n-1 answered": True, "n answered": False},
            "%s: %d slow request heads hold every worker, %d leave one"
            % (tag, n, n - 1), str(res))
    return res


def check_flood(S, tag, port, m, mpm):
    """capacity + 4 idle connections: event still answers at once; prefork
    and worker answer once Timeout frees a worker.  All are closed."""
    n = m["cap"] + 4
    flood = []
    for _ in range(n):
        try:
            flood.append(socket.create_connection(("127.0.0.1", port),
                                                  timeout=5))
        except OSError:
            break
    time.sleep(0.5)
    t0 = time.monotonic()
    st, _, _ = get(port, "/1k.txt", timeout=20)
    dt = time.monotonic() - t0
    if mpm == "event":
        S.check(st == 200 and dt < 1.5,
                "%s: answers during a flood of %d idle connections" % (tag, n),
                "%s after %.1f s" % (st, dt))
    else:
        S.check(st == 200 and 2.0 <= dt <= 12.0,
                "%s: answers once Timeout ends a flood of %d idle "
                "connections" % (tag, n), "%s after %.1f s" % (st, dt))
    closed = 0
    end = time.monotonic() + 20
    for s in flood:
        s.settimeout(max(0.1, end - time.monotonic()))
        try:
            while s.recv(65536):
                pass
            closed += 1
        except OSError:
            pass
        s.close()
    S.check(closed == len(flood),
            "%s: the server closes all %d idle connections" % (tag, n),
            "%d closed" % closed)


def check_kill(S, tag, srv, m, mpm):
    before = srv.kids()
    if mpm == "prefork":
        # Kill the child serving A; B, in another child, is untouched.
        a = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        b = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        a.sendall(req("/__mpmref/sleep?ms=2000"))
        b.sendall(req("/__mpmref/sleep?ms=2000"))
        time.sleep(0.5)
        victim = proc_of_conn(srv, a)
        if victim is None:
            S.fail("%s: find the child serving a connection" % tag, "none")
            a.close()
            b.close()
            return
        os.kill(victim, signal.SIGKILL)
        da, db = b"", b""
        for s, which in ((a, "a"), (b, "b")):
            s.settimeout(10)
            buf = b""
            try:
                while True:
                    x = s.recv(65536)
                    if not x:
                        break
                    buf += x
            except OSError:
                pass
            s.close()
            if which == "a":
                da = buf
            else:
                db = buf
        ra, rb = parse_responses(da), parse_responses(db)
        S.check(not ra and rb and rb[0][0] == 200,
                "%s: killing one child ends only its own connection" % tag,
                "a %s, b %s" % (ra[:1], rb[:1] and rb[0][0]))
    else:
        victim = before[0]
        os.kill(victim, signal.SIGKILL)
    ok = wait_until(lambda: len(srv.kids()) == len(before) and
                    victim not in srv.kids(), 6.0, 0.2)
    after = srv.kids()
    S.check(ok, "%s: a child killed with SIGKILL is replaced" % tag,
            "before %s, after %s" % (before, after))
    st, _, _ = get(srv.port, "/1k.txt")
    S.check(st == 200, "%s: serves after the replacement" % tag, str(st))


RELOAD = {
    "prefork": [(r"(?m)^MaxRequestWorkers .*$", "MaxRequestWorkers 3"),
                (r"(?m)^StartServers .*$", "StartServers 2"),
                (r"(?m)^MinSpareServers .*$", "MinSpareServers 2"),
                (r"(?m)^MaxSpareServers .*$", "MaxSpareServers 3")],
    "worker": [(r"(?m)^ThreadsPerChild .*$", "ThreadsPerChild 2"),
               (r"(?m)^MaxRequestWorkers .*$", "MaxRequestWorkers 4"),
               (r"(?m)^MinSpareThreads .*$", "MinSpareThreads 3")],
}
RELOAD["event"] = RELOAD["worker"]


def check_reload(S, tag, srv, conf, mpm, mpmlint, env):
    before = set(srv.kids())
    with open(conf) as f:
        text = f.read()
    for pat, rep in RELOAD[mpm]:
        text = re.sub(pat, rep, text)
    with open(conf, "w") as f:
        f.write(text)
    eff = effective(mpmlint, conf, env)
    m = model(eff)
    n, steps = settle(m, m["start"])
    os.kill(srv.pid, signal.SIGHUP)
    ok = wait_until(lambda: not (before & set(srv.kids())), 8.0, 0.2)
    S.check(ok, "%s: SIGHUP replaces every child" % tag,
            "old %s, now %s" % (sorted(before), srv.kids()))
    check_counts(S, tag + " after SIGHUP", srv, m, n, steps)
    sp = status_page(srv.port)
    S.check(sp is not None and num(sp.get("ParentServerMPMGeneration")) == 1,
            "%s: server-status shows generation 1" % tag, str(sp and
            sp.get("ParentServerMPMGeneration")))
    capacity(S, tag + " after SIGHUP", srv.port, m["cap"], 0.0, 2.0)


def check_stop(S, tag, srv):
    kids = srv.kids()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(req("/__mpmref/sleep?ms=1500"))
    time.sleep(0.3)
    os.kill(srv.pid, signal.SIGTERM)
    s.settimeout(10)
    data = read_eof(s)
    r = parse_responses(data)
    S.check(r and r[0][0] == 200,
            "%s: SIGTERM lets a request in progress finish" % tag, str(r[:1]))
    try:
        rc = srv.p.wait(10)
    except subprocess.TimeoutExpired:
        rc = None
    S.check(rc == 0, "%s: the parent exits 0 after SIGTERM" % tag, str(rc))
    S.check(not any(alive(k) for k in kids),
            "%s: no child is left after SIGTERM" % tag, str(kids))
    data, how = exchange(srv.port, req("/"), timeout=2)
    S.check(how == "refused", "%s: nothing listens after the stop" % tag, how)


def check_recycle(S, tag, srv, m, expect_n, steps):
    before = set(srv.kids())
    sts = []
    for i in range(24):
        sts.append(get(srv.port, "/1k.txt")[0])
    S.check(all(x == 200 for x in sts), "%s: 24 connections served" % tag,
            str(sts))
    ok = wait_until(lambda: set(srv.kids()) - before, 5.0, 0.2)
    S.check(ok, "%s: MaxConnectionsPerChild replaced a child" % tag,
            "children %s -> %s" % (sorted(before), srv.kids()))
    after = check_counts(S, tag + " after recycling", srv, m, expect_n, steps)
    return {"recycled": bool(ok), "after": after["children"]}


def check_spare(S, tag, srv, m):
    peak = [0]
    stop = [False]

    def watch():
        while not stop[0]:
            peak[0] = max(peak[0], len(srv.kids()))
            time.sleep(0.1)
    t = threading.Thread(target=watch)
    t.start()
    start_n = len(srv.kids())
    try:
        cap = capacity(S, tag, srv.port, m["cap"],
                       ramp_seconds(m, start_n) + 1.0)
    finally:
        stop[0] = True
        t.join()
    S.check(peak[0] == m["limit"],
            "%s: grows to %d children under load" % (tag, m["limit"]),
            "peak %d" % peak[0])
    n, steps = settle(m, m["limit"])
    after = check_counts(S, tag + " after the load", srv, m, n, steps + 2)
    return dict(cap, peak=peak[0], after=after["children"])


def check_one_process(S, tag, args, conf, env, tmp, m):
    port = free_port()
    e = dict(env, REF_PORT=str(port))
    srv = Server(args.mpmref + ["-X", "-f", conf, "--listen",
                                "127.0.0.1:%d" % port], e,
                 os.path.join(tmp, "x.log"), port)
    try:
        up = srv.ready()
        S.check(up and srv.kids() == [] and
                threads(srv.pid) == m["threads"],
                "%s: -X serves from one process of %d threads" % (
                    tag, m["threads"]),
                "ready %s, children %s, threads %d" % (
                    up, srv.kids(), threads(srv.pid)))
        if up:
            os.kill(srv.pid, signal.SIGHUP)
            gen = wait_until(lambda: num((status_page(port, 1.0) or {}).get(
                "ParentServerMPMGeneration")) == 1, 5.0, 0.2)
            S.check(gen and srv.kids() == [],
                    "%s: -X reloads on SIGHUP in the same process" % tag,
                    "generation 1: %s, children %s" % (gen, srv.kids()))
    finally:
        rc = srv.stop()
    S.check(rc == 0, "%s: -X stops on SIGTERM" % tag, str(rc))
    bad = re.search(r"AddressSanitizer|LeakSanitizer|runtime error",
                    srv.log())
    S.check(not bad, "%s: -X log has no sanitizer report" % tag,
            srv.log()[-400:] if bad else "")


# Directories with names that need encoding: (request path, Location).
SPECIAL_DIRS = [
    ("/a%0D%0ASet-Cookie:%20x=1", "/a%0D%0ASet-Cookie:%20x=1/"),
    ("/p%20%25%23%3F%C3%A9;=@:!$&'()*+,~",
     "/p%20%25%23%3F%C3%A9;=@:!$&'()*+,~/"),
    ("/sub?x=1&y=%0d", "/sub/?x=1&y=%0d"),
]


def setup_docroot(tmp):
    d = os.path.join(tmp, "htdocs")
    os.makedirs(os.path.join(d, "sub"))
    os.makedirs(os.path.join(d, "a\r\nSet-Cookie: x=1"))
    os.makedirs(os.path.join(d, "p %#?\u00e9;=@:!$&'()*+,~"))
    os.makedirs(os.path.join(d, *["\u00e9" * 45] * 12))
    with open(os.path.join(d, "1k.txt"), "wb") as f:
        f.write(bytes(ord("a") + i % 26 for i in range(1024)))
    with open(os.path.join(d, "index.html"), "w") as f:
        f.write("<h1>mpmref</h1>\n")
    with open(os.path.join(d, "sub", "index.html"), "w") as f:
        f.write("<h1>sub</h1>\n")
    with open(os.path.join(d, ".htaccess"), "w") as f:
        f.write("Require all denied\n")
    os.symlink("/etc/passwd", os.path.join(d, "link"))
    os.symlink("/etc", os.path.join(d, "dirlink"))
    os.symlink("../../../../../../etc/passwd", os.path.join(d, "sub", "link"))
    os.chmod(tmp, 0o755)
    return d
