#!/usr/bin/env python3
"""shapes.py - mpmlint run the ways people really run it, against apache2.

The other differential scripts feed mpmlint one generated file at a
time.  This one runs the shapes of real use, each compared with the real
httpd reading the same configuration:

  stdin     "mpmlint -f json -" with a whole configuration on standard
            input (its relative Include resolved from ServerRoot), and
            "apache2 -t -f FILE";
  several   "mpmlint -f json A B C D" and "-f yaml": ONE document (json.load
            / yaml.safe_load), a "files" entry per argument in order, each
            compared with httpd's verdict on that file alone;
  symlink   the configuration given through a symlink in another
            directory, and a symlinked Include directory;
  root      a copy of Debian's /etc/apache2 whose mods-enabled links are
            ABSOLUTE (/etc/apache2/mods-available/x), with files that
            exist only in the copy, linted with "--root TREE" and the
            config path given as the server sees it, relative to the
            current directory and as the host path inside TREE; httpd reads
            the same tree mounted at /etc/apache2 in a private mount
            namespace (unshare -m: the machine's /etc never changes).
            Variants: an MPM file httpd adjusts, a tree-only include with
            a bad directive (the error's file and line), two MPMs enabled
            (AH00534 alone).  The effective values are compared with the
            running server (../shared/tools/httpd-oracle on the tree's MPM
            file) when the oracle is present;
  rhel      the RHEL conf.modules.d/00-mpm.conf shape (LoadModule lines
            commented and uncommented: none, one of each, two) read
            alone with ServerRoot holding modules/, and each of them with
            --mpm X against httpd under X's LoadModule line;
  corpus    ../shared/corpus (real configurations of other projects, see
            its MANIFEST.tsv): each file alone, and each MPM fragment in it
            (it loads no MPM and sets an MPM directive) with --mpm X for
            the three MPMs;
  conv      each corpus fragment httpd accepts under X, through
            "mpmconv --mpm X --to Y": apache2 -t passes on the result
            under Y's LoadModule with no AH message, with as many
            LoadModule lines as before, or mpmconv refuses with its
            reason at a line of the file.  Without ../shared: "skipped: ../shared not
            present".

Each case compares (1) the verdict: apache2 -t fails <=> mpmlint has a
fatal finding (error, httpd id none or AH00526/AH00534/AH00013); (2)
when both fail, httpd's error (file and line, or AH00534) is one of
mpmlint's fatal findings, and when httpd stops at "More than one MPM
loaded" mpmlint reports nothing httpd does not print; (3) when both
pass, the multiset of AH ids (-e info) is the same, less the run-time
ids and AH00558 (ServerName, which -C sets).  Where httpd fails for a
reason that belongs to this machine (a ServerRoot, module file or
DocumentRoot that does not exist here, a module Debian compiles in) the
case is counted as "machine-dependent" and not compared, unless mpmlint
reports it at httpd's line.

Output: one FAIL line per disagreement, per-shape figures, and the last
line "differential-shapes: N passed, M failed".  Exit 1 on a
disagreement, 2 on a set-up error.  Python 3 standard library (PyYAML
for the yaml document when installed).
"""

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import diff  # noqa: E402
from diff import NOT_UNDER_T, is_fatal, parse_httpd_t  # noqa: E402

MPMS = ("prefork", "worker", "event")
MACHINE = ("ServerRoot must be a valid directory", "Cannot load ",
           "is built-in and can't be loaded", "is not a directory, or is "
           "not readable", "Cannot access directory", "AH02291",
           "Could not open configuration file", "Could not open directory")
IGNORED_IDS = set(NOT_UNDER_T) | {"AH00558"}
PORT = 29011


def env():
    e = {k: v for k, v in os.environ.items() if not k.startswith("APACHE_")}
    e["LANG"] = "C"
    e["LC_ALL"] = "C"
    return e


def run(argv, cwd=None, stdin=None, timeout=60):
    try:
        p = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True,
                           text=True, timeout=timeout, env=env())
    except subprocess.TimeoutExpired:
        return 124, "", "timed out"
    return p.returncode, p.stdout, p.stderr


class Shapes:
    def __init__(self, a):
        self.a = a
        self.tmp = tempfile.mkdtemp(prefix="mpmlint-shapes.")
        self.sr = os.path.join(self.tmp, "sr")
        os.makedirs(os.path.join(self.sr, "logs"))
        os.symlink(a.modules, os.path.join(self.sr, "modules"))
        self.stats = collections.OrderedDict()
        self.fails = 0
        self.machine = 0
        self.last_ok = False

    # -- running the two tools ------------------------------------------

    def httpd(self, conf, sr=None, cwd=None, pre=None):
        argv = [self.a.apache2, "-t", "-e", "info", "-d", sr or self.sr,
                "-f", conf, "-C", "ServerName localhost"]
        if pre:
            argv = pre + argv
        rc, out, err = run(argv, cwd=cwd)
        return parse_httpd_t(rc, err + out, sr or self.sr), err + out

    def lint(self, args, cwd=None, stdin=None, fmt="json"):
        argv = [self.a.lint, "--no-config", "--fail-on", "never", "-f",
                fmt] + args
        rc, out, err = run(argv, cwd=cwd, stdin=stdin)
        return rc, out, err

    def lint_json(self, args, cwd=None, stdin=None):
        rc, out, err = self.lint(args, cwd=cwd, stdin=stdin)
        try:
            return json.loads(out)
        except ValueError:
            return {"error": "exit %d, not JSON: %s %s" % (rc, out[:200],
                                                           err[:200])}

    # -- the comparison --------------------------------------------------

    def compare(self, ht, raw, findings, stdin=False):
        """Problems (list), or None for a machine-dependent case."""
        fatal = [f for f in findings if is_fatal(f)]
        hf = ht["fatal"]
        if not ht["ok"] and any(m in raw for m in MACHINE):
            if hf is not None and any(
                    f.get("line") == hf["line"] and hf["line"] is not None
                    for f in findings):
                return []
            return None
        if ht["ok"] != (not fatal):
            if ht["ok"]:
                return ["apache2 -t passes, mpmlint: %s" % "; ".join(
                    diff.describe(f) for f in fatal[:3])]
            return ["apache2 -t fails (%s), mpmlint has no fatal finding"
                    % (hf or raw.strip()[-200:])]
        if ht["ok"]:
            want = collections.Counter(i for i in ht["ids"]
                                       if i not in IGNORED_IDS)
            got = collections.Counter(f["httpd"] for f in findings
                                      if f.get("httpd") and
                                      f["httpd"] not in IGNORED_IDS)
            if want != got:
                return ["AH ids: httpd %s, mpmlint %s" % (
                    dict(want - got), dict(got - want))]
            return []
        if hf is None:
            return ["apache2 -t failed without a recognised error: %s"
                    % raw.strip()[-200:]]
        if hf["id"] == "AH00534":
            if not any(f.get("httpd") == "AH00534" for f in fatal):
                return ["httpd: %s; mpmlint: %s" % (hf["message"], "; ".join(
                    diff.describe(f) for f in fatal[:3]))]
            if hf["message"].endswith("More than one MPM loaded."):
                extra = collections.Counter(
                    f["httpd"] for f in findings if f.get("httpd") and
                    f["httpd"] != "AH00534" and
                    f["httpd"] not in IGNORED_IDS) - collections.Counter(
                    ht["ids"])
                if extra:
                    return ["httpd stops at AH00534, mpmlint also reports "
                            "%s" % dict(extra)]
            return []
        hb = os.path.basename(hf["file"] or "")
        for f in fatal:
            fb = os.path.basename(f.get("file") or "")
            if fb == "-" and stdin:
                fb = hb
            if f.get("line") == hf["line"] and fb == hb:
                return []
        return ["httpd's error %s:%s %r is not among mpmlint's: %s" % (
            hb, hf["line"], hf["message"][:100], "; ".join(
                diff.describe(f) for f in fatal[:3]) or "none")]

    def record(self, shape, name, probs):
        st = self.stats.setdefault(shape, [0, 0, 0])
        if probs is None:
            st[2] += 1
            self.machine += 1
            if self.a.verbose:
                print("machine-dependent %s %s" % (shape, name))
            return
        if probs:
            st[1] += 1
            self.fails += 1
            for p in probs:
                print("FAIL %s %s: %s" % (shape, name, p))
        else:
            st[0] += 1

    def check(self, shape, name, ht, raw, doc, stdin=False):
        if "error" in doc:
            self.record(shape, name, [doc["error"]])
            return
        self.record(shape, name, self.compare(ht, raw, doc["findings"],
                                              stdin))

    # -- configurations ---------------------------------------------------

    def whole(self, mpm, body, extra=""):
        head = ["ServerRoot %s" % self.sr,
                "LoadModule mpm_%s_module %s/mod_mpm_%s.so"
                % (mpm, self.a.modules, mpm),
                "ErrorLog %s/logs/error.log" % self.sr,
                "PidFile %s/logs/httpd.pid" % self.sr]
        return "\n".join(head + body) + "\n" + extra

    def gen_whole(self):
        """(name, text) whole configurations for stdin/several/symlink."""
        out = []
        vals = {
            "prefork": [["MaxRequestWorkers 300"], ["StartServers 2",
                                                   "MaxRequestWorkers 50"]],
            "worker": [["ThreadsPerChild 150", "MaxRequestWorkers 1000"],
                       ["ThreadsPerChild 20", "MaxRequestWorkers 200"]],
            "event": [["MaxRequestWorkers 410"],
                      ["ThreadLimit 30", "ThreadsPerChild 40"]],
        }
        for mpm in MPMS:
            for i, v in enumerate(vals[mpm]):
                out.append(("%s-v%d" % (mpm, i), self.whole(mpm, v)))
                # the same settings through a relative Include
                out.append(("%s-v%d-include" % (mpm, i), self.whole(
                    mpm, ["Include conf.d/%s-%d/*.conf" % (mpm, i)])))
                d = os.path.join(self.sr, "conf.d", "%s-%d" % (mpm, i))
                os.makedirs(d, exist_ok=True)
                with open(os.path.join(d, "mpm.conf"), "w") as f:
                    f.write("\n".join(v) + "\n")
        out.append(("two-mpms", self.whole("event", [
            "LoadModule mpm_prefork_module %s/mod_mpm_prefork.so"
            % self.a.modules, "MinSpareServers 3", "ThreadsPerChild 100"])))
        out.append(("bad-directive", self.whole("worker", [
            "ThreadsPerChild 25", "NoSuchDirective on"])))
        out.append(("error", self.whole("event", [
            "<IfDefine !PRODUCTION>", "Error \"set -D PRODUCTION\"",
            "</IfDefine>"])))
        out.append(("listen", self.whole("prefork", ["Listen"])))
        return out

    # -- the shapes -------------------------------------------------------

    def shape_stdin_several_symlink(self):
        cases = self.gen_whole()
        files = []
        hts = {}
        for name, text in cases:
            p = os.path.join(self.sr, "w-%s.conf" % name)
            with open(p, "w") as f:
                f.write(text)
            files.append((name, p))
            hts[name] = self.httpd(p)
        # stdin
        for name, p in files:
            with open(p) as f:
                doc = self.lint_json(["-"], cwd=self.tmp, stdin=f.read())
            ht, raw = hts[name]
            self.check("stdin", name, ht, raw, doc, stdin=True)
        # several files, json and yaml
        try:
            import yaml  # noqa: F401
            fmts = ("json", "yaml")
        except ImportError:
            fmts = ("json",)
            print("skipped: several files as yaml (python3-yaml missing)")
        for fmt in fmts:
            for i in range(0, len(files), 4):
                batch = files[i:i + 4]
                rc, out, err = self.lint([p for _, p in batch], fmt=fmt)
                try:
                    if fmt == "json":
                        d = json.loads(out)
                    else:
                        import yaml
                        d = yaml.safe_load(out)
                except Exception as e:  # noqa: BLE001
                    self.record("several", "%s batch %d" % (fmt, i),
                                ["not one %s document: %s" % (fmt, e)])
                    continue
                entries = d.get("files") if isinstance(d, dict) else None
                if not isinstance(entries, list) or \
                        len(entries) != len(batch):
                    self.record("several", "%s batch %d" % (fmt, i),
                                ["no 'files' list of %d entries" %
                                 len(batch)])
                    continue
                for (name, p), e in zip(batch, entries):
                    if e.get("path") != p:
                        self.record("several", "%s %s" % (fmt, name),
                                    ["files entry for %s, not %s"
                                     % (e.get("path"), p)])
                        continue
                    ht, raw = hts[name]
                    self.check("several", "%s %s" % (fmt, name), ht, raw,
                               {"findings": e.get("findings", [])})
        # symlinks: the file through a link elsewhere, a linked conf.d
        ldir = os.path.join(self.tmp, "links")
        os.makedirs(ldir)
        for name, p in files:
            link = os.path.join(ldir, os.path.basename(p))
            os.symlink(p, link)
            ht, raw = self.httpd(link)
            doc = self.lint_json([os.path.basename(link)], cwd=ldir)
            self.check("symlink", name, ht, raw, doc)
        real = os.path.join(self.tmp, "real-conf.d")
        os.rename(os.path.join(self.sr, "conf.d"), real)
        os.symlink(real, os.path.join(self.sr, "conf.d"))
        for name, p in files:
            if name.endswith("-include"):
                ht, raw = self.httpd(p)
                self.check("symlink", name + " (linked dir)", ht, raw,
                           self.lint_json([p]))

    def debian_tree(self, tag):
        """A copy of /etc/apache2 under TREE/etc/apache2, mods-enabled
        links made absolute; returns TREE."""
        tree = os.path.join(self.tmp, "tree-" + tag)
        etc = os.path.join(tree, "etc", "apache2")
        shutil.copytree("/etc/apache2", etc, symlinks=True)
        for sub in ("mods-enabled", "conf-enabled", "sites-enabled"):
            d = os.path.join(etc, sub)
            if not os.path.isdir(d):
                continue
            for n in os.listdir(d):
                q = os.path.join(d, n)
                if os.path.islink(q):
                    t = os.readlink(q)
                    avail = sub.replace("enabled", "available")
                    os.unlink(q)
                    os.symlink("/etc/apache2/%s/%s"
                               % (avail, os.path.basename(t)), q)
        for sub in ("run", "log", "lock"):
            os.makedirs(os.path.join(tree, "var", sub), exist_ok=True)
        return tree

    def tree_env(self, tree):
        """Debian's envvars, with the run/log/lock dirs in the tree."""
        e = {}
        rc, out, _ = run(["sh", "-c", "set -a; . /etc/apache2/envvars; env"])
        for line in out.splitlines():
            k, _, v = line.partition("=")
            if k.startswith("APACHE_"):
                e[k] = v
        e["APACHE_RUN_DIR"] = os.path.join(tree, "var", "run")
        e["APACHE_LOG_DIR"] = os.path.join(tree, "var", "log")
        e["APACHE_LOCK_DIR"] = os.path.join(tree, "var", "lock")
        e["APACHE_PID_FILE"] = os.path.join(tree, "var", "run", "pid")
        return e

    def tree_httpd(self, tree, tenv):
        etc = os.path.join(tree, "etc", "apache2")
        script = ("mount --bind \"$1\" /etc/apache2 && exec \"$2\" -t -e info "
                  "-d /etc/apache2 -f apache2.conf -C 'ServerName localhost'")
        e = env()
        e.update(tenv)
        p = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", etc,
                            self.a.apache2], capture_output=True, text=True,
                           env=e, timeout=60)
        raw = p.stderr + p.stdout
        ht = parse_httpd_t(p.returncode, raw, "/etc/apache2")
        return ht, raw

    def tree_lint(self, tree, tenv, path, cwd):
        e = env()
        e.update(tenv)
        p = subprocess.run([self.a.lint, "--no-config", "--fail-on", "never",
                            "-f", "json", "--root", tree, path], cwd=cwd,
                           capture_output=True, text=True, env=e, timeout=60)
        try:
            return json.loads(p.stdout)
        except ValueError:
            return {"error": "exit %d: %s" % (p.returncode, p.stderr[:200])}

    def shape_root(self):
        if not os.path.isfile("/etc/apache2/apache2.conf"):
            print("skipped: root shape (no Debian /etc/apache2 to copy)")
            return
        if run(["unshare", "-m", "true"])[0] != 0:
            print("skipped: root shape (unshare -m is not permitted)")
            return
        variants = []
        # 1: the tree's event MPM file holds values httpd adjusts
        variants.append(("adjusted", {
            "mods-available/mpm_event.conf":
                "StartServers 2\nThreadLimit 40\nThreadsPerChild 50\n"
                "MaxRequestWorkers 320\n"}))
        # 2: a tree-only file, through an absolute link, with a mistake
        variants.append(("tree-only-include", {
            "mods-available/treeonly.conf":
                "# only in the checkout\nThreadsPerChild 25\n"
                "NoSuchDirective here\n",
            "@mods-enabled/treeonly.conf":
                "/etc/apache2/mods-available/treeonly.conf"}))
        # 3: prefork enabled beside event
        variants.append(("two-mpms", {
            "@mods-enabled/mpm_prefork.load":
                "/etc/apache2/mods-available/mpm_prefork.load",
            "@mods-enabled/mpm_prefork.conf":
                "/etc/apache2/mods-available/mpm_prefork.conf"}))
        # 4: as shipped, prefork instead of event
        variants.append(("prefork", {
            "-mods-enabled/mpm_event.load": "",
            "-mods-enabled/mpm_event.conf": "",
            "@mods-enabled/mpm_prefork.load":
                "/etc/apache2/mods-available/mpm_prefork.load",
            "@mods-enabled/mpm_prefork.conf":
                "/etc/apache2/mods-available/mpm_prefork.conf",
            "mods-available/mpm_prefork.conf":
                "StartServers 400\nMaxRequestWorkers 300\n"}))
        for tag, edits in variants:
            tree = self.debian_tree(tag)
            etc = os.path.join(tree, "etc", "apache2")
            for rel, text in edits.items():
                if rel[0] == "-":
                    q = os.path.join(etc, rel[1:])
                    if os.path.lexists(q):
                        os.unlink(q)
                    continue
                if rel[0] == "@":
                    q = os.path.join(etc, rel[1:])
                    if os.path.lexists(q):
                        os.unlink(q)
                    os.symlink(text, q)
                    continue
                with open(os.path.join(etc, rel), "w") as f:
                    f.write(text)
            # mpm_event must be enabled for the variants that keep it
            tenv = self.tree_env(tree)
            ht, raw = self.tree_httpd(tree, tenv)
            forms = [("server path", "/etc/apache2/apache2.conf", self.tmp),
                     ("relative", os.path.relpath(
                         os.path.join(etc, "apache2.conf"), self.tmp),
                      self.tmp),
                     ("host path", os.path.join(etc, "apache2.conf"), "/")]
            docs = []
            for fname, path, cwd in forms:
                doc = self.tree_lint(tree, tenv, path, cwd)
                docs.append(doc)
                self.check("root", "%s (%s)" % (tag, fname), ht, raw, doc)
            if not self.a.no_start and tag in ("adjusted", "prefork") and \
                    os.access(self.a.oracle, os.X_OK):
                mpm = "event" if tag == "adjusted" else "prefork"
                self.effective("root", tag, mpm, os.path.join(
                    etc, "mods-available", "mpm_%s.conf" % mpm),
                    docs[0].get("effective") or {})

    def effective(self, shape, name, mpm, frag, eff):
        rc, out, err = run([self.a.oracle, "--compact", "--settle", "1",
                            "--timeout", "30", mpm, frag], timeout=60)
        try:
            st = json.loads(out)["start"]
            if not st.get("ready"):
                # -t passes but the server does not start here (a
                # PidFile or log directory of another machine)
                self.record(shape, name + " (effective)", None)
                return
            real = st["effective"]
        except (ValueError, KeyError, TypeError):
            self.record(shape, name + " (effective)",
                        ["httpd-oracle gave no effective values: %s"
                         % (err or out)[:200]])
            return
        diffs = ["%s httpd %s mpmlint %s" % (k, v, eff.get(k))
                 for k, v in sorted(real.items())
                 if k in eff and eff.get(k) != v]
        if not real or not eff:
            diffs.append("no values to compare (httpd %s, mpmlint %s)"
                         % (bool(real), bool(eff)))
        self.record(shape, name + " (effective)", diffs)

    def shape_rhel(self):
        lines = {m: "LoadModule mpm_%s_module modules/mod_mpm_%s.so" % (m, m)
                 for m in MPMS}
        head = ["# Select the MPM module which should be used by "
                "uncommenting exactly", "# one of the following LoadModule "
                "lines:", ""]
        for on in ((), ("prefork",), ("worker",), ("event",),
                   ("prefork", "event")):
            body = list(head)
            for m in MPMS:
                body += ["# %s MPM" % m,
                         ("" if m in on else "#") + lines[m], ""]
            name = "00-mpm-" + ("-".join(on) or "none")
            p = os.path.join(self.sr, name + ".conf")
            with open(p, "w") as f:
                f.write("\n".join(body) + "\n")
            ht, raw = self.httpd(p)
            self.check("rhel", name, ht, raw,
                       self.lint_json(["-d", self.sr, p]))
            for x in MPMS:
                self.fragment("rhel", "%s --mpm %s" % (name, x), x, p)

    def wrap(self, mpm, p):
        """A configuration that loads mpm and includes p; its path."""
        w = os.path.join(self.sr, "wrap.conf")
        with open(w, "w") as f:
            f.write("LoadModule mpm_%s_module %s/mod_mpm_%s.so\n"
                    "ErrorLog %s/logs/error.log\nInclude %s\n"
                    % (mpm, self.a.modules, mpm, self.sr, p))
        return w

    def fragment(self, shape, name, mpm, p):
        ht, raw = self.httpd(self.wrap(mpm, p))
        self.last_ok = ht["ok"]
        doc = self.lint_json(["--mpm", mpm, "-d", self.sr, p])
        self.check(shape, name, ht, raw, doc)
        return doc

    def convert(self, name, x, p):
        """mpmconv --mpm X --to Y on a fragment httpd accepts under X:
        the result passes apache2 -t under Y with no AH message and as
        many LoadModule lines, or mpmconv refuses with a reason at a
        line of the file."""
        if not os.access(self.a.conv, os.X_OK):
            return
        with open(p, errors="replace") as f:
            n0 = sum(1 for l in f if l.split()[:1] == ["LoadModule"])
        for y in MPMS:
            if y == x:
                continue
            tag = "%s --mpm %s --to %s" % (name, x, y)
            rc, out, err = run([self.a.conv, "--mpm", x, "--to", y, "-d",
                                self.sr, p])
            if rc != 0:
                why = [l for l in err.splitlines()
                       if l.startswith(p + ":") and ": error: " in l]
                self.record("conv", tag, [] if why else
                            ["mpmconv failed without a reason at a line: "
                             "%s" % err.strip()[-200:]])
                continue
            o = os.path.join(self.tmp, "converted.conf")
            with open(o, "w") as f:
                f.write(out)
            n1 = sum(1 for l in out.splitlines()
                     if l.split()[:1] == ["LoadModule"])
            ht, raw = self.httpd(self.wrap(y, o))
            probs = []
            if n0 != n1:
                probs.append("%d LoadModule lines became %d" % (n0, n1))
            if not ht["ok"] or ht["ids"]:
                probs.append("apache2 -t under mpm_%s: %s" % (
                    y, raw.strip()[-300:]))
            self.record("conv", tag, probs)

    def shape_corpus(self):
        cdir = os.path.join(TOP, os.pardir, "shared", "corpus")
        man = os.path.join(cdir, "MANIFEST.tsv")
        if not os.path.isfile(man):
            print("skipped: ../shared not present")
            return
        with open(man) as f:
            rows = [l.rstrip("\n").split("\t") for l in f][1:]
        started = 0
        for r in rows:
            p = os.path.join(cdir, r[0])
            if not os.path.isfile(p):
                continue
            ht, raw = self.httpd(p)
            doc = self.lint_json(["-d", self.sr, p])
            self.check("corpus", r[0], ht, raw, doc)
            if "error" in doc or not any(
                    f["rule"] == "MPM001" for f in doc["findings"]):
                continue
            with open(p, errors="replace") as f:
                words = {l.split()[0] for l in f if l.split()}
            if not words & {"MaxRequestWorkers", "MaxClients",
                            "ThreadsPerChild", "StartServers",
                            "ServerLimit", "MinSpareServers",
                            "MinSpareThreads"}:
                continue
            for mpm in MPMS:
                d = self.fragment("corpus-mpm", "%s --mpm %s" % (r[0], mpm),
                                  mpm, p)
                if self.last_ok:
                    self.convert(r[0], mpm, p)
                if not self.a.no_start and started < self.a.start and \
                        os.access(self.a.oracle, os.X_OK) and \
                        "error" not in d and d.get("effective") and \
                        not any(is_fatal(f) for f in d["findings"]) and \
                        not self.uses_other_modules(p):
                    started += 1
                    self.effective("corpus-mpm", "%s --mpm %s" % (r[0], mpm),
                                   mpm, self.runnable(p), d["effective"])

    def runnable(self, p):
        """p without the paths of another machine (PidFile, ...), which
        stop a server from starting but change no MPM value; the lines
        stay in place as comments."""
        q = os.path.join(self.tmp, "runnable.conf")
        with open(p, errors="replace") as f, open(q, "w") as o:
            for line in f:
                w = line.split()
                if w and w[0].lower() in ("pidfile", "scoreboardfile",
                                          "mutex", "coredumpdirectory"):
                    line = "# " + line
                o.write(line)
        return q

    def uses_other_modules(self, p):
        """The oracle's server loads only the MPM and a few modules."""
        w = os.path.join(self.sr, "probe.conf")
        with open(w, "w") as f:
            f.write("LoadModule mpm_event_module %s/mod_mpm_event.so\n"
                    "Include %s\n" % (self.a.modules, p))
        ht, _ = self.httpd(w)
        return not ht["ok"]

    def main(self):
        try:
            self.shape_stdin_several_symlink()
            self.shape_root()
            self.shape_rhel()
            self.shape_corpus()
        finally:
            if not self.a.keep:
                shutil.rmtree(self.tmp, ignore_errors=True)
        passed = sum(s[0] for s in self.stats.values())
        for shape, (p, f, m) in self.stats.items():
            print("  %-10s %3d agree, %d disagree, %d machine-dependent"
                  % (shape, p, f, m))
        print("differential-shapes: %d passed, %d failed" % (passed,
                                                              self.fails))
        return 1 if self.fails else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.environ.get("B", "build"))
    ap.add_argument("--apache2", default=None)
    ap.add_argument("--modules", default="/usr/lib/apache2/modules")
    ap.add_argument("--oracle", default=os.path.join(
        TOP, os.pardir, "shared", "tools", "httpd-oracle"))
    ap.add_argument("--start", type=int, default=4,
                    help="corpus fragments started through the oracle")
    ap.add_argument("--no-start", action="store_true",
                    help="start no server (compare -t only)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    a.apache2 = a.apache2 or shutil.which("apache2") or "/usr/sbin/apache2"
    if not os.access(a.apache2, os.X_OK) or not os.path.isfile(
            os.path.join(a.modules, "mod_mpm_event.so")):
        print("skipped: apache2 not installed")
        print("differential-shapes: 0 passed, 0 failed")
        return 0
    b = a.build if os.path.isabs(a.build) else os.path.join(TOP, a.build)
    a.lint = os.path.join(b, "mpmlint")
    a.conv = os.path.join(b, "mpmconv")
    if not os.access(a.lint, os.X_OK):
        print("differential-shapes: %s not built" % a.lint, file=sys.stderr)
        return 2
    return Shapes(a).main()


if __name__ == "__main__":
    sys.exit(main())
