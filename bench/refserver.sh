#!/bin/sh
# refserver.sh - benchmarks of mpmref, the reference server, beside
# apache2 with the same MPM settings, all on 127.0.0.1:
#
#   1. throughput: requests/s with wrk for a 1 KB static file, for each
#      MPM, mpmref and apache2 side by side, and their ratio (target:
#      mpmref event within 20% of apache2 event);
#   2. memory: the sum of the children's PSS (/proc/PID/smaps_rollup)
#      while 1,000 idle keep-alive connections are open, for each MPM
#      (target: event a small fraction of prefork).
#
# A benchmark, not a test: it exits non-zero only when something fails
# to run, and reports whether the targets were met.  Results are printed
# and written to $B/bench/refserver.txt.
#
# Environment:
#   B          build directory (default: build)
#   APACHE2    httpd binary (default: apache2)
#   DURATION   seconds of each measured wrk run (default: 10)
#   RUNS       measured wrk runs per server, alternating between the two
#              servers; the best of each is kept (default: 3)
#   CONNS      wrk connections (default: 32)
#   THREADS    wrk threads (default: 2)
#   IDLE       idle keep-alive connections for the memory run (default: 1000)
#   MPMS       MPMs to run (default: "event worker prefork")
#   APACHE_MEM 0 to skip apache2 in the memory run (default: 1)
set -u
LC_ALL=C
export LC_ALL
B=${B:-build}

die() {
	echo "bench: $*" >&2
	exit 1
}

[ -x "$B/mpmref" ] || die "$B/mpmref not built (make all)"
command -v wrk >/dev/null 2>&1 || die "wrk not found (sh scripts/deps.sh --bench)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
APACHE2=${APACHE2:-$(command -v apache2 || echo /usr/sbin/apache2)}
[ -x "$APACHE2" ] || die "apache2 not found (sh scripts/deps.sh)"
mkdir -p "$B/bench" || die "cannot create $B/bench"

exec python3 - "$B" "$APACHE2" <<'PYEOF'
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

B, APACHE2 = os.path.abspath(sys.argv[1]), sys.argv[2]
MPMREF = os.path.join(B, "mpmref")
MODDIR = "/usr/lib/apache2/modules"
DURATION = int(os.environ.get("DURATION", "10"))
RUNS = int(os.environ.get("RUNS", "3"))
CONNS = int(os.environ.get("CONNS", "32"))
THREADS = int(os.environ.get("THREADS", "2"))
IDLE = int(os.environ.get("IDLE", "1000"))
MPMS = os.environ.get("MPMS", "event worker prefork").split()
APACHE_MEM = os.environ.get("APACHE_MEM", "1") != "0"

# Debian's mpm_*.conf settings for the throughput runs: the same for
# both servers.
THROUGHPUT = {
    "prefork": "StartServers 5\nMinSpareServers 5\nMaxSpareServers 10\n"
               "MaxRequestWorkers 150\n",
    "worker": "StartServers 2\nMinSpareThreads 25\nMaxSpareThreads 75\n"
              "ThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers 150\n",
    "event": "StartServers 2\nMinSpareThreads 25\nMaxSpareThreads 75\n"
             "ThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers 150\n",
}
# Enough room for IDLE idle connections in each model: prefork and worker
# need a process or a thread each; event needs AsyncRequestWorkerFactor.
n = IDLE + 100
MEMORY = {
    "prefork": "ServerLimit %d\nMaxRequestWorkers %d\nStartServers %d\n"
               "MinSpareServers 5\nMaxSpareServers %d\n" % (n, n, n, n),
    "worker": "ServerLimit %d\nThreadLimit 50\nThreadsPerChild 50\n"
              "MaxRequestWorkers %d\nStartServers %d\nMinSpareThreads 25\n"
              "MaxSpareThreads %d\n" % (n // 50, n // 50 * 50, n // 50,
                                        n // 50 * 50),
    "event": "ServerLimit 4\nThreadLimit 25\nThreadsPerChild 25\n"
             "MaxRequestWorkers 50\nStartServers 2\nMinSpareThreads 25\n"
             "MaxSpareThreads 75\nAsyncRequestWorkerFactor %d\n" % (
                 (IDLE // 2) // 25 + 2),
}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                s = open("/proc/%s/stat" % d).read()
            except OSError:
                continue
            f = s[s.rindex(")") + 2:].split()
            if int(f[1]) == ppid and f[0] != "Z":
                out.append(int(d))
    return out


def alive(pid):
    try:
        s = open("/proc/%d/stat" % pid).read()
    except OSError:
        return False
    return s[s.rindex(")") + 2] != "Z"


def pss_kib(pid):
    try:
        for line in open("/proc/%d/smaps_rollup" % pid):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Server:
    def __init__(self, kind, mpm, settings, tmp, docroot, extra=""):
        self.port = free_port()
        self.kind = kind
        d = os.path.join(tmp, "%s-%s-%d" % (kind, mpm, self.port))
        os.makedirs(os.path.join(d, "logs"))
        conf = os.path.join(d, "httpd.conf")
        text = ("LoadModule mpm_%s_module %s/mod_mpm_%s.so\n"
                "Listen 127.0.0.1:%d\nDocumentRoot \"%s\"\n%s%s" % (
                    mpm, MODDIR, mpm, self.port, docroot, settings, extra))
        if kind == "apache2":
            user = "User nobody\nGroup nogroup\n" if os.getuid() == 0 else ""
            text = ("ServerRoot %s\nPidFile %s/logs/pid\nErrorLog "
                    "%s/logs/error.log\nServerName localhost\n%s"
                    "LoadModule authz_core_module %s/mod_authz_core.so\n"
                    "<Directory />\nAllowOverride None\nRequire all granted\n"
                    "</Directory>\n" % (d, d, d, user, MODDIR)) + text
            argv = [APACHE2, "-d", d, "-f", conf, "-DFOREGROUND"]
        else:
            argv = [MPMREF, "-f", conf]
        with open(conf, "w") as f:
            f.write(text)
        self.log = open(os.path.join(d, "stderr.log"), "wb")
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                  stdout=self.log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if self.p.poll() is not None:
                raise RuntimeError("%s exited: see %s" % (kind, d))
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("%s did not start" % kind)

    def stop(self):
        kids = children(self.p.pid)
        if self.p.poll() is None:
            os.kill(self.p.pid, signal.SIGTERM)
        try:
            self.p.wait(60)
        except subprocess.TimeoutExpired:
            for k in kids:
                try:
                    os.kill(k, signal.SIGKILL)
                except OSError:
                    pass
            os.kill(self.p.pid, signal.SIGKILL)
            self.p.wait(10)
        end = time.monotonic() + 30
        while time.monotonic() < end and any(alive(k) for k in kids):
            time.sleep(0.2)
        self.log.close()


def wrk(port, seconds):
    r = subprocess.run(["wrk", "-t%d" % THREADS, "-c%d" % CONNS,
                        "-d%ds" % seconds,
                        "http://127.0.0.1:%d/1k.html" % port],
                       capture_output=True, timeout=seconds + 60)
    out = r.stdout.decode()
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    err = re.search(r"Socket errors: (.*)", out)
    return (float(m.group(1)) if m else 0.0,
            int(bad.group(1)) if bad else 0, err.group(1) if err else "")


def throughput(tmp, docroot, rows):
    """Both servers run side by side; wrk runs alternate between them so
    that load from elsewhere on the host hits both alike."""
    for mpm in MPMS:
        srv = {}
        try:
            for kind in ("mpmref", "apache2"):
                srv[kind] = Server(kind, mpm, THROUGHPUT[mpm], tmp, docroot)
            for kind in srv:
                wrk(srv[kind].port, 3)     # warm-up: let children spawn
            best = {k: (0.0, 0, "") for k in srv}
            for _ in range(RUNS):
                for kind in srv:
                    r = wrk(srv[kind].port, DURATION)
                    if r[0] > best[kind][0]:
                        best[kind] = r
        finally:
            for kind in srv:
                srv[kind].stop()
        for kind in ("mpmref", "apache2"):
            b = best[kind]
            print("bench: %-7s %-7s %10.0f req/s%s%s" % (
                mpm, kind, b[0], "  non-2xx %d" % b[1] if b[1] else "",
                "  socket errors: " + b[2] if b[2] else ""),
                file=sys.stderr, flush=True)
        rows.append((mpm, best["mpmref"][0], best["apache2"][0]))


def hold_idle(port, n):
    """Open n keep-alive connections, each with one answered request."""
    socks = []
    req = (b"GET /1k.html HTTP/1.1\r\nHost: localhost\r\n\r\n")
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(req)
        socks.append(s)
    ok = 0
    for s in socks:
        data = b""
        try:
            while b"\r\n\r\n" not in data or len(data) < 1024:
                b = s.recv(65536)
                if not b:
                    break
                data += b
            if data.startswith(b"HTTP/1.1 200"):
                ok += 1
        except OSError:
            pass
    return socks, ok


def memory(tmp, docroot, rows):
    kinds = ["mpmref"] + (["apache2"] if APACHE_MEM else [])
    for mpm in MPMS:
        for kind in kinds:
            srv = Server(kind, mpm, MEMORY[mpm], tmp, docroot,
                         "KeepAlive On\nKeepAliveTimeout 300\n"
                         "MaxKeepAliveRequests 0\nTimeout 300\n")
            socks = []
            try:
                # let StartServers children come up
                time.sleep(3 if mpm == "prefork" else 1)
                socks, ok = hold_idle(srv.port, IDLE)
                time.sleep(2)
                kids = children(srv.p.pid)
                total = sum(pss_kib(k) for k in kids)
                parent = pss_kib(srv.p.pid)
                alive = 0
                for s in socks:
                    s.setblocking(False)
                    try:
                        alive += s.recv(1) != b""
                    except BlockingIOError:
                        alive += 1
                    except OSError:
                        pass
            finally:
                for s in socks:
                    s.close()
                srv.stop()
            print("bench: %-7s %-7s %5d children, %4d/%d connections held, "
                  "children PSS %.1f MiB" % (mpm, kind, len(kids), alive,
                                             IDLE, total / 1024.0),
                  file=sys.stderr, flush=True)
            rows.append((mpm, kind, len(kids), ok, alive, total, parent))


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < IDLE + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tmp = tempfile.mkdtemp(prefix="mpmref-bench.")
    os.chmod(tmp, 0o755)
    docroot = os.path.join(tmp, "htdocs")
    os.makedirs(docroot)
    with open(os.path.join(docroot, "1k.html"), "wb") as f:
        f.write(b"<!-- 1 KB -->" + b"x" * (1024 - 14) + b"\n")
    trows, mrows = [], []
    try:
        throughput(tmp, docroot, trows)
        memory(tmp, docroot, mrows)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ver = subprocess.run([APACHE2, "-v"], capture_output=True).stdout.decode()
    ver = re.search(r"Server version: (.*)", ver)
    out = []
    out.append("mpmref benchmark, %s" % time.strftime("%Y-%m-%dT%H:%MZ",
                                                      time.gmtime()))
    out.append("host: %s, %d cpus; %s; wrk -t%d -c%d -d%ds, best of %d" % (
        " ".join(os.uname()[i] for i in (0, 2, 4)), os.cpu_count(),
        ver.group(1) if ver else "apache2", THREADS, CONNS, DURATION, RUNS))
    out.append("")
    out.append("throughput, GET /1k.html (1,024 bytes), keep-alive, same "
               "MPM settings (Debian's defaults)")
    out.append("%-8s %12s %12s %8s" % ("mpm", "mpmref r/s", "apache2 r/s",
                                       "ratio"))
    ev = None
    for mpm, a, b in trows:
        ratio = a / b if b else 0
        if mpm == "event":
            ev = ratio
        out.append("%-8s %12.0f %12.0f %8.2f" % (mpm, a, b, ratio))
    out.append("")
    out.append("memory with %d idle keep-alive connections (sum of the "
               "children's PSS)" % IDLE)
    out.append("%-8s %-8s %9s %7s %10s %10s" % ("mpm", "server", "children",
                                                "held", "PSS MiB",
                                                "KiB/conn"))
    pss = {}
    for mpm, kind, nk, ok, alive, total, parent in mrows:
        pss[(mpm, kind)] = total
        out.append("%-8s %-8s %9d %7d %10.1f %10.1f" % (
            mpm, kind, nk, alive, total / 1024.0,
            total / float(alive) if alive else 0))
    out.append("")
    if ev is not None:
        out.append("target: mpmref event within 20%% of apache2 event: "
                   "%.0f%%, %s" % (ev * 100, "MET" if ev >= 0.8 else
                                   "NOT MET"))
    e, p = pss.get(("event", "mpmref")), pss.get(("prefork", "mpmref"))
    if e and p:
        out.append("target: mpmref event memory a small fraction of prefork: "
                   "%.1f%% (%.1f / %.1f MiB), %s" % (
                       100.0 * e / p, e / 1024.0, p / 1024.0,
                       "MET" if e * 10 <= p else "NOT MET"))
    text = "\n".join(out) + "\n"
    path = os.path.join(B, "bench", "refserver.txt")
    with open(path, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    print("bench: results in %s" % path, file=sys.stderr)
    return 0


try:
    sys.exit(main())
except (RuntimeError, OSError, subprocess.SubprocessError) as e:
    print("bench: %s" % e, file=sys.stderr)
    sys.exit(1)
PYEOF
