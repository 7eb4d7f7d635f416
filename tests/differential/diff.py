#!/usr/bin/env python3
"""diff.py - differential test of mpmlint against the real Apache httpd.

Generates seeded random MPM configurations for prefork, worker and event,
runs each through "apache2 -t" and through "mpmlint --format json", and
compares what they say; a subset is also started on 127.0.0.1 and the
effective values the MPM really uses (mod_lua's r.mpm_query) are compared
with mpmlint's "effective" object.  Python 3 standard library only.

Usage: diff.py [--seed S] [--count N] [--start K] [--jobs J]
               [--start-jobs J] [--max-seconds S] [--case I ...] [--show I]
               [--build DIR] [--apache2 PATH] [--modules DIR] [-v]
Case I of seed S is always the same configuration: "--show I" prints it,
"--case I" reruns it alone (and starts it when it can be started).

The cases (cases.py, gen_case): one MPM each, in turn prefork, worker, event; the
MPM settings at top level or in <IfModule> guards of both name forms
(mpm_event_module, event.c), negated guards ("!", "! "), guards of other
MPMs (false, with anything inside), names that never match (mod_mpm_event.c,
Event.c), guards tested before the LoadModule line, the LoadModule itself
behind a guard; old names (MaxClients, MaxRequestsPerChild) and odd case;
numbers read by atoi (0, negative, 25abc, abc, 1e3, 0x40, " 12", values
that wrap or saturate 32 bits) and extremes of ServerLimit, ThreadLimit
and ThreadsPerChild; AsyncRequestWorkerFactor values strtod accepts or not;
directives omitted (defaults) and repeated (last wins); directives of
another MPM outside a guard; wrong argument counts, trailing "# comments",
MPM directives in <VirtualHost> and <Directory>; close tags httpd reads its
own way ("</IfModule >", "</IfModule> # x"), sections left open, comment
lines continued by a backslash, backslash continuations; no MPM or two;
ListenCoresBucketsRatio (mpmlint gets --buckets for this host's cores);
a quarter of the cases keep the settings in an Include'd file.

What is compared (the contract of this suite)

  apache2 runs as "apache2 -t -e info": the deprecation notices AH00188,
  AH00324, AH00521 and AH00545 are INFO, and -t prints them only at that
  start-up level [obs], so they are compared like every other id.
  Ids -t does not print: NOT_UNDER_T, the run-time ids (AH00161, AH00287,
  AH10159, AH00486, AH00060 and the other saturation or per-child ids)
  that only a running server logs.  AH00548 (NameVirtualHost) is a
  warning that -t prints.

  Besides the random cases, BOUNDARY cases (gen_boundary, indices from
  BOUNDARY_BASE) put each clamp of spec section 4 at its limit - 1, the
  limit and limit + 1: ServerLimit and ThreadLimit at their hard maxima
  and at 1, ThreadsPerChild against ThreadLimit, MaxRequestWorkers
  against ServerLimit (prefork), ThreadsPerChild and ServerLimit x
  ThreadsPerChild (worker, event), StartServers, MinSpare* at 1, the
  run-time floors MaxSpareServers >= MinSpareServers + 1 and
  MaxSpareThreads >= MinSpareThreads + ThreadsPerChild + 1, the initial
  spawn min(StartServers, processes), AsyncRequestWorkerFactor around 1
  and MaxConnectionsPerChild around 0.  Those marked "start" are always
  started (the run-time floors and the spawn count show only there);
  --no-boundary leaves them all out.

  fatal(mpmlint): some finding has severity "error" and either no httpd id
  or one of FATAL_IDS (AH00526 shape B, AH00534 no/two MPMs, AH00013
  pre_config refusal, AH02291/AH02297 a log directory that check_config
  cannot reach): the ids of the errors that stop -t.  httpd's
  read-time errors ("Syntax error on line N of F: ...", shape A) have no
  AH number, and neither have mpmlint's findings for them.  An error with
  another id is a prediction about the running server (MPM013, AH00486:
  negative MaxConnectionsPerChild respawns children in a loop), not a -t
  failure.

  (1) verdict: apache2 -t exits non-zero  <=>  fatal(mpmlint).
  (2) when -t passes: the multiset of AH ids on -t's stderr equals the
      multiset of the httpd ids of mpmlint's findings minus NOT_UNDER_T;
      and the findings whose message is "AHnnnnn: text" (the check_config
      warnings) carry exactly httpd's text.
      when -t fails: httpd stops at its first error and prints nothing else
      (spec 1), so only that error is compared: mpmlint's first fatal
      finding in httpd's order (read-time errors without an id, then
      AH00534, AH00013, then AH00526 in the order of the walk, through the
      Include) must have the same id (or none), file and line, and its
      message must start with httpd's.  The other findings are not
      compared: mpmlint reports every problem, httpd only the first;
      except after AH00534 (no MPM or two), where httpd prints only what
      it said while reading: mpmlint must have no other error and no
      httpd id that -t did not print.
  (3) started subset (--start K, spread over the MPMs, cases where httpd
      adjusts something first; only cases small enough to run): httpd is
      started in the foreground in its own session, asked for
      ap_mpm_query() through a mod_lua handler, and stopped (SIGTERM, then
      SIGKILL for what is left of its own session only).
      - If it did not serve (it crashed, or exited), mpmlint must report
        some error.
      - If mpmlint reports an error, nothing more is compared.
      - Else ServerLimit, ThreadLimit, ThreadsPerChild, MaxRequestWorkers,
        processes, Min/MaxSpareThreads or Min/MaxSpareServers and
        MaxConnectionsPerChild of mpmlint's "effective" must equal what the
        MPM answers (runtime_expect() has the mapping: MaxRequestWorkers is
        max_daemons x max_threads for worker and event), and the children
        forked at start, counted before the first idle maintenance, must
        be min(StartServers, processes).

Output: one line per disagreement ("FAIL <seed>:<case> <mpm>: what;
reproducer DIR"), failing cases kept under BUILD/differential/, and the
final line "differential: N passed, M failed".  Exit 1 on any disagreement,
0 otherwise, 2 on a usage or set-up error.
"""

import argparse
import collections
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "lib"))
sys.dont_write_bytecode = True          # no __pycache__ in tests/lib
from httpd import (find_apache2, free_port, kill_own_group,  # noqa: E402
                   own_group, proc_stat, run_user_group)
import httpd  # noqa: E402
# the cases; LUA_SCRIPT, MPMQ_CODES and load_line are for the other scripts
from cases import (BOUNDARY, BOUNDARY_BASE, LUA_SCRIPT,  # noqa: E402,F401
                   MPMQ_CODES, MPMS, buckets_for, gen_case, load_line,
                   render, write_case)

DEFAULT_SEED = 20241018
DEFAULT_COUNT = 600
DEFAULT_START = 60

# ids that "apache2 -t" never prints at its default level
NOT_UNDER_T = {
    # run time only (a running server's error log)
    "AH00161", "AH00287", "AH10159", "AH00486", "AH00286", "AH00484",
    "AH00288", "AH03490", "AH02435", "AH02436", "AH00060",
}
# the ids of the errors that make -t fail: AH00526 (shape B, the tree
# walk), AH00534 (no MPM or two), AH00013 (a pre_config hook refuses, e.g.
# mod_php on a threaded MPM).  The read-time errors (shape A) have no id.
FATAL_IDS = {"AH00526", "AH00534", "AH00013", "AH02291", "AH02297"}
# ids for which the -t failure comes before the tree walk
PRE_WALK_FATAL = ("AH00534", "AH00013")

Q_HARD_LIMIT_DAEMONS = 4
Q_HARD_LIMIT_THREADS = 5
Q_MAX_THREADS = 6
Q_MIN_SPARE_DAEMONS = 7
Q_MIN_SPARE_THREADS = 8
Q_MAX_SPARE_DAEMONS = 9
Q_MAX_SPARE_THREADS = 10
Q_MAX_REQUESTS_DAEMON = 11
Q_MAX_DAEMONS = 12


def runtime_expect(mpm, q):
    """What the running MPM says, under mpmlint's "effective" key names.

    prefork_query: MAX_DAEMONS is ap_daemons_limit (MaxRequestWorkers, one
    thread each).  worker_query/event_query: MAX_DAEMONS is the process
    limit (ap_daemons_limit / active_daemons_limit = MRW/TPC capped at
    ServerLimit), MAX_THREADS is ThreadsPerChild, so the real capacity is
    their product; the spare values are read after *_run's adjustments."""
    d = {"ServerLimit": q.get(Q_HARD_LIMIT_DAEMONS),
         "processes": q.get(Q_MAX_DAEMONS),
         "MaxConnectionsPerChild": q.get(Q_MAX_REQUESTS_DAEMON)}
    if mpm == "prefork":
        d["MaxRequestWorkers"] = q.get(Q_MAX_DAEMONS)
        d["MinSpareServers"] = q.get(Q_MIN_SPARE_DAEMONS)
        d["MaxSpareServers"] = q.get(Q_MAX_SPARE_DAEMONS)
    else:
        d["ThreadLimit"] = q.get(Q_HARD_LIMIT_THREADS)
        d["ThreadsPerChild"] = q.get(Q_MAX_THREADS)
        d["MinSpareThreads"] = q.get(Q_MIN_SPARE_THREADS)
        d["MaxSpareThreads"] = q.get(Q_MAX_SPARE_THREADS)
        if q.get(Q_MAX_DAEMONS) is not None and q.get(Q_MAX_THREADS) is not None:
            d["MaxRequestWorkers"] = q[Q_MAX_DAEMONS] * q[Q_MAX_THREADS]
    return d



# ---------------------------------------------------------------------------
# Running httpd -t and mpmlint
# ---------------------------------------------------------------------------

def child_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("APACHE_")}
    env["LANG"] = "C"
    env["LC_ALL"] = "C"
    return env


def run(argv, timeout, cwd=None, preexec=None):
    """Run argv bounded by timeout (its whole session killed after it);
    preexec runs in the child.  -> (rc, stdout, stderr, timed out)"""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, env=child_env(), cwd=cwd,
                         start_new_session=True, preexec_fn=preexec)
    try:
        out, err = p.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        kill_own_group(p.pid, None)
        out, err = p.communicate()
        timed_out = True
    return (p.returncode, out.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"), timed_out)


AH_LINE = re.compile(r"(?:^|\] )(AH\d{5}): ?(.*)$")
SHAPE_A = re.compile(r"Syntax error on line (\d+) of ([^:\n]+): ")
SHAPE_B = re.compile(r"^AH00526: Syntax error on line (\d+) of ([^:\n]+):$")


def read_lint(to, lto, lrc, lout, lerr):
    """The problems of an "apache2 -t" (to: it timed out) and mpmlint -f
    json run (lto, lrc, lout, lerr), and mpmlint's document.
    -> (problems, lint)"""
    probs, lint = [], {}
    if to:
        probs.append("apache2 -t timed out")
    if lto:
        probs.append("mpmlint timed out")
    try:
        lint = json.loads(lout)
    except ValueError:
        probs.append("mpmlint exit %s, output is not JSON: %s"
                     % (lrc, (lerr or lout)[:200].strip()))
    return probs, lint


def parse_httpd_t(rc, err, root):
    """-> dict(ok, ids (list), texts (list of (id, text)), fatal)"""
    lines = err.splitlines()
    ids, texts = [], []
    fatal = None
    for i, line in enumerate(lines):
        m = AH_LINE.search(line)
        if m:
            ids.append(m.group(1))
            texts.append((m.group(1), m.group(2).strip()))
    for i, line in enumerate(lines):
        m = SHAPE_B.match(line)
        if m:
            fatal = {"id": "AH00526", "line": int(m.group(1)),
                     "file": rel(m.group(2), root),
                     "message": lines[i + 1].strip() if i + 1 < len(lines)
                     else ""}
            break
        if line.startswith("AH00534:"):
            fatal = {"id": "AH00534", "line": None, "file": None,
                     "message": line.split(": ", 1)[1]}
            break
        ms = list(SHAPE_A.finditer(line))
        if ms and not line.startswith("AH"):
            last = ms[-1]
            fatal = {"id": None, "line": int(last.group(1)),
                     "file": rel(last.group(2), root),
                     "message": line[last.end():].strip()}
            break
    return {"ok": rc == 0, "rc": rc, "ids": ids, "texts": texts,
            "fatal": fatal}


def rel(path, root):
    path = path.strip()
    if path.startswith(root + "/"):
        return path[len(root) + 1:]
    return path


def is_fatal(f):
    """Does this finding predict that apache2 -t fails?"""
    return f.get("severity") == "error" and (f.get("httpd") is None or
                                             f["httpd"] in FATAL_IDS)


def walk_pos(case, f, root):
    """httpd's reading order of a finding: main-file lines before the
    Include line, then the included file, then the rest."""
    name = os.path.basename(f.get("file") or "")
    line = f.get("line") or 0
    if case["include"] and name == "mpm.conf":
        return (case["_include_line"], line)
    return (line, 0)


def compare_t(case, root, ht, lint):
    """Disagreements between apache2 -t and mpmlint for one case."""
    probs = []
    findings = lint.get("findings", [])
    fatal = [f for f in findings if is_fatal(f)]
    if ht["ok"] != (not fatal):
        if ht["ok"]:
            probs.append("apache2 -t passes but mpmlint reports fatal %s"
                         % "; ".join(describe(f) for f in fatal[:3]))
        else:
            probs.append("apache2 -t fails (%s) but mpmlint has no fatal "
                         "finding" % describe_httpd(ht["fatal"]))
        return probs
    if ht["ok"]:
        want = collections.Counter(ht["ids"])
        got = collections.Counter(f["httpd"] for f in findings
                                  if f.get("httpd") and
                                  f["httpd"] not in NOT_UNDER_T)
        if want != got:
            probs.append("AH ids differ: httpd %s, mpmlint %s (missing %s, "
                         "extra %s)" % (fmt_counter(want), fmt_counter(got),
                                        fmt_counter(want - got),
                                        fmt_counter(got - want)))
            return probs
        # exact texts of the check_config warnings
        wt = collections.Counter()
        gt = collections.Counter()
        for f in findings:
            ah = f.get("httpd")
            msg = f.get("message", "")
            if ah and msg.startswith(ah + ": "):
                gt[(ah, msg[len(ah) + 2:])] += 1
        want_ids = {k[0] for k in gt}
        for hid, htext in ht["texts"]:
            if hid in want_ids:
                wt[(hid, htext)] += 1
        if wt != gt:
            miss = list((wt - gt).elements())
            extra = list((gt - wt).elements())
            probs.append("warning texts differ: httpd %s / mpmlint %s"
                         % (miss[:2], extra[:2]))
        return probs
    # both fail: compare httpd's (only) error with mpmlint's first one
    hf = ht["fatal"]
    if hf is None:
        probs.append("apache2 -t failed (rc %d) without a recognised error "
                     "line" % ht["rc"])
        return probs

    def order(f):
        if f.get("httpd") is None:
            grp_ = 0
        elif f.get("httpd") in PRE_WALK_FATAL:
            grp_ = 1 + PRE_WALK_FATAL.index(f["httpd"])
        else:
            grp_ = 1 + len(PRE_WALK_FATAL)
        return (grp_,) + walk_pos(case, f, root)
    first = sorted(fatal, key=order)[0]
    fid = first.get("httpd")
    ffile = os.path.basename(first.get("file") or "")
    if fid != hf["id"]:
        probs.append("first error differs: httpd %s, mpmlint %s"
                     % (describe_httpd(hf), describe(first)))
    elif hf["id"] == "AH00534":
        # "apache2: Configuration error: No MPM loaded." (or "More than
        # one MPM loaded."): mpmlint's message starts with the reason
        why = hf["message"].split("Configuration error: ", 1)[-1]
        if not first.get("message", "").startswith(why.rstrip(".")):
            probs.append("first error message differs: httpd %r, mpmlint "
                         "%r" % (hf["message"], first.get("message")))
        else:
            # no MPM or two: ap_read_config() stops at ap_check_mpm():
            # nothing of the tree walk or of check_config is printed,
            # only what was printed while reading (AH01574, ...), and
            # mpmlint has no other error
            extra = collections.Counter(
                f["httpd"] for f in findings
                if f.get("httpd") and f["httpd"] != "AH00534" and
                f["httpd"] not in NOT_UNDER_T) - collections.Counter(
                ht["ids"])
            extra.update(f["rule"] for f in findings
                         if f.get("severity") == "error" and
                         f.get("httpd") != "AH00534")
            if extra:
                probs.append("httpd stops at AH00534 but mpmlint also "
                             "reports %s" % fmt_counter(extra))
    else:
        hfile = os.path.basename(hf["file"] or "")
        if first.get("line") != hf["line"] or ffile != hfile:
            probs.append("first error at a different place: httpd %s, "
                         "mpmlint %s" % (describe_httpd(hf), describe(first)))
        elif not first.get("message", "").startswith(hf["message"]):
            probs.append("first error message differs: httpd %r, mpmlint %r"
                         % (hf["message"], first.get("message")))
    return probs


def fmt_counter(c):
    return "{" + ", ".join("%s%s" % (k, "" if v == 1 else " x%d" % v)
                           for k, v in sorted(c.items())) + "}"


def describe(f):
    return "%s %s %s:%s %s%r" % (f.get("rule"), f.get("severity"),
                                 os.path.basename(f.get("file", "?")),
                                 f.get("line"),
                                 (f.get("httpd") + " ") if f.get("httpd")
                                 else "", f.get("message", "")[:90])


def describe_httpd(hf):
    if not hf:
        return "no error line"
    if hf["id"] == "AH00534":
        return "AH00534 %s" % hf["message"]
    return "%s %s:%s %r" % (hf["id"] or "(no id)",
                            os.path.basename(hf["file"] or "?"), hf["line"],
                            hf["message"][:90])


# ---------------------------------------------------------------------------
# Starting httpd (subset)
# ---------------------------------------------------------------------------

LIVE = {}           # pid -> root of servers we started (for clean-up)
LIVE_LOCK = threading.Lock()


def stop_server(proc, root):
    """httpd.stop_server(), and the server is no longer ours to clean up."""
    killed = httpd.stop_server(proc, root)
    with LIVE_LOCK:
        LIVE.pop(proc.pid, None)
    return killed


def http_get(port, path, timeout):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1",
                                           "Connection": "close"})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def start_and_query(apache2, case, root, moddir, user, group, budget):
    """Start httpd in the foreground, read ap_mpm_query through mod_lua,
    stop it.  Returns (dict code->int or None, note)."""
    deadline = time.monotonic() + budget
    for attempt in (1, 2):
        port = free_port()
        write_case(case, root, moddir, port, user, group)
        errlog = os.path.join(root, "logs", "error.log")
        if os.path.exists(errlog):
            os.unlink(errlog)
        conf = os.path.join(root, "httpd.conf")
        proc = httpd.start(apache2, root, conf,
                           os.path.join(root, "start.stderr"), child_env())
        with LIVE_LOCK:
            LIVE[proc.pid] = root
        q, note = None, "did not answer"
        t0 = time.monotonic()
        kids = 0
        spawn = None
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                kids = max(kids, len(children_of(proc.pid, root)))
                try:
                    code, body = http_get(port, "/mpm-query", 1.0)
                    if code == 200:
                        q = {}
                        for line in body.splitlines():
                            p = line.split()
                            if len(p) == 2 and p[0].isdigit() and \
                                    re.fullmatch(r"-?\d+", p[1]):
                                q[int(p[0])] = int(p[1])
                        note = "ok"
                        # the initial spawn, before the first idle
                        # maintenance (1 s after the children are forked)
                        if time.monotonic() - t0 < SPAWN_WINDOW - 0.2:
                            while time.monotonic() - t0 < SPAWN_WINDOW:
                                kids = max(kids, len(children_of(proc.pid,
                                                                 root)))
                                time.sleep(0.02)
                            spawn = kids
                        break
                    note = "HTTP %d" % code
                except (OSError, http.client.HTTPException):
                    pass
                time.sleep(0.05)
            if proc.poll() is not None and q is None:
                note = "httpd exited with %s" % proc.returncode
        finally:
            killed = stop_server(proc, root)
        if killed:
            note += "; needed SIGKILL for %d process(es)" % len(killed)
        if q is None and attempt == 1 and time.monotonic() < deadline - 3:
            try:
                with open(os.path.join(root, "start.stderr")) as f:
                    if "AH00072" in f.read():
                        continue        # the port raced away: once more
            except OSError:
                pass
        return q, note, spawn
    return None, "could not bind", None


SPAWN_WINDOW = 0.8


def children_of(pid, root):
    out = []
    for c in own_group(pid, root):
        st = proc_stat(c)
        if st and st["ppid"] == pid:
            out.append(c)
    return out


def startable(case, ht, lint):
    """Is this case small enough to start (scoreboard, processes, threads)
    and able to serve a request?"""
    e = lint.get("effective")
    if not ht["ok"] or not isinstance(e, dict):
        return False
    mpm = case["mpm"]
    sl = e.get("ServerLimit", 0)
    tl = e.get("ThreadLimit", 1)
    procs = e.get("processes", 0)
    tpc = e.get("ThreadsPerChild", 1)
    if 56 + 40 * sl + 336 * sl * tl > 16 * 1024 * 1024:
        return False
    if procs > 48 or procs * tpc > 1500 or tpc > 256:
        return False
    if mpm != "prefork" and e.get("MaxConnectionsPerChild", 0) < 0:
        return False        # children exit at once (AH00486 loop)
    return True


def interesting(lint):
    return any(f.get("httpd") or f.get("rule") in ("MPM011", "MPM034",
                                                    "MPM015")
               for f in lint.get("findings", []))


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------

def pmap(fn, items, jobs):
    """fn over items with jobs threads, results in order; an interrupt
    cancels what has not started (each running case is time-bounded)."""
    ex = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futs = [ex.submit(fn, x) for x in items]
        out = [f.result() for f in futs]
    except BaseException:
        ex.shutdown(wait=True, cancel_futures=True)
        raise
    ex.shutdown(wait=True)
    return out


def pick_started(cands, start):
    """Up to start of cands (best first), spread over the three MPMs."""
    quota = {m: (start + i) // 3 for i, m in enumerate(MPMS)}
    chosen = []
    for r in cands:
        m = r["case"]["mpm"]
        if quota[m] > 0:
            quota[m] -= 1
            chosen.append(r)
    return chosen


def effective_diffs(got, eff):
    """What the running MPM (got) and mpmlint's effective values (eff)
    disagree on, one "name httpd X mpmlint Y" each."""
    return ["%s httpd %s mpmlint %s" % (k, v, eff.get(k))
            for k, v in sorted(got.items()) if eff.get(k) != v]


def add_common_args(ap):
    """The options every suite built on Suite takes."""
    ap.add_argument("--start-jobs", type=int,
                    default=int(os.environ.get("DIFF_START_JOBS", 2)))
    ap.add_argument("--start-budget", type=float, default=20.0,
                    help="seconds for one started case")
    ap.add_argument("--case", type=int, action="append",
                    help="run only this case index (repeatable)")
    ap.add_argument("--build", default=os.environ.get("B", "build"))
    ap.add_argument("--apache2", default=os.environ.get("APACHE2"))
    ap.add_argument("--modules", default="/usr/lib/apache2/modules")
    ap.add_argument("--verbose", "-v", action="store_true")


def check_setup(a, name):
    """apache2 and mpmlint for the suite called name: None to go on, or
    the exit status, after the skip line or the error."""
    apache2 = find_apache2(a.apache2)
    if apache2 is None or not os.path.exists(
            os.path.join(a.modules, "mod_mpm_event.so")):
        print("skipped: apache2 not installed")
        print("%s: 0 passed, 0 failed" % name)
        return 0
    a.apache2 = apache2
    if not os.access(os.path.join(a.build, "mpmlint"), os.X_OK):
        print("%s: %s/mpmlint not built (run make)" % (name, a.build),
              file=sys.stderr)
        return 2
    return None


def run_suite(suite, name):
    """suite.main(), cleaning up whatever happens."""
    try:
        return suite.main()
    except KeyboardInterrupt:
        print("%s: interrupted" % name, file=sys.stderr)
        return 130
    finally:
        suite.cleanup()


class Suite:
    KEEP = "differential"       # BUILD/KEEP holds the failing cases
    PREFIX = "mpmlint-diff."    # of the temporary directory

    def __init__(self, a):
        self.a = a
        self.build = os.path.abspath(a.build)
        self.mpmlint = os.path.join(self.build, "mpmlint")
        self.apache2 = a.apache2
        self.moddir = a.modules
        self.user, self.group = run_user_group()
        self.keepdir = os.path.join(self.build, self.KEEP)
        self.lua = all(os.path.exists(os.path.join(a.modules, m))
                       for m in ("mod_lua.so", "mod_authz_core.so"))
        self.tmp = tempfile.mkdtemp(prefix=self.PREFIX)
        os.chmod(self.tmp, 0o755)
        self.deadline = time.monotonic() + a.max_seconds
        self.lock = threading.Lock()

    def root_of(self, idx):
        return os.path.join(self.tmp, "case-%d-%d" % (self.a.seed, idx))

    def over_time(self):
        return time.monotonic() > self.deadline

    def run_t(self, idx):
        if self.over_time():
            case = gen_case(self.a.seed, idx)
            return {"case": case, "root": None, "lint": {},
                    "ht": {"ok": False, "ids": [], "texts": [],
                           "fatal": None, "rc": None},
                    "probs": ["not run: the time budget of %d s is used up"
                              % self.a.max_seconds]}
        try:
            return self._run_t(idx)
        except Exception as e:          # report, do not abort the suite
            case = gen_case(self.a.seed, idx)
            root = self.root_of(idx)
            os.makedirs(root, exist_ok=True)
            case["_lint_argv"] = [self.mpmlint, "?"]
            return {"case": case, "root": root, "lint": {},
                    "ht": {"ok": False, "ids": [], "texts": [],
                           "fatal": None, "rc": None},
                    "probs": ["driver error: %s: %s"
                              % (type(e).__name__, e)]}

    def _run_t(self, idx):
        case = gen_case(self.a.seed, idx)
        root = self.root_of(idx)
        os.makedirs(root)
        os.chmod(root, 0o755)
        write_case(case, root, self.moddir, 8, self.user, self.group,
                   self.lua)
        case["_include_line"] = self.include_line(root)
        conf = os.path.join(root, "httpd.conf")
        rc, out, err, to = run([self.apache2, "-d", root, "-f", conf, "-t",
                                "-e", "info"], 30)
        with open(os.path.join(root, "httpd-t.stderr"), "w") as f:
            f.write(err)
        ht = parse_httpd_t(rc, err, root)
        argv = [self.mpmlint, "--format", "json", "--fail-on", "never"]
        if buckets_for(case) > 1:
            argv += ["--buckets", str(buckets_for(case))]
        case["_lint_argv"] = argv + [conf]
        lrc, lout, lerr, lto = run(argv + [conf], 30, cwd=self.tmp)
        with open(os.path.join(root, "mpmlint.json"), "w") as f:
            f.write(lout)
        probs, lint = read_lint(to, lto, lrc, lout, lerr)
        if lrc not in (0,) and not probs:
            probs.append("mpmlint exit %s with --fail-on never: %s"
                         % (lrc, lerr.strip()[:200]))
        if not probs:
            probs += compare_t(case, root, ht, lint)
        return {"case": case, "root": root, "ht": ht, "lint": lint,
                "probs": probs}

    @staticmethod
    def include_line(root):
        with open(os.path.join(root, "httpd.conf")) as f:
            for n, line in enumerate(f, 1):
                if line.startswith("Include "):
                    return n
        return 0

    def query_started(self, res):
        """Start res's case on 127.0.0.1 and read what its MPM runs with.
        -> (the values httpd reports, mpmlint's effective values, the
        children at start or None), or None when there is nothing to
        compare (a problem, if any, noted in res)."""
        case, root, lint = res["case"], res["root"], res["lint"]
        q, note, spawn = start_and_query(self.apache2, case, root,
                                         self.moddir, self.user, self.group,
                                         self.a.start_budget)
        res["started"] = note
        errs = [f for f in lint.get("findings", [])
                if f.get("severity") == "error"]
        if q is None:
            # httpd passed -t but did not serve: mpmlint must have said so
            if not errs:
                res["probs"].append("started httpd did not serve (%s) but "
                                    "mpmlint reports no error" % note)
            return None
        if errs:
            # mpmlint predicts a broken server (-t passed, so a run-time
            # error): its values are not a promise of what httpd runs with
            return None
        return (runtime_expect(case["mpm"], q), lint.get("effective") or {},
                spawn)

    def not_started(self):
        return ("not started: the time budget of %d s is used up"
                % self.a.max_seconds)

    def spawn_diffs(self, got, eff, spawn):
        """Children forked at start: min(StartServers, processes) (spec
        4.3 step 5); measured only when httpd answered well before its
        first idle maintenance and no child exits after a few
        connections.  Adds "spawn" to got when compared."""
        mcpc = eff.get("MaxConnectionsPerChild", 0)
        if spawn is None or 0 < mcpc < 20 or \
                not isinstance(eff.get("StartServers"), int):
            return []
        want = min(eff["StartServers"], eff.get("processes", 0))
        got["spawn"] = spawn
        if spawn == want:
            return []
        return ["children at start httpd %d mpmlint "
                "min(StartServers %s, processes %s) = %d"
                % (spawn, eff["StartServers"], eff.get("processes"), want)]

    def run_start(self, res):
        if self.over_time():
            res["probs"].append(self.not_started())
            return
        started = self.query_started(res)
        if started is None:
            return
        got, eff, spawn = started
        diffs = effective_diffs(got, eff)
        diffs += self.spawn_diffs(got, eff, spawn)
        res["runtime"] = got
        if diffs:
            res["probs"].append("effective values differ: " +
                                ", ".join(diffs))

    def fail_line(self, case, prob, dst):
        return ("FAIL %d:%d %s/%s: %s; reproducer %s"
                % (case["seed"], case["idx"], case["mpm"], case["kind"],
                   prob, dst))

    def start_and_count(self, results, chosen):
        """Start the chosen cases (none without mod_lua), then count the
        results, keeping each failing case and printing a FAIL line per
        problem.  -> (passed, failed, the cases started)"""
        if chosen and not self.lua:
            print("skipped: started subset (mod_lua or mod_authz_core is "
                  "not in %s)" % self.moddir)
            chosen = []
        pmap(self.run_start, chosen, self.a.start_jobs)
        passed = failed = 0
        for r in results:
            if r["probs"]:
                failed += 1
                dst = self.keep(r)
                for p in r["probs"]:
                    print(self.fail_line(r["case"], p, dst))
            else:
                passed += 1
        return passed, failed, chosen

    def keep(self, res):
        """Copy a failing case to BUILD/differential/ with paths rewritten
        so that the reproducer runs there."""
        case = res["case"]
        dst = os.path.join(self.keepdir, "case-%d-%d" % (case["seed"],
                                                          case["idx"]))
        shutil.rmtree(dst, ignore_errors=True)
        os.makedirs(dst)
        src = res["root"]
        if src is None or not os.path.isdir(src):
            with open(os.path.join(dst, "problems.txt"), "w") as f:
                f.write("\n".join(res["probs"]) + "\n")
            return dst
        for dp, dns, fns in os.walk(src):
            for d in dns:
                os.makedirs(os.path.join(dst, os.path.relpath(
                    os.path.join(dp, d), src)), exist_ok=True)
            for fn in fns:
                s = os.path.join(dp, fn)
                t = os.path.join(dst, os.path.relpath(s, src))
                try:
                    with open(s, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                with open(t, "wb") as f:
                    f.write(data.replace(src.encode(), dst.encode()))
        with open(os.path.join(dst, "repro.sh"), "w") as f:
            f.write("#!/bin/sh\n# case %d:%d (%s, %s)\n%s\n"
                    "%s -d %s -f %s/httpd.conf -t -e info\n"
                    "%s %s/httpd.conf\n"
                    "# regenerate and rerun: python3 tests/differential/"
                    "diff.py --seed %d --case %d --start 1\n"
                    % (case["seed"], case["idx"], case["mpm"], case["kind"],
                       "\n".join("# " + p for p in res["probs"]),
                       self.apache2, dst, dst,
                       " ".join(case.get("_lint_argv", [self.mpmlint, ""])[:-1]),
                       dst,
                       case["seed"], case["idx"]))
        with open(os.path.join(dst, "problems.txt"), "w") as f:
            f.write("\n".join(res["probs"]) + "\n")
        return dst

    def main(self):
        a = self.a
        idxs = a.case if a.case else list(range(a.count))
        if not a.case and not a.no_boundary:
            idxs += [BOUNDARY_BASE + j for j in range(len(BOUNDARY))]
        if not a.case:
            shutil.rmtree(self.keepdir, ignore_errors=True)
        results = []
        t0 = time.monotonic()
        results = pmap(self.run_t, idxs, a.jobs)
        t_phase1 = time.monotonic() - t0
        # the started subset: spread over the three MPMs, preferring cases
        # with several listener buckets, then cases where httpd adjusts
        # something
        cands = [r for r in results if startable(r["case"], r["ht"], r["lint"])
                 and not r["probs"] and not r["case"].get("start")]
        cands.sort(key=lambda r: (buckets_for(r["case"]) <= 1,
                                  not interesting(r["lint"]),
                                  r["case"]["idx"]))
        chosen = pick_started(cands, a.start)
        # the boundary cases whose clamp shows only in the running server
        chosen += [r for r in results if r["case"].get("start") and
                   not r["probs"] and a.start > 0 and
                   startable(r["case"], r["ht"], r["lint"])]
        if a.case and a.start > 0:
            chosen = [r for r in results if startable(r["case"], r["ht"],
                                                      r["lint"])]
        passed, failed, chosen = self.start_and_count(results, chosen)
        if a.verbose:
            kinds = collections.Counter((r["case"]["mpm"], r["ht"]["ok"])
                                        for r in results)
            print("# %d cases in %.1f s (-t phase %.1f s), %d started; "
                  "verdicts %s" % (len(results), time.monotonic() - t0,
                                   t_phase1, len(chosen), dict(kinds)))
            st = collections.Counter()
            for r in chosen:
                st[r["case"]["mpm"]] += 1
                if "runtime" in r:
                    st["compared"] += 1
                    rules_ = {f.get("rule") for f in r["lint"]["findings"]}
                    for rule in ("MPM011", "MPM034", "MPM009", "MPM007",
                                 "MPM006", "MPM008"):
                        if rule in rules_:
                            st["with " + rule] += 1
                    if buckets_for(r["case"]) > 1:
                        st["2+ buckets"] += 1
            print("# started: %s" % dict(st))
            ids = collections.Counter()
            for r in results:
                ids.update(set(r["ht"]["ids"]))
                if r["ht"]["fatal"]:
                    ids["fatal:" + str(r["ht"]["fatal"]["id"]) + ":" +
                        r["ht"]["fatal"]["message"][:40]] += 1
            for k, v in sorted(ids.items()):
                print("#   %4d %s" % (v, k))
        print("differential: %d passed, %d failed" % (passed, failed))
        return 1 if failed else 0

    def cleanup(self):
        with LIVE_LOCK:
            live = list(LIVE.items())
        for pid, root in live:
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
            time.sleep(0.5)
            kill_own_group(pid, root)
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int,
                    default=int(os.environ.get("DIFF_SEED", DEFAULT_SEED)))
    ap.add_argument("--count", type=int,
                    default=int(os.environ.get("DIFF_COUNT", DEFAULT_COUNT)))
    ap.add_argument("--start", type=int,
                    default=int(os.environ.get("DIFF_START", DEFAULT_START)),
                    help="cases to start for real (0: none)")
    ap.add_argument("--jobs", type=int,
                    default=int(os.environ.get("DIFF_JOBS", 2)))
    ap.add_argument("--max-seconds", type=float,
                    default=float(os.environ.get("DIFF_MAX_SECONDS", 540)),
                    help="time budget of the whole run; cases not run in "
                    "time count as failures")
    ap.add_argument("--show", type=int, help="print case I's config and exit")
    ap.add_argument("--no-boundary", action="store_true",
                    help="leave out the boundary cases (index %d on)"
                    % BOUNDARY_BASE)
    add_common_args(ap)
    a = ap.parse_args()

    if a.show is not None:
        case = gen_case(a.seed, a.show)
        for name, text in sorted(render(case, "/ROOT", a.modules, 8,
                                        *run_user_group()).items()):
            if name != "mpmq.lua":
                sys.stdout.write("==> %s <==\n%s" % (name, text))
        return 0
    rc = check_setup(a, "differential")
    if rc is not None:
        return rc
    suite = Suite(a)

    def on_signal(signum, frame):
        raise KeyboardInterrupt()
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    return run_suite(suite, "differential")


if __name__ == "__main__":
    sys.exit(main())
