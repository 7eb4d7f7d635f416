#!/usr/bin/env python3
"""check.py - mpmlint against real httpd on other projects' configuration.

The files under fixtures/thirdparty/ come from the public test suites and
sample configurations of httpd itself (docs/conf, the mod_macro manual),
Augeas (its httpd lens tests and test tree) and certbot (its Apache test
trees); each folder's SOURCE names the origin, the commit and the licence.
They are kept byte for byte as published.

Each case below copies what it needs into a fresh ServerRoot, fills in the
few placeholders the files have (httpd's @@ServerRoot@@ and friends, an
absolute ServerRoot of another distribution), wraps it in a small
configuration of ours where it is a fragment (an MPM, the modules it
needs, Listen on 127.0.0.1 in 23000-23999, logs under the ServerRoot) and
runs "apache2 -t -e info" and "mpmlint -f json" on the same file, with the same
APACHE_* environment.  The comparison is tests/differential/macro.py's:
the verdict, then the AH ids when -t passes (minus the ids mpmlint does
not model, UNMODELLED below, which are listed), or the line and text of
the first error when it fails.  Every file also goes through mpmconv with
no conversion, which must print it back byte for byte.

A case whose configuration loads a module file that does not exist on
this machine (another distribution's mod_systemd.so, mod_dnssd.so) cannot
be judged by httpd: it is reported as "not judged" with httpd's message,
and counts neither way.

Usage: check.py [--build DIR] [--apache2 PATH] [--modules DIR] [-v]
Output: "FAIL name: why" per disagreement, "not judged" lines, and
"thirdparty: N passed, M failed".
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FX = os.path.join(TOP, "fixtures", "thirdparty")
sys.path.insert(0, os.path.join(TOP, "tests", "differential"))
sys.dont_write_bytecode = True
import diff  # noqa: E402
import macro  # noqa: E402

# httpd warnings about things outside mpmlint's model: a DocumentRoot or
# a directory that does not exist on this machine (AH00112).
UNMODELLED = {"AH00112",
              # ServerName not set: depends on the host's resolver
              "AH00558"}

# Known disagreements, each with its reason.  They are reported, and each
# must still disagree: a case that starts to agree fails until it is
# taken off this list.
KNOWN = {
}

HTTPD_IN = "httpd/docs/conf/"
EXTRA = HTTPD_IN + "extra/"

# name, files (relative to fixtures/thirdparty), how, MPM, modules
# how: "wrap" - our wrapper Includes the first file;
#      "main" - the first file is the main configuration;
#      "tree" - the files are copied with their folders, the wrapper sets
#               ServerRoot to the copy and Includes the first file.
CASES = [
    ("httpd.conf.in", [HTTPD_IN + "httpd.conf.in"], "main", "event",
     ["authz_core", "mime", "dir", "alias"]),
    ("httpd-mpm.conf.in prefork", [EXTRA + "httpd-mpm.conf.in"], "wrap",
     "prefork", []),
    ("httpd-mpm.conf.in worker", [EXTRA + "httpd-mpm.conf.in"], "wrap",
     "worker", []),
    ("httpd-mpm.conf.in event", [EXTRA + "httpd-mpm.conf.in"], "wrap",
     "event", []),
    ("httpd-default.conf.in", [EXTRA + "httpd-default.conf.in"], "wrap",
     "event", []),
    ("httpd-vhosts.conf.in", [EXTRA + "httpd-vhosts.conf.in"], "wrap",
     "event", []),
    ("httpd-info.conf.in", [EXTRA + "httpd-info.conf.in"], "wrap", "event",
     ["authz_core", "authz_host", "status", "info"]),
    ("httpd-autoindex.conf.in", [EXTRA + "httpd-autoindex.conf.in"], "wrap",
     "event", ["authz_core", "alias", "autoindex"]),
    ("httpd-languages.conf.in", [EXTRA + "httpd-languages.conf.in"], "wrap",
     "event", ["mime", "negotiation"]),
    ("httpd-userdir.conf.in", [EXTRA + "httpd-userdir.conf.in"], "wrap",
     "event", ["authz_core", "userdir"]),
    ("httpd-multilang-errordoc.conf.in",
     [EXTRA + "httpd-multilang-errordoc.conf.in"], "wrap", "prefork",
     ["authz_core", "alias", "include", "negotiation", "mime"]),
    ("httpd-manual.conf.in", [EXTRA + "httpd-manual.conf.in"], "wrap",
     "event", ["authz_core", "alias", "setenvif", "negotiation"]),
    ("httpd-dav.conf.in", [EXTRA + "httpd-dav.conf.in"], "wrap", "event",
     ["authz_core", "alias", "dav", "dav_fs", "dav_lock", "auth_digest",
      "authn_core", "authn_file", "authz_user", "setenvif"]),
    ("httpd-ssl.conf.in", [EXTRA + "httpd-ssl.conf.in"], "wrap", "event",
     ["authz_core", "socache_shmcb", "ssl", "setenvif", "mime"]),
    ("mod_macro manual: usage", ["httpd/manual/mod_macro-usage.conf"],
     "wrap", "event", ["macro"]),
    ("mod_macro manual: docroot", ["httpd/manual/mod_macro-docroot.conf"],
     "wrap", "event", ["macro"]),
    ("mod_macro manual: vhost with Listen",
     ["httpd/manual/mod_macro-vhost-listen.conf"], "wrap", "worker",
     ["macro", "authz_core", "authz_host"]),
    ("mod_macro manual: dirgroup", ["httpd/manual/mod_macro-dirgroup.conf"],
     "wrap", "prefork", ["macro", "authz_core", "authz_groupfile"]),
    ("mod_macro manual: policy", ["httpd/manual/mod_macro-policy.conf"],
     "wrap", "event", ["macro", "authz_core", "authz_host"]),
    ("certbot mod_macro-example.conf",
     ["certbot/debian_apache_2_4/multiple_vhosts/apache2/sites-available/"
      "mod_macro-example.conf"], "wrap", "event", ["macro"]),
    ("certbot mod_macro-example.conf without mod_macro",
     ["certbot/debian_apache_2_4/multiple_vhosts/apache2/sites-available/"
      "mod_macro-example.conf"], "wrap", "event", []),
    ("certbot complex_parsing",
     ["certbot/complex_parsing/apache2.conf",
      "certbot/complex_parsing/test_variables.conf",
      "certbot/complex_parsing/test_fnmatch.conf",
      "certbot/complex_parsing/conf-enabled/dummy.conf"], "tree", "event",
     ["authz_core"]),
    ("certbot centos7 httpd.conf",
     ["certbot/centos7_apache/apache/httpd/conf/httpd.conf"] +
     ["certbot/centos7_apache/apache/httpd/conf.d/%s" % f for f in
      ("autoindex.conf", "centos.example.com.conf", "ssl.conf",
       "userdir.conf", "welcome.conf")] +
     ["certbot/centos7_apache/apache/httpd/conf.modules.d/%s" % f for f in
      ("00-base.conf", "00-dav.conf", "00-lua.conf", "00-mpm.conf",
       "00-proxy.conf", "00-ssl.conf", "00-systemd.conf", "01-cgi.conf")],
     "centos", None, []),
]
AUG = "augeas/tests/root/etc/httpd/conf.modules.d/"
for f in ("00-mpm.conf", "00-base.conf", "00-dav.conf", "00-lua.conf",
          "00-optional.conf", "00-proxy.conf", "00-systemd.conf",
          "01-cgi.conf", "10-h2.conf", "10-mod_dnssd.conf",
          "10-proxy_h2.conf"):
    CASES.append(("augeas " + f, [AUG + f], "rhel",
                  None if f == "00-mpm.conf" else "event", []))
CASES.append(("augeas conf.d/ssl.conf",
              ["augeas/tests/root/etc/httpd/conf.d/ssl.conf"], "wrap",
              "event", ["authz_core", "ssl", "socache_shmcb", "setenvif"]))
LENS = os.path.join(FX, "augeas", "lens-tests")
for f in sorted(os.listdir(LENS)) if os.path.isdir(LENS) else []:
    CASES.append(("augeas lens test " + f, ["augeas/lens-tests/" + f], "wrap",
                  "event", ["authz_core"]))


def fill(text, root, port):
    """httpd's build placeholders, for a ServerRoot at root."""
    subst = {
        "@@ServerRoot@@": root, "@@Port@@": str(port),
        "@@SSLPort@@": str(port + 1),
        "@rel_sysconfdir@": "conf", "@exp_sysconfdir@": root + "/conf",
        "@rel_logfiledir@": "logs", "@exp_logfiledir@": root + "/logs",
        "@rel_runtimedir@": "logs", "@exp_runtimedir@": root + "/logs",
        "@exp_htdocsdir@": root + "/htdocs", "@exp_cgidir@": root + "/cgi-bin",
        "@exp_errordir@": root + "/error", "@exp_iconsdir@": root + "/icons",
        "@exp_manualdir@": root + "/manual",
    }
    for k, v in subst.items():
        text = text.replace(k, v)
    return text


def load(mod, moddir):
    return 'LoadModule %s_module "%s/mod_%s.so"' % (mod, moddir, mod)


def wrapper(root, port, mpm, mods, moddir, include, server_root=None):
    lines = ["# mpmlint thirdparty wrapper", 'ServerRoot "%s"'
             % (server_root or root)]
    if mpm:
        lines.append(load("mpm_" + mpm, moddir))
    lines += [load(m, moddir) for m in mods]
    lines += ["ServerName 127.0.0.1", "Listen 127.0.0.1:%d" % port,
              'PidFile "%s/logs/httpd.pid"' % root,
              'ErrorLog "%s/logs/error.log"' % root,
              'Include "%s"' % include]
    return "\n".join(lines) + "\n"


def prepare(case, root, port, moddir):
    """Write the case under root; return the configuration to test."""
    name, files, how, mpm, mods = case
    for d in ("conf", "logs", "htdocs", "cgi-bin", "error", "icons",
              "manual"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    # RHEL-style "modules/mod_x.so" relative to ServerRoot
    os.symlink(moddir, os.path.join(root, "modules"))
    src = [os.path.join(FX, f) for f in files]
    if how in ("wrap", "main", "rhel"):
        with open(src[0], encoding="utf-8", errors="surrogateescape") as f:
            text = fill(f.read(), root, port)
        if how == "main":
            text = text.replace("@@LoadModule@@", "\n".join(
                [load("mpm_" + mpm, moddir)] + [load(m, moddir)
                                                 for m in mods]))
            text = text.replace("Listen %d" % port,
                                "Listen 127.0.0.1:%d" % port)
            text += '\nPidFile "%s/logs/httpd.pid"\n' % root
        dest = os.path.join(root, "conf", os.path.basename(src[0]))
        with open(dest, "w", encoding="utf-8",
                  errors="surrogateescape") as f:
            f.write(text)
        if how == "main":
            return dest
    elif how == "tree":
        base = os.path.dirname(src[0])
        for s in src:
            d = os.path.join(root, os.path.relpath(s, base))
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copyfile(s, d)
        dest = os.path.join(root, os.path.basename(src[0]))
    elif how == "centos":
        # the tree as /etc/httpd, with ServerRoot moved to the copy
        base = os.path.dirname(os.path.dirname(src[0]))
        for s in src:
            d = os.path.join(root, os.path.relpath(s, base))
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copyfile(s, d)
        dest = os.path.join(root, "conf", "httpd.conf")
        with open(dest) as f:
            text = f.read()
        text = re.sub(r'(?m)^ServerRoot .*$', 'ServerRoot "%s"' % root, text)
        text = re.sub(r'(?m)^Listen 80$', "Listen 127.0.0.1:%d" % port, text)
        text += '\nPidFile "%s/logs/httpd.pid"\n' % root
        with open(dest, "w") as f:
            f.write(text)
        return dest
    conf = os.path.join(root, "wrapper.conf")
    with open(conf, "w") as f:
        f.write(wrapper(root, port, mpm, mods, moddir, dest))
    return conf


def env_for(root):
    e = diff.child_env()
    e.update({"APACHE_LOG_DIR": root + "/logs",
              "APACHE_PID_FILE": root + "/logs/httpd.pid",
              "APACHE_RUN_USER": "www-data", "APACHE_RUN_GROUP": "www-data",
              "APACHE_RUN_DIR": root + "/logs",
              "APACHE_LOCK_DIR": root + "/logs"})
    return e


def run(argv, env):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, env=env, timeout=60)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def roundtrip(build, path):
    """mpmconv with no conversion prints the file back byte for byte."""
    p = subprocess.run([os.path.join(build, "mpmconv"), "--no-includes",
                        path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    with open(path, "rb") as f:
        return p.stdout == f.read()


MISSING = re.compile(r"Cannot load (\S+) into server: .*(No such file|"
                     r"cannot open shared object)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build")
    p.add_argument("--apache2")
    p.add_argument("--modules", default="/usr/lib/apache2/modules")
    p.add_argument("-v", action="store_true")
    a = p.parse_args()
    a.build = os.path.abspath(a.build)
    passed = failed = 0
    # the files themselves: each prints back unchanged
    for d, _, fs in os.walk(FX):
        for f in fs:
            if f.endswith((".conf", ".in")):
                path = os.path.join(d, f)
                if roundtrip(a.build, path):
                    passed += 1
                else:
                    failed += 1
                    print("FAIL round trip: %s" % os.path.relpath(path, TOP))
    a.apache2 = diff.find_apache2(a.apache2)
    if a.apache2 is None:
        print("skipped: apache2 not installed (the httpd comparison)")
        print("thirdparty: %d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    unjudged = known = 0
    for i, case in enumerate(CASES):
        root = tempfile.mkdtemp(prefix="mpmlint-thirdparty-")
        os.chmod(root, 0o755)
        keep = False
        try:
            port = 23500 + i
            conf = prepare(case, root, port, a.modules)
            env = env_for(root)
            rc, _, err = run([a.apache2, "-d", root, "-f", conf, "-t", "-e",
                              "info"], env)
            m = MISSING.search(err)
            lrc, out, lerr = run([os.path.join(a.build, "mpmlint"), "-f",
                                  "json", "--no-config", conf], env)
            try:
                lint = diff.json.loads(out)
            except ValueError:
                failed += 1
                print("FAIL %s: mpmlint printed no JSON (exit %d): %s"
                      % (case[0], lrc, lerr.strip()[:200]))
                continue
            if m:
                unjudged += 1
                print("not judged: %s: httpd cannot load %s, which does not "
                      "exist on this machine (mpmlint: %d findings)"
                      % (case[0], m.group(1), len(lint["findings"])))
                continue
            ht = diff.parse_httpd_t(rc, err, root)
            probs = macro.compare(None, root, ht, err, lint, UNMODELLED)
            ignored = sorted(set(i for i in ht["ids"] if i in UNMODELLED))
            if case[0] in KNOWN:
                if probs:
                    known += 1
                    print("known gap: %s: %s (%s)" % (case[0], KNOWN[case[0]],
                                                      "; ".join(probs)))
                else:
                    failed += 1
                    print("FAIL %s: agrees with httpd now; take it off "
                          "KNOWN in %s" % (case[0], __file__))
            elif probs:
                failed += 1
                keep = True
                print("FAIL %s: %s; kept in %s" % (case[0], "; ".join(probs),
                                                  root))
            else:
                passed += 1
                if a.v:
                    print("ok %s (httpd -t %s%s)" % (
                        case[0], "passes" if ht["ok"] else "fails",
                        ", not compared: " + " ".join(ignored)
                        if ignored else ""))
        finally:
            if not keep:
                shutil.rmtree(root, ignore_errors=True)
    print("thirdparty: %d cases not judged by httpd (module files missing), "
          "%d known gaps" % (unjudged, known))
    print("thirdparty: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
