#!/usr/bin/env python3
"""jsoncheck.py - exact checks of fields of a JSON document on stdin.

Usage: jsoncheck.py PATH=VALUE ...

PATH is a dotted path into the document (effective.processes,
summary.error); VALUE is compared exactly: an integer as a number (so
"processes=6" does not accept 60, nor "6"), anything else as a string,
"null" as null.  Prints one line per mismatch and exits 1 if any,
0 otherwise, 2 when stdin is not JSON.  Standard library only.
"""

import json
import re
import sys


def lookup(doc, path):
    cur = doc
    for k in path.split("."):
        if not isinstance(cur, dict) or k not in cur:
            raise KeyError(path)
        cur = cur[k]
    return cur


def main(argv):
    try:
        doc = json.load(sys.stdin)
    except ValueError as e:
        print("not JSON: %s" % e)
        return 2
    bad = 0
    for spec in argv[1:]:
        path, _, want = spec.partition("=")
        if re.fullmatch(r"-?[0-9]+", want):
            want = int(want)
        elif want == "null":
            want = None
        try:
            got = lookup(doc, path)
        except KeyError:
            print("%s: missing (want %r)" % (path, want))
            bad += 1
            continue
        # a JSON true/false is not the integer 1/0
        if type(got) is not type(want) or got != want:
            print("%s: %r, want %r" % (path, got, want))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
