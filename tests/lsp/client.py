#!/usr/bin/env python3
"""client.py - a scripted LSP client for mpmlint --lsp (standard library
only): the server on pipes, JSON-RPC framing, and a check of every
message the server sends against the shapes of LSP 3.17.  The sessions
that drive it are in sessions.py.
"""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

PASS = 0
FAIL = 0


def check(cond, what):
    global PASS, FAIL
    if cond:
        PASS += 1
    else:
        FAIL += 1
        print("FAIL: " + what)
    return cond


class ShapeError(Exception):
    pass


def need(cond, what):
    if not cond:
        raise ShapeError(what)


def is_uint(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**31


def shape_pos(p):
    need(isinstance(p, dict) and is_uint(p.get("line")) and
         is_uint(p.get("character")), "Position %r" % (p,))


def shape_range(r):
    need(isinstance(r, dict), "Range %r" % (r,))
    shape_pos(r.get("start"))
    shape_pos(r.get("end"))
    s, e = r["start"], r["end"]
    need((s["line"], s["character"]) <= (e["line"], e["character"]),
         "Range start after end %r" % (r,))


def shape_location(l):
    need(isinstance(l, dict) and isinstance(l.get("uri"), str) and
         l["uri"].startswith("file://"), "Location %r" % (l,))
    shape_range(l.get("range"))


def shape_diag(d):
    need(isinstance(d, dict), "Diagnostic")
    shape_range(d.get("range"))
    need(d.get("severity") in (1, 2, 3, 4), "severity %r" % d.get("severity"))
    need(isinstance(d.get("code"), str), "code")
    need(d.get("source") == "mpmlint", "source")
    need(isinstance(d.get("message"), str) and d["message"], "message")
    href = d.get("codeDescription", {}).get("href", "")
    need(href.endswith("/docs/rules/%s.md" % d["code"]), "href %r" % href)
    for ri in d.get("relatedInformation", []):
        shape_location(ri.get("location"))
        need(isinstance(ri.get("message"), str), "related message")


def shape_symbol(s):
    need(isinstance(s.get("name"), str) and s["name"], "symbol name")
    need(is_uint(s.get("kind")) and 1 <= s["kind"] <= 26, "symbol kind")
    shape_range(s.get("range"))
    shape_range(s.get("selectionRange"))
    for c in s.get("children", []):
        shape_symbol(c)


def shape_edit(we):
    need(isinstance(we, dict) and isinstance(we.get("changes"), dict),
         "WorkspaceEdit")
    for uri, edits in we["changes"].items():
        need(uri.startswith("file://"), "edit uri")
        for e in edits:
            shape_range(e.get("range"))
            need(isinstance(e.get("newText"), str), "newText")


RESULT_SHAPES = {
    "initialize": lambda r: need(isinstance(r.get("capabilities"), dict),
                                 "capabilities"),
    "shutdown": lambda r: need(r is None, "shutdown result"),
    "textDocument/hover": lambda r: r is None or (
        need(r["contents"]["kind"] == "markdown" and
             isinstance(r["contents"]["value"], str), "hover contents"),
        "range" in r and shape_range(r["range"])),
    "textDocument/documentSymbol": lambda r: (
        need(isinstance(r, list), "symbols"), [shape_symbol(s) for s in r]),
    "textDocument/foldingRange": lambda r: (
        need(isinstance(r, list), "folding"),
        [need(is_uint(f["startLine"]) and is_uint(f["endLine"]) and
              f["startLine"] < f["endLine"], "folding range") for f in r]),
    "textDocument/completion": lambda r: (
        need(isinstance(r.get("items"), list), "completion"),
        [need(isinstance(i.get("label"), str), "label") for i in r["items"]]),
    "textDocument/codeAction": lambda r: (
        need(isinstance(r, list), "codeActions"),
        [(need(isinstance(a.get("title"), str), "title"),
          shape_edit(a.get("edit"))) for a in r]),
}


class Server:
    def __init__(self, exe, args=(), cwd=None, env=None):
        self.p = subprocess.Popen([exe, "--lsp"] + list(args),
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.buf = b""
        self.next_id = 1
        self.notes = []      # notifications, in order
        self.pending = {}    # id -> method
        self.responses = {}
        self.shape_errors = []

    def send_raw(self, data):
        # write while reading: a server blocked on a full stdout pipe
        # must not block us on its full stdin pipe
        fd, out = self.p.stdin.fileno(), self.p.stdout.fileno()
        view = memoryview(data)
        while view:
            r, w, _ = select.select([out], [fd], [], 30)
            if not r and not w:
                raise ShapeError("server stuck: neither reads nor writes")
            if r:
                chunk = os.read(out, 1 << 20)
                if not chunk:
                    raise ShapeError("server closed its output")
                self.buf += chunk
            if w:
                n = os.write(fd, view[:1 << 16])
                view = view[n:]

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_async(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.pending[i] = method
        self.send({"jsonrpc": "2.0", "id": i, "method": method,
                   "params": params})
        return i

    def read_one(self, timeout):
        end = time.time() + timeout
        while True:
            h = self.buf.find(b"\r\n\r\n")
            if h >= 0:
                head = self.buf[:h].decode("ascii")
                n = None
                for line in head.split("\r\n"):
                    k, _, v = line.partition(":")
                    if k.lower() == "content-length":
                        n = int(v)
                if n is None:
                    raise ShapeError("no Content-Length in %r" % head)
                if len(self.buf) >= h + 4 + n:
                    body = self.buf[h + 4:h + 4 + n]
                    self.buf = self.buf[h + 4 + n:]
                    return self.dispatch(json.loads(body.decode("utf-8")))
            left = end - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                return None
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            self.buf += chunk

    def dispatch(self, m):
        try:
            need(m.get("jsonrpc") == "2.0", "jsonrpc")
            if "method" in m:
                need("id" not in m, "server request unexpected")
                if m["method"] == "textDocument/publishDiagnostics":
                    need(isinstance(m["params"]["uri"], str), "uri")
                    for d in m["params"]["diagnostics"]:
                        shape_diag(d)
                elif m["method"] == "window/logMessage":
                    need(m["params"]["type"] in (1, 2, 3, 4, 5), "log type")
                    need(isinstance(m["params"]["message"], str), "log")
                else:
                    raise ShapeError("unknown notification " + m["method"])
                self.notes.append(m)
            else:
                need("id" in m, "response id")
                need(("result" in m) != ("error" in m), "result xor error")
                if "error" in m:
                    e = m["error"]
                    need(isinstance(e.get("code"), int) and
                         isinstance(e.get("message"), str), "error shape")
                else:
                    meth = self.pending.get(m["id"])
                    if meth in RESULT_SHAPES:
                        RESULT_SHAPES[meth](m["result"])
                self.responses[m["id"]] = m
        except (ShapeError, KeyError, TypeError, AttributeError) as e:
            self.shape_errors.append("%s in %s" % (e, json.dumps(m)[:300]))
        return m

    def wait_response(self, i, timeout=10):
        end = time.time() + timeout
        while i not in self.responses and time.time() < end:
            self.read_one(end - time.time())
        return self.responses.pop(i, None)

    def request(self, method, params, timeout=10):
        return self.wait_response(self.request_async(method, params), timeout)

    def wait_diags(self, uri, timeout=10, pred=None):
        """The next publishDiagnostics for uri (pred on its list)."""
        end = time.time() + timeout
        while time.time() < end:
            for k, m in enumerate(self.notes):
                if (m.get("method") == "textDocument/publishDiagnostics" and
                        m["params"]["uri"] == uri and
                        (pred is None or pred(m["params"]["diagnostics"]))):
                    del self.notes[k]
                    return m["params"]["diagnostics"]
            self.read_one(min(0.5, max(0.01, end - time.time())))
        return None

    def drain(self, t=0.4):
        end = time.time() + t
        while time.time() < end:
            self.read_one(end - time.time())

    def initialize(self, opts=None):
        p = {"processId": os.getpid(), "rootUri": None, "capabilities": {}}
        if opts is not None:
            p["initializationOptions"] = opts
        r = self.request("initialize", p)
        self.notify("initialized", {})
        return r

    def finish(self, timeout=10):
        r = self.request("shutdown", None)
        self.notify("exit", None)
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = -1
        err = self.p.stderr.read() if rc != 0 else b""
        check(rc == 0, "status 0 after shutdown and exit (%s): %s" %
              (rc, err[-400:].decode("utf-8", "replace")))
        return r, rc

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        err = self.p.stderr.read()
        self.p.stdin.close()
        self.p.stdout.close()
        self.p.stderr.close()
        return err


def uri(path):
    return "file://" + path


def codes(diags):
    return sorted(d["code"] for d in diags or [])


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def open_doc(s, path, text, version=1):
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(path), "languageId": "apache", "version": version,
        "text": text}})


def change(s, path, version, start, end, text):
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri(path), "version": version},
        "contentChanges": [{"range": {
            "start": {"line": start[0], "character": start[1]},
            "end": {"line": end[0], "character": end[1]}}, "text": text}]})


def shapes_ok(s, name):
    check(not s.shape_errors, "%s: protocol shapes: %s" %
          (name, "; ".join(s.shape_errors[:3])))
    s.shape_errors = []
