#!/usr/bin/env python3
"""classes.py - differential test of the classes of issue 11 ("mpmlint
says clean where httpd disagrees") against real apache2 -t.

Seeded cases, each a configuration in a fresh temporary directory:

  docroot   <VirtualHost> DocumentRoots naming a directory, nothing, a
            file, relative to ServerRoot or not, inside an <IfModule>;
            sometimes the main server's DocumentRoot too (HC081, HC074)
  nompm     no MPM loaded, with a random mix of what httpd says while
            reading (a module loaded twice, an undefined ${VAR}) and what
            it would say only when walking the tree or in check_config
            (Invalid command, bad Listen, Error, DocumentRoot, log and
            Mutex directories, a virtual host's DocumentRoot); linted
            alone, or with a second file in one JSON document, or as a
            --root tree holding the file at its own path (MPM001)
  symbol    LoadModule X_module naming the file of module Y, or its own
            (HC080)
  listen    Listen with a host name: localhost (any case), names under
            .invalid, addresses, the wildcard (MPM063)
  mutex     Mutex mechanisms (none and no included) with mutex types of
            loaded and not loaded modules, odd case, OmitPID (MPM029)
  suexec    Suexec On/Off and mod_suexec's SuexecUserGroup, in the main
            server and a virtual host, with the wrapper this machine has
            (Debian's /usr/lib/apache2/suexec, or none) (HC082)
  require   Require lines with every provider of the authz modules,
            loaded or not, "not", odd case and quoting, bad ip and
            method arguments, inside <RequireAll/Any/None> or <Limit>
            or alone (MPM067)

apache2 and mpmlint run with RES_OPTIONS="timeout:1 attempts:1", so a
name the resolver cannot answer fails the same quick way for both; the
names are localhost (/etc/hosts) and .invalid ones, never a real DNS
name.  Compared, for each case:
  (1) verdict: apache2 -t exits non-zero <=> mpmlint reports an error;
  (2) when -t passes, the multiset of AH ids on its output equals that
      of mpmlint's findings (AH00112 for each missing vhost DocumentRoot);
  (3) when -t fails with "Syntax error on line N" (shapes A and B), an
      error of mpmlint is at line N with a message starting with httpd's;
      when it fails with AH00534, mpmlint's ids are exactly httpd's and
      its only error is the AH00534 one.
Usage: classes.py [--build DIR] [--apache2 PATH] [--modules DIR]
                  [--seed S] [--count N] [-v]
Output: FAIL lines and "differential-classes: N passed, M failed".
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MOD = "/usr/lib/apache2/modules"
# modules that need no other module loaded first (parser/moddeps.def)
PLAIN = ["alias", "rewrite", "headers", "env", "expires", "setenvif",
         "mime", "dir", "autoindex", "negotiation", "userdir", "status",
         "info", "filter", "deflate", "remoteip", "speling"]
ENV = dict(os.environ, RES_OPTIONS="timeout:1 attempts:1", LC_ALL="C")
PORT = 24600


def so(m):
    return "LoadModule %s_module %s/mod_%s.so" % (m, MOD, m)


def gen_docroot(rng, d):
    os.mkdir(os.path.join(d, "there"))
    open(os.path.join(d, "file"), "w").close()
    lines = [so("mpm_event")]
    for k in range(rng.randint(1, 3)):
        p = rng.choice(["%s/there" % d, "%s/none" % d, "%s/file" % d,
                        "there", "none", "file"])
        body = ["DocumentRoot %s" % p]
        if rng.random() < 0.3:
            body = ["<IfModule mpm_event_module>"] + body + ["</IfModule>"]
        lines += ["<VirtualHost 127.0.0.1:%d>" % (PORT + 1 + k)] + body + \
            ["</VirtualHost>"]
    if rng.random() < 0.3:
        lines.append("DocumentRoot %s" % rng.choice(
            ["%s/there" % d, "%s/none" % d]))
    return lines


def gen_nompm(rng, d):
    pool = [
        [so("alias"), so("alias")],
        ["ServerAdmin ${NOT_DEFINED_MPMLINT}"],
        ["Bogus directive"],
        ["Listen 8080x"],
        ["Listen nosuchhost.invalid:8081"],
        ["KeepAliveTimeout five"],
        ['Error "not reached"'],
        ["MaxRequestWorkers 5000"],
        ["DocumentRoot %s/none" % d],
        ["ErrorLog %s/nodir/error.log" % d],
        ["CustomLog %s/nodir/access.log common" % d],
        ["Mutex file:%s/nodir default" % d],
        ["<VirtualHost 127.0.0.1:%d>" % (PORT + 1),
         "DocumentRoot %s/none" % d, "</VirtualHost>"],
        [so("socache_shmcb"), so("ssl"), "SSLCertificateFile %s/none" % d],
        ['<If "%{REQUEST_URL} == \'x\'">', "</If>"],
    ]
    lines = ["# no LoadModule of an MPM"]
    for block in rng.sample(pool, rng.randint(1, 6)):
        lines += block
    return lines


def gen_symbol(rng, d):
    m = rng.choice(PLAIN)
    f = m if rng.random() < 0.3 else rng.choice(PLAIN)
    return [so("mpm_event"),
            "LoadModule %s_module %s/mod_%s.so" % (m, MOD, f)]


def gen_listen(rng, d):
    names = ["localhost", "LOCALHOST", "Localhost", "nosuchhost.invalid",
             "a-b.invalid", "x.y.invalid", "127.0.0.1", "[::1]", "*"]
    lines = [so("mpm_event")]
    for k in range(rng.randint(1, 2)):
        lines.append("Listen %s:%d" % (rng.choice(names), PORT + 10 + k))
    return lines


def gen_mutex(rng, d):
    mods = rng.sample(["ssl", "rewrite", "auth_digest", "proxy",
                       "proxy_balancer", "lua"], rng.randint(0, 2))
    lines = [so(rng.choice(["mpm_event", "mpm_prefork", "mpm_worker"]))]
    for m in mods:
        if m == "ssl":
            lines.append(so("socache_shmcb"))
        if m == "proxy_balancer":
            lines += [so("proxy"), so("slotmem_shm")]
        lines.append(so(m))
    types = ["default", "Default", "ssl-cache", "ssl-stapling",
             "rewrite-map", "authdigest-client", "proxy",
             "proxy-balancer-shm", "lua-ivm-shm", "watchdog-callback",
             "mpm-accept", "nosuch", "omitpid", "OmitPID"]
    for _ in range(rng.randint(1, 2)):
        mech = rng.choice(["file:%s" % d, "default", "pthread", "none",
                           "no", "yes", "sysvsem", "flock:%s" % d])
        lines.append(" ".join(["Mutex", mech] + rng.sample(
            types, rng.randint(0, 2))))
    return lines


def gen_suexec(rng, d):
    lines = [so("mpm_event")]
    if rng.random() < 0.5:
        lines.append(so("suexec"))
    for _ in range(rng.randint(1, 2)):
        w = rng.choice(["Suexec On", "Suexec Off", "Suexec on",
                        "SuexecUserGroup www-data www-data", "vhost"])
        if w == "vhost":
            lines += ["<VirtualHost 127.0.0.1:%d>" % (PORT + 1),
                      "SuexecUserGroup www-data www-data", "</VirtualHost>"]
        else:
            lines.append(w)
    return lines


def gen_require(rng, d):
    mods = rng.sample(["authz_host", "authz_user", "authz_groupfile",
                       "authz_owner", "authnz_ldap"], rng.randint(0, 2))
    lines = [so("mpm_event"), so("authz_core")]
    for m in mods:
        if m == "authnz_ldap":
            lines.append(so("ldap"))
        lines.append(so(m))
    words = ["all granted", "all denied", "All granted", "all Granted",
             'all "granted"', "all", "all granted x", "env X", "method GET",
             "method get", "method GET BREW", "expr true", "ip 10.0.0.1",
             "ip 10.0.0.0/8 ::1", "ip bogus", "ip 300.1.1.1",
             "ip 10.0.0.0/33", "ip", "host example.org", "local",
             "valid-user", "user a", "group g", "file-owner", "file-group",
             "ldap-group cn=x", "ldap-user u", "bogus", ""]
    body = []
    for _ in range(rng.randint(1, 2)):
        w = rng.choice(words)
        neg = "not " if rng.random() < 0.3 else ""
        body.append(("Require %s%s" % (neg, w)).rstrip())
    if rng.random() < 0.1:
        body = []
    for _ in range(rng.choice([1, 1, 2])):
        wrap = rng.choice([None, "RequireAll", "RequireAny", "RequireNone",
                           "Limit GET"])
        if wrap is not None:
            body = ["<%s>" % wrap] + body + ["</%s>" % wrap.split()[0]]
    return lines + ["<Directory %s>" % d] + body + ["</Directory>"]


GEN = {"docroot": gen_docroot, "nompm": gen_nompm, "symbol": gen_symbol,
       "listen": gen_listen, "mutex": gen_mutex, "suexec": gen_suexec,
       "require": gen_require}


def head(d):
    return ["ServerRoot %s" % d, "ServerName localhost",
            "Listen 127.0.0.1:%d" % PORT, "ErrorLog %s/error.log" % d,
            "PidFile %s/pid" % d, "Mutex file:%s" % d]


SHAPE = re.compile(r"(?:AH00526: |apache2: )Syntax error on line (\d+) of "
                   r"[^:\n]+:\s*(.*)")


def httpd_says(out):
    """(ids, (line, message) or None, AH00534 seen)"""
    ids = re.findall(r"\b(AH\d{5})\b", out)
    m = SHAPE.search(out)
    err = (int(m.group(1)), m.group(2).strip()) if m else None
    if m and not m.group(2).strip():
        # shape B: the message is on the next line
        rest = out[m.end():].lstrip("\n").split("\n", 1)[0]
        err = (int(m.group(1)), rest.strip())
    return ids, err, "AH00534" in ids


def compare(h, findings):
    """The problems of one httpd run against one file's findings."""
    probs = []
    errs = [f for f in findings if f.get("severity") == "error"]
    ids, err, nompm = httpd_says(h.stderr + h.stdout)
    got = collections.Counter(f["httpd"] for f in findings
                              if f.get("httpd"))
    if (h.returncode != 0) != bool(errs):
        probs.append("verdict: httpd %s, mpmlint errors %s" % (
            "refuses" if h.returncode else "accepts",
            [f["rule"] for f in errs]))
        return probs
    if h.returncode == 0:
        # AH00558 (no ServerName) cannot occur: the head sets one
        if collections.Counter(ids) != got:
            probs.append("ids: httpd %s, mpmlint %s" % (
                dict(collections.Counter(ids)), dict(got)))
        return probs
    if nompm:
        if collections.Counter(ids) != got:
            probs.append("after AH00534: httpd ids %s, mpmlint %s" % (
                dict(collections.Counter(ids)), dict(got)))
        other = [f["rule"] for f in errs if f.get("httpd") != "AH00534"]
        if other:
            probs.append("after AH00534: mpmlint errors %s too" % other)
        return probs
    if err is None:
        return probs
    line, msg = err
    if not any(f.get("line") == line and
               f.get("message", "").startswith(msg) for f in errs):
        probs.append("httpd's error at line %d %r; mpmlint %s" % (
            line, msg, [(f.get("line"), f.get("message")) for f in errs]))
    return probs


def lint(a, args):
    m = subprocess.run([os.path.join(a.build, "mpmlint"), "--no-config",
                        "-f", "json"] + args, capture_output=True,
                       text=True, timeout=120, env=ENV)
    doc = json.loads(m.stdout)
    if "files" in doc:
        return [f.get("findings", []) for f in doc["files"]]
    return [doc.get("findings", [])]


def apache2(a, conf):
    return subprocess.run([a.apache2, "-t", "-f", conf],
                          capture_output=True, text=True, timeout=120,
                          env=ENV)


def main():
    global MOD
    p = argparse.ArgumentParser()
    p.add_argument("--build", default=os.path.join(TOP, "build"))
    p.add_argument("--apache2", default=shutil.which("apache2") or
                   "/usr/sbin/apache2")
    p.add_argument("--modules", default=MOD)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--count", type=int, default=140)
    p.add_argument("-v", action="store_true")
    a = p.parse_args()
    MOD = a.modules
    if not os.access(a.apache2, os.X_OK) or \
            not os.path.exists(MOD + "/mod_rewrite.so"):
        print("skipped: apache2 not installed")
        print("differential-classes: 0 passed, 0 failed")
        return 0
    ok = bad = 0
    kinds = collections.Counter()
    for i in range(a.count):
        rng = random.Random("%d-%d" % (a.seed, i))
        kind = sorted(GEN)[i % len(GEN)]
        kinds[kind] += 1
        d = tempfile.mkdtemp(prefix="mpmlint-classes-")
        try:
            lines = GEN[kind](rng, d)
            conf = os.path.join(d, "t.conf")
            with open(conf, "w") as f:
                f.write("\n".join(head(d) + lines) + "\n")
            how = "alone"
            if kind == "nompm":
                how = rng.choice(["alone", "two", "root"])
            probs = []
            if how == "two":
                conf2 = os.path.join(d, "u.conf")
                with open(conf2, "w") as f:
                    f.write("\n".join(head(d) + [so("mpm_event"),
                                                 "DocumentRoot %s" % d])
                            + "\n")
                found = lint(a, [conf, conf2])
                for c, fs in zip([conf, conf2], found):
                    probs += compare(apache2(a, c), fs)
            elif how == "root":
                # a tree that holds the file (and nothing else) at its
                # own path: httpd reads this machine, mpmlint the tree;
                # the tree's findings are notes, the verdict AH00534's
                tree = os.path.join(d, "tree")
                os.makedirs(tree + d)
                shutil.copy(conf, tree + conf)
                fs = lint(a, ["--root", tree, conf])[0]
                h = apache2(a, conf)
                probs += compare(h, [f for f in fs
                                     if f.get("severity") != "info"])
            else:
                probs += compare(apache2(a, conf), lint(a, [conf])[0])
            if probs:
                bad += 1
                print("FAIL classes case %d (%s, %s): %s\n  %s" % (
                    i, kind, how, "; ".join(probs), "\n  ".join(lines)))
            else:
                ok += 1
                if a.v:
                    print("ok %d %s %s" % (i, kind, how))
        finally:
            shutil.rmtree(d, ignore_errors=True)
    print("classes: %s" % ", ".join("%s %d" % kv for kv in
                                    sorted(kinds.items())))
    print("differential-classes: %d passed, %d failed" % (ok, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
