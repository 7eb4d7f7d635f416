#!/usr/bin/env python3
"""fragments.py - MPM fragments linted with --mpm, against the real httpd.

A fragment is a file of MPM settings that does not load its MPM itself:
Debian's mods-available/mpm_*.conf, upstream's extra/httpd-mpm.conf, the
RHEL/WAMP/cPanel MPM files.  "mpmlint --mpm X frag.conf" must say what
httpd says when the fragment is read under X's LoadModule line, so each
case is run both ways:

  httpd    a wrapper httpd.conf (ServerRoot, LoadModule mpm_X_module, the
           server lines of tests/lib/httpd.py, "Include .../mpm.conf"
           last) through "apache2 -t" with an 8 MiB stack (the default
           ulimit -s, so deep nesting crashes as it does in production);
  mpmlint  "mpmlint --mpm X --no-config -f json --fail-on never mpm.conf".

The cases (gen_cases(); the same list on every run, none random):
  - every guard spelling around MPM settings, for X = prefork, worker and
    event: mpm_X_module, X.c, !mpm_Y_module, "! Y.c", nested guards,
    false guards of the other MPMs (with their directives, and a stray
    one inside), a guard around a LoadModule of X, of another MPM (false,
    and true: AH00534), an unguarded second MPM (also with the third
    MPM's directive and values httpd would clamp, none of which httpd
    prints once AH00534 stops it), a true guard left open
    at the end of the file (httpd closes it silently), a false one left
    open (an error), a directive no module has inside a true guard
    (httpd refuses it after X's LoadModule line);
  - each of those with settings that make httpd adjust something (the
    AH0xxxx warnings of ap_mpm check_config: ThreadsPerChild above
    ThreadLimit, MaxRequestWorkers not a multiple or above ServerLimit,
    ServerLimit or ThreadLimit above their hard limits, zero values) and
    plain ones;
  - Debian's mods-available/mpm_{prefork,worker,event}.conf (read from
    /etc/apache2 when present, else the copies below, which are the files
    of Debian's apache2 2.4): as shipped, guarded as older Debian
    releases shipped them, with the values changed to ones httpd clamps,
    guarded with X.c and left open, and the file of another MPM, guarded
    and not;
  - upstream's docs/conf/extra/httpd-mpm.conf.in (Apache License 2.0,
    @rel_runtimedir@ as "logs"), as shipped and with clamped values;
  - deep nesting: 100,000 nested false <IfModule> (httpd crashes, SIGSEGV),
    1,000 of them (it passes), and 9,000 true ones (it crashes).

What is compared (diff.py's compare_t, with the fragment as the included
mpm.conf): the verdict of -t; when -t passes, the multiset of AH ids and
the exact text of the check_config warnings; when it fails, the first
error (id, file, line, message).  A crash of httpd (killed by a signal)
must be an HC044 error of mpmlint.  A started subset (--start, spread
over the MPMs, cases where httpd adjusts something first) runs the
wrapper on 127.0.0.1 and compares the values the MPM really uses
(mod_lua's r.mpm_query) with mpmlint's "effective" object.

A LoadModule of X itself inside the fragment is httpd's AH01574
warning ("module mpm_X_module is already loaded, skipping"); mpmlint
reports it with the same id at the info level (the line may be the one
--mpm stands for, mpmlint(1)), and the ids are compared as they are.

Output: one FAIL line per disagreement, failing cases kept under
BUILD/differential-fragments/, and "differential-fragments: N passed,
M failed".  Exit 1 on any disagreement, 0 otherwise, 2 on a set-up error.
Python 3 standard library only.
"""

import argparse
import collections
import os
import resource
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, os.pardir, "lib"))
sys.dont_write_bytecode = True
import diff  # noqa: E402
from diff import (MPMS, add_common_args, check_setup,  # noqa: E402
                  compare_t, load_line, parse_httpd_t, pick_started, pmap,
                  read_lint, run_suite, startable, interesting, write_case)

STACK = 8 * 1024 * 1024

# ---------------------------------------------------------------------------
# Canonical fragments
# ---------------------------------------------------------------------------

# The settings that end Debian's worker and event files.
DEBIAN_THREADED = """\
StartServers            2
MinSpareThreads         25
MaxSpareThreads         75
ThreadLimit             64
ThreadsPerChild         25
MaxRequestWorkers       150
MaxConnectionsPerChild  0
"""

DEBIAN = {
    "prefork": """\
# prefork MPM
# StartServers: number of server processes to start
# MinSpareServers: minimum number of server processes which are kept spare
# MaxSpareServers: maximum number of server processes which are kept spare
# MaxRequestWorkers: maximum number of server processes allowed to start
# MaxConnectionsPerChild: maximum number of requests a server process serves

StartServers            5
MinSpareServers         5
MaxSpareServers         10
MaxRequestWorkers       150
MaxConnectionsPerChild  0
""",
    "worker": """\
# worker MPM
# StartServers: initial number of server processes to start
# MinSpareThreads: minimum number of worker threads which are kept spare
# MaxSpareThreads: maximum number of worker threads which are kept spare
# ThreadLimit: ThreadsPerChild can be changed to this maximum value during a
#\t\t\t  graceful restart. ThreadLimit can only be changed by stopping
#\t\t\t  and starting Apache.
# ThreadsPerChild: constant number of worker threads in each server process
# MaxRequestWorkers: maximum number of threads
# MaxConnectionsPerChild: maximum number of requests a server process serves

""" + DEBIAN_THREADED,
    "event": """\
# event MPM
# StartServers: initial number of server processes to start
# MinSpareThreads: minimum number of worker threads which are kept spare
# MaxSpareThreads: maximum number of worker threads which are kept spare
# ThreadsPerChild: constant number of worker threads in each server process
# MaxRequestWorkers: maximum number of worker threads
# MaxConnectionsPerChild: maximum number of requests a server process serves
""" + DEBIAN_THREADED,
}

# upstream's worker and event sections, alike but for the names (and a
# space at the end of a line)
UPSTREAM_THREADED = """\
# %(mpm)s MPM
<IfModule mpm_%(mpm)s_module>
    StartServers             3
    MinSpareThreads         75
    MaxSpareThreads        250%(sp)s
    ThreadsPerChild         @%(tag)s_TPC@
    MaxRequestWorkers      @%(tag)s_MRW@
    MaxConnectionsPerChild   0
</IfModule>
"""

# upstream docs/conf/extra/httpd-mpm.conf.in, Apache License 2.0
UPSTREAM_MPM = """\
#
# Server-Pool Management (MPM specific)
# \n\
#
# PidFile: The file in which the server should record its process
# identification number when it starts.
#
# Note that this is the default PidFile for most MPMs.
#
<IfModule !mpm_netware_module>
    PidFile "logs/httpd.pid"
</IfModule>

#
# Only one of the below sections will be relevant on your
# installed httpd.  Use "apachectl -l" to find out the
# active mpm.
#

# prefork MPM
<IfModule mpm_prefork_module>
    StartServers             @PRE_SS@
    MinSpareServers          5
    MaxSpareServers         10
    MaxRequestWorkers      @PRE_MRW@
    MaxConnectionsPerChild   0
</IfModule>

""" + UPSTREAM_THREADED % {"mpm": "worker", "tag": "WRK", "sp": " "} + \
    "\n" + UPSTREAM_THREADED % {"mpm": "event", "tag": "EVT", "sp": ""} + """\

# NetWare MPM
<IfModule mpm_netware_module>
    ThreadStackSize      65536
    StartThreads           250
    MinSpareThreads         25
    MaxSpareThreads        250
    MaxThreads            1000
    MaxConnectionsPerChild   0
</IfModule>

# OS/2 MPM
<IfModule mpm_mpmt_os2_module>
    StartServers             2
    MinSpareThreads          5
    MaxSpareThreads         10
    MaxConnectionsPerChild   0
</IfModule>

# WinNT MPM
<IfModule mpm_winnt_module>
    ThreadsPerChild        150
    MaxConnectionsPerChild   0
</IfModule>

<IfModule !mpm_netware_module>
    MaxMemFree            2048
</IfModule>
<IfModule mpm_netware_module>
    MaxMemFree             100
</IfModule>
"""
UPSTREAM_PLAIN = {"@PRE_SS@": "5", "@PRE_MRW@": "250", "@WRK_TPC@": "25",
                  "@WRK_MRW@": "400", "@EVT_TPC@": "25", "@EVT_MRW@": "400"}
UPSTREAM_CLAMP = {"@PRE_SS@": "300", "@PRE_MRW@": "300", "@WRK_TPC@": "100",
                  "@WRK_MRW@": "1000", "@EVT_TPC@": "30",
                  "@EVT_MRW@": "410"}

# Settings per MPM: plain ones, and ones httpd adjusts (check_config).
VALUES = {
    "prefork": [
        ["StartServers 2", "MaxRequestWorkers 50"],
        ["MaxRequestWorkers 300"],
        ["ServerLimit 300", "MaxRequestWorkers 300"],
        ["ServerLimit 300000"],
        ["MaxRequestWorkers 0"],
        ["MinSpareServers 0", "MaxSpareServers 1"],
        ["StartServers 400", "MaxClients 20"],
        ["ServerLimit 0"],
    ],
    "worker": [
        ["ThreadsPerChild 20", "MaxRequestWorkers 200"],
        ["ThreadsPerChild 150", "MaxRequestWorkers 1000"],
        ["MaxRequestWorkers 410"],
        ["MaxRequestWorkers 1000"],
        ["ThreadLimit 30000", "ThreadsPerChild 30000"],
        ["ServerLimit 30000"],
        ["ThreadsPerChild 0", "MaxRequestWorkers 10"],
        ["MinSpareThreads 0", "MaxSpareThreads 1"],
    ],
    "event": [
        ["ThreadsPerChild 20", "MaxRequestWorkers 200"],
        ["ThreadsPerChild 150", "MaxRequestWorkers 1000"],
        ["MaxRequestWorkers 410"],
        ["MaxRequestWorkers 1000", "AsyncRequestWorkerFactor 3"],
        ["ThreadLimit 30000"],
        ["ServerLimit 30000", "MaxRequestWorkers 800"],
        ["ThreadsPerChild 0"],
        ["MinSpareThreads 5", "MaxSpareThreads 1", "StartServers 0"],
    ],
}
# a directive of each MPM that the others do not have
OWN = {"prefork": "MinSpareServers 3", "worker": "ThreadsPerChild 16",
       "event": "AsyncRequestWorkerFactor 2"}


def others(mpm):
    return [m for m in MPMS if m != mpm]


def indent(lines, n=1):
    return ["    " * n + l for l in lines]


def debian_text(mpm):
    path = "/etc/apache2/mods-available/mpm_%s.conf" % mpm
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return DEBIAN[mpm]


def clamp_debian(text, mpm):
    """The Debian file with values httpd adjusts."""
    out = []
    for line in text.splitlines():
        w = line.split()
        if w and w[0] == "MaxRequestWorkers":
            line = "MaxRequestWorkers       %s" % (
                "300" if mpm == "prefork" else "1000")
        elif w and w[0] == "ThreadsPerChild":
            line = "ThreadsPerChild         150"
        elif w and w[0] == "StartServers" and mpm == "prefork":
            line = "StartServers            500"
        out.append(line)
    return out


def guard_cases(mpm):
    """(kind, lines) for every guard spelling, with every value set."""
    y, z = others(mpm)
    out = []
    for vi, vals in enumerate(VALUES[mpm]):
        body = indent(vals)
        # rotate through the other MPM for variety
        oth = (y, z)[vi % 2]
        oth_vals = indent(VALUES[oth][vi % len(VALUES[oth])])
        shapes = [
            ("ident", ["<IfModule mpm_%s_module>" % mpm] + body +
             ["</IfModule>"]),
            ("dotc", ["<IfModule %s.c>" % mpm] + body + ["</IfModule>"]),
            ("not-other", ["<IfModule !mpm_%s_module>" % oth] + body +
             ["</IfModule>"]),
            ("not-other-space-dotc", ["<IfModule ! %s.c>" % oth] + body +
             ["</IfModule>"]),
            ("nested", ["<IfModule !mpm_%s_module>" % y,
                        "    <IfModule !%s.c>" % z,
                        "        <IfModule mpm_%s_module>" % mpm] +
             indent(vals, 3) + ["        </IfModule>", "    </IfModule>",
                                "</IfModule>"]),
            ("three-guards", ["<IfModule mpm_%s_module>" % m for m in [oth]] +
             oth_vals + ["    " + OWN[oth], "    NotADirective x",
                         "</IfModule>",
                         "<IfModule %s.c>" % mpm] + body + ["</IfModule>"]),
            ("not-self-false", ["<IfModule !mpm_%s_module>" % mpm] + oth_vals +
             ["    " + OWN[oth], "</IfModule>"] + vals),
            ("load-self-guarded",
             ["<IfModule !mpm_%s_module>" % mpm,
              "    " + load_line(mpm), "</IfModule>"] + vals),
            ("load-other-guarded",
             ["<IfModule !%s.c>" % mpm, "    " + load_line(oth),
              "</IfModule>", "<IfModule mpm_%s_module>" % mpm] + body +
             ["</IfModule>"]),
            ("load-other-true",
             ["<IfModule mpm_%s_module>" % mpm, "    " + load_line(oth),
              "</IfModule>"] + vals),
            ("typo-true", ["<IfModule mpm_%s_module>" % mpm] + body +
             ["    NotADirective x", "</IfModule>"]),
            ("open-true", ["# the guard is never closed",
                           "<IfModule mpm_%s_module>" % mpm] + body),
            ("open-false", vals + ["<IfModule mpm_%s_module>" % oth] +
             oth_vals),
        ]
        # not every shape with every value set: 8 value sets x 12 shapes
        # would be 96 per MPM; take each shape with half the value sets,
        # in a rotation, and the error shapes less often
        for si, (kind, lines) in enumerate(shapes):
            if (si + vi) % 2 == 0 or kind in ("ident", "dotc"):
                if kind in ("load-other-true", "open-false") and vi > 3:
                    continue
                out.append(("%s/v%d" % (kind, vi), lines))
    # unguarded second MPM, and a LoadModule of X itself (AH01574)
    out.append(("load-other-bare", [load_line(y)] + VALUES[mpm][0]))
    # two MPMs: httpd stops at AH00534 after reading, so neither the
    # third MPM's directive (Invalid command) nor the clamps are printed
    out.append(("load-other-foreign", [load_line(y), OWN[z]] +
                VALUES[mpm][1]))
    out.append(("load-self-bare", [load_line(mpm)] + VALUES[mpm][1]))
    out.append(("load-self-true-guard", ["<IfModule !mpm_%s_module>" % y,
                                          "    " + load_line(mpm),
                                          "</IfModule>"] + VALUES[mpm][2]))
    return out


def debian_cases(mpm):
    text = debian_text(mpm).splitlines()
    clamp = clamp_debian(debian_text(mpm), mpm)
    oth = others(mpm)[0]
    otext = debian_text(oth).splitlines()
    g = "<IfModule mpm_%s_module>" % mpm
    return [
        ("debian", text),
        ("debian-guarded", [g] + text + ["</IfModule>"]),
        ("debian-clamped", clamp),
        ("debian-guarded-clamped", [g] + clamp + ["</IfModule>"]),
        ("debian-dotc-open", ["<IfModule %s.c>" % mpm] + clamp),
        ("debian-other-bare", otext),
        ("debian-other-guarded", ["<IfModule mpm_%s_module>" % oth] + otext +
         ["</IfModule>"] + text),
    ]


def upstream_cases():
    out = []
    for name, sub in (("upstream", UPSTREAM_PLAIN),
                      ("upstream-clamped", UPSTREAM_CLAMP)):
        t = UPSTREAM_MPM
        for k, v in sub.items():
            t = t.replace(k, v)
        out.append((name, t.splitlines()))
    return out


def deep_lines(n_true, n_false):
    return (["<IfModule !nosuch_module>"] * n_true +
            ["<IfModule nosuch_module>"] * n_false +
            ["</IfModule>"] * (n_true + n_false))


def gen_cases():
    cases = []
    for mpm in MPMS:
        for kind, lines in guard_cases(mpm):
            cases.append((mpm, kind, lines))
        for kind, lines in debian_cases(mpm):
            cases.append((mpm, kind, lines))
        for kind, lines in upstream_cases():
            cases.append((mpm, kind, lines))
    cases.append(("event", "deep-false-100000", deep_lines(0, 100000)))
    cases.append(("worker", "deep-false-1000", deep_lines(0, 1000)))
    cases.append(("prefork", "deep-true-9000", deep_lines(9000, 0)))
    out = []
    for i, (mpm, kind, lines) in enumerate(cases):
        out.append({"seed": 0, "idx": i, "mpm": mpm, "kind": kind,
                    "pre": [], "load": [load_line(mpm)], "body": lines,
                    "include": "absolute", "ratio": None})
    return out


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

def stack_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    want = STACK if hard == resource.RLIM_INFINITY or hard >= STACK else hard
    resource.setrlimit(resource.RLIMIT_STACK, (want, hard))


def run(argv, timeout, cwd=None, limit_stack=False):
    return diff.run(argv, timeout, cwd=cwd,
                    preexec=stack_limit if limit_stack else None)


class Suite(diff.Suite):
    KEEP = "differential-fragments"
    PREFIX = "mpmlint-frag."

    def run_t(self, case):
        if self.over_time():
            return {"case": case, "root": None, "lint": {}, "ht": None,
                    "probs": ["not run: the time budget of %d s is used up"
                              % self.a.max_seconds]}
        try:
            return self._run_t(case)
        except Exception as e:          # report, do not abort the suite
            return {"case": case, "root": None, "lint": {}, "ht": None,
                    "probs": ["driver error: %s: %s"
                              % (type(e).__name__, e)]}

    def _run_t(self, case):
        root = os.path.join(self.tmp, "case-%d" % case["idx"])
        os.makedirs(root)
        os.chmod(root, 0o755)
        write_case(case, root, self.moddir, 8, self.user, self.group,
                   self.lua)
        case["_include_line"] = diff.Suite.include_line(root)
        conf = os.path.join(root, "httpd.conf")
        frag = os.path.join(root, "mpm.conf")
        rc, out, err, to = run([self.apache2, "-d", root, "-f", conf, "-t",
                                "-e", "info"],
                               60, limit_stack=True)
        with open(os.path.join(root, "httpd-t.stderr"), "w") as f:
            f.write(err)
        argv = [self.mpmlint, "--no-config", "--mpm", case["mpm"],
                "--format", "json", "--fail-on", "never", frag]
        case["_lint_argv"] = argv
        lrc, lout, lerr, lto = run(argv, 60, cwd=self.tmp)
        with open(os.path.join(root, "mpmlint.json"), "w") as f:
            f.write(lout)
        probs, lint = read_lint(to, lto, lrc, lout, lerr)
        ht = parse_httpd_t(rc, err, root)
        ht["crash"] = rc < 0 or rc >= 128
        if not probs:
            if ht["crash"]:
                errs = [f for f in lint.get("findings", [])
                        if f.get("rule") == "HC044" and
                        f.get("severity") == "error"]
                if not errs:
                    probs.append("apache2 -t crashed (exit %d) but mpmlint "
                                 "has no HC044 error" % rc)
            else:
                probs += compare_t(case, root, ht, lint)
        return {"case": case, "root": root, "ht": ht, "lint": lint,
                "probs": probs}

    def not_started(self):
        return "not started: the time budget is used up"

    def spawn_diffs(self, got, eff, spawn):
        return []               # the children at start are not compared

    def fail_line(self, case, prob, dst):
        return ("FAIL %d %s/%s: %s; kept in %s"
                % (case["idx"], case["mpm"], case["kind"], prob, dst))

    def keep(self, res):
        case = res["case"]
        dst = os.path.join(self.keepdir, "case-%d" % case["idx"])
        shutil.rmtree(dst, ignore_errors=True)
        if res["root"] and os.path.isdir(res["root"]):
            shutil.copytree(res["root"], dst)
        else:
            os.makedirs(dst)
        with open(os.path.join(dst, "problems.txt"), "w") as f:
            f.write("%s %s\n%s\nmpmlint: %s\n" % (
                case["mpm"], case["kind"], "\n".join(res["probs"]),
                " ".join(case.get("_lint_argv", []))))
        return dst

    def main(self):
        a = self.a
        cases = gen_cases()
        if a.case:
            cases = [c for c in cases if c["idx"] in a.case]
        else:
            shutil.rmtree(self.keepdir, ignore_errors=True)
        t0 = time.monotonic()
        results = pmap(self.run_t, cases, a.jobs)
        # the started subset: spread over the MPMs, cases where httpd
        # adjusts something first
        cands = [r for r in results if not r["probs"] and r["ht"] and
                 not r["ht"]["crash"] and
                 startable(r["case"], r["ht"], r["lint"])]
        cands.sort(key=lambda r: (not interesting(r["lint"]),
                                  r["case"]["idx"]))
        chosen = pick_started(cands, a.start)
        passed, failed, chosen = self.start_and_count(results, chosen)
        if a.verbose:
            verdicts = collections.Counter(
                (r["case"]["mpm"], "crash" if r["ht"] and r["ht"]["crash"]
                 else "ok" if r["ht"] and r["ht"]["ok"] else "fails")
                for r in results)
            ids = collections.Counter()
            for r in results:
                if r["ht"]:
                    ids.update(r["ht"]["ids"])
            print("# %d cases in %.1f s; %d started, %d compared; -t "
                  "verdicts %s" % (len(results), time.monotonic() - t0,
                                   len(chosen),
                                   sum(1 for r in chosen if "runtime" in r),
                                   dict(verdicts)))
            print("# httpd ids: %s" % dict(sorted(ids.items())))
        print("differential-fragments: %d passed, %d failed"
              % (passed, failed))
        return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--start", type=int,
                    default=int(os.environ.get("FRAG_START", 30)),
                    help="cases to start for real (0: none)")
    ap.add_argument("--jobs", type=int,
                    default=int(os.environ.get("DIFF_JOBS", 4)))
    ap.add_argument("--max-seconds", type=float,
                    default=float(os.environ.get("FRAG_MAX_SECONDS", 300)))
    ap.add_argument("--list", action="store_true",
                    help="list the cases and exit")
    ap.add_argument("--show", type=int, help="print case I's fragment")
    add_common_args(ap)
    a = ap.parse_args()
    if a.list:
        for c in gen_cases():
            print("%d %s %s" % (c["idx"], c["mpm"], c["kind"]))
        return 0
    if a.show is not None:
        c = gen_cases()[a.show]
        sys.stdout.write("# %s %s\n%s\n" % (c["mpm"], c["kind"],
                                            "\n".join(c["body"][:200])))
        return 0
    rc = check_setup(a, "differential-fragments")
    if rc is not None:
        return rc
    return run_suite(Suite(a), "differential-fragments")


if __name__ == "__main__":
    sys.exit(main())
