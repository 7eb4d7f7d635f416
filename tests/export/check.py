#!/usr/bin/env python3
# check.py - the independent side of tests/export/run.sh: reads the
# exports with PyYAML's pure-Python SafeLoader (not libyaml) and Python's
# json module.  Input: lines "NAME<TAB>SOURCE<TAB>DIR" on stdin (SOURCE is
# a snapshot of the file NAME), where DIR holds
# plain.yaml, full.yaml, full.json and re.yaml (the export of the
# re-imported plain.yaml).  Prints one "ok ..." or "FAIL ..." line per check.
import json
import sys

import yaml


def load_yaml(path):
    with open(path, "rb") as f:
        return yaml.load(f, Loader=yaml.SafeLoader)


def as_bytes(v):
    if isinstance(v, bytes):
        return v
    if isinstance(v, dict) and set(v) == {"base64"}:
        import base64
        return base64.b64decode(v["base64"])
    return v.encode("utf-8")


def rebuild(nodes, out):
    for n in nodes:
        out.append(as_bytes(n["text"]))
        if n["kind"] == "section":
            rebuild(n.get("children", []), out)
            out.append(as_bytes(n["close"]))


def flatten(nodes, depth=0, out=None):
    """(depth, kind, directive, arg values, active) in document order."""
    if out is None:
        out = []
    for n in nodes:
        vals = tuple(as_bytes(a["value"]) for a in n.get("args", []))
        name = as_bytes(n["directive"]) if "directive" in n else None
        extra = as_bytes(n["text"]) if n["kind"] == "error" else None
        out.append((depth, n["kind"], name, vals, n["active"], extra))
        flatten(n.get("children", []), depth + 1, out)
    return out


def norm(v):
    """YAML's !!binary (bytes) and JSON's {"base64": ...} compare equal."""
    if isinstance(v, dict):
        if set(v) == {"base64"}:
            return as_bytes(v)
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v


def check(src, d):
    res = []
    try:
        plain = load_yaml(d + "/plain.yaml")
        full = load_yaml(d + "/full.yaml")
        for doc in (plain, full):
            assert isinstance(doc, dict) and isinstance(doc["files"], list)
            assert set(doc) == {"version", "lossless", "files",
                                "effective", "findings"}, sorted(doc)
        res.append(("pyyaml-read", None))
    except Exception as e:  # noqa: BLE001 - report any reader failure
        return [("pyyaml-read", "%s: %s" % (type(e).__name__, e))]
    try:
        with open(src, "rb") as f:
            want = f.read()
        out = []
        rebuild(full["files"][0]["nodes"], out)
        got = b"".join(out)
        if got != want:
            i = next((k for k in range(min(len(got), len(want)))
                      if got[k] != want[k]), min(len(got), len(want)))
            res.append(("pyyaml-rebuild", "bytes differ at offset %d "
                        "(%d vs %d bytes)" % (i, len(got), len(want))))
        else:
            res.append(("pyyaml-rebuild", None))
    except Exception as e:  # noqa: BLE001
        res.append(("pyyaml-rebuild", "%s: %s" % (type(e).__name__, e)))
    try:
        with open(d + "/full.json", "rb") as f:
            js = json.load(f)
        if norm(js) != norm(full):
            res.append(("json-same-as-yaml", "JSON and YAML exports differ"))
        else:
            res.append(("json-same-as-yaml", None))
    except Exception as e:  # noqa: BLE001
        res.append(("json-same-as-yaml", "%s: %s" % (type(e).__name__, e)))
    try:
        re_ = load_yaml(d + "/re.yaml")
        a = flatten(plain["files"][0]["nodes"])
        b = flatten(re_["files"][0]["nodes"])
        if a != b:
            k = next((i for i in range(min(len(a), len(b)))
                      if a[i] != b[i]), min(len(a), len(b)))
            res.append(("same-tree", "node %d: %r != %r" % (
                k, a[k] if k < len(a) else None,
                b[k] if k < len(b) else None)))
        else:
            res.append(("same-tree", None))
    except Exception as e:  # noqa: BLE001
        res.append(("same-tree", "%s: %s" % (type(e).__name__, e)))
    return res


def main():
    # deep section nesting is deep YAML nesting; the composer recurses
    sys.setrecursionlimit(100000)
    for line in sys.stdin:
        name_, src, d = line.rstrip("\n").split("\t")
        for name, err in check(src, d):
            if err is None:
                print("ok %s %s" % (name, name_))
            else:
                print("FAIL %s: %s: %s" % (name_, name, err))


main()
