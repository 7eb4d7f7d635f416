"""cases.py - the cases of the differential suite (diff.py): seeded
random MPM blocks, the boundary cases (each clamp at limit - 1, limit and
limit + 1), and writing a case out as a ServerRoot (httpd.conf, mpm.conf,
the mod_lua script that reads ap_mpm_query()).  It runs nothing; diff.py
runs the cases, and the other scripts of tests/differential reuse the
rendering through diff.py.  Python 3 standard library only.
"""

import os
import random
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "lib"))
sys.dont_write_bytecode = True          # no __pycache__ in tests/lib
from httpd import make_root, server_lines  # noqa: E402

MPMS = ("prefork", "worker", "event")

# ap_mpm.h query codes that each MPM implements
MPMQ_CODES = {
    "prefork": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15],
    "worker": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15],
    "event": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
}

LUA_SCRIPT = """\
-- written by tests/differential/diff.py: ap_mpm_query() in this child
function handle(r)
    r.content_type = "text/plain"
    for _, c in ipairs({ %s }) do
        local ok, v = pcall(r.mpm_query, c)
        if ok then
            r:puts(c .. " " .. tostring(v) .. "\\n")
        else
            r:puts(c .. " error\\n")
        end
    end
    return apache2.OK
end
"""

# ---------------------------------------------------------------------------
# Case generator
# ---------------------------------------------------------------------------

COMMON = ["StartServers", "ServerLimit", "MaxRequestWorkers",
          "MaxConnectionsPerChild"]
PER_MPM = {
    "prefork": COMMON + ["MinSpareServers", "MaxSpareServers"],
    "worker": COMMON + ["MinSpareThreads", "MaxSpareThreads",
                        "ThreadsPerChild", "ThreadLimit"],
    "event": COMMON + ["MinSpareThreads", "MaxSpareThreads",
                       "ThreadsPerChild", "ThreadLimit",
                       "AsyncRequestWorkerFactor"],
}
OLD_NAME = {"MaxRequestWorkers": "MaxClients",
            "MaxConnectionsPerChild": "MaxRequestsPerChild"}

GOOD = {
    "StartServers": [1, 2, 3, 4, 5, 8, 10, 16, 40],
    "ServerLimit": [1, 2, 3, 4, 8, 10, 16, 20, 32, 64, 100, 256, 300],
    "MaxRequestWorkers": [1, 5, 10, 24, 25, 40, 50, 64, 75, 100, 150, 200,
                          250, 256, 300, 400, 410, 500, 1000],
    "MaxConnectionsPerChild": [0, 0, 100, 1000, 10000],
    "MinSpareServers": [1, 2, 5, 10, 20, 40],
    "MaxSpareServers": [0, 1, 4, 5, 6, 10, 20, 60],
    "MinSpareThreads": [1, 5, 10, 25, 50, 75, 100, 200],
    "MaxSpareThreads": [0, 10, 25, 50, 75, 100, 150, 250, 300],
    "ThreadsPerChild": [1, 2, 5, 10, 16, 20, 25, 30, 32, 50, 64, 100],
    "ThreadLimit": [1, 10, 16, 20, 25, 32, 64, 100, 128],
    "AsyncRequestWorkerFactor": ["1", "1.5", "2", "2.9", "3", "0.5", "4",
                                 "0.25", "10"],
}
BAD_INT = ["0", "0", "-1", "-25", "25abc", "12abc", "abc", "1e3", "0x40",
           "4294967296", "99999999999999999999", "2147483647",
           "-2147483648", "+8", "007", " 12", "-0", "+", "2147483648",
           "-2147483649", "4294967321", "18446744073709551641", "3.9"]
BAD_ARWF = ["0", "abc", "-1", "1.5x", "0.0", "nan", "1e1", "0x10", "1,5",
            "0.01", "1e-9", " 2", "2 ", "1e400", "-nan", "0x1p1", ".5",
            "268435456", "268435457.5"]
EXTREME = {
    "ServerLimit": ["20000", "20001", "30000", "200000", "200001",
                    "1000000"],
    "ThreadLimit": ["20000", "20001", "100000", "100001", "200000"],
    "ThreadsPerChild": ["20000", "20001", "150000"],
    "MaxRequestWorkers": ["999999999", "2147483647", "200001", "20000"],
    "MinSpareThreads": ["2147483647", "2147483600"],
    "MaxSpareThreads": ["2147483647"],
    "MinSpareServers": ["2147483647"],
    "MaxSpareServers": ["2147483647"],
    "StartServers": ["2147483647", "100000"],
}


def pick_value(rng, name):
    r = rng.random()
    if name == "AsyncRequestWorkerFactor":
        return rng.choice(GOOD[name]) if r < 0.6 else rng.choice(BAD_ARWF)
    if r < 0.62:
        return str(rng.choice(GOOD[name]))
    if r < 0.9 or name not in EXTREME:
        return rng.choice(BAD_INT)
    return rng.choice(EXTREME[name])


def spell(rng, name):
    """The directive name as written: old 2.2 name, odd case, or canonical."""
    if name in OLD_NAME and rng.random() < 0.25:
        name = OLD_NAME[name]
    r = rng.random()
    if r < 0.05:
        return name.lower()
    if r < 0.08:
        return name.upper()
    return name


def quote(rng, value):
    if value != value.strip() or value == "":
        return '"%s"' % value
    r = rng.random()
    if r < 0.08:
        return '"%s"' % value
    if r < 0.11:
        return "'%s'" % value
    return value


def directive_lines(rng, mpm, n, indent=""):
    """n random directives of mpm, possibly with duplicates (last wins)."""
    names = [rng.choice(PER_MPM[mpm]) for _ in range(n)]
    if names and rng.random() < 0.2:
        # the same directive again, with another value and maybe spelling
        names.append(rng.choice(names))
    return ["%s%s %s" % (indent, spell(rng, name),
                         quote(rng, pick_value(rng, name)))
            for name in names]


def guard(rng, target, positive=True):
    """An <IfModule> line that is true for MPM target (positive) or that
    names target negated."""
    form = rng.choice(["mpm_%s_module", "%s.c"]) % target
    if positive:
        return "<IfModule %s>" % form
    return rng.choice(["<IfModule !%s>", "<IfModule ! %s>"]) % form


def never_guard(rng, target):
    """An <IfModule> name no module has (case matters, spec 2.11)."""
    if rng.random() < 0.7:
        form = rng.choice(["mod_mpm_%s.c", "mpm_%s.c", "%s", "mod_mpm_%s"])
        return "<IfModule %s>" % (form % target)
    return "<IfModule %s.c>" % target.capitalize()


def load_line(mpm):
    return 'LoadModule mpm_%s_module "@MODULES@/mod_mpm_%s.so"' % (mpm, mpm)


def others(mpm):
    return [m for m in MPMS if m != mpm]


def foreign_directive(rng, mpm):
    """A directive that mpm does not register (httpd: Invalid command)."""
    cands = set()
    for o in others(mpm):
        cands.update(PER_MPM[o])
    cands -= set(PER_MPM[mpm])
    name = rng.choice(sorted(cands))
    return "%s %s" % (name, quote(rng, pick_value(rng, name)))


def syntax_problem(rng, mpm):
    """A directive of mpm that httpd refuses while walking the tree."""
    name = rng.choice(PER_MPM[mpm])
    kind = rng.choice(["two", "none", "comment", "empty", "vhost",
                       "directory"])
    sp = spell(rng, name)
    if kind == "two":
        return ["%s %s %s" % (sp, pick_value(rng, name), "4")]
    if kind == "none":
        return [sp]
    if kind == "comment":
        return ["%s %s # the %s" % (sp, pick_value(rng, name), name)]
    if kind == "empty":
        return ['%s ""' % sp]
    if kind == "vhost":
        return ["<VirtualHost 127.0.0.1:@PORT@>",
                "    %s %s" % (sp, pick_value(rng, name)),
                "</VirtualHost>"]
    return ['<Directory "@ROOT@/htdocs">',
            "    %s %s" % (sp, pick_value(rng, name)),
            "</Directory>"]


def section_problem(rng, mpm):
    """Conditional sections httpd reads in its own way (spec 2.7, 2.11):
    close tags with a space or a trailing comment, sections left open at
    the end of the file, comment lines continued with a backslash."""
    kind = rng.choice(["close-space", "close-comment", "false-close-space",
                       "false-close-comment", "open-true", "open-false",
                       "comment-continued", "ok"])
    own = guard(rng, mpm)
    other = guard(rng, rng.choice(others(mpm)))
    body = directive_lines(rng, mpm, rng.randint(1, 3), "    ")
    if kind == "close-space":
        return [own] + body + ["</IfModule >"]
    if kind == "close-comment":
        return [own] + body + ["</IfModule> # end"]
    if kind == "false-close-space":
        return [other] + body + ["</IfModule >"]
    if kind == "false-close-comment":
        return [other] + body + ["</IfModule> # end of %s" % mpm] + \
            directive_lines(rng, mpm, 1)
    if kind == "open-true":
        return directive_lines(rng, mpm, 1) + [own] + body
    if kind == "open-false":
        return [other] + body
    if kind == "comment-continued":
        return ["# the next line is part of this comment \\",
                foreign_directive(rng, mpm)] + directive_lines(rng, mpm, 2)
    return [own, "    " + other] + body + ["    </IfModule>", "</IfModule>"]


def block(rng, mpm, loaded, body_n=None):
    """A block of directives for mpm, wrapped in a guard that is true for
    loaded when mpm == loaded, else a guard for mpm (false)."""
    n = body_n if body_n is not None else rng.randint(1, 6)
    lines = []
    if mpm == loaded:
        r = rng.random()
        if r < 0.3:
            return directive_lines(rng, mpm, n)
        if r < 0.75:
            head = guard(rng, mpm)
        elif r < 0.9:
            head = guard(rng, rng.choice(others(mpm)), positive=False)
        else:
            # nested: !other around mpm's own guard
            return ([guard(rng, rng.choice(others(mpm)), positive=False),
                     "    " + guard(rng, mpm)] +
                    directive_lines(rng, mpm, n, "        ") +
                    ["    </IfModule>", "</IfModule>"])
        lines.append(head)
        lines += directive_lines(rng, mpm, n, "    ")
        lines.append("</IfModule>")
        return lines
    # a block for another MPM: false guard; anything goes inside
    r = rng.random()
    if r < 0.7:
        head = guard(rng, mpm)
    elif r < 0.85:
        head = guard(rng, loaded, positive=False)
    else:
        head = never_guard(rng, rng.choice(MPMS))
    lines.append(head)
    lines += directive_lines(rng, mpm, n, "    ")
    if rng.random() < 0.3:
        lines.append("    NotADirective at all")
    lines.append("</IfModule>")
    return lines


def gen_case(seed, idx):
    if idx >= BOUNDARY_BASE:
        return gen_boundary(seed, idx)
    rng = random.Random("%d:%d" % (seed, idx))
    mpm = MPMS[idx % 3]
    case = {"seed": seed, "idx": idx, "mpm": mpm, "kind": None,
            "pre": [], "body": [], "include": None,
            "load": [load_line(mpm)]}
    if rng.random() < 0.12:
        # Debian/RHEL style: the LoadModule behind a guard that is true
        case["load"] = [guard(rng, rng.choice(MPMS), positive=False),
                        "    " + load_line(mpm), "</IfModule>"]
    r = rng.random()
    body = []
    if r < 0.30:
        kind = "plain"
        body += block(rng, mpm, mpm)
    elif r < 0.50:
        kind = "debian3"
        order = list(MPMS)
        rng.shuffle(order)
        for m in order:
            body += block(rng, m, mpm)
            body.append("")
    elif r < 0.66:
        kind = "mixed"
        for _ in range(rng.randint(2, 4)):
            m = mpm if rng.random() < 0.7 else rng.choice(MPMS)
            body += block(rng, m, mpm)
    elif r < 0.76:
        kind = "foreign"
        body += block(rng, mpm, mpm)
        f = foreign_directive(rng, mpm)
        if rng.random() < 0.5:
            body.append(f)
        else:
            body += [guard(rng, mpm), "    " + f, "</IfModule>"]
        if rng.random() < 0.5:
            body += block(rng, mpm, mpm)
    elif r < 0.84:
        kind = "early"
        # guards tested before the LoadModule line are false
        case["pre"] = ([guard(rng, mpm)] +
                       directive_lines(rng, mpm, rng.randint(1, 4), "    ") +
                       ["</IfModule>"])
        if rng.random() < 0.7:
            body += block(rng, mpm, mpm)
    elif r < 0.92:
        kind = "syntax"
        body += block(rng, mpm, mpm)
        body += syntax_problem(rng, mpm)
        if rng.random() < 0.4:
            body += block(rng, mpm, mpm)
    elif r < 0.95:
        kind = "sections"
        body += section_problem(rng, mpm)
    elif r < 0.965:
        kind = "defaults"
        if rng.random() < 0.5:
            body += ["# no MPM directives at all"]
        else:
            body += [guard(rng, rng.choice(others(mpm))),
                     "    StartServers 1", "</IfModule>"]
    elif r < 0.98:
        kind = "nompm"
        case["load"] = []
        if rng.random() < 0.5:
            # the LoadModule itself is behind a false guard
            case["pre"] = [guard(rng, mpm), "    " + load_line(mpm),
                           "</IfModule>"]
        body += block(rng, mpm, mpm)
    else:
        second = load_line(rng.choice(others(mpm)))
        if rng.random() < 0.5:
            kind = "twompm"
            case["load"] = [load_line(mpm), second]
        else:
            # the second LoadModule is behind a guard that is now false
            kind = "guarded2"
            case["load"] = [load_line(mpm),
                            guard(rng, mpm, positive=False),
                            "    " + second, "</IfModule>"]
        body += block(rng, mpm, mpm)
    case["kind"] = kind
    # listener buckets: a ListenCoresBucketsRatio now and then
    # (at the top level only, so that the driver knows it is in effect)
    case["ratio"] = None
    if kind != "sections" and rng.random() < 0.12:
        v = rng.choice(["1", "1", "1", "2", "3", "0", "-1", "abc", "1x"])
        body.insert(0 if rng.random() < 0.3 else len(body),
                    "ListenCoresBucketsRatio %s" % v)
        case["ratio"] = v
    # some cases keep the MPM settings in an included file
    if body and rng.random() < 0.25:
        case["include"] = "relative" if rng.random() < 0.5 else "absolute"
    # a backslash continuation now and then
    if body and rng.random() < 0.08:
        i = rng.randrange(len(body))
        parts = body[i].rsplit(" ", 1)
        if len(parts) == 2 and parts[0].strip() and \
                not body[i].lstrip().startswith("<"):
            body[i:i + 1] = [parts[0] + " \\", "    " + parts[1]]
    case["body"] = body
    return case


# ---------------------------------------------------------------------------
# Boundary cases: every clamp at limit - 1, limit, limit + 1
# ---------------------------------------------------------------------------

BOUNDARY_BASE = 1000000
# the hard maxima of spec 3.2 (MAX_SERVER_LIMIT, MAX_THREAD_LIMIT)
SERVER_LIMIT_MAX = {"prefork": 200000, "worker": 20000, "event": 20000}
THREAD_LIMIT_MAX = {"worker": 20000, "event": 100000}


def boundary_table():
    """[(mpm, label, [(directive, value), ...], start)], in a fixed
    order: the cases of spec section 4 at each side of each limit."""
    out = []

    def tri(mpm, label, limit, make, start=False):
        for v in (limit - 1, limit, limit + 1):
            out.append((mpm, "%s %d (limit %d)" % (label, v, limit),
                        make(v), start))

    # prefork_check_config (4.1) and prefork_run (4.3)
    m = "prefork"
    tri(m, "ServerLimit", SERVER_LIMIT_MAX[m],
        lambda v: [("ServerLimit", v), ("MaxRequestWorkers", 10)])
    tri(m, "ServerLimit", 1,
        lambda v: [("ServerLimit", v), ("MaxRequestWorkers", 1)])
    tri(m, "MaxRequestWorkers vs ServerLimit 10", 10,
        lambda v: [("ServerLimit", 10), ("MaxRequestWorkers", v),
                   ("StartServers", 2), ("MinSpareServers", 1),
                   ("MaxSpareServers", 4)], start=True)
    tri(m, "MaxRequestWorkers vs default ServerLimit", 256,
        lambda v: [("MaxRequestWorkers", v)])
    tri(m, "MaxRequestWorkers", 1, lambda v: [("MaxRequestWorkers", v)])
    tri(m, "StartServers", 1, lambda v: [("StartServers", v)])
    tri(m, "MinSpareServers", 1,
        lambda v: [("MinSpareServers", v), ("MaxRequestWorkers", 10)])
    tri(m, "MaxSpareServers vs MinSpareServers 3 + 1", 4,
        lambda v: [("MinSpareServers", 3), ("MaxSpareServers", v),
                   ("StartServers", 2), ("MaxRequestWorkers", 10)],
        start=True)
    tri(m, "StartServers vs MaxRequestWorkers 4", 4,
        lambda v: [("MaxRequestWorkers", 4), ("StartServers", v),
                   ("MinSpareServers", 1), ("MaxSpareServers", 10)],
        start=True)
    # worker_check_config / event_check_config (4.2), *_run (4.3)
    for m in ("worker", "event"):
        tri(m, "ServerLimit", SERVER_LIMIT_MAX[m],
            lambda v: [("ServerLimit", v), ("ThreadLimit", 1),
                       ("ThreadsPerChild", 1), ("MaxRequestWorkers", 25)])
        tri(m, "ServerLimit", 1,
            lambda v: [("ServerLimit", v), ("MaxRequestWorkers", 25)])
        tri(m, "ThreadLimit", THREAD_LIMIT_MAX[m],
            lambda v: [("ServerLimit", 1), ("ThreadLimit", v),
                       ("ThreadsPerChild", 25), ("MaxRequestWorkers", 25)])
        tri(m, "ThreadLimit", 1,
            lambda v: [("ThreadLimit", v), ("ThreadsPerChild", 1),
                       ("MaxRequestWorkers", 4)])
        tri(m, "ThreadsPerChild vs ThreadLimit 32", 32,
            lambda v: [("ThreadLimit", 32), ("ThreadsPerChild", v),
                       ("MaxRequestWorkers", 64), ("StartServers", 1),
                       ("MinSpareThreads", 1), ("MaxSpareThreads", 100)],
            start=True)
        tri(m, "ThreadsPerChild vs default ThreadLimit", 64,
            lambda v: [("ThreadsPerChild", v)])
        tri(m, "ThreadsPerChild", 1,
            lambda v: [("ThreadsPerChild", v), ("MaxRequestWorkers", 10)])
        tri(m, "MaxRequestWorkers vs ThreadsPerChild 20", 20,
            lambda v: [("ThreadsPerChild", 20), ("MaxRequestWorkers", v)])
        tri(m, "MaxRequestWorkers vs 3 x ThreadsPerChild 20", 60,
            lambda v: [("ThreadsPerChild", 20), ("MaxRequestWorkers", v)])
        tri(m, "MaxRequestWorkers vs ServerLimit 4 x ThreadsPerChild 10", 40,
            lambda v: [("ServerLimit", 4), ("ThreadsPerChild", 10),
                       ("MaxRequestWorkers", v)])
        tri(m, "MaxRequestWorkers vs (ServerLimit 4 + 1) x ThreadsPerChild "
            "10", 50,
            lambda v: [("ServerLimit", 4), ("ThreadsPerChild", 10),
                       ("MaxRequestWorkers", v), ("StartServers", 1),
                       ("MinSpareThreads", 1), ("MaxSpareThreads", 30)],
            start=True)
        tri(m, "StartServers", 1, lambda v: [("StartServers", v)])
        tri(m, "StartServers vs 3 processes", 3,
            lambda v: [("ThreadsPerChild", 10), ("MaxRequestWorkers", 30),
                       ("StartServers", v), ("MinSpareThreads", 1),
                       ("MaxSpareThreads", 40)], start=True)
        tri(m, "MinSpareThreads", 1, lambda v: [("MinSpareThreads", v)])
        tri(m, "MaxSpareThreads vs MinSpareThreads 5 + ThreadsPerChild 10 "
            "+ 1", 16,
            lambda v: [("ThreadsPerChild", 10), ("MaxRequestWorkers", 40),
                       ("StartServers", 1), ("MinSpareThreads", 5),
                       ("MaxSpareThreads", v)], start=True)
    for v in ("0.99", "1", "1.01"):
        out.append(("event", "AsyncRequestWorkerFactor %s (raised to 1 "
                    "below 1)" % v, [("AsyncRequestWorkerFactor", v)],
                    False))
    for m in MPMS:
        tri(m, "MaxConnectionsPerChild", 0,
            lambda v: [("MaxConnectionsPerChild", v)])
    return out


BOUNDARY = boundary_table()


def gen_boundary(seed, idx):
    """Boundary case idx - BOUNDARY_BASE: the table's directives, at top
    level or (every other case) inside the MPM's own <IfModule>."""
    j = idx - BOUNDARY_BASE
    mpm, label, settings, start = BOUNDARY[j]
    rng = random.Random("%d:boundary:%d" % (seed, j))
    lines = ["# boundary: %s" % label]
    if j % 2:
        lines += [guard(rng, mpm)] + ["    %s %s" % kv for kv in settings] + \
            ["</IfModule>"]
    else:
        lines += ["%s %s" % kv for kv in settings]
    return {"seed": seed, "idx": idx, "mpm": mpm, "kind": "boundary",
            "pre": [], "body": lines, "include": None,
            "load": [load_line(mpm)], "ratio": None, "label": label,
            "start": start}


# ---------------------------------------------------------------------------
# Writing a case
# ---------------------------------------------------------------------------

def c_atoi(s):
    m = re.match(r"[ \t\n\v\f\r]*([+-]?\d+)", s)
    return int(m.group(1)) if m else 0


def buckets_for(case):
    """Listener buckets httpd will use on this host (listen.c:
    ap_duplicate_listeners): online cores / ListenCoresBucketsRatio when
    above 1.  mpmlint cannot know the host, so --buckets tells it."""
    if case.get("ratio") is None:
        return 1
    r = c_atoi(case["ratio"])
    cores = os.sysconf("SC_NPROCESSORS_ONLN")
    if r < 1 or cores // r <= 1:
        return 1
    return cores // r


def render(case, root, moddir, port, user, group, lua=True):
    """Return {relative file name: text}.  lua: load mod_lua (and
    mod_authz_core) for the ap_mpm_query handler of the started cases."""
    subst = lambda s: (s.replace("@ROOT@", root).replace("@MODULES@", moddir)
                       .replace("@PORT@", str(port)))
    lines = ["# mpmlint differential case %d:%d (%s, %s)"
             % (case["seed"], case["idx"], case["mpm"], case["kind"]),
             'ServerRoot "%s"' % root]
    if lua:
        lines += ['LoadModule authz_core_module "%s/mod_authz_core.so"'
                  % moddir,
                  'LoadModule lua_module "%s/mod_lua.so"' % moddir]
    lines += [subst(l) for l in case["pre"]]
    lines += [subst(l) for l in case["load"]]
    lines += server_lines(root, port, user, group)
    if lua:
        lines.append('LuaMapHandler "^/mpm-query$" "%s/mpmq.lua" handle'
                     % root)
    files = {}
    body = [subst(l) for l in case["body"]]
    if case["include"]:
        files["mpm.conf"] = "\n".join(body) + "\n"
        if case["include"] == "relative":
            lines.append("Include mpm.conf")
        else:
            lines.append('Include "%s/mpm.conf"' % root)
    else:
        lines += body
    files["httpd.conf"] = "\n".join(lines) + "\n"
    files["mpmq.lua"] = LUA_SCRIPT % ", ".join(
        str(c) for c in MPMQ_CODES[case["mpm"]])
    return files


def write_case(case, root, moddir, port, user, group, lua=True):
    make_root(root)
    for name, text in render(case, root, moddir, port, user, group,
                             lua).items():
        with open(os.path.join(root, name), "w") as f:
            f.write(text)
