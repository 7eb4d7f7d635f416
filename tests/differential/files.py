#!/usr/bin/env python3
"""files.py - differential test of what httpd checks about files and
modules at "apache2 -t" (HC057, HC071, HC072, HC073) against real httpd.

Seeded cases, each a configuration in a fresh temporary directory:
LoadModule of a built-in module (any path); module pairs from
parser/moddeps.def loaded in either order, or the dependent alone;
mod_ssl's file directives naming a file that exists, is empty, is
missing, or a directory; DocumentRoot (main server and vhost),
CoreDumpDirectory, Mutex mechanisms with a directory and
DefaultRuntimeDir naming a directory, a file or nothing (a Mutex of
sem or posixsem with a relative directory is not generated: httpd takes
it from its working directory, which mpmlint leaves unchecked); ErrorLog/CustomLog in the main server or a
<VirtualHost> naming an existing or a missing directory, a pipe or
syslog, sometimes followed by a second ErrorLog.  Compared: the verdict
(apache2 -t fails <=> mpmlint reports an error).
Usage: files.py [--build DIR] [--apache2 PATH] [--modules DIR] [--seed S] [--count N] [-v]
Output: FAIL lines and "differential-files: N passed, M failed".
"""
import argparse
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
BUILTIN = ["log_config", "logio", "version", "unixd", "so", "watchdog"]
SSL = ["SSLCertificateFile", "SSLCertificateKeyFile", "SSLCACertificateFile",
       "SSLCARevocationFile", "SSLCertificateChainFile"]
SSLDIR = ["SSLCACertificatePath", "SSLCARevocationPath"]


def moddeps():
    with open(os.path.join(TOP, "parser", "moddeps.def")) as f:
        return re.findall(r'MODDEP\("(\w+)_module", "(\w+)_module"', f.read())


def so(m):
    return "LoadModule %s_module %s/mod_%s.so" % (m, MOD, m)


def gen(rng, d):
    lines = [so("mpm_event")]
    kind = rng.choice(["builtin", "deps", "ssl", "log", "dir"])
    if kind == "builtin":
        m = rng.choice(BUILTIN)
        lines.append("LoadModule %s_module %s" % (m, rng.choice(
            ["%s/mod_%s.so" % (MOD, m), "modules/mod_%s.so" % m])))
    elif kind == "deps":
        m, need = rng.choice(DEPS)
        order = rng.choice(["before", "after", "alone"])
        lines += {"before": [so(need), so(m)], "after": [so(m), so(need)],
                  "alone": [so(m)]}[order]
    elif kind == "ssl":
        open(os.path.join(d, "empty"), "w").close()
        with open(os.path.join(d, "full"), "w") as f:
            f.write("x\n")
        os.mkdir(os.path.join(d, "dir"))
        if rng.random() < 0.8:
            lines += [so("socache_shmcb"), so("ssl")]
        for _ in range(rng.randint(1, 2)):
            if rng.random() < 0.3:
                lines.append("%s %s/%s" % (rng.choice(SSLDIR), d, rng.choice(
                    ["dir", "full", "missing"])))
            else:
                lines.append("%s %s/%s" % (rng.choice(SSL), d, rng.choice(
                    ["full", "empty", "missing", "dir"])))
    elif kind == "dir":
        os.mkdir(os.path.join(d, "there"))
        open(os.path.join(d, "file"), "w").close()
        for _ in range(rng.randint(1, 2)):
            p = rng.choice(["%s/there" % d, "%s/none" % d, "%s/file" % d,
                            "there", "none"])
            w = rng.choice(["DocumentRoot", "CoreDumpDirectory", "Mutex",
                            "DefaultRuntimeDir", "vhost"])
            if w == "Mutex":
                # sem/posixsem with a relative directory: httpd takes it
                # from its working directory, which mpmlint does not check
                mech = rng.choice(["file", "fcntl", "flock", "sem",
                                   "posixsem", "pthread", "default"])
                if mech in ("sem", "posixsem") and not p.startswith("/"):
                    p = "%s/%s" % (d, p)
                lines.append("Mutex %s:%s default" % (mech, p))
            elif w == "vhost":
                lines += ["<VirtualHost 127.0.0.1:30901>",
                          "DocumentRoot %s" % p, "</VirtualHost>"]
            else:
                lines.append("%s %s" % (w, p))
    else:
        os.mkdir(os.path.join(d, "logs"))
        tgt = lambda: rng.choice(["%s/logs/x.log" % d, "%s/none/x.log" % d,
                                  "logs/y.log", "none/y.log",
                                  '"|/bin/cat"', "syslog:local1"])
        body = []
        for _ in range(rng.randint(1, 3)):
            t = tgt()
            if rng.random() < 0.3 and not t.startswith("syslog"):
                body.append("CustomLog %s common" % t)
            else:
                body.append("ErrorLog %s" % t)
        if rng.random() < 0.5:
            lines += ["<VirtualHost 127.0.0.1:30901>"] + body + \
                ["</VirtualHost>"]
        else:
            lines += body
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default=os.path.join(TOP, "build"))
    p.add_argument("--apache2", default=shutil.which("apache2") or
                   "/usr/sbin/apache2")
    p.add_argument("--modules", default="/usr/lib/apache2/modules")
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--count", type=int, default=120)
    p.add_argument("-v", action="store_true")
    a = p.parse_args()
    if not os.access(a.apache2, os.X_OK) or \
            not os.path.exists(a.modules + "/mod_ssl.so"):
        print("skipped: apache2 not installed")
        print("differential-files: 0 passed, 0 failed")
        return 0
    global DEPS, MOD
    DEPS = moddeps()
    MOD = a.modules
    ok = bad = refused = 0
    for i in range(a.count):
        rng = random.Random("%d-%d" % (a.seed, i))
        d = tempfile.mkdtemp(prefix="mpmlint-files-")
        try:
            lines = gen(rng, d)
            head = ["ServerRoot %s" % d, "ServerName localhost",
                    "Listen 127.0.0.1:30900", "ErrorLog %s/error.log" % d,
                    "PidFile %s/pid" % d, "Mutex file:%s" % d]
            conf = os.path.join(d, "t.conf")
            with open(conf, "w") as f:
                f.write("\n".join(head + lines) + "\n")
            h = subprocess.run([a.apache2, "-t", "-f", conf],
                               capture_output=True, text=True, timeout=60)
            m = subprocess.run([os.path.join(a.build, "mpmlint"), "-f",
                                "json", conf], capture_output=True,
                               text=True, timeout=60)
            doc = json.loads(m.stdout)
            errs = [f for f in doc.get("findings", [])
                    if f.get("severity") == "error"]
            refused += h.returncode != 0
            if (h.returncode != 0) == bool(errs):
                ok += 1
            else:
                bad += 1
                print("FAIL files case %d: httpd %s, mpmlint %s\n  %s\n  "
                      "httpd: %s" % (i, "refuses" if h.returncode else
                                     "accepts", [f["rule"] for f in errs],
                                     "\n  ".join(lines),
                                     (h.stderr or h.stdout).strip()))
        finally:
            shutil.rmtree(d, ignore_errors=True)
    print("files: %d of %d cases refused by httpd" % (refused, ok + bad))
    print("differential-files: %d passed, %d failed" % (ok, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
