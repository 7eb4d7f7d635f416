#!/usr/bin/env python3
"""fix.py - mpmlint --fix against the real Apache httpd.

Usage: fix.py [--count N] [--start N] [--seed S]   (run.sh sets B and paths)

The invariants of mpmlint(1) "Fixes", each on real configurations:
- differential: a sample of the differential suite's seeded cases
  (tests/differential/cases.py, full ServerRoots) and of its boundary
  cases.  For each case httpd accepts: after --fix, "apache2 -t -e info"
  still accepts it, prints none of the MPM start-up warnings, deprecation
  notices or AH00548 (W below) and no message it did not print before;
  mpmlint's effective values are the same; only MPM and NameVirtualHost
  lines changed; a second --fix changes nothing; --fix --diff, applied
  with patch(1) (or git apply), gives the same bytes as --fix.
- oracle: a few of those cases' MPM blocks as fragments, fixed with
  --fix --mpm and started by httpd-oracle before and after: ap_mpm_query()
  gives the same values (results cached under $B/fix-cache).
- corpus: every fragment of ../shared/corpus with MPM directives that
  httpd accepts under an MPM: the same -t invariants with --mpm.
- shapes: --root, a symlinked main file and include, SARIF fixes applied
  give the bytes of --fix, behaviour-changing findings (a directive of
  another MPM, mod_php under event) are never fixed, a fix that uncovers
  another, values only more listener buckets raise, standard input, a
  journal left by a stopped run, the count on a terminal, the exit
  statuses.
Standard library only.
"""

import argparse
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
sys.path.insert(0, os.path.join(TOP, "tests", "differential"))
sys.dont_write_bytecode = True
from cases import (BOUNDARY_BASE, boundary_table, buckets_for,  # noqa: E402
                   gen_case, write_case)
from httpd import find_apache2, run_user_group  # noqa: E402
from tally import Tally  # noqa: E402

AH = re.compile(r"\bAH[0-9]{5}\b")
# check_config's start-up warnings (spec 4.1, 4.2), the deprecation
# notices (-e info) and NameVirtualHost: what --fix makes go away
W = {"AH00175", "AH00177", "AH00180", "AH00182", "AH00184", "AH00186",
     "AH00188", "AH00545", "AH00548"}
W |= {"AH%05d" % i for i in range(300, 324, 2)} | {"AH00324"}
W |= {"AH%05d" % i for i in range(497, 521, 2)} | {"AH00521"}
MPM_WORDS = re.compile(
    r"^\s*(#.*|(StartServers|ServerLimit|MaxRequestWorkers|MaxClients|"
    r"MinSpareServers|MaxSpareServers|MinSpareThreads|MaxSpareThreads|"
    r"ThreadsPerChild|ThreadLimit|AsyncRequestWorkerFactor|"
    r"MaxConnectionsPerChild|MaxRequestsPerChild|ListenCoresBucketsRatio|"
    r"NameVirtualHost)\b.*)?$",
    re.I | re.S)
VOLATILE = {"max_daemon_used", "mpm_state", "generation"}


def run(argv, cwd=None, stdin=None, timeout=60):
    p = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True,
                       timeout=timeout)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def logical(lines):
    """Physical lines joined where a backslash continues them."""
    out = []
    for ln in lines:
        if out and re.search(rb"\\\r?\n$", out[-1]):
            out[-1] += ln
        else:
            out.append(ln)
    return out


def read(p):
    with open(p, "rb") as f:
        return f.read()


class Fix:
    def __init__(self, a):
        self.a = a
        self.t = Tally("fix")
        self.lint = os.path.join(a.build, "mpmlint")
        self.tmp = tempfile.mkdtemp(prefix="mpmlint-fix.")
        self.cache = os.path.join(a.build, "fix-cache")
        os.makedirs(self.cache, exist_ok=True)
        self.user, self.group = run_user_group()
        self.patch = shutil.which("patch")

    # -- helpers -----------------------------------------------------------

    def httpd_t(self, conf, sr):
        rc, out, err = run([self.a.apache2, "-t", "-e", "info", "-d", sr,
                            "-f", conf, "-C", "ServerName localhost"])
        return rc, AH.findall(out + err), out + err

    def mpmlint(self, args, cwd=None, stdin=None):
        return run([self.lint, "--no-config"] + args, cwd=cwd, stdin=stdin)

    def effective(self, args, cwd=None):
        rc, out, err = self.mpmlint(["-f", "json", "--fail-on", "never"] +
                                    args, cwd=cwd)
        try:
            d = json.loads(out)
        except ValueError:
            return None, []
        return d.get("effective"), d.get("findings", [])

    def only_mpm_lines(self, before, after):
        """Lines --fix removed or added that are not MPM lines."""
        bad = []
        before, after = logical(before), logical(after)
        sm = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            for ln in before[i1:i2] + after[j1:j2]:
                if not MPM_WORDS.match(ln.decode("utf-8", "replace")):
                    bad.append(ln)
        return bad

    def tcheck(self, name, rc0, ids0, rc1, ids1, raw1, kept=()):
        """The -t invariants: accepted, no W (but the ids of findings
        that were not fixable, kept), no new message."""
        probs = []
        if rc0 == 0 and rc1 != 0:
            probs.append("apache2 -t fails after --fix: %s" % raw1[-300:])
        left = sorted(set(ids1) & W - set(kept))
        if left:
            probs.append("still printed: %s" % " ".join(left))
        new = [i for i in set(ids1) if ids1.count(i) > ids0.count(i)]
        if new:
            probs.append("new messages: %s" % " ".join(sorted(new)))
        self.t.result(not probs, name, "; ".join(probs))

    def fix_and_check(self, name, conf, args, cwd, bytes_only=False,
                      also=()):
        """--fix conf (args before it; also: other files it reads); the
        checks that need no httpd.  Returns (fixed, eff0, findings0)."""
        b0 = read(conf)
        o0 = [read(p) for p in also]
        eff0, f0 = self.effective(args + [conf], cwd=cwd)
        rc, out, err = self.mpmlint(["--fix"] + args + [conf], cwd=cwd)
        b1 = read(conf)
        o1 = [read(p) for p in also]
        changed = b0 != b1 or o0 != o1
        fixable = [f for f in f0 if f.get("fix")]
        self.t.result(bool(fixable) == changed and rc in (0, 1),
                      name + ": fixes exactly when a finding is fixable",
                      "exit %d, %d fixable, changed %s: %s" % (
                          rc, len(fixable), changed, err[-300:]))
        for p, x, y in zip(also, o0, o1):
            bad = self.only_mpm_lines(x.splitlines(True),
                                      y.splitlines(True))
            self.t.result(not bad, name + ": only MPM lines changed in "
                          + os.path.basename(p), repr(bad[:3]))
        if not changed:
            return False, eff0, f0
        eff1, f1 = self.effective(args + [conf], cwd=cwd)
        self.t.result(eff0 == eff1, name + ": same effective values",
                      "%s -> %s" % (eff0, eff1))
        left = [f for f in f1 if f.get("fix")]
        self.t.result(not left, name + ": nothing fixable left",
                      json.dumps(left)[:300])
        bad = self.only_mpm_lines(b0.splitlines(True), b1.splitlines(True))
        self.t.result(not bad, name + ": only MPM lines changed",
                      repr(bad[:3]))
        self.mpmlint(["--fix"] + args + [conf], cwd=cwd)
        self.t.result(read(conf) == b1, name + ": a second --fix is a no-op")
        if not bytes_only:
            self.diff_applies(name, conf, b0, b1, args, cwd)
        return True, eff0, f0

    def diff_applies(self, name, conf, b0, b1, args, cwd):
        """--fix --diff on the original bytes, applied, gives b1."""
        rel = os.path.relpath(conf, cwd)
        with open(conf, "wb") as f:
            f.write(b0)
        rc, out, err = self.mpmlint(["--fix", "--diff"] + args + [rel],
                                    cwd=cwd)
        self.t.result(read(conf) == b0 and rc == 1,
                      name + ": --diff writes nothing, exit 1",
                      "exit %d %s" % (rc, err[-200:]))
        tools = ([[self.patch, "-s", "-p1"]] if self.patch else []) + \
            ([["git", "apply", "-"]] if shutil.which("git") else [])
        if not tools:
            print("skipped: neither patch nor git to apply the diff")
        for tool in tools:
            with open(conf, "wb") as f:
                f.write(b0)
            r = subprocess.run(tool, cwd=cwd, input=out.encode(),
                               capture_output=True)
            self.t.result(r.returncode == 0 and read(conf) == b1,
                          name + ": the diff applies (%s) and gives --fix's "
                          "bytes" % tool[0],
                          (r.stdout + r.stderr).decode()[-300:])
        with open(conf, "wb") as f:
            f.write(b1)

    # -- differential cases ------------------------------------------------

    def cases(self):
        idx = list(range(self.a.count))
        nb = len(boundary_table())
        idx += [BOUNDARY_BASE + i for i in range(0, nb, max(1, nb // 40))]
        started = 0
        for i in idx:
            case = gen_case(self.a.seed, i)
            root = os.path.join(self.tmp, "case%d" % i)
            write_case(case, root, self.a.modules, 8, self.user, self.group,
                       lua=False)
            conf = os.path.join(root, "httpd.conf")
            rc0, ids0, _ = self.httpd_t(conf, root)
            if rc0 != 0:
                shutil.rmtree(root)
                continue
            name = "case %d:%d (%s)" % (self.a.seed, i, case["mpm"])
            args = ["--buckets", str(buckets_for(case))]
            # --fix on httpd.conf edits the mpm.conf it includes too
            also = [os.path.join(root, "mpm.conf")] if case["include"] \
                else []
            fixed, _, f0 = self.fix_and_check(name, conf, args, root,
                                              bytes_only=bool(also),
                                              also=also)
            if fixed:
                rc1, ids1, raw1 = self.httpd_t(conf, root)
                self.tcheck(name + ": apache2 -t", rc0, ids0, rc1, ids1,
                            raw1, [f.get("httpd") for f in f0
                                   if not f.get("fix")])
                if (started < self.a.start and not case["include"] and
                        os.access(self.a.oracle, os.X_OK) and
                        not any("@" in l for l in case["body"])):
                    started += self.oracle_case(name, case)
            shutil.rmtree(root)
        print("oracle: %d cases started before and after --fix" % started)

    def oracle(self, mpm, text):
        key = hashlib.sha256((mpm + "\0" + text).encode()).hexdigest()
        c = os.path.join(self.cache, key + ".json")
        if os.path.exists(c):
            with open(c) as f:
                return json.load(f)
        p = os.path.join(self.tmp, "oracle.conf")
        with open(p, "w") as f:
            f.write(text)
        rc, out, err = run([self.a.oracle, "--compact", "--settle", "0.5",
                            "--timeout", "30", mpm, p], timeout=60)
        try:
            d = json.loads(out)
            r = {"t": [a["code"] for a in d["config_test"]["ah"]],
                 "ok": d["config_test"]["rc"] == 0,
                 "q": {k: v for k, v in (d["start"].get("mpm_query") or
                                         {}).items() if k not in VOLATILE}}
        except (ValueError, KeyError, TypeError):
            return None
        with open(c, "w") as f:
            json.dump(r, f)
        return r

    def oracle_case(self, name, case):
        """The case's MPM lines as a fragment: --fix --mpm, then the
        running server's ap_mpm_query() values before and after."""
        frag = os.path.join(self.tmp, "frag.conf")
        text0 = "\n".join(case["body"]) + "\n"
        with open(frag, "w") as f:
            f.write(text0)
        fixed, _, _ = self.fix_and_check(name + " --mpm", frag,
                                         ["--mpm", case["mpm"]], self.tmp,
                                         bytes_only=True)
        if not fixed:
            return 0
        text1 = read(frag).decode()
        o0, o1 = self.oracle(case["mpm"], text0), self.oracle(case["mpm"],
                                                               text1)
        if o0 is None or o1 is None or not o0["ok"] or not o0["q"]:
            print("skipped: %s: httpd-oracle could not start it" % name)
            return 0
        self.t.result(o0["q"] == o1["q"], name + ": httpd runs the same "
                      "values (httpd-oracle)", "%s -> %s" % (o0["q"],
                                                             o1["q"]))
        self.t.result(not set(o1["t"]) & W, name + ": oracle's -t prints no "
                      "MPM warning", " ".join(o1["t"]))
        return 1

    # -- the corpus --------------------------------------------------------

    def corpus(self):
        cdir = os.path.join(TOP, os.pardir, "shared", "corpus")
        man = os.path.join(cdir, "MANIFEST.tsv")
        if not os.path.isfile(man):
            print("skipped: ../shared/corpus not present")
            return
        with open(man) as f:
            rows = [l.rstrip("\n").split("\t") for l in f][1:]
        sr = os.path.join(self.tmp, "sr")
        os.makedirs(os.path.join(sr, "logs"), exist_ok=True)
        n = 0
        for r in rows:
            p = os.path.join(cdir, r[0])
            if not os.path.isfile(p):
                continue
            with open(p, errors="replace") as f:
                text = f.read()
            if not re.search(r"^\s*(MaxRequestWorkers|MaxClients|"
                             r"ThreadsPerChild|StartServers|ServerLimit|"
                             r"NameVirtualHost)\b", text, re.M | re.I) or \
                    re.search(r"^\s*LoadModule\s+mpm_", text, re.M):
                continue
            for mpm in ("prefork", "worker", "event"):
                q = os.path.join(self.tmp, "corpus.conf")
                shutil.copyfile(p, q)
                w = os.path.join(sr, "wrap.conf")
                with open(w, "w") as f:
                    f.write("LoadModule mpm_%s_module %s/mod_mpm_%s.so\n"
                            "ErrorLog %s/logs/error.log\nInclude %s\n"
                            % (mpm, self.a.modules, mpm, sr, q))
                rc0, ids0, _ = self.httpd_t(w, sr)
                if rc0 != 0:
                    continue
                name = "corpus %s --mpm %s" % (r[0], mpm)
                fixed, _, f0 = self.fix_and_check(
                    name, q, ["--mpm", mpm, "-d", sr], self.tmp,
                    bytes_only=True)
                n += 1
                if fixed:
                    rc1, ids1, raw1 = self.httpd_t(w, sr)
                    self.tcheck(name + ": apache2 -t", rc0, ids0, rc1, ids1,
                                raw1, [f.get("httpd") for f in f0
                                       if not f.get("fix")])
        print("corpus: %d fragments under an MPM httpd accepts" % n)

    # -- shapes ------------------------------------------------------------

    def write(self, path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def shapes(self):
        d = os.path.join(self.tmp, "shapes")
        mods = self.a.modules
        # --root: the tree's absolute Include, edited inside the tree
        root = os.path.join(d, "tree")
        main = os.path.join(root, "etc/apache2/apache2.conf")
        inc = os.path.join(root, "etc/apache2/mpm.conf")
        self.write(main, "LoadModule mpm_worker_module %s/mod_mpm_worker.so"
                   "\nInclude /etc/apache2/mpm.conf\n" % mods)
        self.write(inc, "<IfModule mpm_worker_module>\n\tThreadsPerChild 25"
                   "\n\tMaxClients 110\n</IfModule>\n")
        m0 = read(main)
        rc, out, err = self.mpmlint(["--root", root, "--fix", main])
        self.t.result(rc == 0 and read(main) == m0 and read(inc) ==
                      b"<IfModule mpm_worker_module>\n\tThreadsPerChild 25"
                      b"\n\tMaxRequestWorkers 100\n</IfModule>\n",
                      "--root: the included file in the tree is fixed",
                      "exit %d %s %r" % (rc, err, read(inc)))
        rc, out, err = self.mpmlint(["--root", root, "--fix", "--diff",
                                     main])
        self.t.result(rc == 0 and out == "", "--root: then nothing to fix",
                      "exit %d %s" % (rc, out))
        # symlinks: the main file and an include are links
        real = os.path.join(d, "real")
        self.write(os.path.join(real, "main.conf"),
                   "LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\n"
                   "Include %s/link-inc.conf\nMaxClients 300\n" % (mods, d))
        self.write(os.path.join(real, "inc.conf"),
                   "MinSpareServers 10\nMaxSpareServers 10\n")
        os.symlink(os.path.join(real, "main.conf"),
                   os.path.join(d, "link-main.conf"))
        os.symlink(os.path.join(real, "inc.conf"),
                   os.path.join(d, "link-inc.conf"))
        rc, out, err = self.mpmlint(["--fix", os.path.join(d,
                                                           "link-main.conf")])
        self.t.result(
            rc == 0 and os.path.islink(os.path.join(d, "link-main.conf")) and
            os.path.islink(os.path.join(d, "link-inc.conf")) and
            read(os.path.join(real, "main.conf")).endswith(
                b"\nMaxRequestWorkers 256\n") and
            read(os.path.join(real, "inc.conf")) ==
            b"MinSpareServers 10\nMaxSpareServers 11\n",
            "symlinks: the targets are fixed, the links stay",
            "exit %d %s" % (rc, err))
        self.behaviour(d)
        self.sarif(d)
        self.passes(d)
        self.passes_diff(d)
        self.cli(d)

    def behaviour(self, d):
        """Fixes that would change behaviour are never applied."""
        p = os.path.join(d, "behaviour.conf")
        text = ("LoadModule mpm_event_module %s/mod_mpm_event.so\n"
                "LoadModule php7_module %s/libphp7.4.so\n"
                "MaxSpareServers 10\nThreadsPerChild 25\n"
                "MaxRequestWorkers 110\n" % (self.a.modules,
                                             self.a.modules))
        self.write(p, text)
        _, f0 = self.effective([p])
        keep = {f["rule"]: f["fix"] for f in f0
                if f["rule"] in ("MPM003", "MPM024")}
        self.t.result(keep == {"MPM003": False, "MPM024": False},
                      "behaviour: MPM003 and MPM024 are not fixable",
                      repr(keep))
        rc, out, err = self.mpmlint(["--fix", p])
        b = read(p).decode()
        self.t.result(rc == 1 and "MaxSpareServers 10\n" in b and
                      "php7_module" in b and "MaxRequestWorkers 100\n" in b
                      and "[MPM003]" in out and "[MPM024]" in out,
                      "behaviour: --fix leaves them and reports them",
                      "exit %d %s %s" % (rc, out, b))
        rc, out, err = self.mpmlint(["--explain", "MPM003"])
        self.t.result(rc == 0 and "--fix" in out,
                      "behaviour: --explain MPM003 says --fix leaves it",
                      out[-200:])

    def sarif(self, d):
        """SARIF's replacements, applied, give the bytes of --fix."""
        p = os.path.join(d, "sarif.conf")
        text = ("LoadModule mpm_event_module %s/mod_mpm_event.so\r\n"
                "NameVirtualHost *:80\r\n<IfModule mpm_event_module>\r\n"
                "  ThreadLimit 20\r\n  ThreadsPerChild 30\r\n"
                "  MaxClients 90\r\n  StartServers 3 # three\r\n"
                "  MinSpareThreads 200\r\n</IfModule>" % self.a.modules)
        self.write(p, text)
        rc, out, err = self.mpmlint(["-f", "sarif", p], cwd=d)
        res = json.loads(out)["runs"][0]["results"]
        lines = read(p).splitlines(True)
        edits = []
        for r in res:
            for fx in r.get("fixes", []):
                for ch in fx["artifactChanges"]:
                    for rp in ch["replacements"]:
                        g = rp["deletedRegion"]
                        edits.append((g["startLine"], g["startColumn"],
                                      g["endLine"], g["endColumn"],
                                      rp["insertedContent"]["text"]))
        starts = [0]
        for ln in lines:
            starts.append(starts[-1] + len(ln))
        buf = b"".join(lines)

        def off(line, col):
            return starts[line - 1] + col - 1
        for e in sorted(edits, reverse=True):
            buf = (buf[:off(e[0], e[1])] + e[4].encode() +
                   buf[off(e[2], e[3]):])
        self.mpmlint(["--fix", p])
        self.t.result(len(edits) >= 6 and buf == read(p),
                      "sarif: the fixes applied give --fix's bytes",
                      "%d edits: %r vs %r" % (len(edits), buf, read(p)))

    def passes_diff(self, d):
        """--fix --diff shows what --fix writes when it takes two
        passes: in the main file, in an included file, on stdin."""
        two = ("ThreadsPerChild 25\nMaxRequestWorkers 410 # hmm\n"
               "MaxSpareThreads 30\n")
        load = "LoadModule mpm_event_module %s/mod_mpm_event.so\n" % \
            self.a.modules
        for shape in ("main", "include", "stdin"):
            w = os.path.join(d, "pd-" + shape)
            os.makedirs(w, exist_ok=True)
            main = os.path.join(w, "httpd.conf")
            inc = os.path.join(w, "mpm.conf")
            if shape == "include":
                self.write(main, 'ServerRoot "%s"\n' % w + load +
                           "Include mpm.conf\nServerName a\n")
                self.write(inc, "# tuned\n" + two)
            else:
                self.write(main, load + two)
            b0 = {p: read(p) for p in (main, inc) if os.path.exists(p)}
            if shape == "stdin":
                rc, out, err = self.mpmlint(["--fix", "--diff", "-"],
                                            stdin=b0[main], cwd=w)
                out = out.replace("a/-", "a/httpd.conf").replace(
                    "b/-", "b/httpd.conf")
            else:
                rc, out, err = self.mpmlint(["--fix", "--diff",
                                             "httpd.conf"], cwd=w)
            self.t.result(rc == 1 and all(read(p) == b for p, b in
                                          b0.items()),
                          "passes --diff (%s): nothing written, exit 1"
                          % shape, "%d %s" % (rc, err[-200:]))
            self.mpmlint(["--fix", "httpd.conf"], cwd=w)
            b1 = {p: read(p) for p in b0}
            for p, b in b0.items():
                with open(p, "wb") as f:
                    f.write(b)
            r = subprocess.run(["patch", "-s", "-p1"], cwd=w,
                               input=out.encode(), capture_output=True) \
                if self.patch else None
            if r is None:
                print("skipped: patch(1) to apply the two-pass diff")
                continue
            got = {p: read(p) for p in b0}
            self.t.result(r.returncode == 0 and got == b1 and b1 != b0 and
                          b"MaxRequestWorkers 400" in b"".join(b1.values()),
                          "passes --diff (%s): the diff gives the bytes of "
                          "--fix's two passes" % shape,
                          "%s %r" % ((r.stdout + r.stderr).decode()[-200:],
                                     out[-400:]))

    def passes(self, d):
        """A fix that uncovers another: --fix goes on until done; and
        values raised only for more listener buckets are not written."""
        p = os.path.join(d, "passes.conf")
        self.write(p, "LoadModule mpm_event_module %s/mod_mpm_event.so\n"
                   "ThreadsPerChild 25\nMaxRequestWorkers 410 # hmm\n"
                   % self.a.modules)
        rc, out, err = self.mpmlint(["--fix", p])
        self.t.result(read(p).endswith(b"# hmm\nMaxRequestWorkers 400\n")
                      and "fixed 2 findings" in err,
                      "passes: the comment moved, then the value rounded",
                      "%r %s" % (read(p), err))
        b = ("LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\n"
             "MaxRequestWorkers 1\nMinSpareServers 1\nMaxSpareServers 2\n"
             % self.a.modules).encode()
        with open(p, "wb") as f:
            f.write(b)
        rc, out, err = self.mpmlint(["--buckets", "2", "--fix", p])
        self.t.result(read(p) == b, "buckets: what only more buckets "
                      "raise is not written", "%r %s" % (read(p), err))

    def cli(self, d):
        p = os.path.join(d, "cli.conf")
        self.write(p, "LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\n"
                   "MaxClients 10\n" % self.a.modules)
        rc, out, err = self.mpmlint(["--fix"], stdin=read(p))
        self.t.result(rc == 3 and "standard input" in err,
                      "stdin: --fix refuses (exit 3)", "%d %s" % (rc, err))
        rc, out, err = self.mpmlint(["--fix", "--diff", "-"], stdin=read(p))
        self.t.result(rc == 1 and "+MaxRequestWorkers 10" in out,
                      "stdin: --fix --diff prints the diff", out + err)
        if shutil.which("script"):
            rc, out, err = run(["script", "-qec", "%s --no-config %s"
                                % (self.lint, p), "/dev/null"])
            self.t.result("1 fixable with --fix" in out,
                          "text: a terminal is told what --fix fixes", out)
        rc, out, err = self.mpmlint(["-f", "sarif", p])
        self.t.result("fixable with" not in out + err,
                      "text: no count when stderr is not a terminal")
        rc, out, err = self.mpmlint(["--diff", p])
        self.t.result(rc == 3, "--diff alone is a usage error", err)
        j = os.path.join(d, ".cli.conf.mpmconv-journal")
        self.write(j, "# a stopped run\n")
        rc, out, err = self.mpmlint(["--fix", p])
        self.t.result(rc == 2 and read(p).endswith(b"MaxClients 10\n"),
                      "a journal of a stopped run: nothing written, exit 2",
                      "%d %s" % (rc, err))
        os.unlink(j)
        rc, out, err = self.mpmlint(["--fix", p])
        # what remains: no finding, only the summary line of what runs
        self.t.result(rc == 0 and
                      out.strip().endswith(": prefork: 10 processes = 10 "
                                           "workers, ServerLimit 256, up to "
                                           "10 connections") and
                      out.count("\n") == 1 and
                      "fixed MPM014" in err and
                      read(p).endswith(b"MaxRequestWorkers 10\n"),
                      "--fix: exit 0 when nothing is left",
                      "%d %s %s" % (rc, out, err))
        rc, out, err = self.mpmlint(["--fix", "--diff", p])
        self.t.result(rc == 0 and out == "", "--fix --diff: exit 0 when "
                      "there is nothing to fix", "%d %s" % (rc, out))

    def main(self):
        try:
            self.shapes()
            self.cases()
            self.corpus()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return self.t.summary()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("B", "build"))
    ap.add_argument("--apache2", default=os.environ.get("APACHE2"))
    ap.add_argument("--modules", default="/usr/lib/apache2/modules")
    ap.add_argument("--oracle", default=os.path.join(
        TOP, os.pardir, "shared", "tools", "httpd-oracle"))
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--count", type=int, default=int(
        os.environ.get("FIX_COUNT", "150")))
    ap.add_argument("--start", type=int, default=int(
        os.environ.get("FIX_START", "6")))
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    a.apache2 = find_apache2(a.apache2)
    if a.apache2 is None or not os.path.isfile(
            os.path.join(a.modules, "mod_mpm_event.so")):
        print("skipped: apache2 not installed")
        print("fix: 0 passed, 0 failed")
        return 0
    t = Tally("fix")
    if t.missing(os.path.join(a.build, "mpmlint")):
        return 1
    return Fix(a).main()


if __name__ == "__main__":
    sys.exit(main())
