# compare_report.py - the reports of `mpmref --compare`: report.md
# (the usual comparison as a table of measured numbers, with what they
# say about each claim), report.html (the same with the charts of
# compare_svg.py) and results.json.  Compiled into mpmref with
# compare_svg.py and compare.py.
import json
import os
import re

# ---- reports -------------------------------------------------------

def ordered(d):
    """The keys of d: MPMs and servers in the report's order."""
    order = MPMS + ("mpmref", "apache2")
    return [k for k in order if k in d] + sorted(k for k in d
                                                  if k not in order)


def mib(kib):
    return "%.1f MiB" % (kib / 1024.0) if kib is not None else "n/a"


def n_(v):
    return "{:,}".format(v) if isinstance(v, int) else str(v)


def mem_at(r, level):
    for m in r.get("memory", []):
        if m["connections"] == level:
            return m
    return None


def tp_at(r, conc, ka):
    for t in r.get("throughput", []):
        if t["concurrency"] == conc and t["keepalive"] == ka:
            return t
    return None


def mem_rows(R, ms, p):
    """The memory and keep-alive rows of rows()."""
    out = []
    level = 1000 if 1000 in p["levels"] else max(p["levels"])
    cells, pss = [], {}
    for m in ms:
        x = mem_at(R[m], level)
        if x:
            pss[m] = x["pss_kib"]
            cells.append("%s %s" % (m, mib(x["pss_kib"])))
    held = ["%s %s" % (m, n_(mem_at(R[m], level)["held"])) for m in ms
            if mem_at(R[m], level)]
    per = []
    for m in ms:
        x, z = mem_at(R[m], level), mem_at(R[m], 0)
        if x and z and x["held"]:
            per.append("%s %.0f KiB" % (m, (x["pss_kib"] - z["pss_kib"]) /
                                        float(x["held"])))
    verdict = "not measured"
    if "prefork" in pss and "event" in pss:
        r = pss["prefork"] / float(max(pss["event"], 1))
        verdict = ("supported: prefork uses %.1fx event's memory" % r
                   if r > 1.5 else "contradicted: prefork %.1fx event" % r
                   if r < 1.0 else "weak: prefork %.1fx event" % r)
    hl = {m: mem_at(R[m], level)["held"] for m in ms if mem_at(R[m], level)}
    if verdict != "not measured" and hl.get("event", 0) < hl.get("prefork",
                                                                 0):
        verdict += (" (but event held fewer connections: compare per "
                    "held connection)")
    out.append(("Memory usage", "prefork high, worker lower, event lowest",
                " / ".join(cells) + " at %s idle connections (held: %s; "
                "added per held connection: %s)" % (
                    n_(level), " / ".join(held), " / ".join(per)), verdict))
    top = max(p["levels"])
    hv = {m: mem_at(R[m], top)["held"] for m in ms if mem_at(R[m], top)}
    cell = " / ".join("%s %s" % (m, n_(hv[m])) for m in ms if m in hv)
    verdict = "not measured"
    if "event" in hv and "prefork" in hv:
        verdict = ("supported: event held %s, prefork %s" % (
            n_(hv["event"]), n_(hv["prefork"])) if hv["event"] >
            hv["prefork"] else "contradicted: event held %s, prefork %s" % (
                n_(hv["event"]), n_(hv["prefork"])))
    out.append(("Keep-alive, scalability",
                "prefork limited; event advanced keep-alive support",
                cell + " of %s idle keep-alive connections held" % n_(top),
                verdict))
    return out


def rows(res, kind, p):
    """The summary table's rows for one server kind: (aspect, claim,
    cell text, verdict)."""
    ms = [m for m in MPMS if m in res and kind in res[m]]
    R = {m: res[m][kind] for m in ms}
    out = mem_rows(R, ms, p) if any(R[m].get("memory") for m in ms) \
        else []
    cmax = max(p["conc"])
    for ka in (True, False):
        tv = {m: tp_at(R[m], cmax, ka) for m in ms if tp_at(R[m], cmax, ka)}
        if not tv:
            continue
        cell = " / ".join("%s %s req/s (%s-%s)" % (
            m, n_(int(tv[m]["rps"] or 0)), n_(int(tv[m]["rps_min"] or 0)),
            n_(int(tv[m]["rps_max"] or 0))) for m in ms if m in tv)
        best = max((m for m in tv if m != "event"),
                   key=lambda m: tv[m]["rps"] or 0, default=None)
        verdict = "not measured"
        if "event" in tv and best and tv[best]["rps"]:
            d = 100.0 * ((tv["event"]["rps"] or 0) / tv[best]["rps"] - 1)
            verdict = "%s: event %+.0f%% against %s" % (
                "supported" if d > 5 else "contradicted" if d < -5 else
                "no clear difference (within 5%)", d, best)
        out.append(("High traffic, keep-alive %s" % ("on" if ka else "off"),
                    "event best for high traffic",
                    cell + " at %d connections (median, min-max of %d)" % (
                        cmax, p["runs"]), verdict))
        lat = " / ".join("%s p50 %s ms, p99 %s ms" % (
            m, fmt_num(tv[m]["p50_ms"] or 0), fmt_num(tv[m]["p99_ms"] or 0))
            for m in ms if m in tv)
        out.append(("Latency, keep-alive %s" % ("on" if ka else "off"), "",
                    lat + " at %d connections" % cmax, ""))
    sv = {m: R[m]["slow"] for m in ms if "slow" in R[m]}
    if sv:
        cell = " / ".join("%s %s" % (m, n_(sv[m]["limit"]) if sv[m]["limit"]
                                     else "more than %s" % n_(
                                         sv[m]["max_tried"])) for m in ms
                          if m in sv)
        out.append(("Slow clients", "event copes with slow clients",
                    cell + " slow clients before a request waits > 1 s",
                    slow_verdict(sv)))
    cv = {m: R[m]["crash"] for m in ms if "crash" in R[m]}
    if cv:
        cell = " / ".join("%s %d of %d lost" % (
            m, cv[m]["lost"], cv[m]["inflight"]) for m in ms if m in cv)
        v = []
        if "prefork" in cv:
            v.append("prefork %s" % ("isolated (0 lost): supported" if
                                     cv["prefork"]["lost"] == 0 else
                                     "lost %d: contradicted" %
                                     cv["prefork"]["lost"]))
        for m in ("worker", "event"):
            if m in cv:
                v.append("%s %s" % (m, "lost %d: the whole process goes, "
                                    "supported" % cv[m]["lost"] if
                                    cv[m]["lost"] > 0 else
                                    "lost none in this run (the others "
                                    "were in other processes or queued)"))
        out.append(("Crash isolation",
                    "prefork more stable; a thread crash ends the whole "
                    "process", cell + " other in-flight requests when one "
                    "crashes its worker", "; ".join(v)))
    st = {m: R[m].get("startup_ms") for m in ms}
    out.append(("Start-up", "", " / ".join(
        "%s %s ms" % (m, fmt_num(st[m])) for m in ms if st[m] is not None) +
        " to the first answered request", ""))
    rl = {m: R[m]["reload"] for m in ms if "reload" in R[m]}
    if rl:
        out.append(("Graceful reload", "no request lost", " / ".join(
            "%s %d of %s lost" % (m, rl[m]["lost"], n_(rl[m]["requests"]))
            for m in ms if m in rl) + " during SIGUSR1 under load",
            "supported" if all(rl[m]["lost"] == 0 for m in rl) else
            "contradicted: requests lost"))
    return out


def slow_verdict(sv):
    lim = {m: sv[m]["limit"] or sv[m]["max_tried"] + 1 for m in sv}
    if "event" in lim and "prefork" in lim:
        r = lim["event"] / float(lim["prefork"])
        if r > 1.5:
            return "supported: event %.1fx prefork" % r
        if not sv["event"]["limit"]:
            # event held every slow client tried: a lower bound only
            return ("not decided: event held all %s slow clients tried "
                    "(at least %.1fx prefork)" % (
                        n_(sv["event"]["max_tried"]), r))
        return ("contradicted: event %.1fx prefork (slow request heads "
                "hold a worker in every MPM)" % r)
    return "not measured"


def summary_md(res, p, kinds_):
    out = ["| Aspect | Usual claim | Measured (%s) | What the numbers say |"
           % kinds_[0], "|---|---|---|---|"]
    for a, c, cell, v in rows(res, kinds_[0], p):
        out.append("| %s | %s | %s | %s |" % (a, c, cell, v))
    if len(kinds_) > 1:
        out += ["", "The same, with apache2 (%s):" % (
            "crash isolation and start-up only in --quick" if
            p["quick"] else "every step"), "",
            "| Aspect | Usual claim | Measured (apache2) | What the numbers "
            "say |", "|---|---|---|---|"]
        for a, c, cell, v in rows(res, "apache2", p):
            out.append("| %s | %s | %s | %s |" % (a, c, cell, v))
        out += disagree(rows(res, kinds_[0], p), rows(res, "apache2", p))
    return out


def disagree(mine, theirs):
    """The rows whose verdicts differ between mpmref and apache2."""
    t = {a: v for a, _, _, v in theirs}
    out = []
    for a, _, _, v in mine:
        w = t.get(a)
        if v and w and "not measured" not in (v, w) and \
                v.split(":")[0] != w.split(":")[0]:
            out.append("- %s: mpmref says %s; apache2 says %s" % (a, v, w))
    if out:
        out = ["", "## Where mpmref and apache2 disagree", ""] + out
    return out


def header_lines(doc):
    m, v = doc["machine"], doc["versions"]
    return [
        "Machine: %d cores (%s), %s MiB RAM, Linux %s; load average %.2f "
        "before the run (a shared machine makes throughput noisy)." % (
            m["cores"], m["cpu"] or "unknown CPU", n_(m["ram_mib"]),
            m["kernel"], m["load_before"]),
        "Versions: %s; %s; %s; Python %s." % (
            v.get("mpmref"), v.get("apache2") or "apache2 not installed",
            v.get("wrk") or "wrk not found", v.get("python")),
        "Mode: %s; wrk %d s per point, %d run(s) each (median, min-max); "
        "idle connection levels %s." % (
            "--quick" if doc["plan"]["quick"] else "full",
            doc["plan"]["duration"], doc["plan"]["runs"],
            ", ".join(n_(x) for x in doc["plan"]["levels"])),
    ]


def md_table(head, rows):
    return (["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] +
            ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])


def detail_md(res, p):
    runs = servers(res)
    mem = [(m, k, n_(x["connections"]), n_(x["held"]), n_(x["closed"]),
            n_(x["queued"]), n_(x["refused"]), x["processes"],
            mib(x["pss_kib"])) for m, k, r in runs
           for x in r.get("memory", [])]
    tp = [(m, k, "on" if t["keepalive"] else "off", t["concurrency"],
           n_(int(t["rps"] or 0)), "%s-%s" % (n_(int(t["rps_min"] or 0)),
                                              n_(int(t["rps_max"] or 0))),
           fmt_num(t["p50_ms"] or 0), fmt_num(t["p99_ms"] or 0),
           t["errors"]) for m, k, r in runs for t in r.get("throughput", [])]
    return (["", "## Memory (total PSS of the server's processes)", ""] +
            md_table(("MPM", "server", "idle connections", "held",
                      "answered, then closed", "queued", "refused",
                      "processes", "PSS"), mem) +
            ["", "## Throughput and latency (GET %s, 1 KiB)" % PAGE, ""] +
            md_table(("MPM", "server", "keep-alive", "connections",
                      "req/s (median)", "min-max", "p50 ms", "p99 ms",
                      "errors"), tp))


def write_reports(out, doc):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    res, p = doc["results"], doc["plan"]
    ks = doc["servers"]
    md = ["# Which MPM for %s, on this machine" % doc["config"], ""]
    md += header_lines(doc)
    md += ["", "Settings (mpmconv, same capacity): " + "; ".join(
        "%s: %s" % (m, ", ".join("%s %s" % (k, doc["settings"][m]["after"][k])
                                 for k in MPM_KEYS if k in
                                 doc["settings"][m]["after"]))
        for m in ordered(doc["settings"])) + ".", "",
        "## The usual comparison, measured", ""]
    md += summary_md(res, p, ks)
    md += detail_md(res, p)
    if doc["errors"]:
        md += ["", "## Not measured", ""]
        md += ["- %s" % e for e in doc["errors"]]
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write(html(doc, md))


def servers(res):
    """(mpm, server, results) of every server run, in report order."""
    return [(m, k, res[m][k]) for m in ordered(res) for k in ordered(res[m])]


def charts(doc):
    res, p = doc["results"], doc["plan"]
    runs = servers(res)
    out = []
    series = [("%s %s" % (m, k), [(x["connections"],
                                   round(x["pss_kib"] / 1024.0, 1))
                                  for x in r["memory"]])
              for m, k, r in runs if r.get("memory")]
    out.append(line_chart("Memory with idle keep-alive connections",
                          "idle connections", "PSS, MiB", series))
    series = [("%s %s" % (m, k), [(x["connections"], x["held"])
                                  for x in r["memory"]])
              for m, k, r in runs if r.get("memory")]
    out.append(line_chart("Idle connections held", "connections opened",
                          "held", series))
    for ka in (True, False):
        for what, key in (("Throughput", "rps"), ("p99 latency", "p99_ms")):
            series = [("%s %s" % (m, k), [(t["concurrency"], t[key])
                                          for t in r["throughput"]
                                          if t["keepalive"] == ka])
                      for m, k, r in runs if r.get("throughput")]
            if series:
                out.append(line_chart(
                    "%s, keep-alive %s" % (what, "on" if ka else "off"),
                    "connections", "req/s" if key == "rps" else "ms",
                    series))
    bars = [("%s %s" % (m, k), r["crash"]["lost"]) for m, k, r in runs
            if "crash" in r]
    if bars:
        out.append(bar_chart("Crash isolation: other requests lost of %d"
                             % p["inflight"], "lost", bars))
    bars = [("%s %s" % (m, k), r["slow"]["limit"] or r["slow"]["max_tried"])
            for m, k, r in runs if "slow" in r]
    if bars:
        out.append(bar_chart("Slow clients before a request waits > 1 s",
                             "slow clients", bars))
    return out


def md_inline(s):
    s = esc(s)
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", s)


def md_to_html(md):
    """The report's own Markdown subset: headings, tables, paragraphs,
    list items."""
    out, table = [], False
    for line in md:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if set("".join(cells)) <= set("-"):
                continue
            if not table:
                out.append("<table>")
                tag, table = "th", True
            else:
                tag = "td"
            out.append("<tr>" + "".join("<%s>%s</%s>" % (
                tag, md_inline(c), tag) for c in cells) + "</tr>")
            continue
        if table:
            out.append("</table>")
            table = False
        if line.startswith("## "):
            out.append("<h2>%s</h2>" % md_inline(line[3:]))
        elif line.startswith("# "):
            out.append("<h1>%s</h1>" % md_inline(line[2:]))
        elif line.startswith("- "):
            out.append("<p>&bull; %s</p>" % md_inline(line[2:]))
        elif line:
            out.append("<p>%s</p>" % md_inline(line))
    if table:
        out.append("</table>")
    return "\n".join(out)


def html(doc, md):
    body = md_to_html(md)
    figs = "\n".join('<figure>%s</figure>' % c for c in charts(doc))
    i = body.find("<h2>Memory")
    if i < 0:
        i = len(body)
    body = body[:i] + "<h2>Charts</h2>\n<div class=\"charts\">\n" + figs + \
        "\n</div>\n" + body[i:]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset="
            "\"utf-8\">\n<title>mpmref --compare: %s</title>\n<style>\n"
            "body{font-family:sans-serif;max-width:1100px;margin:1em auto;"
            "padding:0 1em;color:#222}\ntable{border-collapse:collapse;"
            "margin:1em 0}\ntd,th{border:1px solid #bbb;padding:3px 6px;"
            "font-size:13px;vertical-align:top}\nth{background:#eee}\n"
            "figure{display:inline-block;margin:4px}\n</style>\n</head>\n"
            "<body>\n%s\n</body>\n</html>\n" % (esc(doc["config"]), body))
