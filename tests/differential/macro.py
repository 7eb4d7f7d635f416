#!/usr/bin/env python3
"""macro.py - differential test of mpmlint's mod_macro against real httpd.

Generates seeded configurations that use mod_macro (<Macro>, Use,
UndefMacro) around MPM settings, runs each through "apache2 -t -e info"
(so the INFO deprecation notices count, as in diff.py) and
"mpmlint --format json", and starts the ones -t accepts to compare the
effective values.  It reuses diff.py's case rendering, -t parsing and
start/query machinery (tests/differential/diff.py), so the contract is
the same:

  (1) verdict: apache2 -t fails  <=>  mpmlint has a fatal finding.
  (2) -t passes: the multiset of AH ids on -t's stderr equals the
      multiset of the httpd ids of mpmlint's findings (minus the ids -t
      never prints, diff.NOT_UNDER_T).  mod_macro's warnings (AH02795 to
      AH02805, AH02989) and the MPM check_config warnings count.
      -t fails: httpd's error names a line; for an error inside a macro
      body ("line K of macro 'x' (...) used on line U of "F"") that is
      the outermost Use line U of the real file.  mpmlint must have a
      fatal finding on that file and line whose message (without the
      " (in macro ...)" context) and httpd's start the same way.
  (3) started (--start K of the cases -t accepts): the effective values
      the running MPM answers (mod_lua r.mpm_query, diff.runtime_expect)
      equal mpmlint's "effective" object, unless mpmlint reports an error.

Shapes (gen_case): MPM values passed through macro arguments ($x, ${x},
%x, @x, several per macro, names that are prefixes of each other), macros
used inside <IfModule> and the MPM guard inside the body, nested macros,
macro names in other case, redefinition, UndefMacro, wrong argument
counts, undefined macros (never defined, used before the definition,
defined in a false <IfModule>, undefined again), recursion (direct and
through a second macro), errors inside a body (an unknown directive,
another MPM's directive, a wrong argument count), unused and empty
arguments, empty bodies, names without a prefix, and macro_module not
loaded at all.  A quarter of the cases keep the macros in an Include'd
file.

Usage: macro.py [--seed S] [--count N] [--start K] [--jobs J] [--show I]
                [--case I ...] [--build DIR] [--apache2 PATH]
                [--modules DIR] [-v]
Output: a FAIL line per disagreement (the case is kept under
BUILD/differential-macro/), then "differential-macro: N passed, M failed".
Exit 1 on any disagreement.
"""

import argparse
import os
import random
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import diff  # noqa: E402

MPMS = ("prefork", "worker", "event")
DEFAULT_SEED = 20261207
DEFAULT_COUNT = 150
DEFAULT_START = 15

# per MPM: directive -> plausible values (valid ones, mostly)
VALUES = {
    "prefork": {"StartServers": ["2", "5", "8"],
                "MinSpareServers": ["3", "5", "10"],
                "MaxSpareServers": ["10", "20"],
                "MaxRequestWorkers": ["20", "50", "150", "300"],
                "ServerLimit": ["64", "300"]},
    "worker": {"ThreadsPerChild": ["16", "25", "50"],
               "MaxRequestWorkers": ["50", "100", "120", "400"],
               "ServerLimit": ["8", "16"],
               "MinSpareThreads": ["25", "50"],
               "MaxSpareThreads": ["75", "250"]},
    "event": {"ThreadsPerChild": ["16", "25", "50"],
              "MaxRequestWorkers": ["50", "100", "120", "400"],
              "ServerLimit": ["8", "16"],
              "MinSpareThreads": ["25", "50"],
              "MaxSpareThreads": ["75", "250"]},
}
# shapes that apache2 -t accepts (the others must fail)
ACCEPTED = {"values", "quoted", "guarded", "nested", "case", "redefine",
            "undef-ok", "empty-body", "unused", "noprefix",
            "prefix-conflict", "empty-arg", "spans", "use-in-vhost",
            "define-in-macro", "ignore-flags"}
FOREIGN = {"prefork": "ThreadsPerChild 25", "worker": "MinSpareServers 5",
           "event": "MaxSpareServers 10"}

SHAPES = ("values", "values", "values", "guarded", "nested", "case",
          "redefine", "undef-ok", "argcount", "undefined", "before",
          "false-guard", "undef-then-use", "recursion", "recursion2",
          "body-unknown", "body-foreign", "body-args", "unused", "empty-arg",
          "empty-body", "noprefix", "prefix-conflict", "no-module",
          "quoted", "spans", "spans-extra", "vhost-mpm", "use-in-vhost",
          "define-in-macro", "ignore-flags")


def params(rng, n):
    style = rng.choice(["$", "${}", "%", "$", "@"])
    names = rng.sample(["w", "t", "s", "lim", "max", "n"], n)
    if style == "${}":
        return ["${%s}" % x for x in names]
    return [style + x for x in names]


def settings(rng, mpm, n):
    keys = rng.sample(sorted(VALUES[mpm]), n)
    return [(k, rng.choice(VALUES[mpm][k])) for k in keys]


def tune(rng, mpm, name="Tune", n=None):
    """A macro that sets n MPM directives from its arguments."""
    n = n or rng.randint(1, 3)
    ps = params(rng, n)
    sets = settings(rng, mpm, n)
    ind = rng.choice(["", "    "])
    lines = ["<Macro %s %s>" % (name, " ".join(ps))]
    lines += ["%s%s %s" % (ind, k, p) for (k, _), p in zip(sets, ps)]
    lines.append("</Macro>")
    return lines, [v for _, v in sets]


def gen_case(seed, idx):
    rng = random.Random("%d:%d" % (seed, idx))
    mpm = MPMS[idx % 3]
    shape = SHAPES[(idx // 3) % len(SHAPES)] if idx < 3 * len(SHAPES) \
        else rng.choice(SHAPES)
    body = []
    load_macro = True
    d, vals = tune(rng, mpm)
    use = "Use Tune %s" % " ".join(vals)
    if shape == "values":
        body = d + [use]
    elif shape == "quoted":
        body = d + ["Use Tune %s" % " ".join('"%s"' % v for v in vals)]
    elif shape == "guarded":
        body = ["<Macro Tune $v>",
                "<IfModule mpm_%s_module>" % mpm,
                "MaxRequestWorkers $v",
                "</IfModule>",
                "</Macro>",
                "<IfModule mpm_%s_module>" % mpm,
                "Use Tune %s" % rng.choice(VALUES[mpm]["MaxRequestWorkers"]),
                "</IfModule>"]
    elif shape == "nested":
        body = d + ["<Macro Outer $a $b>",
                    "Use Tune %s" % " ".join(["$a"] + vals[1:]),
                    "ServerAdmin $b",
                    "</Macro>",
                    "Use Outer %s admin@example.com" % vals[0]]
    elif shape == "case":
        body = d + ["Use TUNE %s" % " ".join(vals)]
    elif shape == "redefine":
        d2, vals2 = tune(rng, mpm)
        body = d + d2 + ["Use Tune %s" % " ".join(vals2)]
    elif shape == "undef-ok":
        body = d + [use, "UndefMacro tune"]
    elif shape == "argcount":
        extra = rng.choice([vals + ["1"], vals[:-1]])
        body = d + ["Use Tune %s" % " ".join(extra)]
    elif shape == "undefined":
        body = d + ["Use Other 1"]
    elif shape == "before":
        body = [use] + d
    elif shape == "false-guard":
        body = ["<IfModule mod_nonexistent.c>"] + d + ["</IfModule>", use]
    elif shape == "undef-then-use":
        body = d + ["UndefMacro Tune", use]
    elif shape == "recursion":
        body = ["<Macro Loop $x>", "ServerAdmin $x", "Use Loop $x",
                "</Macro>", "Use Loop a@b"]
    elif shape == "recursion2":
        body = ["<Macro A $x>", "Use B $x", "</Macro>",
                "<Macro B $y>", "Use A $y", "</Macro>", "Use A 1"]
    elif shape == "body-unknown":
        body = d[:-1] + ["NoSuchDirective 1"] + d[-1:] + [use]
    elif shape == "body-foreign":
        body = d[:-1] + [FOREIGN[mpm]] + d[-1:] + [use]
    elif shape == "body-args":
        body = ["<Macro Two $a $b>", "MaxRequestWorkers $a $b", "</Macro>",
                "Use Two 1 2"]
    elif shape == "unused":
        body = ["<Macro Tune $v $unused>", "MaxRequestWorkers $v",
                "</Macro>", "Use Tune %s x"
                % rng.choice(VALUES[mpm]["MaxRequestWorkers"])]
    elif shape == "empty-arg":
        body = ["<Macro Tune $v $w>", "MaxRequestWorkers $v $w", "</Macro>",
                'Use Tune %s ""' % rng.choice(VALUES[mpm]["MaxRequestWorkers"])]
    elif shape == "empty-body":
        body = ["<Macro Nothing>", "</Macro>", "Use Nothing"] + d + [use]
    elif shape == "noprefix":
        body = ["<Macro Tune v>", "MaxRequestWorkers v", "</Macro>",
                "Use Tune %s" % rng.choice(VALUES[mpm]["MaxRequestWorkers"])]
    elif shape == "prefix-conflict":
        body = ["<Macro Tune $m $mx>", "MaxRequestWorkers $mx",
                "ServerAdmin $m", "</Macro>",
                "Use Tune a@b %s" % rng.choice(
                    VALUES[mpm]["MaxRequestWorkers"])]
    elif shape in ("spans", "spans-extra"):
        # a section opened in the body, closed after the Use (AH02795)
        body = ["<Macro Open $v>", "<IfModule mpm_%s_module>" % mpm,
                "MaxRequestWorkers $v", "</Macro>",
                "Use Open %s" % rng.choice(VALUES[mpm]["MaxRequestWorkers"]),
                "</IfModule>"]
        if shape == "spans-extra":
            body.append("</IfModule>")
    elif shape == "vhost-mpm":
        # an MPM directive may not come out of a macro used in <VirtualHost>
        body = d + ["<VirtualHost *:80>", use, "</VirtualHost>"]
    elif shape == "use-in-vhost":
        body = ["<Macro Admin $a>", "ServerAdmin $a", "</Macro>",
                "<VirtualHost *:80>", "Use Admin webmaster@example.com",
                "</VirtualHost>"] + d + [use]
    elif shape == "define-in-macro":
        body = ["<Macro Outer $v>", "<Macro Inner $w>",
                "MaxRequestWorkers $w", "</Macro>", "Use Inner $v",
                "</Macro>", "Use Outer %s"
                % rng.choice(VALUES[mpm]["MaxRequestWorkers"])]
    elif shape == "ignore-flags":
        body = ["MacroIgnoreBadNesting",
                "<Macro Tune /IgnoreEmptyArgs $v $e>",
                "<IfModule mpm_%s_module>" % mpm, "MaxRequestWorkers $v $e",
                "</Macro>", 'Use Tune %s ""'
                % rng.choice(VALUES[mpm]["MaxRequestWorkers"]),
                "</IfModule>"]
    elif shape == "no-module":
        load_macro = False
        body = d + [use]
    load = [diff.load_line(mpm)]
    if load_macro:
        load.append('LoadModule macro_module "@MODULES@/mod_macro.so"')
    return {"seed": seed, "idx": idx, "mpm": mpm, "kind": "macro-" + shape,
            "pre": [], "load": load, "body": body,
            "include": "absolute" if rng.random() < 0.25 else None}


STARTED = []        # cases started and queried

CONTEXT = re.compile(r" \(in macro '[^']*', [^)]*\)$")
USED_ON = re.compile(r'used on line (\d+) of "(/[^"]*)"')


def httpd_error(ht, err, root):
    """(file, line, message) of the error that stopped -t, or None."""
    f = ht["fatal"]
    if f is None:
        return None
    file, line = f["file"], f["line"]
    uses = list(USED_ON.finditer(err))
    if file and file.startswith("macro '") and uses:
        file, line = diff.rel(uses[-1].group(2), root), \
            int(uses[-1].group(1))
    return file, line, f["message"]


def compare(case, root, ht, err, lint, ignore=frozenset()):
    """The problems, [] when mpmlint agrees with httpd; ids in ignore are
    left out of the comparison (tests/thirdparty/check.py uses this)."""
    probs = []
    findings = lint.get("findings", [])
    fatal = [f for f in findings if diff.is_fatal(f)]
    if (not ht["ok"]) != bool(fatal):
        probs.append("verdict: apache2 -t %s, mpmlint %s" % (
            "fails" if not ht["ok"] else "passes",
            "fatal: " + "; ".join(diff.describe(f) for f in fatal[:3])
            if fatal else "no fatal finding"))
        return probs
    if ht["ok"]:
        skip = diff.NOT_UNDER_T | set(ignore)
        want = sorted(i for i in ht["ids"] if i not in skip)
        got = sorted(f["httpd"] for f in findings
                     if f.get("httpd") and f["httpd"] not in skip)
        if want != got:
            probs.append("AH ids: httpd %s, mpmlint %s" % (want, got))
        return probs
    he = httpd_error(ht, err, root)
    if he is None:
        return probs
    file, line, msg = he
    for f in fatal:
        m = CONTEXT.sub("", f.get("message", ""))
        if diff.rel(f.get("file") or "", root) == file and \
                f.get("line") == line and (msg.startswith(m[:60]) or
                                           m.startswith(msg[:60])):
            return probs
    probs.append("first error: httpd %s:%s %r; mpmlint %s" % (
        file, line, msg, "; ".join(diff.describe(f) for f in fatal[:3])))
    return probs


def run_case(a, case, start):
    root = tempfile.mkdtemp(prefix="mpmlint-macro-")
    os.chmod(root, 0o755)       # the children run as User when root
    ok = True
    try:
        port = 23000 + case["idx"] % 1000
        user, group = diff.run_user_group()
        diff.write_case(case, root, a.modules, port, user, group)
        conf = os.path.join(root, "httpd.conf")
        rc, _, err, _ = diff.run([a.apache2, "-d", root, "-f", conf, "-t",
                                  "-e", "info"],
                                 30)
        ht = diff.parse_httpd_t(rc, err, root)
        lrc, out, lerr, _ = diff.run([os.path.join(a.build, "mpmlint"),
                                      "-f", "json", "--no-config", conf], 30)
        try:
            lint = diff.json.loads(out)
        except ValueError:
            return False, ["mpmlint printed no JSON (exit %d): %s"
                           % (lrc, lerr.strip()[:200])], root
        probs = compare(case, root, ht, err, lint)
        if not probs and start and ht["ok"] and not any(
                f.get("severity") == "error" for f in lint["findings"]):
            q, note, _ = diff.start_and_query(a.apache2, case, root,
                                              a.modules, user, group, 20)
            STARTED.append(case["idx"])
            if q is None:
                probs.append("httpd did not serve (%s)" % note)
            else:
                want = diff.runtime_expect(case["mpm"], q)
                eff = lint.get("effective") or {}
                bad = {k: (v, eff.get(k)) for k, v in want.items()
                       if v is not None and eff.get(k) != v}
                if bad:
                    probs.append("effective values differ (httpd, mpmlint): "
                                 + ", ".join("%s %s/%s" % (k, v[0], v[1])
                                             for k, v in sorted(bad.items())))
        ok = not probs
        return ok, probs, root
    finally:
        if ok:
            shutil.rmtree(root, ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int,
                   default=int(os.environ.get("DIFF_SEED", DEFAULT_SEED)))
    p.add_argument("--count", type=int, default=int(
        os.environ.get("MACRO_COUNT", DEFAULT_COUNT)))
    p.add_argument("--start", type=int, default=int(
        os.environ.get("MACRO_START", DEFAULT_START)))
    p.add_argument("--jobs", type=int, default=int(
        os.environ.get("DIFF_JOBS", 2)))
    p.add_argument("--case", type=int, action="append")
    p.add_argument("--show", type=int)
    p.add_argument("--build", default="build")
    p.add_argument("--apache2")
    p.add_argument("--modules", default="/usr/lib/apache2/modules")
    p.add_argument("-v", action="store_true")
    a = p.parse_args()
    if a.show is not None:
        c = gen_case(a.seed, a.show)
        print("# %s %s" % (c["mpm"], c["kind"]))
        print("\n".join(c["load"] + c["body"]))
        return 0
    a.apache2 = diff.find_apache2(a.apache2)
    if a.apache2 is None or not os.path.exists(
            os.path.join(a.modules, "mod_macro.so")):
        print("skipped: apache2 or mod_macro.so not installed")
        print("differential-macro: 0 passed, 0 failed")
        return 0
    a.build = os.path.abspath(a.build)
    idxs = a.case or list(range(a.count))
    cases = [gen_case(a.seed, i) for i in idxs]
    # start K of the shapes httpd accepts, spread over the run
    valid = [c for c in cases if c["kind"][6:] in ACCEPTED]
    step = max(1, len(valid) // max(1, a.start))
    starts = {c["idx"] for c in valid[::step][:a.start]}
    keep = os.path.join(a.build, "differential-macro")
    passed = failed = 0
    results = diff.pmap(lambda c: (c, run_case(a, c, c["idx"] in starts)),
                        cases, a.jobs)
    for c, (ok, probs, root) in results:
        if ok:
            passed += 1
            if a.v:
                print("ok %d:%d %s %s" % (a.seed, c["idx"], c["mpm"],
                                          c["kind"]))
            continue
        failed += 1
        dest = os.path.join(keep, "%d-%d" % (a.seed, c["idx"]))
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(keep, exist_ok=True)
        shutil.move(root, dest)
        print("FAIL %d:%d %s %s: %s; kept in %s" % (
            a.seed, c["idx"], c["mpm"], c["kind"], "; ".join(probs), dest))
    print("differential-macro: %d cases started, effective values compared"
          % len(STARTED))
    print("differential-macro: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
