"""hostile.py - mpmref under abuse (issue 18), imported by check.py;
its functions take the harness module (harness.py) as ck.

Self-consistency checks: they test mpmref's own HTTP behaviour, with
httpd's documented behaviour as the expectation; apache2 is not run here.
Every server listens on 127.0.0.1 in the suite's port range, every loop
is bounded in count and time.

  lingering close  ab -k -n 2000 -c 50 completes on all three models with
                   0 failed requests when there are workers enough, and
                   without a reset (ab aborts on one) when event closes
                   keep-alive connections for want of workers; a request
                   sent as event closes a keep-alive connection gets the
                   end of the stream, not a reset.
  Timeout          a body dripped a byte a second gets 408 once Timeout
                   has passed since the head, and drippers cannot hold
                   every worker; a head begun just before KeepAliveTimeout
                   ends has the whole Timeout from its first byte.
"""
import os
import re
import shutil
import socket
import subprocess
import time

MODDIR = "/usr/lib/apache2/modules"


def _conf(mpm, docroot, body):
    return ("LoadModule mpm_%s_module %s/mod_mpm_%s.so\n"
            "Listen 127.0.0.1:${REF_PORT}\n"
            "DocumentRoot \"%s\"\n%s" % (mpm, MODDIR, mpm, docroot, body))


# Workers enough for ab's 50 clients: nothing is ever closed under them.
AMPLE = {
    "prefork": "ServerLimit 64\nMaxRequestWorkers 64\nStartServers 60\n"
               "MinSpareServers 60\nMaxSpareServers 64\n",
    "worker": "ServerLimit 1\nThreadLimit 64\nThreadsPerChild 64\n"
              "MaxRequestWorkers 64\nStartServers 1\nMinSpareThreads 1\n"
              "MaxSpareThreads 64\n",
}
AMPLE["event"] = AMPLE["worker"]
AMPLE_KA = "KeepAlive On\nKeepAliveTimeout 5\nMaxKeepAliveRequests 100\n" \
           "Timeout 5\n"

# event with 50 workers in two children for 50 clients: a child runs out
# of workers and closes keep-alive connections (spec 5.3), some of them
# with a request already on its way.
EVENT_TIGHT = ("ServerLimit 4\nThreadLimit 25\nThreadsPerChild 25\n"
               "MaxRequestWorkers 50\nStartServers 2\nMinSpareThreads 1\n"
               "MaxSpareThreads 50\n" + AMPLE_KA)

# Two workers, short timeouts: for the drip and keep-alive checks.
SMALL = {
    "prefork": "ServerLimit 2\nMaxRequestWorkers 2\nStartServers 2\n"
               "MinSpareServers 2\nMaxSpareServers 3\n",
    "worker": "ServerLimit 1\nThreadLimit 2\nThreadsPerChild 2\n"
              "MaxRequestWorkers 2\nStartServers 1\nMinSpareThreads 1\n"
              "MaxSpareThreads 2\n",
}
SMALL["event"] = SMALL["worker"]
SMALL_T = "KeepAlive On\nKeepAliveTimeout 2\nTimeout 3\n"

# event, two workers: a keep-alive connection that turns readable while
# both are busy is closed.  (With one worker, the gate would keep the
# listener off while the keep-alive connection is parked, spec 5.1.)
EVENT_TWO = ("ServerLimit 1\nThreadLimit 2\nThreadsPerChild 2\n"
             "MaxRequestWorkers 2\nStartServers 1\nMinSpareThreads 1\n"
             "MaxSpareThreads 2\nKeepAlive On\nKeepAliveTimeout 5\n"
             "Timeout 5\n")


class Run:
    """One mpmref on a configuration text, stopped on exit."""

    def __init__(self, ck, args, tmp, name, text):
        self.ck = ck
        self.port = ck.free_port()
        self.path = os.path.join(tmp, name + ".conf")
        with open(self.path, "w") as f:
            f.write(text)
        env = dict(os.environ, REF_PORT=str(self.port), LC_ALL="C")
        self.srv = ck.Server(args.mpmref + ["-f", self.path, "--listen",
                                            "127.0.0.1:%d" % self.port],
                             env, os.path.join(tmp, name + ".log"),
                             self.port)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.srv.stop()
        return False


def ab(port, n=2000, c=50, timeout=60):
    """Run ab -k; returns (exit status, complete, failed, output)."""
    try:
        r = subprocess.run(["ab", "-k", "-n", str(n), "-c", str(c),
                            "http://127.0.0.1:%d/index.html" % port],
                           capture_output=True, timeout=timeout)
        out = (r.stdout + r.stderr).decode("utf-8", "replace")
        rc = r.returncode
    except subprocess.TimeoutExpired:
        return None, 0, 0, "ab timed out after %d s" % timeout

    def num(label):
        m = re.search(r"(?m)^%s:\s+(\d+)" % label, out)
        return int(m.group(1)) if m else None
    return rc, num("Complete requests"), num("Failed requests"), out


def ab_summary(out):
    lines = [x for x in out.splitlines()
             if re.match(r"(Complete|Failed) requests|\s+\(Connect|apr_",
                         x)]
    return "; ".join(x.strip() for x in lines) or out[-300:]


def check_ab(S, ck, args, tmp, docroot):
    if shutil.which("ab") is None:
        S.skip("lingering close: ab", "ab not found (apache2-utils)")
        return
    for mpm in ("prefork", "worker", "event"):
        tag = "hostile [mpmref %s]" % mpm
        with Run(ck, args, tmp, "ab-" + mpm,
                 _conf(mpm, docroot, AMPLE[mpm] + AMPLE_KA)) as r:
            if not S.check(r.srv.ready(), "%s: starts (ample)" % tag,
                           r.srv.log()[-300:]):
                continue
            # prefork: every child up before the load
            ck.wait_until(lambda: len(r.srv.kids()) >= 60, 10.0, 0.2)
            rc, done, failed, out = ab(r.port)
            S.check(rc == 0 and done == 2000 and failed == 0,
                    "%s: ab -k -n 2000 -c 50 completes with 0 failed "
                    "requests" % tag, "exit %s: %s" % (rc, ab_summary(out)))
    tag = "hostile [mpmref event]"
    with Run(ck, args, tmp, "ab-event-tight",
             _conf("event", docroot, EVENT_TIGHT)) as r:
        if S.check(r.srv.ready(), "%s: starts (50 workers)" % tag,
                   r.srv.log()[-300:]):
            # Keep-alive connections closed for want of a worker end with
            # a FIN (ab counts the request it had sent as a failure and
            # reconnects, as against httpd); a reset makes ab abort.
            bad = []
            for i in range(3):
                rc, done, failed, out = ab(r.port)
                if not (rc == 0 and done == 2000 and
                        "Connection reset" not in out):
                    bad.append("run %d: exit %s: %s" % (i + 1, rc,
                                                        ab_summary(out)))
            S.check(not bad, "%s: ab -k -n 2000 -c 50 on 50 workers in two "
                    "children completes, three runs, no reset" % tag,
                    " | ".join(bad))


def first_answer(ck, s, timeout, stop_on_error):
    """Read from s until it holds a whole response, EOF, or timeout
    seconds pass; -> the bytes.  A failed read ends it when
    stop_on_error, else its exception goes up."""
    first = b""
    end = time.monotonic() + timeout
    while not ck.parse_responses(first) and time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            x = s.recv(65536)
        except OSError:
            if not stop_on_error:
                raise
            break
        if not x:
            break
        first += x
    return first


def check_event_busy_close(S, ck, args, tmp, docroot):
    """event, two workers: A is parked in keep-alive; B1 and B2 take the
    workers; A's next requests find none and A is closed.  A must see the
    end of the stream, not a reset."""
    tag = "hostile [mpmref event]"
    with Run(ck, args, tmp, "busy-event",
             _conf("event", docroot, EVENT_TWO)) as r:
        if not S.check(r.srv.ready(), "%s: starts (two workers)" % tag,
                       r.srv.log()[-300:]):
            return
        a = socket.create_connection(("127.0.0.1", r.port), timeout=5)
        bs = []
        try:
            a.sendall(ck.req("/index.html", close=False))
            first = first_answer(ck, a, 5, True)
            time.sleep(0.3)                 # A is parked now
            for i in range(2):
                b = socket.create_connection(("127.0.0.1", r.port),
                                             timeout=5)
                b.sendall(ck.req("/__mpmref/sleep?ms=1500"))
                bs.append(b)
                time.sleep(0.2)
            time.sleep(0.2)                 # B1 and B2 hold the workers
            a.sendall(ck.req("/index.html", close=False) * 3)
            data, how = ck.recv_all(a, 8.0)
            rb = [ck.parse_responses(ck.recv_all(b, 8.0)[0]) for b in bs]
        finally:
            a.close()
            for b in bs:
                b.close()
        S.check(ck.parse_responses(first) and how == "eof" and
                not ck.parse_responses(data) and
                all(x and x[0][0] == 200 for x in rb),
                "%s: a keep-alive connection closed for want of a worker "
                "ends with EOF, not a reset" % tag,
                "first answer %s, then %s with %d answers; B1, B2 %s" % (
                    bool(ck.parse_responses(first)), how,
                    len(ck.parse_responses(data)),
                    [x[0][0] if x else None for x in rb]))


def check_drip(S, ck, args, tmp, docroot, mpm):
    tag = "hostile [mpmref %s]" % mpm
    with Run(ck, args, tmp, "drip-" + mpm,
             _conf(mpm, docroot, SMALL[mpm] + SMALL_T)) as r:
        if not S.check(r.srv.ready(), "%s: starts (two workers, Timeout 3)"
                       % tag, r.srv.log()[-300:]):
            return
        ck.wait_until(lambda: len(r.srv.kids()) >= 1, 5.0, 0.1)
        head = (b"POST /index.html HTTP/1.1\r\nHost: x\r\n"
                b"Content-Length: 100\r\n\r\nx")

        # One dripper that reads: 408 once Timeout (3 s) has passed since
        # the head, however the bytes keep coming.
        s = socket.create_connection(("127.0.0.1", r.port), timeout=5)
        t0 = time.monotonic()
        s.sendall(head)
        data, how = b"", "timeout"
        for i in range(12):
            s.settimeout(1.0)
            try:
                x = s.recv(65536)
                if not x:
                    how = "eof"
                    break
                data += x
                if ck.parse_responses(data):
                    break
            except socket.timeout:
                pass
            except OSError:
                how = "reset"
                break
            try:
                s.sendall(b"y")
            except OSError:
                break
        dt = time.monotonic() - t0
        s.close()
        rr = ck.parse_responses(data)
        S.check(rr and rr[0][0] == 408 and dt < 3.0 + 1.5,
                "%s: a body dripped a byte a second gets 408 within "
                "Timeout" % tag, "%s after %.1f s (%s)" % (
                    rr[0][0] if rr else None, dt, how))

        # Three drippers that never read, on two workers: a GET is still
        # answered once Timeout and the short lingering close (2 s) are
        # over, not when the drippers give up (12 s).
        socks = []
        t0 = time.monotonic()
        try:
            for i in range(3):
                d = socket.create_connection(("127.0.0.1", r.port),
                                             timeout=5)
                d.sendall(head)
                socks.append(d)
            time.sleep(0.3)
            g = socket.create_connection(("127.0.0.1", r.port), timeout=5)
            g.sendall(ck.req("/index.html"))
            g.setblocking(False)
            got, answered = b"", None
            while time.monotonic() - t0 < 12.0 and answered is None:
                time.sleep(1.0)
                for d in list(socks):
                    try:
                        d.sendall(b"y")
                    except OSError:
                        socks.remove(d)
                        d.close()
                try:
                    while True:
                        x = g.recv(65536)
                        if not x:
                            break
                        got += x
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    pass
                if ck.parse_responses(got):
                    answered = time.monotonic() - t0
            g.close()
        finally:
            for d in socks:
                d.close()
        rg = ck.parse_responses(got)
        S.check(rg and rg[0][0] == 200 and answered is not None and
                answered < 3.0 + 2.0 + 2.5,
                "%s: three drippers on two workers do not stall a GET "
                "past Timeout + 2 s" % tag, "%s after %s s" % (
                    rg[0][0] if rg else None,
                    "%.1f" % answered if answered else "(none in 12)"))


def check_ka_head(S, ck, args, tmp, docroot, mpm):
    """A request head begun 1 s before KeepAliveTimeout (3 s) ends and
    completed 1.5 s later is answered: Timeout (5 s) runs from its first
    byte, not from the keep-alive wait."""
    tag = "hostile [mpmref %s]" % mpm
    with Run(ck, args, tmp, "kahead-" + mpm,
             _conf(mpm, docroot, SMALL[mpm] + "KeepAlive On\n"
                   "KeepAliveTimeout 3\nTimeout 5\n")) as r:
        if not S.check(r.srv.ready(), "%s: starts (KeepAliveTimeout 3)"
                       % tag, r.srv.log()[-300:]):
            return
        s = socket.create_connection(("127.0.0.1", r.port), timeout=5)
        try:
            s.sendall(ck.req("/index.html", close=False))
            first_answer(ck, s, 5, False)
            time.sleep(2.0)
            s.sendall(b"GET /index.html HTTP/1.1\r\n")
            time.sleep(1.5)
            s.sendall(b"Host: x\r\nConnection: close\r\n\r\n")
            data, how = ck.recv_all(s, 6.0)
        except OSError as e:
            data, how = b"", "error %s" % e
        finally:
            s.close()
        rr = ck.parse_responses(data)
        S.check(rr and rr[0][0] == 200,
                "%s: a head begun just before KeepAliveTimeout has the "
                "whole Timeout" % tag, "%s (%s)" % (
                    rr[0][0] if rr else None, how))


def run(S, ck, args, tmp):
    docroot = os.path.join(tmp, "htdocs")
    check_ab(S, ck, args, tmp, docroot)
    check_event_busy_close(S, ck, args, tmp, docroot)
    for mpm in ("prefork", "worker", "event"):
        check_drip(S, ck, args, tmp, docroot, mpm)
        check_ka_head(S, ck, args, tmp, docroot, mpm)
