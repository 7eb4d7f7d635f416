#!/usr/bin/env python3
"""root.py - differential test of "mpmlint --root TREE" against the real
Apache httpd running on the same tree at its real path.

Each case is a Debian-shaped tree TREE/etc/apache2 built from a seed,
with the shapes configuration management checkouts have: absolute
symlinks (mods-enabled/mpm_X.load -> /etc/apache2/mods-available/...),
relative ones, chains of both, a directory symlink (conf-enabled ->
/etc/apache2/conf-available) under a glob, "Include /../../etc/apache2/x"
(".." at the root), Debian's envvars (sourced, as apache2ctl does),
ServerRoot through a symlink, a directory Include through a link,
wildcards in a middle component (over a real and over a linked
directory), and links whose target the tree does not hold (dangling, a
loop) for the verdict.  This machine's own
/etc/apache2 holds Debian's stock files with other values, so a linter
that follows a link out of the tree reads different numbers.

httpd sees the tree where it belongs: in a private mount namespace
("unshare -m --propagation private", then "mount --bind
TREE/etc/apache2 /etc/apache2"), so the machine's /etc never changes
(checked before and after the run).  In the namespace httpd runs
"apache2 -t", and, when both sides accept the tree, starts on 127.0.0.1
(ports 21100-21999) and answers ap_mpm_query() through mod_lua, as
tests/differential/diff.py does.

Compared, per case:
  (1) verdict: apache2 -t fails  <=>  mpmlint reports a fatal finding
      (diff.is_fatal: an error with no httpd id or a -t id);
  (2) started cases: mpmlint's "effective" values equal what the running
      MPM reports (diff.runtime_expect() has the mapping).

Usage: root.py [--build DIR] [--apache2 PATH] [--modules DIR]
               [--seed S] [--count N] [--jobs J] [--case I] [--keep] [-v]
Output: one FAIL line per disagreement and the last line
"differential-root: N passed, M failed"; "skipped: REASON" when
apache2, unshare or mount namespaces are not available.
Standard library only.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, os.pardir, "lib"))
sys.dont_write_bytecode = True
import diff  # noqa: E402
import httpd  # noqa: E402

ETC = "/etc/apache2"
PORT_BASE = 21100
KINDS = ("abs-links", "rel-links", "chain", "dir-link", "dotdot",
         "envvars", "serverroot-link", "dangling", "dangling-optional",
         "loop", "dir-include", "glob-middle", "glob-middle-link")
# kinds where httpd refuses the tree (verdict only)
REFUSED = ("dangling", "loop")


def mpm_values(rng, mpm):
    """Settings httpd can start with on a small machine, adjusted by it
    now and then (MaxRequestWorkers not a multiple of ThreadsPerChild)."""
    if mpm == "prefork":
        mrw = rng.randint(4, 24)
        lo = rng.randint(1, 3)
        return [("StartServers", rng.randint(1, 3)),
                ("MinSpareServers", lo),
                ("MaxSpareServers", lo + rng.randint(1, 6)),
                ("MaxRequestWorkers", mrw),
                ("MaxConnectionsPerChild", rng.choice((0, 1000)))]
    tpc = rng.choice((5, 8, 10, 16, 25))
    mrw = tpc * rng.randint(2, 6) + rng.choice((0, 0, 3))
    v = [("StartServers", rng.randint(1, 2)),
         ("ThreadsPerChild", tpc),
         ("MaxRequestWorkers", mrw),
         ("MinSpareThreads", tpc),
         ("MaxSpareThreads", tpc * rng.randint(2, 4)),
         ("MaxConnectionsPerChild", rng.choice((0, 500)))]
    if rng.random() < 0.4:
        v.append(("ServerLimit", rng.randint(mrw // tpc, mrw // tpc + 4)))
    return v


def gen_case(seed, idx):
    rng = random.Random("%d:%d" % (seed, idx))
    kind = KINDS[idx % len(KINDS)]
    mpm = diff.MPMS[(idx // len(KINDS)) % 3]
    return {"seed": seed, "idx": idx, "kind": kind, "mpm": mpm,
            "values": mpm_values(rng, mpm),
            "tune": mpm_values(rng, mpm)[1:3],
            "rng": rng.random()}


def build_tree(case, tree, moddir, port, user, group):
    """Write TREE/etc/apache2 for case; returns nothing."""
    mpm, kind = case["mpm"], case["kind"]
    e = os.path.join(tree, "etc", "apache2")
    for d in ("mods-available", "mods-enabled", "conf-available", "run",
              "logs", "htdocs", "tune", "real-sr/conf"):
        os.makedirs(os.path.join(e, d), exist_ok=True)

    def put(rel, text):
        with open(os.path.join(e, rel), "w") as f:
            f.write(text)

    def link(rel, target):
        os.symlink(target, os.path.join(e, rel))

    ident = "mpm_%s_module" % mpm
    put("mods-available/mpm_%s.load" % mpm,
        'LoadModule %s "%s/mod_mpm_%s.so"\n' % (ident, moddir, mpm))
    body = ["<IfModule %s>" % ident]
    vals = list(case["values"])
    if kind == "envvars":
        # the value comes from envvars, as apache2ctl sources it
        name = vals[-1][0] if mpm == "prefork" else "MaxRequestWorkers"
        vals = [(k, "${MPMLINT_T_VALUE}" if k == name else v)
                for k, v in vals]
        put("envvars", "# written by root.py\nexport MPMLINT_T_VALUE=%s\n"
            % dict(case["values"])[name])
    body += ["    %s %s" % kv for kv in vals] + ["</IfModule>"]
    put("mods-available/mpm_%s.conf" % mpm, "\n".join(body) + "\n")

    load = "mods-enabled/mpm_%s.load" % mpm
    conf = "mods-enabled/mpm_%s.conf" % mpm
    if kind == "rel-links":
        link(load, "../mods-available/mpm_%s.load" % mpm)
        link(conf, "../../apache2/mods-available/mpm_%s.conf" % mpm)
    elif kind == "chain":
        # absolute -> relative -> file
        link("mods-available/mpm.load", "mpm_%s.load" % mpm)
        link(load, "%s/mods-available/mpm.load" % ETC)
        link("mods-available/mpm.conf", "./mpm_%s.conf" % mpm)
        link(conf, "%s/mods-available/../mods-available/mpm.conf" % ETC)
    else:
        link(load, "%s/mods-available/mpm_%s.load" % (ETC, mpm))
        link(conf, "%s/mods-available/mpm_%s.conf" % (ETC, mpm))

    lines = ["# mpmlint differential-root case %d:%d (%s, %s)"
             % (case["seed"], case["idx"], mpm, kind)]
    if kind == "serverroot-link":
        link("sr", "%s/real-sr" % ETC)
        lines.append('ServerRoot "%s/sr"' % ETC)
    else:
        lines.append('ServerRoot "%s"' % ETC)
    lines += ['LoadModule authz_core_module "%s/mod_authz_core.so"' % moddir,
              'LoadModule lua_module "%s/mod_lua.so"' % moddir,
              "Include %s/mods-enabled/*.load" % ETC,
              "Include %s/mods-enabled/*.conf" % ETC]
    lines += httpd.server_lines(ETC, port, user, group)
    lines.append('LuaMapHandler "^/mpm-query$" "%s/mpmq.lua" handle' % ETC)
    tune = "\n".join("%s %s" % kv for kv in case["tune"]) + "\n"
    tune = "<IfModule %s>\n%s</IfModule>\n" % (ident, tune)
    if kind == "dir-link":
        put("conf-available/tune.conf", tune)
        link("conf-enabled", "%s/conf-available" % ETC)
        lines.append("IncludeOptional conf-enabled/*.conf")
    elif kind == "dotdot":
        put("tune/t.conf", tune)
        lines.append("Include /../../../etc/apache2/tune/t.conf")
    elif kind == "serverroot-link":
        with open(os.path.join(e, "real-sr", "conf", "t.conf"), "w") as f:
            f.write(tune)
        lines.append("Include conf/t.conf")
    elif kind == "dangling":
        link("tune/gone.conf", "%s/tune/not-in-the-tree.conf" % ETC)
        lines.append("Include %s/tune/gone.conf" % ETC)
    elif kind == "dangling-optional":
        put("tune/a.conf", tune)
        link("tune/b.conf", "%s/tune/not-in-the-tree.conf" % ETC)
        lines.append("IncludeOptional %s/tune/*.conf" % ETC)
    elif kind == "dir-include":
        # a whole directory, reached through an absolute link
        put("conf-available/tune.conf", tune)
        link("confdir", "%s/conf-available" % ETC)
        lines.append("Include %s/confdir/" % ETC)
    elif kind == "glob-middle":
        os.makedirs(os.path.join(e, "site-a"))
        with open(os.path.join(e, "site-a", "t.conf"), "w") as f:
            f.write(tune)
        lines.append("IncludeOptional %s/site-*/t.conf" % ETC)
    elif kind == "glob-middle-link":
        # a wildcard that matches a symlinked directory in the middle
        os.makedirs(os.path.join(e, "real-site"))
        with open(os.path.join(e, "real-site", "t.conf"), "w") as f:
            f.write(tune)
        link("site-b", "%s/real-site" % ETC)
        lines.append("IncludeOptional %s/site-*/t.conf" % ETC)
    elif kind == "loop":
        link("tune/x.conf", "%s/tune/y.conf" % ETC)
        link("tune/y.conf", "x.conf")
        lines.append("Include %s/tune/x.conf" % ETC)
    put("apache2.conf", "\n".join(lines) + "\n")
    put("mpmq.lua", diff.LUA_SCRIPT % ", ".join(
        str(c) for c in diff.MPMQ_CODES[mpm]))
    # the children read mpmq.lua as User
    for d, _, fs in os.walk(tree):
        os.chmod(d, 0o755)


def in_namespace(tree, apache2, args):
    """argv running apache2 ARGS with TREE/etc/apache2 at /etc/apache2 in a
    private mount namespace, after sourcing the tree's envvars."""
    script = ('mount --bind "$1" /etc/apache2 || exit 97; shift; '
              '[ -f /etc/apache2/envvars ] && . /etc/apache2/envvars; '
              'exec "$@"')
    return ["unshare", "-m", "--propagation", "private", "sh", "-c", script,
            "sh", os.path.join(tree, "etc", "apache2"), apache2] + args


def run_t(apache2, tree):
    rc, out, err, to = diff.run(in_namespace(tree, apache2, [
        "-t", "-d", ETC, "-f", ETC + "/apache2.conf"]), 30)
    return rc, err


def run_lint(build, tree, main=ETC + "/apache2.conf"):
    rc, out, err, to = diff.run([os.path.join(build, "mpmlint"), "--no-config",
                                 "-f", "json", "--root", tree, main], 30)
    try:
        return json.loads(out), err
    except ValueError:
        return None, "mpmlint exit %d: %s %s" % (rc, out[:200], err[:200])


def start_and_query(apache2, tree, port, budget=15):
    errp = os.path.join(tree, "start.stderr")
    with open(errp, "wb") as ef:
        proc = subprocess.Popen(
            in_namespace(tree, apache2, ["-d", ETC, "-f", ETC + "/apache2.conf",
                                         "-D", "FOREGROUND"]),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=ef,
            env=diff.child_env(), start_new_session=True)
    q, note = None, "did not answer"
    deadline = time.monotonic() + budget
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                code, body = diff.http_get(port, "/mpm-query", 1.0)
                if code == 200:
                    q = {}
                    for line in body.splitlines():
                        p = line.split()
                        if len(p) == 2 and p[0].isdigit() and \
                                p[1].lstrip("-").isdigit():
                            q[int(p[0])] = int(p[1])
                    note = "ok"
                    break
                note = "HTTP %d" % code
            except OSError:
                pass
            except Exception as ex:  # http.client errors
                note = str(ex)
            time.sleep(0.05)
        if proc.poll() is not None and q is None:
            note = "httpd exited with %s" % proc.returncode
    finally:
        # our pid is the server's (unshare and sh exec); root=None: the
        # session check alone picks our processes (cmdline names ETC)
        httpd.stop_server(proc, None)
    return q, note


def run_case(args, idx, tmp):
    case = gen_case(args.seed, idx)
    tree = os.path.join(tmp, "case-%d" % idx)
    port = PORT_BASE + (args.seed * 7 + idx) % 800
    user, group = httpd.run_user_group()
    build_tree(case, tree, args.modules, port, user, group)
    where = "%d:%d %s %s" % (args.seed, idx, case["mpm"], case["kind"])
    fails = []
    trc, terr = run_t(args.apache2, tree)
    if trc == 97:
        return where, ["mount --bind failed in the namespace"], None
    lint, lerr = run_lint(args.build, tree)
    if lint is None:
        return where, ["mpmlint gave no JSON: %s" % lerr], None
    fatal = [f for f in lint["findings"] if diff.is_fatal(f)]
    # the main file named by its place in the tree reads the same tree
    lint2, lerr2 = run_lint(args.build, tree,
                            os.path.join(tree, "etc", "apache2", "apache2.conf"))
    if lint2 is None or lint2 != lint:
        fails.append("mpmlint --root TREE TREE/etc/apache2/apache2.conf "
                     "differs from the server path form")
    if (trc != 0) != bool(fatal):
        fails.append("verdict: apache2 -t exit %d (%s), mpmlint fatal %s"
                     % (trc, terr.strip().splitlines()[-1:] if terr else "",
                        [f["message"] for f in fatal][:2]))
    if case["kind"] in REFUSED and trc == 0:
        fails.append("the case should make httpd refuse the tree")
    started = None
    if not fails and trc == 0 and not fatal and lint.get("effective"):
        q, note = start_and_query(args.apache2, tree, port)
        started = note
        if q is None:
            fails.append("httpd did not serve: %s" % note)
        else:
            want = diff.runtime_expect(case["mpm"], q)
            eff = lint["effective"]
            same = 0
            for k, v in sorted(want.items()):
                if v is None or k not in eff:
                    continue
                if eff[k] != v:
                    fails.append("%s: mpmlint %s, httpd %s" % (k, eff[k], v))
                else:
                    same += 1
            if same < 5:
                fails.append("only %d values compared: %s" % (same, want))
            started = "%s, %d values equal" % (note, same)
    if fails and args.keep:
        keep = os.path.join(args.build, "differential-root", "case-%d" % idx)
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(tree, keep, symlinks=True)
        fails.append("kept in %s" % keep)
    return where, fails, started


def etc_state():
    """The machine's /etc/apache2 as seen here: names, link targets,
    sizes, times, and whether anything is mounted on it."""
    h = hashlib.sha256()
    for d, dirs, files in os.walk(ETC):
        dirs.sort()
        for n in sorted(dirs + files):
            p = os.path.join(d, n)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            h.update(("%s %o %d %d" % (p, st.st_mode, st.st_size,
                                       st.st_mtime_ns)).encode())
            if os.path.islink(p):
                h.update(os.readlink(p).encode())
    with open("/proc/self/mountinfo") as f:
        mounted = any(l.split()[4] == ETC for l in f)
    return h.hexdigest(), mounted


def skip(reason):
    print("skipped: %s" % reason)
    print("differential-root: 0 passed, 0 failed")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--apache2", default=None)
    ap.add_argument("--modules", default="/usr/lib/apache2/modules")
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--count", type=int, default=39)
    ap.add_argument("--jobs", type=int, default=3)
    ap.add_argument("--case", type=int, action="append")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    args.apache2 = httpd.find_apache2(args.apache2)
    if args.apache2 is None:
        return skip("apache2 not installed")
    if not os.path.isfile(os.path.join(args.modules, "mod_lua.so")):
        return skip("mod_lua not installed")
    if shutil.which("unshare") is None:
        return skip("unshare not installed")
    if not os.path.isdir(ETC):
        return skip("%s does not exist to mount on" % ETC)
    probe = subprocess.run(["unshare", "-m", "--propagation", "private",
                            "sh", "-c", "mount --bind / /mnt 2>/dev/null"],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        return skip("no private mount namespaces here (unshare -m needs root "
                    "or user namespaces)")
    before = etc_state()
    if before[1]:
        return skip("something is already mounted on %s" % ETC)
    idxs = args.case or list(range(args.count))
    tmp = tempfile.mkdtemp(prefix="mpmlint-droot.")
    passed = failed = 0
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            for where, fails, started in ex.map(
                    lambda i: run_case(args, i, tmp), idxs):
                if fails:
                    failed += 1
                    print("FAIL %s: %s" % (where, "; ".join(fails)))
                else:
                    passed += 1
                    if args.v:
                        print("ok %s%s" % (where, " (started: %s)" % started
                                           if started else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    after = etc_state()
    if after != before:
        failed += 1
        print("FAIL: the machine's %s changed during the run" % ETC)
    else:
        passed += 1
    print("differential-root: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
