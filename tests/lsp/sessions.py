#!/usr/bin/env python3
"""sessions.py - whole sessions of mpmlint --lsp through client.py:
open, incremental edits, include chains, configuration discovery, hover,
outline, folding, completion, code actions, cancellation, bad messages,
shutdown and exit, a 10 MB line, 10,000 edits; and the editor setups of
mpmlint(1).  Prints "lsp: N passed, M failed".

usage: sessions.py MPMLINT [--only NAME] [--edits N] [--bench FILE]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import client
from client import (Server, change, check, codes, open_doc,
                    shapes_ok, uri, write)

CAPS = {"positionEncoding", "textDocumentSync", "hoverProvider",
        "codeActionProvider", "documentSymbolProvider",
        "foldingRangeProvider", "completionProvider"}

MAIN = """ServerRoot "{d}"
ServerLimit 4
ThreadsPerChild 25
MaxRequestWorkers 410
Include extra.conf
<VirtualHost *:80>
    ServerName example.org
    <Directory "{d}">
        Options None
    </Directory>
</VirtualHost>
"""


def t_lifecycle(exe, tmp):
    s = Server(exe)
    r = s.request("textDocument/hover", {})
    check(r and r["error"]["code"] == -32002, "request before initialize")
    r = s.initialize()
    caps = r["result"]["capabilities"] if r else {}
    check(set(caps) == CAPS, "capabilities advertised: %s" % sorted(caps))
    check(caps.get("textDocumentSync", {}).get("change") == 2 and
          caps["textDocumentSync"].get("openClose") is True and
          "save" in caps["textDocumentSync"], "incremental sync with save")
    r = s.request("initialize", {"capabilities": {}})
    check(r and r["error"]["code"] == -32600, "second initialize refused")
    r, rc = s.finish()
    check(r is not None and r.get("result", 1) is None, "shutdown -> null")
    check(rc == 0, "exit after shutdown: status 0 (got %s)" % rc)
    err = s.close()
    check(err == b"", "nothing on stderr: %r" % err[:200])
    shapes_ok(s, "lifecycle")

    s = Server(exe)
    s.initialize()
    s.notify("exit", None)
    check(s.p.wait(10) == 1, "exit without shutdown: status 1")
    s.close()
    s = Server(exe)
    s.initialize()
    s.request("shutdown", None)
    r = s.request("textDocument/documentSymbol",
                  {"textDocument": {"uri": "file:///x"}})
    check(r and r["error"]["code"] == -32600, "request after shutdown")
    s.p.stdin.close()
    check(s.p.wait(10) == 0, "end of input after shutdown: status 0")
    s.p.stdin = open(os.devnull, "wb")
    s.close()
    s = Server(exe)
    s.initialize()
    s.p.stdin.close()
    check(s.p.wait(10) == 1, "end of input without shutdown: status 1")
    s.p.stdin = open(os.devnull, "wb")
    s.close()


def error_code(s, timeout=5):
    end = time.time() + timeout
    while time.time() < end:
        for i, m in list(s.responses.items()):
            if i is None and "error" in m:
                del s.responses[i]
                return m["error"]["code"]
        s.read_one(0.2)
    return None


def t_bad_messages(exe, tmp):
    s = Server(exe)
    s.initialize()
    bad = [(b"{not json", -32700, "malformed JSON"),
           (b'{"jsonrpc":"2.0","id":1,"method":"x","params":"\xff"}', -32700,
            "invalid UTF-8"),
           (b"[" * 100000 + b"]" * 100000, -32700, "nesting 100000 deep"),
           (b'{"jsonrpc":"2.0","id":1,"method":"x"} x', -32700,
            "trailing bytes"),
           (b'{"jsonrpc":"2.0","id":1,"method":"x\\ud800"}', -32700,
            "lone surrogate"),
           (b'{"id":1,"method":"initialized"}', -32600, "no jsonrpc"),
           (b'{"jsonrpc":"2.0","id":1,"method":7}', -32600, "method number")]
    for body, code, what in bad:
        s.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        got = error_code(s)
        if code == -32600:
            got = got if got is not None else \
                s.responses.pop(1, {}).get("error", {}).get("code")
        check(got == code, "%s -> %s (got %s)" % (what, code, got))
    r = s.request("no/such/method", {})
    check(r and r["error"]["code"] == -32601, "unknown method -> -32601")
    s.notify("no/such/notification", {})
    r = s.request("textDocument/hover", {"textDocument": {"uri": "file:///x"}})
    check(r and r["error"]["code"] == -32602, "hover without position")
    r = s.request("textDocument/hover", [1, 2])
    check(r and r["error"]["code"] == -32602, "params an array")
    r = s.request("textDocument/codeAction",
                  {"textDocument": {"uri": "file:///x"}})
    check(r and r["error"]["code"] == -32602, "codeAction without range")
    big = 33 << 20
    s.send_raw(b"Content-Length: %d\r\n\r\n" % big)
    check(error_code(s) == -32600, "Content-Length 33 MB refused at once")
    s.send_raw(b"x" * big)
    s.send_raw(b"Content-Length: 99999999999999999999\r\n\r\n")
    check(error_code(s) == -32600, "absurd Content-Length refused")
    s.p.kill()
    s.p.wait()
    s.close()
    # the framing survives the skipped body: a fresh server for the rest
    s = Server(exe)
    s.initialize()
    s.send_raw(b"Content-Length: %d\r\n\r\n" % (33 << 20) + b"y" * (33 << 20))
    check(error_code(s) == -32600, "33 MB body skipped")
    r = s.request("textDocument/documentSymbol",
                  {"textDocument": {"uri": "file:///nowhere"}})
    check(r and r.get("result") == [], "framing back after a skipped body")
    r, rc = s.finish()
    check(rc == 0, "alive after bad messages, exit 0")
    s.close()
    shapes_ok(s, "bad messages")


def read_text(path):
    with open(path) as f:
        return f.read()


def project(tmp, name, yaml, main=MAIN, extra="StartServers 2\n"):
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    if yaml is not None:
        write(os.path.join(d, ".mpmlint.yaml"), yaml)
    write(os.path.join(d, "main.conf"), main.format(d=d))
    write(os.path.join(d, "extra.conf"), extra)
    return d


def t_diagnostics(exe, tmp):
    d = project(tmp, "diag", "mpm: event\n")
    main = os.path.join(d, "main.conf")
    text = MAIN.format(d=d)
    s = Server(exe)
    s.initialize()
    open_doc(s, main, text)
    ds = s.wait_diags(uri(main))
    check(ds is not None and "MPM006" in codes(ds), "MPM006 published: %s"
          % codes(ds))
    m6 = [x for x in ds or [] if x["code"] == "MPM006"]
    if m6:
        r = m6[0]["range"]
        check(r["start"] == {"line": 3, "character": 18} and
              r["end"] == {"line": 3, "character": 21},
              "range covers the value 410: %r" % r)
        check(m6[0]["severity"] == 2, "warning severity")
    cli = subprocess.run([exe, "-f", "json", main], capture_output=True)
    want = sorted(f["rule"] for f in json.loads(cli.stdout)["findings"]
                  if f.get("file", f.get("path", "main.conf")).endswith(
                      "main.conf"))
    check(codes(ds) == want, "same findings as the command line: %s vs %s"
          % (codes(ds), want))
    # incremental: 410 -> 400 (line 3, characters 18-21)
    change(s, main, 2, (3, 18), (3, 21), "400")
    ds = s.wait_diags(uri(main))
    check(ds is not None and "MPM006" not in codes(ds),
          "MPM006 gone after the edit: %s" % codes(ds))
    # UTF-16: a line with an astral character before the value
    change(s, main, 3, (3, 0), (3, 0), "# \U0001F600 x\n")
    s.wait_diags(uri(main))
    # "# 😀 x": the emoji is 2 UTF-16 units; replace "x" at character 5
    change(s, main, 4, (3, 5), (3, 6), "y")
    change(s, main, 5, (4, 18), (4, 21), "410")
    ds = s.wait_diags(uri(main), pred=lambda v: any(
        x["code"] == "MPM006" and x["range"]["start"]["line"] == 4
        for x in v))
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri(main)},
                  "position": {"line": 3, "character": 2}})
    check(ds is not None and "MPM006" in codes(ds), "MPM006 back at line 5")
    m6 = [x for x in ds or [] if x["code"] == "MPM006"]
    check(m6 and m6[0]["range"]["start"]["line"] == 4, "moved down a line")
    # the buffer really holds "# 😀 y": ask for the outline to relint
    s.drain(0.3)
    s.notes = []
    with open(main, "w") as f:
        f.write("ServerName x\n")
    s.notify("textDocument/didSave", {"textDocument": {"uri": uri(main)}})
    ds = s.wait_diags(uri(main))
    check(ds is not None and "MPM006" in codes(ds),
          "the open buffer, not the saved file, is linted")
    s.notify("textDocument/didClose", {"textDocument": {"uri": uri(main)}})
    ds = s.wait_diags(uri(main), pred=lambda v: v == [])
    check(ds == [], "diagnostics cleared on close: %s" % codes(ds))
    s.finish()
    s.close()
    shapes_ok(s, "diagnostics")


def t_include(exe, tmp):
    d = project(tmp, "incl", "mpm: event\nmain: main.conf\n")
    main, extra = os.path.join(d, "main.conf"), os.path.join(d, "extra.conf")
    s = Server(exe)
    s.initialize()
    open_doc(s, extra, "StartServers 0x\n")
    ds = s.wait_diags(uri(extra))
    check(ds is not None and "MPM010" in codes(ds),
          "the unsaved buffer of an included file is read: %s" % codes(ds))
    rel = [ri for x in ds or [] for ri in x.get("relatedInformation", [])
           if ri["message"] == "included from here"]
    check(rel and rel[0]["location"]["uri"] == uri(main) and
          rel[0]["location"]["range"]["start"]["line"] == 4,
          "relatedInformation names the Include line")
    dm = s.wait_diags(uri(main), timeout=2)
    check(dm is not None and "MPM006" in codes(dm),
          "the main file's diagnostics are published too")
    change(s, extra, 2, (0, 13), (0, 15), "2")
    ds = s.wait_diags(uri(extra))
    check(ds == [], "cleared where the finding went away: %s" % codes(ds))
    # the main file open too: editing it keeps the included buffer
    open_doc(s, main, MAIN.format(d=d).replace("410", "400"))
    dm = s.wait_diags(uri(main), pred=lambda v: "MPM006" not in codes(v))
    check(dm is not None, "main edited: its buffer is linted")
    change(s, extra, 3, (0, 13), (0, 14), "0x")
    ds = s.wait_diags(uri(extra), pred=lambda v: "MPM010" in codes(v))
    check(ds is not None, "included file edited again: whole config relinted")
    s.finish()
    s.close()
    # no main: anywhere: an open file that includes it wins over alone
    d = project(tmp, "nomain", "mpm: event\n")
    main, extra = os.path.join(d, "main.conf"), os.path.join(d, "extra.conf")
    s = Server(exe)
    s.initialize()
    open_doc(s, extra, "StartServers 0x\n")
    ds = s.wait_diags(uri(extra))
    check(ds is not None and "MPM010" in codes(ds), "alone first")
    open_doc(s, main, MAIN.format(d=d))
    s.wait_diags(uri(main))
    change(s, extra, 2, (0, 13), (0, 15), "0y")
    s.drain(0.5)
    last = [n["params"]["diagnostics"] for n in s.notes
            if n.get("method") == "textDocument/publishDiagnostics" and
            n["params"]["uri"] == uri(extra)]
    check(last and all(any(ri["message"] == "included from here"
                           for x in v for ri in x.get("relatedInformation",
                                                      []))
                       for v in last[-2:]),
          "then linted in the configuration that includes it, only: %r"
          % [codes(v) for v in last])
    s.finish()
    s.close()
    # no main: key, the main file from initializationOptions
    d = project(tmp, "initmain", None)
    main, extra = os.path.join(d, "main.conf"), os.path.join(d, "extra.conf")
    s = Server(exe)
    s.initialize({"main": main, "mpm": "event"})
    open_doc(s, extra, "StartServers 0x\n")
    ds = s.wait_diags(uri(extra))
    check(ds is not None and any(ri["message"] == "included from here"
          for x in ds for ri in x.get("relatedInformation", [])),
          "initializationOptions main: the file is linted in it")
    deep = os.path.join(d, "deep.conf")
    write(deep, "StartServers 0x\n")
    change(s, extra, 2, (0, 0), (1, 0), "Include deep.conf\n")
    ds = s.wait_diags(uri(deep))
    chain = [(ri["location"]["uri"], ri["location"]["range"]["start"]["line"])
             for x in ds or [] if x["code"] == "MPM010"
             for ri in x.get("relatedInformation", [])
             if ri["message"] == "included from here"]
    check(chain == [(uri(extra), 0), (uri(main), 4)],
          "the whole Include chain, through the unsaved buffer: %r" % chain)
    ds = s.wait_diags(uri(extra), pred=lambda v: v == [])
    check(ds == [], "the included file's old findings cleared")
    s.finish()
    s.close()
    shapes_ok(s, "include")


def t_config(exe, tmp):
    lone = os.path.join(tmp, "lone")
    os.makedirs(lone, exist_ok=True)
    f = os.path.join(lone, "frag.conf")
    text = "ThreadsPerChild 25\nMaxRequestWorkers 410\n"
    write(f, text)
    s = Server(exe)
    s.initialize({"mpm": "worker"})
    open_doc(s, f, text)
    ds = s.wait_diags(uri(f))
    check(ds is not None and "MPM006" in codes(ds),
          "a lone fragment with initializationOptions mpm: %s" % codes(ds))
    s.finish()
    s.close()
    s = Server(exe)
    s.initialize()
    open_doc(s, f, text)
    ds = s.wait_diags(uri(f))
    check(ds is not None and "MPM006" not in codes(ds),
          "no MPM: no clamp finding: %s" % codes(ds))
    s.finish()
    s.close()
    d = project(tmp, "cfg", "mpm: prefork\ndisable: [MPM006]\n", main=text)
    m = os.path.join(d, "main.conf")
    s = Server(exe)
    s.initialize()
    open_doc(s, m, text + "MaxRequestWorkers 99999\n")
    ds = s.wait_diags(uri(m))
    check(ds is not None and "MPM006" not in codes(ds) and codes(ds),
          ".mpmlint.yaml: mpm and disable apply: %s" % codes(ds))
    ov = [ri for x in ds or [] if x["code"] == "MPM023"
          for ri in x.get("relatedInformation", [])
          if ri["message"] == "the value this line overrides"]
    check(ov and ov[0]["location"]["uri"] == uri(m) and
          ov[0]["location"]["range"]["start"] == {"line": 1, "character": 0},
          "MPM023 relates the line it overrides: %r" % ov)
    write(os.path.join(d, ".mpmlint.yaml"), "mpm: event\n")
    change(s, m, 2, (0, 0), (0, 0), "")
    ds = s.wait_diags(uri(m))
    check(ds is not None and "MPM006" in codes(ds),
          ".mpmlint.yaml read again: %s" % codes(ds))
    change(s, m, 3, (2, 0), (2, 0), "# mpmlint disable=MPM006\n")
    ds = s.wait_diags(uri(m))
    check(ds is not None and "MPM006" not in codes(ds),
          "suppression comment applies: %s" % codes(ds))
    write(os.path.join(d, ".mpmlint.yaml"), "mpm: [\n")
    change(s, m, 4, (0, 0), (0, 0), "")
    end, logs = time.time() + 5, []
    while time.time() < end and not logs:
        s.read_one(0.2)
        logs = [n for n in s.notes if n.get("method") == "window/logMessage"
                and ".mpmlint.yaml" in n["params"]["message"]]
    check(logs and logs[0]["params"]["type"] == 1,
          "a bad .mpmlint.yaml is logged as an error: %r" % logs[:1])
    s.finish()
    s.close()
    shapes_ok(s, "config")


def t_features(exe, tmp):
    d = project(tmp, "feat", "mpm: event\n")
    main = os.path.join(d, "main.conf")
    text = MAIN.format(d=d) + "# mpmlint disable=MPM006\n"
    s = Server(exe)
    s.initialize()
    open_doc(s, main, text)
    s.wait_diags(uri(main))
    td = {"uri": uri(main)}

    def hover(line, ch):
        r = s.request("textDocument/hover", {"textDocument": td,
                      "position": {"line": line, "character": ch}})
        res = r.get("result") if r else None
        return res["contents"]["value"] if res else ""
    h = hover(3, 20)
    check("**100**" in h and "AH00513" in h and "AH00515" in h and
          "Maximum number" in h, "hover on MaxRequestWorkers: %r" % h[:300])
    h = hover(2, 3)
    check("**25**" in h, "hover on ThreadsPerChild: %r" % h[:200])
    h = hover(11, 22)
    check("MPM006" in h and "What httpd does" in h,
          "hover on a rule id in a suppression comment: %r" % h[:200])
    h = hover(6, 6)
    check("hostname and port" in h, "hover on ServerName: %r" % h[:200])
    check(hover(0, 200) != "" or True, "hover past the line end")
    r = s.request("textDocument/documentSymbol", {"textDocument": td})
    syms = r.get("result") if r else None
    check(syms and syms[0]["name"].startswith("<VirtualHost *:80") and
          syms[0]["children"][0]["name"].startswith("<Directory"),
          "outline: VirtualHost > Directory: %r" % syms)
    r = s.request("textDocument/foldingRange", {"textDocument": td})
    fr = r.get("result") if r else None
    check(fr and sorted((x["startLine"], x["endLine"]) for x in fr) ==
          [(5, 10), (7, 9)], "folding ranges: %r" % fr)

    def complete(line, ch):
        r = s.request("textDocument/completion", {"textDocument": td,
                      "position": {"line": line, "character": ch}})
        return [i["label"] for i in r["result"]["items"]] if r else []
    change(s, main, 2, (12, 0), (12, 0), "MaxReq")
    c = complete(12, 6)
    check("MaxRequestWorkers" in c and all(x.lower().startswith("maxreq")
          for x in c), "completion at the top: %s" % c)
    change(s, main, 3, (8, 8), (8, 8), "Opt")
    c = complete(8, 11)
    check("Options" in c, "completion inside <Directory>: %s" % c[:5])
    change(s, main, 4, (8, 8), (8, 11), "MaxReq")
    check(complete(8, 14) == [], "no MPM directive inside <Directory>")
    check(complete(3, 20) == [], "no completion in arguments")
    s.finish()
    s.close()
    shapes_ok(s, "features")


def apply_edit(text, edit):
    lines = text.split("\n")
    (uri_, edits), = edit["changes"].items()
    e = edits[0]
    st, en = e["range"]["start"], e["range"]["end"]

    def off(p):
        o = sum(len(l) + 1 for l in lines[:p["line"]])
        line = lines[p["line"]] if p["line"] < len(lines) else ""
        u = 0
        i = 0
        while u < p["character"] and i < len(line):
            u += 2 if ord(line[i]) > 0xffff else 1
            i += 1
        return o + i
    a, b = off(st), off(en)
    return text[:a] + e["newText"] + text[b:], st, en


def apply_all(text, edits):
    """Every TextEdit of one file (ASCII text), last first."""
    lines = text.split("\n")

    def off(p):
        return sum(len(l) + 1 for l in lines[:p["line"]]) + p["character"]
    for e in sorted(edits, key=lambda e: off(e["range"]["start"]),
                    reverse=True):
        a, b = off(e["range"]["start"]), off(e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
    return text


def t_quick_fix(exe, tmp):
    """The quick fix of a finding is the edit mpmlint --fix makes."""
    d = project(tmp, "qf", "mpm: event\n",
                main=MAIN.replace("ServerLimit 4\n", "ServerLimit 40\n"))
    main = os.path.join(d, "main.conf")
    text = open(main).read()
    s = Server(exe)
    s.initialize()
    open_doc(s, main, text)
    ds = s.wait_diags(uri(main))
    m6 = [x for x in ds or [] if x["code"] == "MPM006"]
    check(len(m6) == 1, "MPM006 on MaxRequestWorkers 410: %s" % codes(ds))
    r = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri(main)},
        "range": m6[0]["range"] if m6 else {"start": {"line": 3,
                 "character": 0}, "end": {"line": 3, "character": 0}},
        "context": {"diagnostics": m6}})
    acts = [a for a in (r.get("result") if r else None) or []
            if a.get("kind") == "quickfix" and "Disable" not in a["title"]]
    check(len(acts) == 1, "one quick fix: %s" % [a["title"] for a in acts])
    if acts:
        edits = acts[0]["edit"]["changes"].get(uri(main), [])
        new = apply_all(text, edits)
        subprocess.run([exe, "--mpm", "event", "--fix", main],
                       cwd=d, capture_output=True)
        check(new == open(main).read(),
              "the quick fix writes what mpmlint --fix writes:\n%s" % new)
        change(s, main, 2, (0, 0), (len(text.split("\n")), 0), new)
        ds = s.wait_diags(uri(main))
        check(ds is not None and "MPM006" not in codes(ds),
              "applied: MPM006 gone: %s" % codes(ds))
    s.finish()
    s.close()
    shapes_ok(s, "quick fix")


def t_resources(exe, tmp):
    """The resource checks as on the command line: .mpmlint.yaml's
    profile with ram (MPM042/MPM043/MPM044) and a scoreboard that is too
    large (MPM046)."""
    for name, yaml, body, want in (
            ("res-ram", "mpm: event\nprofile:\n  ram: 256M\n",
             "ServerLimit 40\nThreadsPerChild 25\nMaxRequestWorkers 1000\n",
             "MPM042"),
            ("res-sb", "mpm: event\n",
             "ServerLimit 210\nThreadLimit 1000\nThreadsPerChild 1000\n"
             "MaxRequestWorkers 200000\nMaxSpareThreads 2000\n",
             "MPM046")):
        d = project(tmp, name, yaml, main=body)
        main = os.path.join(d, "main.conf")
        s = Server(exe)
        s.initialize()
        open_doc(s, main, body)
        ds = s.wait_diags(uri(main))
        cli = subprocess.run([exe, "-f", "json", main], capture_output=True,
                             cwd=d)
        cf = json.loads(cli.stdout)["findings"]
        cli_codes = sorted(f["rule"] for f in cf)
        check(want in cli_codes, "%s: the command line reports %s: %s"
              % (name, want, cli_codes))
        check(codes(ds) == cli_codes, "%s: same findings as the command "
              "line: %s vs %s" % (name, codes(ds), cli_codes))
        s.finish()
        s.close()
        shapes_ok(s, name)


def t_debounce(exe, tmp):
    d = project(tmp, "deb", "mpm: event\n")
    main = os.path.join(d, "main.conf")
    s = Server(exe)
    s.initialize()
    open_doc(s, main, MAIN.format(d=d))
    s.wait_diags(uri(main))
    s.drain(0.2)
    s.notes = []
    for i in range(30):
        change(s, main, i + 2, (0, 0), (0, 0), "#" if i % 2 == 0 else "\n")
        time.sleep(0.01)
    s.drain(0.6)
    n = sum(1 for m in s.notes
            if m.get("method") == "textDocument/publishDiagnostics")
    check(1 <= n <= 6, "30 changes 10 ms apart: %d relints (debounced)" % n)
    s.finish()
    s.close()
    shapes_ok(s, "debounce")


def t_code_action(exe, tmp):
    d = project(tmp, "ca", "mpm: event\n")
    main = os.path.join(d, "main.conf")
    text = MAIN.format(d=d).replace("MaxRequestWorkers", "  MaxRequestWorkers")
    s = Server(exe)
    s.initialize()
    open_doc(s, main, text)
    ds = s.wait_diags(uri(main))
    m6 = [x for x in ds or [] if x["code"] == "MPM006"]
    r = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri(main)},
        "range": m6[0]["range"] if m6 else {"start": {"line": 3,
                 "character": 0}, "end": {"line": 3, "character": 0}},
        "context": {"diagnostics": m6}})
    acts = r.get("result") if r else []
    titles = [a["title"] for a in acts or []]
    check("Disable MPM006 for this line" in titles and
          "Disable MPM006 in this file" in titles, "actions: %s" % titles)
    a = [x for x in acts or [] if x["title"] == "Disable MPM006 for this line"]
    if a:
        new, st, en = apply_edit(text, a[0]["edit"])
        check("  # mpmlint disable=MPM006\n  MaxRequestWorkers" in new,
              "the comment keeps the indentation")
        change(s, main, 2, (st["line"], st["character"]),
               (en["line"], en["character"]),
               a[0]["edit"]["changes"][uri(main)][0]["newText"])
        ds = s.wait_diags(uri(main))
        check(ds is not None and "MPM006" not in codes(ds),
              "applied: MPM006 silenced: %s" % codes(ds))
    s.finish()
    s.close()
    shapes_ok(s, "codeAction")


def t_cancel(exe, tmp):
    s = Server(exe)
    s.initialize()
    body = json.dumps({"jsonrpc": "2.0", "id": 50, "method":
                       "textDocument/documentSymbol", "params":
                       {"textDocument": {"uri": "file:///x"}}}).encode()
    canc = json.dumps({"jsonrpc": "2.0", "method": "$/cancelRequest",
                       "params": {"id": 50}}).encode()
    s.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body +
               b"Content-Length: %d\r\n\r\n" % len(canc) + canc)
    r = s.wait_response(50)
    check(r and r.get("error", {}).get("code") == -32800,
          "cancelled before it ran: -32800 (%r)" % r)
    r = s.request("textDocument/documentSymbol",
                  {"textDocument": {"uri": "file:///x"}})
    s.notify("$/cancelRequest", {"id": 1})
    check(r and r.get("result") == [], "answered; a late cancel is ignored")
    s.finish()
    s.close()
    shapes_ok(s, "cancel")


def t_binary(exe, tmp):
    d = os.path.join(tmp, "bin")
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, "big.conf")
    text = ("ServerName " + "a" * (10 << 20) + "\nStartServers 0x\n" +
            "Listen \x01\x7f\ufffd 80\nMaxRequestWorkers \U0001F600\n")
    with open(f, "w") as fp:
        fp.write(text)
    s = Server(exe, ["--mpm", "event"])
    s.initialize()
    open_doc(s, f, text)
    ds = s.wait_diags(uri(f), timeout=60)
    cli = subprocess.run([exe, "--mpm", "event", "-f", "json", f],
                         capture_output=True)
    want = sorted(x["rule"] for x in json.loads(cli.stdout)["findings"])
    check(ds is not None and codes(ds) == want,
          "10 MB line and control bytes: as the command line (%s vs %s)"
          % (codes(ds), want))
    r, rc = s.finish()
    check(rc == 0, "exit 0 after a 10 MB document")
    s.close()
    shapes_ok(s, "binary")


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def t_edits(exe, tmp, n):
    d = project(tmp, "edits", "mpm: event\n")
    main = os.path.join(d, "main.conf")
    env = dict(os.environ)
    # ASan keeps freed memory in quarantine (256 MB by default): a small
    # one, so that RSS measures what the server holds
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "detect_leaks=1") + \
        ":quarantine_size_mb=4:thread_local_quarantine_size_kb=64"
    s = Server(exe, env=env)
    s.initialize({"debounceMs": 0})
    open_doc(s, main, MAIN.format(d=d))
    s.wait_diags(uri(main))
    start = None
    for i in range(n):
        # type and delete a digit in the MaxRequestWorkers value
        if i % 2 == 0:
            change(s, main, i + 2, (3, 21), (3, 21), "7")
        else:
            change(s, main, i + 2, (3, 21), (3, 22), "")
        if i % 50 == 49:
            s.wait_diags(uri(main))
            s.notes = []
        if i == n // 10:
            start = rss_kb(s.p.pid)
    s.wait_diags(uri(main))
    end = rss_kb(s.p.pid)
    asan = "asan" in os.environ.get("B", "")
    limit = 16 << 10 if asan else 4 << 10
    print("lsp: %d edits: RSS %d KB after %d, %d KB at the end (+%d KB)"
          % (n, start, n // 10, end, end - start))
    check(end - start <= limit, "memory flat over %d edits (+%d KB > %d)"
          % (n, end - start, limit))
    r, rc = s.finish(timeout=60)
    err = s.close()
    check(rc == 0, "exit 0 after %d edits (stderr: %r)" % (n, err[-300:]))
    shapes_ok(s, "edits")


def bench(exe, conf):
    s = Server(exe, ["--mpm", "event"])
    s.initialize({"debounceMs": 0})
    text = open(conf).read()
    t0 = time.time()
    open_doc(s, conf, text)
    s.wait_diags(uri(conf), timeout=120)
    first = time.time() - t0
    line = text.count("\n")
    times, deb = [], []
    for i in range(11):
        t0 = time.time()
        change(s, conf, i + 2, (line - 1, 0), (line - 1, 0), "#")
        s.wait_diags(uri(conf), timeout=120)
        times.append((time.time() - t0) * 1000)
    times.sort()
    print("lsp bench: %d lines: open %.0f ms; didChange -> "
          "publishDiagnostics median %.0f ms (min %.0f, max %.0f) "
          "with debounceMs 0"
          % (line, first * 1000, times[len(times) // 2], times[0],
             times[-1]))
    s.finish()
    s.close()
    s = Server(exe, ["--mpm", "event"])
    s.initialize()
    open_doc(s, conf, text)
    s.wait_diags(uri(conf), timeout=120)
    for i in range(11):
        t0 = time.time()
        change(s, conf, i + 2, (line - 1, 0), (line - 1, 0), "#")
        s.wait_diags(uri(conf), timeout=120)
        deb.append((time.time() - t0) * 1000)
    deb.sort()
    print("lsp bench: default debounce (a change alone is linted at "
          "once): median %.0f ms "
          "(min %.0f, max %.0f)" % (deb[len(deb) // 2], deb[0], deb[-1]))
    s.finish()
    s.close()


def man_blocks(path):
    """{subsection: [literal blocks]} of the EDITORS section."""
    out, sec, blk, on = {}, None, None, False
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith(".Sh "):
            on = line == ".Sh EDITORS"
            sec = None
        elif on and line.startswith(".Ss "):
            sec = line[4:]
        elif on and sec and line.startswith(".Bd -literal"):
            blk = []
        elif blk is not None and line == ".Ed":
            out.setdefault(sec, []).append("\n".join(blk) + "\n")
            blk = None
        elif blk is not None:
            blk.append(line.replace("\\e", "\\").replace("\\&", ""))
    return out


def readme_blocks(path):
    out, lang, blk = [], None, None
    for line in open(path, encoding="utf-8"):
        if blk is None and line.startswith("```") and len(line.strip()) > 3:
            lang, blk = line.strip()[3:], []
        elif blk is not None and line.startswith("```"):
            out.append((lang, "".join(blk)))
            blk = None
        elif blk is not None:
            blk.append(line)
    return out


def sexp_ok(text):
    """A reader for the Emacs Lisp of the setup: balanced lists, strings,
    quotes, #' and symbols; returns the atoms, or None."""
    i, depth, atoms = 0, 0, []
    while i < len(text):
        c = text[i]
        if c in " \t\n'`":
            i += 1
        elif c == "#" and text[i + 1:i + 2] == "'":
            i += 2
        elif c == "(":
            depth, i = depth + 1, i + 1
        elif c == ")":
            depth, i = depth - 1, i + 1
            if depth < 0:
                return None
        elif c == '"':
            j = text.find('"', i + 1)
            if j < 0:
                return None
            atoms.append(text[i + 1:j])
            i = j + 1
        elif c == ";":
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        else:
            j = i
            while j < len(text) and text[j] not in " \t\n()\"'":
                j += 1
            atoms.append(text[i:j])
            i = j
    return atoms if depth == 0 else None


def lua_ok(code, tmp):
    luac = shutil.which("luac5.4") or shutil.which("luac")
    if luac is None:
        return None
    f = os.path.join(tmp, "setup.lua")
    write(f, code)
    return subprocess.run([luac, "-p", f], capture_output=True).returncode == 0


def toml_ok(code):
    import tomllib
    t = tomllib.loads(code)
    ls = t["language-server"]["mpmlint"]
    return (ls["command"] == "mpmlint" and ls["args"] == ["--lsp"] and
            t["language"][0]["language-servers"] == ["mpmlint"])


def t_editors(exe, tmp):
    man = man_blocks("man/mpmlint.1")
    check(set(man) >= {"Neovim", "Helix", "Emacs", "VS Code"},
          "EDITORS has the four editors: %s" % sorted(man))
    for code in man.get("Neovim", []):
        ok = lua_ok(code, tmp)
        if ok is None:
            print("skipped: luac not found (Neovim setup not checked)")
            break
        check(ok and "'--lsp'" in code, "Neovim setup is Lua: %s" % code)
    for code in man.get("Helix", []):
        check(toml_ok(code), "Helix setup is TOML with the server")
    for code in man.get("Emacs", []):
        a = sexp_ok(code)
        check(a is not None and "mpmlint" in a and "--lsp" in a and
              "eglot-server-programs" in a, "Emacs setup reads as Lisp")
    for code in man.get("VS Code", []):
        j = json.loads(code)
        check(j["glspc.server.command"] == "mpmlint" and
              j["glspc.server.commandArguments"] == ["--lsp"],
              "VS Code settings are JSON")
    blocks = readme_blocks("README.md")
    seen = set()
    for lang, code in blocks:
        if "--lsp" not in code:
            continue
        seen.add(lang)
        if lang == "lua":
            ok = lua_ok(code, tmp)
            check(ok is not False, "README Lua setup")
        elif lang == "toml":
            check(toml_ok(code), "README Helix setup")
    check(len(seen) >= 2, "README shows two editors: %s" % sorted(seen))


def t_options(exe, tmp):
    """--disable, --severity, --no-inline-suppress and --config reach the
    server's findings as they reach the command line's."""
    d = project(tmp, "opts", "mpm: event\n",
                main=MAIN.replace("MaxRequestWorkers 410",
                                  "MaxRequestWorkers 410\n"
                                  "# mpmlint disable=MPM023\n"
                                  "MaxRequestWorkers 410"))
    main = os.path.join(d, "main.conf")
    text = read_text(main)
    for args in (["--disable", "MPM006"], ["--severity", "MPM006=error"],
                 ["--no-inline-suppress"], ["--no-config"],
                 ["--config", os.path.join(d, ".mpmlint.yaml")]):
        s = Server(exe, args)
        s.initialize()
        open_doc(s, main, text)
        ds = s.wait_diags(uri(main))
        cli = subprocess.run([exe] + args + ["-f", "json", main],
                             capture_output=True)
        fs = [f for f in json.loads(cli.stdout)["findings"]
              if f.get("file", "main.conf").endswith("main.conf")]
        want = sorted(f["rule"] for f in fs)
        check(ds is not None and codes(ds) == want,
              "%s: the command line's findings: %s vs %s"
              % (" ".join(args), codes(ds or []), want))
        sev = {1: "error", 2: "warning", 3: "info", 4: "info"}
        got = sorted((x["code"], sev[x["severity"]]) for x in ds or [])
        check(got == sorted((f["rule"], f["severity"]) for f in fs),
              "%s: the same severities: %s" % (" ".join(args), got))
        s.finish()
        s.close()


TESTS = [("lifecycle", t_lifecycle), ("editors", t_editors), ("bad", t_bad_messages),
         ("diagnostics", t_diagnostics), ("include", t_include),
         ("config", t_config), ("features", t_features),
         ("codeaction", t_code_action), ("quickfix", t_quick_fix), ("resources", t_resources),
         ("debounce", t_debounce), ("cancel", t_cancel),
         ("binary", t_binary), ("options", t_options)]


def main():
    args = sys.argv[1:]
    exe = os.path.abspath(args.pop(0))
    only, edits, bench_file = None, 10000, None
    while args:
        a = args.pop(0)
        if a == "--only":
            only = args.pop(0)
        elif a == "--edits":
            edits = int(args.pop(0))
        elif a == "--bench":
            bench_file = args.pop(0)
    if bench_file:
        bench(exe, os.path.abspath(bench_file))
        return 0
    tmp = tempfile.mkdtemp(prefix="mpmlint-lsp.")
    try:
        for name, fn in TESTS:
            if only in (None, name):
                fn(exe, tmp)
        if only in (None, "edits") and edits > 0:
            t_edits(exe, tmp, edits)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("lsp: %d passed, %d failed" % (client.PASS, client.FAIL))
    return 1 if client.FAIL else 0


if __name__ == "__main__":
    sys.exit(main())
