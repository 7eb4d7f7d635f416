#!/usr/bin/env python3
"""live.py - mpmlint --measure against a real apache2 started here.

    python3 tests/resource/live.py MPMLINT MPM

Starts Debian's apache2 with the MPM (prefork or event) on 127.0.0.1 and a
free port, from a temporary ServerRoot, in the foreground; waits for its
children; computes what mpmlint should find independently (children from
/proc/*/stat by parent pid, PSS from the "Pss:" line of each child's
/proc/PID/smaps_rollup); runs mpmlint --measure --pid; compares; stops the
server by its pid.  Memory moves a little between the two readings, so
PSS is compared with a small tolerance against readings taken just before
and just after mpmlint's.

Prints one "PASS name" or "FAIL name: why" line per check, or
"skipped: apache2 not installed"; exits 1 on a failure.  Standard library
only.  Environment: APACHE2 (the binary), APACHE2_MODULES (its modules).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "lib"))
sys.dont_write_bytecode = True          # no __pycache__ in tests/lib
import httpd  # noqa: E402

TOLERANCE = 0.05          # of the total, plus SLACK bytes
SLACK = 128 * 1024
BUDGET = 40               # seconds for the whole run of one MPM

results = []


def check(name, ok, why=""):
    results.append(ok)
    print("PASS %s" % name if ok else "FAIL %s: %s" % (name, why))


def find_modules(apache2):
    env = os.environ.get("APACHE2_MODULES")
    for d in (env, "/usr/lib/apache2/modules", "/usr/lib64/httpd/modules",
              "/usr/lib/httpd/modules"):
        if d and os.path.exists(os.path.join(d, "mod_mpm_prefork.so")):
            return d
    return None


def children(parent):
    """Children by parent pid, from /proc/*/stat, as mpmlint counts them."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = httpd.proc_stat(int(d))
            if st and st["ppid"] == parent:
                out.append(int(d))
    return sorted(out)


def rollup(pid, key):
    """The kB of a line of /proc/PID/smaps_rollup, in bytes, or None."""
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def pss_of(kids):
    vals = [rollup(k, "Pss") for k in kids]
    return sum(v for v in vals if v is not None), \
        len([v for v in vals if v is not None])


def nofile(pid):
    with open("/proc/%d/limits" % pid) as f:
        for line in f:
            if line.startswith("Max open files"):
                soft = line[len("Max open files"):].split()[0]
                return None if soft == "unlimited" else int(soft)
    return None


def memtotal():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return None


MPM_CONF = {
    "prefork": ["StartServers 3", "MinSpareServers 2", "MaxSpareServers 6",
                "MaxRequestWorkers 20"],
    "event": ["StartServers 2", "ServerLimit 4", "ThreadsPerChild 10",
              "ThreadLimit 10", "MaxRequestWorkers 40",
              "MinSpareThreads 10", "MaxSpareThreads 40"],
}
WANT_KIDS = {"prefork": 3, "event": 2}


def write_conf(root, mpm, moddir, port):
    httpd.make_root(root)
    os.chmod(root, 0o755)
    lines = ['ServerRoot "%s"' % root,
             'LoadModule mpm_%s_module "%s/mod_mpm_%s.so"'
             % (mpm, moddir, mpm),
             'LoadModule authz_core_module "%s/mod_authz_core.so"' % moddir]
    lines += httpd.server_lines(root, port, *httpd.run_user_group())
    lines += MPM_CONF[mpm]
    conf = os.path.join(root, "httpd.conf")
    with open(conf, "w") as f:
        f.write("\n".join(lines) + "\n")
    return conf


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/")
    except OSError:
        return False


def run_mpmlint(mpmlint, args, env=None):
    r = subprocess.run([mpmlint, "--no-config"] + args, capture_output=True,
                       timeout=30, env=env)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def fake_proc(pid, kids):
    """A /proc of symbolic links to this server's real entries only, so
    that finding the server without --pid cannot meet another apache2
    running on the same machine."""
    d = tempfile.mkdtemp(prefix="mpmlint-proc.")
    for p in [pid] + kids:
        os.symlink("/proc/%d" % p, os.path.join(d, str(p)))
    for name in ("meminfo", "self"):
        os.symlink("/proc/" + name, os.path.join(d, name))
    return d


def one(mpmlint, apache2, moddir, mpm):
    root = tempfile.mkdtemp(prefix="mpmlint-live.")
    proc = None
    fake = None
    deadline = time.monotonic() + BUDGET
    try:
        port = httpd.free_port()
        conf = write_conf(root, mpm, moddir, port)
        proc = httpd.start(apache2, root, conf,
                           os.path.join(root, "start.err"),
                           {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                            "LANG": "C"})
        # ready: it answers, and the set of children has held still
        kids, since = [], time.monotonic()
        while time.monotonic() < deadline and proc.poll() is None:
            now = children(proc.pid)
            if now != kids:
                kids, since = now, time.monotonic()
            elif len(kids) >= WANT_KIDS[mpm] and \
                    time.monotonic() - since > 1.0 and answers(port):
                break
            time.sleep(0.1)
        if proc.poll() is not None or len(kids) < WANT_KIDS[mpm]:
            with open(os.path.join(root, "start.err")) as f:
                err = f.read().strip()[-300:]
            check("%s: apache2 starts with %d children" % (mpm,
                  WANT_KIDS[mpm]), False, "children %s; %s" % (kids, err))
            return
        check("%s: apache2 starts with %d children" % (mpm, WANT_KIDS[mpm]),
              True)

        before, nb = pss_of(kids)
        rc, out, err = run_mpmlint(mpmlint, ["--measure", "--pid",
                                             str(proc.pid), "-f", "json",
                                             conf])
        after, na = pss_of(kids)
        rss = sum(rollup(k, "Rss") or 0 for k in kids)
        try:
            d = json.loads(out)
            mem = d["effective"]["memory"]
            cap = d["effective"]["capacity"]
            m = mem["measured"]
        except (ValueError, KeyError, TypeError) as e:
            check("%s: mpmlint --measure gives memory JSON" % mpm, False,
                  "rc %d, %s; %s %s" % (rc, e, err.strip(), out[:200]))
            return
        check("%s: mpmlint --measure gives memory JSON" % mpm,
              rc in (0, 1) and m is not None, "rc %d %s" % (rc, err))
        check("%s: the parent is the pid given" % mpm,
              m["pid"] == proc.pid, "%s != %s" % (m["pid"], proc.pid))
        check("%s: every child measured, the parent left out" % mpm,
              m["children"] == len(kids) == nb == na,
              "mpmlint %s, /proc %d (%d, %d readable)"
              % (m["children"], len(kids), nb, na))
        lo = min(before, after) * (1 - TOLERANCE) - SLACK
        hi = max(before, after) * (1 + TOLERANCE) + SLACK
        if os.environ.get("LIVE_DEBUG"):
            print("debug: mpmlint %d, python %d then %d, rss %d"
                  % (m["pss_total"], before, after, rss))
        check("%s: PSS total equals the sum of Pss: lines" % mpm,
              lo <= m["pss_total"] <= hi,
              "mpmlint %d, python %d..%d" % (m["pss_total"], before, after))
        check("%s: PSS, not RSS" % mpm, m["pss_total"] < rss,
              "pss %d rss %d" % (m["pss_total"], rss))
        n = m["children"]
        check("%s: process size is the largest child's PSS" % mpm,
              mem["process_size"] == m["pss_max"] and
              m["pss_max"] * n >= m["pss_total"] and
              mem["process_size_source"] == "measure",
              "%s %s" % (mem["process_size"], mem["process_size_source"]))
        check("%s: peak = processes x size + threads x size + reserve" % mpm,
              mem["peak"] == mem["processes"] * mem["process_size"] +
              mem["threads"] * mem["thread_size"] + mem["reserve"],
              json.dumps(mem))
        want_nofile = nofile(kids[0])
        check("%s: nofile read from the server" % mpm,
              cap["nofile"] == want_nofile,
              "%s != %s" % (cap["nofile"], want_nofile))
        total = memtotal()
        check("%s: RAM from this machine" % mpm,
              (mem["ram_source"] == "meminfo" and mem["ram"] == total) or
              (mem["ram_source"] == "cgroup" and 0 < mem["ram"] < total),
              "%s %s (MemTotal %s)" % (mem["ram_source"], mem["ram"], total))

        # the text form names the measurement
        rc, out, err = run_mpmlint(mpmlint, ["--measure", "--pid",
                                             str(proc.pid), "--ram", "64G",
                                             conf])
        check("%s: text finding with measured PSS" % mpm,
              "(PSS of the largest of %d children, pid " % n in out and
              "[MPM044]" in out and rc == 0,
              "rc %d: %s %s" % (rc, out.strip(), err.strip()))

        # without --pid: found by name, in a /proc holding only this server
        fake = fake_proc(proc.pid, kids)
        env = dict(os.environ, MPMLINT_PROC_ROOT=fake)
        rc, out, err = run_mpmlint(mpmlint, ["--measure", "-f", "json",
                                             conf], env)
        try:
            m2 = json.loads(out)["effective"]["memory"]["measured"]
            ok = m2["pid"] == proc.pid and m2["children"] == len(kids)
        except (ValueError, KeyError, TypeError):
            ok, m2 = False, out[:200]
        check("%s: --measure finds the server by name" % mpm, ok,
              "%s %s" % (m2, err.strip()))
    finally:
        if proc is not None:
            httpd.stop_server(proc, root)
            check("%s: server stopped" % mpm, proc.poll() is not None,
                  "pid %d still running" % proc.pid)
        if fake:
            shutil.rmtree(fake, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: live.py MPMLINT MPM\n")
        return 2
    mpmlint, mpm = argv
    apache2 = httpd.find_apache2(os.environ.get("APACHE2"))
    if apache2 is None:
        print("skipped: apache2 not installed")
        return 0
    moddir = find_modules(apache2)
    if moddir is None:
        print("skipped: apache2 modules not found")
        return 0
    if not os.path.exists("/proc/self/smaps_rollup"):
        print("skipped: no /proc/PID/smaps_rollup (Linux 4.14 or later)")
        return 0
    one(mpmlint, apache2, moddir, mpm)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
