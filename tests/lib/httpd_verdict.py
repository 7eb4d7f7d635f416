#!/usr/bin/env python3
"""httpd_verdict.py - compare mpmlint's findings with httpd's recorded output.

Usage: httpd_verdict.py HTTPD_TXT MPMLINT_JSON MPMLINT_RC

HTTPD_TXT is a fixture's httpd.txt (tests/record-httpd.sh: the command
line, what "apache2 -t -e info" printed, "exit status: N"); MPMLINT_JSON
is "mpmlint --format json" on the same input, MPMLINT_RC its exit status.
Prints one line per disagreement and exits 1 if there is any, else 0.

What must agree:
- the verdict: httpd refuses the configuration (exit status not 0)
  exactly when mpmlint reports a finding of severity error, and then
  mpmlint's exit status is 1;
- the AH ids, counted per occurrence (a multiset, not a set: httpd prints
  a notice such as AH00188 once per offending line, so a linter that
  reported one of two occurrences must fail).  When httpd accepts the
  configuration it has read all of it, so mpmlint's ids must equal
  httpd's.  When httpd refuses it, it stops at the first fatal error
  and never reaches the rest, so httpd's ids must be among mpmlint's
  (mpmlint reports every error, not only the first);
- the place: when httpd names "line N of FILE" for its fatal error,
  mpmlint reports an error at that line of that file.  Nested Include
  errors name every level; the innermost (last) one is the error.
Standard library only.
"""

import collections
import json
import os
import re
import sys

AH = re.compile(r"\bAH[0-9]{5}\b")
WHERE = re.compile(r"on line ([0-9]+) of INPUT/([^\s:]+):")


def read_httpd(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    if not lines or not lines[0].startswith("$ "):
        raise ValueError("%s: no command line" % path)
    rc = None
    body = []
    for ln in lines[1:]:
        m = re.fullmatch(r"exit status: ([0-9]+)", ln)
        if m:
            rc = int(m.group(1))
            break
        body.append(ln)
    if rc is None:
        raise ValueError("%s: no exit status line" % path)
    text = "\n".join(body)
    where = WHERE.findall(text)
    return rc, AH.findall(text), (where[-1] if where else None)


def main(argv):
    if len(argv) != 4:
        print("usage: httpd_verdict.py HTTPD_TXT MPMLINT_JSON MPMLINT_RC",
              file=sys.stderr)
        return 2
    try:
        hrc, hids, where = read_httpd(argv[1])
        with open(argv[2], encoding="utf-8") as f:
            lint = json.load(f)
        lrc = int(argv[3])
    except (OSError, ValueError) as e:
        print("cannot compare: %s" % e)
        return 1
    findings = lint.get("findings", [])
    errors = [f for f in findings if f.get("severity") == "error"]
    lids = [f["httpd"] for f in findings if f.get("httpd")]
    hc, lc = collections.Counter(hids), collections.Counter(lids)
    bad = []
    if hrc != 0:
        if not errors:
            bad.append("httpd refuses it (exit %d), mpmlint reports no "
                       "error" % hrc)
        if lrc != 1:
            bad.append("httpd refuses it, mpmlint exits %d" % lrc)
        missing = hc - lc
        if missing:
            bad.append("httpd prints %s, mpmlint does not report it" %
                       ", ".join(sorted(missing.elements())))
        if where is not None:
            line, fname = int(where[0]), os.path.normpath(where[1])
            if not any(int(f.get("line", 0)) == line and
                       os.path.normpath(f.get("file", "")) == fname
                       for f in errors):
                bad.append("httpd's error is at %s:%d, mpmlint reports no "
                           "error there" % (fname, line))
    else:
        if errors:
            bad.append("httpd accepts it, mpmlint reports error %s" %
                       ", ".join(f["rule"] for f in errors))
        if hc != lc:
            bad.append("AH ids differ: httpd %s, mpmlint %s" %
                       (sorted(hc.elements()), sorted(lc.elements())))
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
