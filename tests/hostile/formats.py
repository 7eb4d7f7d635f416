#!/usr/bin/env python3
"""formats.py - every output of mpmlint and mpmconv stays valid and inert
whatever bytes the configuration holds (issue 18): invalid UTF-8, overlong
forms, surrogates, bytes past U+10FFFF, NUL, C0 and C1 controls, escape
sequences, a CR inside a quoted value, and an included file whose name
holds a newline and a forged "::error" workflow command.

Machine formats must parse with Python's strict readers (json, yaml,
xml.etree) after a strict UTF-8 decode.  Text, the github format and
standard error must carry no control character other than the newline
that ends each line, and no invalid UTF-8; every github line must be one
workflow command.  A sanitizer report or a signal fails the case.

usage: formats.py BUILD_DIR; last line "hostile-formats: N passed, M failed".
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "lib"))
import tally  # noqa: E402

try:
    import yaml
except ImportError:
    print("skipped: python3-yaml not installed")
    print("hostile-formats: 0 passed, 0 failed")
    sys.exit(0)

B = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
LINT = os.path.join(B, "mpmlint")
CONV = os.path.join(B, "mpmconv")
MOD = "/usr/lib/apache2/modules"
T = tally.Tally("hostile-formats")
result = T.result

CASES = {
    "latin1": b"LoadModule mpm_worker_module modules/caf\xe9.so\n"
              b"Caf\xe9 x\n",
    "overlong": b"LoadModule mpm_prefork_module " + MOD.encode() +
                b"/mod_mpm_prefork.so\nFoo\xc0\xaf x\nBar\xe0\x80\xaf y\n"
                b"MaxRequestWorkers 10\xc0\x80\n",
    "surrogate": b"LoadModule mpm_event_module " + MOD.encode() +
                 b"/mod_mpm_event.so\nBar\xed\xa0\x80 x\n"
                 b"Baz\xf4\x90\x80\x80 y\nQux\xff\xfe z\n",
    "nul": b"LoadModule mpm_worker_module modules/w\x00rk.so\n"
           b"MaxRequestWorkers 1\x00 2\nFo\x00o x\n",
    "ledger": b"LoadModule mpm_prefork_module modules/p.so\n"
              b"ServerLimit 10\xd0\x1b[2J0\nMaxRequestWorkers 9\x07\n",
    "controls": b"LoadModule mpm_worker_module modules/a\x1b[2Jb\x07.so\n"
                b"Fo\x1b[31mo\x07 \"a\rb\"\nServerName \"a\rb\x1b]0;t\x07\"\n"
                b"X\x7f\x01\x02 y\nY\xc2\x9b31m z\nThreadsPerChild 3\x0b\n",
    "cr-line": b"LoadModule mpm_worker_module modules/x.so\r\n"
               b"Bad\rdirective\r\n::error file=x::forged\n",
}


def run(args, cwd):
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout, p.stderr


def sane(rc, err):
    """No signal, no sanitizer report."""
    if rc < 0 or rc >= 126:
        return "exit status %d" % rc
    for w in (b"AddressSanitizer", b"runtime error:", b"LeakSanitizer"):
        if w in err:
            return err.decode("latin-1")[:300]
    return None


def inert(data, what):
    """Strict UTF-8, no control character but the line's own newline."""
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "%s is not UTF-8: %s" % (what, e)
    for i, ch in enumerate(s):
        o = ord(ch)
        if ch == "\n":
            continue
        if o < 0x20 or 0x7f <= o <= 0x9f:
            return "%s holds U+%04X at %d: %r" % (what, o, i,
                                                   s[max(0, i - 20):i + 20])
    return None


def check_json(data):
    json.loads(data.decode("utf-8"))


def check_jsonl(data):
    for line in data.decode("utf-8").splitlines():
        json.loads(line)


def check_yaml(data):
    list(yaml.safe_load_all(data.decode("utf-8")))


def check_xml(data):
    ET.fromstring(data)
    # C1 controls are legal XML 1.0 but not 1.1: written as references
    for i, ch in enumerate(data.decode("utf-8")):
        if 0x80 <= ord(ch) <= 0x9f:
            raise ValueError("raw U+%04X at %d" % (ord(ch), i))


def check_github(data):
    why = inert(data, "github output")
    if why:
        raise ValueError(why)
    for line in data.decode("utf-8").splitlines():
        if not re.match(r"^::(error|warning|notice) file=[^:\n]*,line=\d+,"
                        r"col=\d+,title=[A-Z]+\d+::", line):
            raise ValueError("not one workflow command: %r" % line)


def check_text(data):
    why = inert(data, "text output")
    if why:
        raise ValueError(why)
    for line in data.decode("utf-8").splitlines():
        if line.startswith("::"):
            raise ValueError("a line starts a workflow command: %r" % line)


def check_codeclimate(data):
    issues = json.loads(data.decode("utf-8"))
    if not isinstance(issues, list):
        raise ValueError("not a JSON array")
    for i in issues:
        if i["severity"] not in ("info", "minor", "major", "critical",
                                 "blocker"):
            raise ValueError("severity %r" % i["severity"])
        if not (i["description"] and i["check_name"] and i["fingerprint"]
                and i["location"]["path"]
                and i["location"]["lines"]["begin"] >= 1):
            raise ValueError("incomplete issue %r" % i)


LINT_FORMATS = {
    "text": check_text, "json": check_json, "yaml": check_yaml,
    "sarif": check_json, "github": check_github, "checkstyle": check_xml,
    "codeclimate": check_codeclimate,
}


def one(name, args, cwd, check):
    rc, out, err = run(args, cwd)
    why = sane(rc, err) or inert(err, "stderr")
    if why is None and check is not None:
        try:
            check(out)
        except Exception as e:  # any reader's refusal is the failure
            why = "%s: %s" % (type(e).__name__, str(e)[:300])
    result(why is None, name, why or "")
    return out


def main():
    if T.missing(LINT, CONV):
        return 1
    with tempfile.TemporaryDirectory(prefix="hostile-fmt.") as t:
        # an included file whose name holds a newline, a forged workflow
        # command and an escape sequence
        inc = os.path.join(t, "inc")
        os.mkdir(inc)
        evil = "a\n::error file=x,line=1::forged\x1b[0m.conf"
        with open(os.path.join(inc, evil), "wb") as f:
            f.write(b"Bogus\x1b[1m x\nMaxRequestWorkers 7\n")
        cases = dict(CASES)
        cases["include-name"] = (b"LoadModule mpm_worker_module " +
                                 MOD.encode() + b"/mod_mpm_worker.so\n"
                                 b"Include " + inc.encode() + b"/*.conf\n")
        for cname, body in sorted(cases.items()):
            path = os.path.join(t, cname + ".conf")
            with open(path, "wb") as f:
                f.write(body)
            for fmt, check in sorted(LINT_FORMATS.items()):
                out = one("%s: mpmlint -f %s" % (cname, fmt),
                          [LINT, "--no-config", "-f", fmt, path], t, check)
                if fmt == "json" and cname == "latin1":
                    # the byte 0xe9 is the Latin-1 code point U+00E9
                    msgs = [f["message"] for f in
                            json.loads(out.decode())["findings"]]
                    result(any("Caf\u00e9" in m for m in msgs),
                           "latin1: json maps 0xe9 to U+00E9", repr(msgs))
            for to in ("prefork", "worker", "event"):
                for fmt, check in (("json", check_json),
                                   ("yaml", check_yaml), ("conf", None)):
                    # --explain prints the ledger on stderr, which
                    # quotes the values as written
                    ex = ["--explain"] if fmt == "conf" else []
                    one("%s: mpmconv --to %s -f %s %s" % (cname, to, fmt,
                                                          " ".join(ex)),
                        [CONV, "--to", to, "--force", "-f", fmt] + ex +
                        [path], t, check)
                one("%s: mpmconv --to %s --diff" % (cname, to),
                    [CONV, "--to", to, "--force", "--diff", path], t, None)
            for fmt, check in (("yaml", check_yaml), ("json", check_json)):
                for lossless in ([], ["--lossless"]):
                    one("%s: mpmconv --export %s %s" % (cname, fmt,
                                                        " ".join(lossless)),
                        [CONV, "--export", fmt] + lossless + [path], t, check)
    return T.summary()


if __name__ == "__main__":
    sys.exit(main())
