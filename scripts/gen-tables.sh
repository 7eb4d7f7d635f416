#!/bin/sh
# gen-tables.sh - regenerate parser/modules.def and rules/directives.def
# from the apache2 installed on this machine (Debian 12, apache2 2.4.71).
#
#   sh scripts/gen-tables.sh [-n]      (-n: check only, write nothing)
#
# How the facts are obtained:
#  1. Every module struct (exported `*_module` symbol with the 'AP24' magic)
#     is read straight out of the ELF files: /usr/sbin/apache2 for the
#     static modules and every mod_*.so in the module directory.  Pointers
#     are resolved through R_X86_64_RELATIVE relocations.  This gives each
#     module's LoadModule identifier, its source file name (module->name,
#     what <IfModule> matches) and its command_rec table: directive name,
#     req_override bits, args_how (enum cmd_how) and help text.
#  2. Cross-checks against the running binary, which must all pass:
#     `apache2 -L` with every module loaded (once per MPM, the MPMs conflict)
#     must equal byte for byte the listing rendered from step 1; `apache2 -l`
#     and `-M` must name the same static modules; `<IfModule source>` and
#     `<IfModule identifier>` must be true for every module; and a directive
#     given no argument must fail with the message its args_how implies.
#  3. Context probes with `apache2 -t`: each directive, given the right
#     number of arguments ("1", then "On"; FLAGs "On"), is placed in
#     <VirtualHost>, <Directory>, <Location>, <Files>, <Proxy> and <Limit>
#     (where its req_override lets invoke_cmd() accept it), and the
#     "cannot occur within ..." answers of ap_check_cmd_context() become
#     CTX_NOT_IN_* flags.  A handler that rejects both values before it
#     checks the context goes unnoticed; .htaccess cannot be probed.
#     Probes are batched: one file holds many, an error drops the probe
#     it names and the rest run again, so runs ~ errors (about 2500).
# Only `apache2 -t`, `-L`, `-l` and `-M` are run: no server is started.
# Needs POSIX sh, python3 and apache2; x86-64 ELF files.  Takes ~30 s.
# GEN_TABLES_LOG=file keeps every context probe's answer, for debugging.
set -eu

APACHE2=${APACHE2:-/usr/sbin/apache2}
MODDIR=${MODDIR:-/usr/lib/apache2/modules}
top=$(cd "$(dirname "$0")/.." && pwd)
check_only=0
[ "${1:-}" = "-n" ] && check_only=1

for t in python3 "$APACHE2"; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "gen-tables.sh: $t not found" >&2
		exit 1
	}
done
[ -d "$MODDIR" ] || {
	echo "gen-tables.sh: no module directory $MODDIR" >&2
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/gen-tables.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

python3 - "$APACHE2" "$MODDIR" "$work" "$top" "$check_only" <<'PYEOF'
import concurrent.futures, glob, itertools, os, re, struct, subprocess, sys
import textwrap

APACHE2, MODDIR, WORK, TOP, CHECK_ONLY = sys.argv[1:6]
CHECK_ONLY = CHECK_ONLY == "1"

def die(msg):
    sys.exit("gen-tables.sh: " + msg)

# ---------------------------------------------------------------- ELF --
MODULE_MAGIC_COOKIE = 0x41503234       # "AP24"
MODULE_SIZE = 112                      # sizeof(module) on LP64
CMD_SIZE = 40                          # sizeof(command_rec) on LP64

def read_modules(path):
    """Module structs exported by one ELF64 x86-64 file."""
    d = open(path, "rb").read()
    if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1 or \
            struct.unpack_from("<H", d, 18)[0] != 62:
        die("%s: not an ELF64 x86-64 little-endian file" % path)
    phoff, shoff = struct.unpack_from("<QQ", d, 0x20)
    phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", d, 0x36)
    loads = []
    for i in range(phnum):
        ptype, _, poff, pvaddr, _, pfilesz = \
            struct.unpack_from("<IIQQQQ", d, phoff + i * phentsize)
        if ptype == 1:
            loads.append((pvaddr, pfilesz, poff))
    secs = [struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize)
            for i in range(shnum)]
    rel, anyrel, dynsym = {}, set(), None
    for s in secs:
        stype, soff, ssize = s[1], s[4], s[5]
        if stype == 4:                               # SHT_RELA
            for o in range(soff, soff + ssize, 24):
                roff, rinfo, radd = struct.unpack_from("<QQq", d, o)
                anyrel.add(roff)
                if rinfo & 0xffffffff == 8:          # R_X86_64_RELATIVE
                    rel[roff] = radd
        elif stype == 11:                            # SHT_DYNSYM
            dynsym = s
    if dynsym is None:
        die("%s: no dynamic symbol table" % path)

    def off(va):
        for v, sz, o in loads:
            if v <= va < v + sz:
                return o + va - v
        return None

    def ptr(va):
        if va in rel:
            return rel[va]
        o = off(va)
        return struct.unpack_from("<Q", d, o)[0] if o is not None else 0

    def cstr(va):
        o = off(va) if va else None
        if o is None:
            return None
        return d[o:d.index(b"\0", o)].decode("latin-1")

    strtab = secs[dynsym[6]][4]
    mods, defined, undefined = [], set(), set()
    for o in range(dynsym[4], dynsym[4] + dynsym[5], 24):
        stname, stinfo, _, stshndx, stvalue, stsize = \
            struct.unpack_from("<IBBHQQ", d, o)
        sym = d[strtab + stname:d.index(b"\0", strtab + stname)].decode()
        if stinfo >> 4 in (1, 2):                   # GLOBAL, WEAK
            (defined if stshndx else undefined).add(sym)
        if stinfo & 0xf != 1 or stsize != MODULE_SIZE or stshndx == 0:
            continue                                 # not a data object
        mo = off(stvalue)
        if mo is None or struct.unpack_from("<Q", d, mo + 40)[0] != \
                MODULE_MAGIC_COOKIE:
            continue
        ident = sym
        src = cstr(ptr(stvalue + 16)).replace("\\", "/").rsplit("/", 1)[-1]
        dirconf = (stvalue + 56) in anyrel or ptr(stvalue + 56) != 0
        cmds = []
        c = ptr(stvalue + 88)
        while c:
            name = cstr(ptr(c))
            if name is None:
                break
            ro, how = struct.unpack_from("<ii", d, off(c + 24))
            cmds.append((name, ro, how, cstr(ptr(c + 32))))
            c += CMD_SIZE
        mods.append({"id": ident, "src": src, "dirconf": dirconf,
                     "cmds": cmds, "so": None})
    for m in mods:
        m["defined"], m["undefined"] = defined, undefined
    return mods

static = read_modules(APACHE2)
shared = []
sos = sorted(glob.glob(os.path.join(MODDIR, "*.so")))
for p in sos:
    ms = read_modules(p)
    if len(ms) != 1:
        die("%s: expected one module struct, found %d" % (p, len(ms)))
    ms[0]["so"] = os.path.basename(p)
    ms[0]["path"] = p
    shared.append(ms[0])
byid = {m["id"]: m for m in static + shared}
if len(byid) != len(static) + len(shared):
    die("duplicate module identifiers")

# ------------------------------------------------------- apache2 runs --
def run(args, conf=None):
    cmd = [APACHE2] + (["-f", conf] if conf else []) + args
    next(runs)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=60)
    return r.returncode, r.stdout.decode("latin-1")

sroot = os.path.join(WORK, "root")
os.mkdir(sroot)
BASE = ["ServerRoot " + sroot, "ErrorLog /dev/null", "ServerName localhost",
        "PidFile " + sroot + "/pid", "Mutex file:" + sroot + " default"]
counter = itertools.count(1)       # next() is atomic: probes run threaded
runs = itertools.count(1)

def write_conf(lines):
    path = os.path.join(WORK, "c%d.conf" % next(counter))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path

# Static modules: apache2 -l gives source names, -M identifiers.
rc, out = run(["-l"])
lsrc = [l.strip() for l in out.splitlines()[1:] if l.strip()]
if sorted(lsrc) != sorted(m["src"] for m in static):
    die("apache2 -l %s disagrees with the binary %s"
        % (lsrc, [m["src"] for m in static]))
static.sort(key=lambda m: lsrc.index(m["src"]))  # ap_loaded_modules order
rc, out = run(["-M"], write_conf(BASE + ["LoadModule mpm_event_module %s"
                                         % os.path.join(MODDIR, "mod_mpm_event.so")]))
mstatic = sorted(re.findall(r"^ (\w+) \(static\)$", out, re.M))
if mstatic != sorted(m["id"] for m in static):
    die("apache2 -M static modules %s disagree with the binary" % mstatic)

# A LoadModule order that satisfies inter-module symbol dependencies.
mpms = [m for m in shared if m["id"].startswith("mpm_")]
others = [m for m in shared if not m["id"].startswith("mpm_")]
if len(mpms) != 3:
    die("expected three MPMs, found %s" % [m["id"] for m in mpms])

def loadlines(mpm, lst):
    return ["LoadModule %s %s" % (m["id"], m["path"]) for m in [mpm] + lst]

order = list(others)
for _ in range(4 * len(order)):
    rc, out = run(["-t"], write_conf(BASE + loadlines(mpms[0], order)))
    if rc == 0:
        break
    mm = re.search(r"Cannot load (\S+) into server", out)
    if not mm:
        die("apache2 -t with all modules failed:\n" + out)
    bad = [m for m in order if m["path"] == mm.group(1)]
    order.remove(bad[0])
    order.append(bad[0])
else:
    die("no LoadModule order loads every module")

# ------------------------------------------ cross-check with apache2 -L --
def show_overrides(ro, m):
    s = "\tAllowed in *.conf "
    if ro & (2 | 4 | 16) or (ro & 128 and ro & (64 | 8 | 1)):
        s += "anywhere"
    elif ro & 128:
        s += "only outside <Directory>, <Files>, <Location>, or <If>"
    else:
        s += "only inside <Directory>, <Files>, <Location>, or <If>"
    if ro & (31 | 64) and not m["dirconf"]:
        s += " [no per-dir config]"
    if ro & 31:
        s += " and in .htaccess\n\twhen AllowOverride"
        if ro & 31 == 31:
            s += " isn't None"
        else:
            s += " includes " + " or ".join(
                n for b, n in ((8, "AuthConfig"), (1, "Limit"), (2, "Options"),
                               (4, "FileInfo"), (16, "Indexes")) if ro & b)
    return s + "\n"

mpmconf = {}
for mpm in mpms:
    lines = BASE + loadlines(mpm, order)
    mpmconf[mpm["id"]] = lines
    rc, out = run(["-L"], write_conf(lines))
    want = ""
    for m in static + [mpm] + order:
        for name, ro, how, help in m["cmds"]:
            want += "%s (%s)\n" % (name, m["src"])
            if help is not None:
                want += "\t%s\n" % help
            want += show_overrides(ro, m)
    if rc != 0 or out != want:
        a, b = out.splitlines(), want.splitlines()
        i = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                 min(len(a), len(b)))
        die("apache2 -L with %s differs from the ELF tables at line %d:\n"
            "  -L:  %r\n  ELF: %r" % (mpm["id"], i + 1, a[i:i + 1],
                                      b[i:i + 1]))

# -------------------------------------- <IfModule> names, per MPM run --
for mpm in mpms:
    mods = static + [mpm] + order
    lines = list(mpmconf[mpm["id"]])
    for i, m in enumerate(mods):
        for kind, name in (("S", m["src"]), ("I", m["id"])):
            lines += ["<IfModule %s>" % name, "Define T%s%d" % (kind, i),
                      "</IfModule>"]
    lines += ["<IfModule nonexistent_module>", "Define NEGATIVE",
              "</IfModule>"]
    rc, out = run(["-t", "-D", "DUMP_RUN_CFG"], write_conf(lines))
    got = set(re.findall(r"^Define: (\S+)", out, re.M))
    want = {"T%s%d" % (k, i) for i in range(len(mods)) for k in "SI"}
    if rc != 0 or "NEGATIVE" in got or want - got:
        die("<IfModule> check failed with %s: missing %s"
            % (mpm["id"], sorted(want - got)))

# ------------------------------------------------------------ probes --
HOW = ["RAW_ARGS", "TAKE1", "TAKE2", "ITERATE", "ITERATE2", "FLAG",
       "NO_ARGS", "TAKE12", "TAKE3", "TAKE23", "TAKE123", "TAKE13",
       "TAKE_ARGV"]
ZERO_MSG = {1: " takes one argument", 2: " takes two arguments",
            3: " requires at least one argument",
            4: " requires at least two arguments", 5: " must be On or Off",
            7: " takes 1-2 arguments", 8: " takes three arguments",
            9: " takes two or three arguments",
            10: " takes one, two or three arguments",
            11: " takes one or three arguments"}
NARGS = {0: 1, 1: 1, 2: 2, 3: 1, 4: 2, 5: 1, 6: 0, 7: 1, 8: 3, 9: 2,
         10: 1, 11: 1, 12: 1}
SERVER_OK = 128 | 2 | 4 | 16      # override mask inside *.conf / vhost
DIR_OK = 64 | 31                  # override mask inside <Directory> etc.

# Each probe loads only the MPM, mod_proxy (for <Proxy>) and the module
# under test with the modules it links against: runs are three times
# faster than with everything loaded.  Where two modules register one name
# httpd runs the one loaded last, so the other one is left out (cgi/cgid
# ScriptLog*, heartmonitor/lbmethod_heartbeat HeartbeatStorage).
provider = {}
for m in others:
    for sym in m["defined"]:
        provider.setdefault(sym, set()).add(m["id"])

def closure(m):
    seen, todo = set(), [m["id"]]
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        for sym in byid[i]["undefined"]:
            todo += [p for p in provider.get(sym, ()) if p != i]
    return seen

owners = {}
for m in static + mpms + order:
    for c in m["cmds"]:
        owners.setdefault(c[0].lower(), set()).add(m["id"])
PROXY = closure(byid["proxy_module"])

def owner_conf(m, name):
    mpm = m if m["id"].startswith("mpm_") else mpms[0]
    want = PROXY | (closure(m) if m["so"] else set())
    want -= owners[name.lower()] - {m["id"]}
    return BASE + loadlines(mpm, [o for o in order if o["id"] in want])

def wrap(ctx, body):
    if ctx == "top":
        return body
    if ctx == "vhost":
        return ["<VirtualHost *:80>"] + body + ["</VirtualHost>"]
    if ctx == "dir":
        return ["<Directory /x>"] + body + ["</Directory>"]
    if ctx == "loc":
        return ["<Location /x>"] + body + ["</Location>"]
    if ctx == "files":
        return ["<Files x>"] + body + ["</Files>"]
    if ctx == "proxy":
        return ["<Proxy *>"] + body + ["</Proxy>"]
    if ctx == "limit":
        return ["<Directory /x>", "<Limit GET>"] + body + \
               ["</Limit>", "</Directory>"]
    raise ValueError(ctx)

def body(name, how, arg):
    words = " ".join([arg] * NARGS[how])
    if name.startswith("<"):
        return ["%s %s>" % (name, words) if words else name + ">",
                "</%s>" % name[1:]]
    return [(name + " " + words).rstrip()]

def message(out, rc):
    """The error text of one failed apache2 -t run, and its line number."""
    # "AH00526: Syntax error on line N of F:\nMSG" (walk) or
    # "apache2: Syntax error on line N of F: MSG" (build); MSG may span lines
    mm = re.search(r"Syntax error on line (\d+) of [^\n]*?:[ \n](.*)", out,
                   re.S)
    if mm:
        return mm.group(2).rstrip("\n"), int(mm.group(1))
    return out.strip() or "(exit status %d, no message)" % rc, None

def probe_chunk(base, jobs):
    """Run jobs [(key, lines)] after base in as few apache2 -t runs as
    possible: all pending jobs go in one file; the job named by an error
    gets that message and is dropped, and the rest run again.  A run that
    passes passes every job left.  Returns {key: message or None}."""
    res = {}
    pending = list(jobs)
    while pending:
        lines, where = list(base), []
        for key, body in pending:
            where.append((len(lines) + 1, len(lines) + len(body), key))
            lines += body
        rc, out = run(["-t"], write_conf(lines))
        if rc == 0:
            res.update((key, None) for key, _ in pending)
            break
        msg, line = message(out, rc)
        hit = [key for lo, hi, key in where if line and lo <= line <= hi]
        if not hit and len(pending) == 1:
            hit = [pending[0][0]]
        elif not hit:
            # No line to blame (a check after the walk): go one by one.
            for job in pending:
                res.update(probe_chunk(base, [job]))
            break
        res[hit[0]] = msg
        pending = [j for j in pending if j[0] != hit[0]]
    return res

good_bases = {}

def probe_all(jobs):
    """jobs: [(key, base lines, body lines)] -> {key: message or None}."""
    groups = {}
    for key, base, body in jobs:
        groups.setdefault(tuple(base), []).append((key, body))
    ncpu = os.cpu_count() or 2
    with concurrent.futures.ThreadPoolExecutor(ncpu) as ex:
        for base in groups:
            if base not in good_bases:
                good_bases[base] = ex.submit(run, ["-t"], write_conf(base))
    for base in groups:
        rc, out = good_bases[base].result()
        if rc != 0:
            die("probe base configuration fails:\n%s\n%s"
                % ("\n".join(base), out))
    work = []
    for base, js in groups.items():
        n = max(1, min(ncpu, len(js) // 8))
        work += [(list(base), js[i::n]) for i in range(n)]
    res = {}
    with concurrent.futures.ThreadPoolExecutor(ncpu) as ex:
        for r in ex.map(lambda w: probe_chunk(*w), work):
            res.update(r)
    return res

cmds = [(m, c) for m in static + mpms + order for c in m["cmds"]]

# Zero arguments: the argument-count message must match args_how.
jobs = []
for m, (name, ro, how, help) in cmds:
    if name.startswith("<"):
        continue                 # sections get ">" as their argument
    ctx = "top" if ro & SERVER_OK else "proxy" if ro & 0x800 else "dir"
    jobs.append(((m["id"], name), owner_conf(m, name),
                 wrap(ctx, body(name, 6, ""))))
zero = probe_all(jobs)

def logescape(s):
    """The error log escapes control characters and backslashes."""
    e = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return "".join(e.get(ch, ch if ord(ch) >= 32 else "\\x%02x" % ord(ch))
                   for ch in s)

shape_bad = []
for m, (name, ro, how, help) in cmds:
    if name.startswith("<"):
        continue
    msg = zero[(m["id"], name)]
    if how in ZERO_MSG:
        want = name + ZERO_MSG[how] + (", " + help if help and how != 5
                                       else "")
        if msg != logescape(want):
            shape_bad.append((m["id"], name, HOW[how], msg))
    elif how == 6 and msg is not None:
        shape_bad.append((m["id"], name, HOW[how], msg))
for b in shape_bad:
    print("gen-tables.sh: args_how mismatch: %s %s %s: %r" % b,
          file=sys.stderr)
if shape_bad:
    die("zero-argument probes disagree with args_how")

# Contexts: which ap_check_cmd_context() refusals does each directive make?
# A handler may reject the value before it checks the context, so a
# directive that fails for another reason is tried again with other values.
NOT_IN = {"vhost": ("<VirtualHost>", ["NOT_IN_VIRTUALHOST"]),
          "limit": ("<Limit>", ["NOT_IN_LIMIT"]),
          "dir": ("<Directory", ["NOT_IN_DIRECTORY"]),
          "loc": ("<Location", ["NOT_IN_LOCATION"]),
          "files": ("<Files", ["NOT_IN_FILES"]),
          "proxy": ("<Proxy", ["NOT_IN_PROXY"])}
DIRCTX = ["NOT_IN_DIRECTORY", "NOT_IN_LOCATION", "NOT_IN_FILES"]
ARGS_TRY = ["1", "On"]           # "x" and "/" found nothing more
forbid = {}
pending = []
for m, (name, ro, how, help) in cmds:
    forbid[(m["id"], name)] = set()
    ctxs = (["vhost"] if ro & SERVER_OK else []) + \
           (["dir", "loc", "files", "limit"] if ro & DIR_OK else []) + \
           (["proxy"] if ro & (DIR_OK | 0x800) else [])
    pending += [(m, name, how, ctx) for ctx in ctxs]
log = []
for n, arg0 in enumerate(ARGS_TRY):
    argof = lambda how: "On" if how == 5 else arg0
    res = probe_all([((m["id"], name, ctx), owner_conf(m, name),
                      wrap(ctx, body(name, how, argof(how))))
                     for m, name, how, ctx in pending])
    retry = []
    for m, name, how, ctx in pending:
        msg = res[(m["id"], name, ctx)]
        arg = argof(how)
        log.append("%s\t%s\t%s\t%s\t%s" % (ctx, m["id"], name, arg, msg))
        if msg is None:
            continue
        if "cannot occur within" in msg:
            if "cannot occur within directory context" in msg:
                forbid[(m["id"], name)].update(DIRCTX)
            elif NOT_IN[ctx][0] in msg:
                forbid[(m["id"], name)].update(NOT_IN[ctx][1])
            continue
        if how != 5:                         # FLAG: only On is tried
            retry.append((m, name, how, ctx))
    pending = retry
if os.environ.get("GEN_TABLES_LOG"):
    with open(os.environ["GEN_TABLES_LOG"], "w") as f:
        f.write("\n".join(log) + "\n")

# ------------------------------------------------------------ output --
def cstr(s):
    out = '"'
    prev = ""
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out += "\\" + ch
        elif ch == "\n":
            out += "\\n"
        elif ch == "\t":
            out += "\\t"
        elif ch == "?" and prev == "?":
            out += "\\?"                      # no trigraphs
        elif o < 32 or o > 126:
            out += "\\%03o" % o
        else:
            out += ch
        prev = ch
    return out + '"'

WHERE = [(1, "OR_LIMIT"), (2, "OR_OPTIONS"), (4, "OR_FILEINFO"),
         (8, "OR_AUTHCFG"), (16, "OR_INDEXES"), (64, "ACCESS_CONF"),
         (128, "RSRC_CONF"), (256, "EXEC_ON_READ"), (2048, "PROXY_CONF")]

def where_expr(ro, name):
    parts = []
    if ro & 31 == 31:
        parts.append("CTX_OR_ALL")
        ro &= ~31
    parts += ["CTX_" + n for b, n in WHERE if ro & b]
    if ro & ~0x9ff:
        die("%s: unknown req_override bits %#x" % (name, ro))
    if name.startswith("<"):
        parts.append("CTX_SECTION")
    return "|".join(parts) if parts else "0"

ORDER_NOT_IN = ["NOT_IN_VIRTUALHOST", "NOT_IN_LIMIT", "NOT_IN_DIRECTORY",
                "NOT_IN_LOCATION", "NOT_IN_FILES", "NOT_IN_PROXY"]

def forbid_expr(s):
    if set(ORDER_NOT_IN) <= s:
        return "CTX_GLOBAL_ONLY"
    return "|".join("CTX_" + n for n in ORDER_NOT_IN if n in s) or "0"

rows = {}
for m, (name, ro, how, help) in cmds:
    key = (name.lower(), name, how, ro, frozenset(forbid[(m["id"], name)]),
           help)
    rows.setdefault(key, []).append(m["id"])
names = {}
for key in rows:
    names.setdefault(key[0], set()).add(key[1])
for k, v in names.items():
    if len(v) > 1:
        die("directive %s is spelled differently by two modules: %s" % (k, v))

out = []
for key in sorted(rows, key=lambda k: (k[0], sorted(rows[k]))):
    lname, name, how, ro, fb, help = key
    out.append("DIRECTIVE(%s, %s, ARGS_%s, %s, %s, %s)" % (
        cstr(name), cstr(" ".join(sorted(rows[key]))), HOW[how],
        where_expr(ro, name), forbid_expr(set(fb)),
        cstr(help) if help is not None else "NULL"))

version = run(["-v"])[1].splitlines()[0].split(": ", 1)[-1]
nshape = {}
for m, c in cmds:
    nshape[HOW[c[2]]] = nshape.get(HOW[c[2]], 0) + 1

dhead = """\
/*
 * directives.def - every directive of Debian's apache2 (the static modules
 * and every module in the module directory), GENERATED by
 * scripts/gen-tables.sh from
 *     %(version)s, %(moddir)s
 * It reads each module's command_rec table out of the ELF files and checks
 * it against `apache2 -L`, zero-argument `apache2 -t` probes and context
 * probes.  Do not edit; rerun the script.
 *
 * X-macros; define the ones you need before including, #undef after:
 *
 * DIRECTIVE(name, modules, args, where, forbid, help)
 *   name     the directive as httpd spells it; a section opener keeps its
 *            "<" ("<Directory") and has CTX_SECTION in `where'
 *   modules  space-separated LoadModule identifiers of the modules that
 *            register it; the directive exists only while one is loaded
 *   args     ARGS_<cmd_how>: how invoke_cmd() counts the arguments
 *   where    req_override bits: CTX_RSRC_CONF (outside <Directory> etc.),
 *            CTX_ACCESS_CONF (inside), CTX_OR_* (anywhere but the server
 *            level for OR_LIMIT/OR_AUTHCFG; and .htaccess with that
 *            AllowOverride), CTX_EXEC_ON_READ, plus CTX_SECTION
 *   forbid   "X cannot occur within <S> section" refusals observed from
 *            ap_check_cmd_context(): CTX_NOT_IN_* bits or CTX_GLOBAL_ONLY;
 *            0 when none was seen (.htaccess is not probed)
 *   help     the text httpd appends to "X takes one argument, " (and shows
 *            in apache2 -L), or NULL
 * One row a line, so that grep shows all facts about a directive.
 * Rows are sorted by strcasecmp(name); a name repeats only where modules
 * disagree (e.g. the help of ServerLimit differs per MPM): search, then
 * scan the equal neighbours for a row whose module is loaded.
 *
 * DIRECTIVE_ARGS(shape, value, message): the argument shapes, numbered like
 *   httpd's enum cmd_how, with the invoke_cmd() message for a wrong count
 *   (NULL: the handler checks for itself).  AP_INIT_NO_ARGS registers
 *   RAW_ARGS, so ARGS_NO_ARGS never occurs in this build.
 * DIRECTIVE_FLAG(flag, value): the CTX_* bits used in `where' and `forbid'.
 *
 * Rows by shape (before merging modules):
%(shapes)s
 */
"""
argsmsg = ["NULL", '"takes one argument"', '"takes two arguments"',
           '"requires at least one argument"',
           '"requires at least two arguments"', '"must be On or Off"',
           '"takes no arguments"', '"takes 1-2 arguments"',
           '"takes three arguments"', '"takes two or three arguments"',
           '"takes one, two or three arguments"',
           '"takes one or three arguments"', "NULL"]
flags = [("CTX_OR_LIMIT", 0x1), ("CTX_OR_OPTIONS", 0x2),
         ("CTX_OR_FILEINFO", 0x4), ("CTX_OR_AUTHCFG", 0x8),
         ("CTX_OR_INDEXES", 0x10), ("CTX_OR_ALL", 0x1f),
         ("CTX_ACCESS_CONF", 0x40), ("CTX_RSRC_CONF", 0x80),
         ("CTX_EXEC_ON_READ", 0x100), ("CTX_PROXY_CONF", 0x800),
         ("CTX_SECTION", 0x10000),
         ("CTX_NOT_IN_VIRTUALHOST", 0x01), ("CTX_NOT_IN_LIMIT", 0x02),
         ("CTX_NOT_IN_DIRECTORY", 0x04), ("CTX_NOT_IN_LOCATION", 0x08),
         ("CTX_NOT_IN_FILES", 0x10), ("CTX_NOT_IN_HTACCESS", 0x20),
         ("CTX_NOT_IN_PROXY", 0x40), ("CTX_GLOBAL_ONLY", 0x5f)]
d = dhead % {"version": version, "moddir": MODDIR,
             "shapes": "\n".join(textwrap.wrap(
                 ", ".join("%s %d" % (k, nshape[k]) for k in HOW
                           if k in nshape) + ".", 72,
                 initial_indent=" *   ", subsequent_indent=" *   "))}
d += "\n#ifdef DIRECTIVE_ARGS\n"
d += "".join("DIRECTIVE_ARGS(ARGS_%s, %d, %s)\n" % (h, i, argsmsg[i])
             for i, h in enumerate(HOW))
d += "#endif\n\n#ifdef DIRECTIVE_FLAG\n"
d += "/* where: httpd's req_override values (http_config.h), + CTX_SECTION */\n"
d += "".join("DIRECTIVE_FLAG(%s, %#x)\n" % f for f in flags[:11])
d += "/* forbid: httpd's ap_check_cmd_context() values (http_core.h) */\n"
d += "".join("DIRECTIVE_FLAG(%s, %#x)\n" % f for f in flags[11:])
d += "#endif\n\n#ifdef DIRECTIVE\n" + "\n".join(out) + "\n#endif\n"

mhead = """\
/*
 * modules.def - the modules of Debian's apache2: the ones compiled into
 * the binary (so NULL) and every .so in the module directory.  GENERATED
 * by scripts/gen-tables.sh from
 *     %(version)s, %(moddir)s
 * It reads the module structs out of the ELF files and checks them with
 * apache2 -l, -M, -L and <IfModule>.  Do not edit; rerun the script.
 *
 * HCONF_MODULE(ident, source, so)
 *   ident   the LoadModule identifier (the exported module symbol), which
 *           <IfModule> matches: "mpm_event_module"
 *   source  module->name, the source file name <IfModule> also matches,
 *           case-sensitively: "event.c"
 *   so      the file name in the module directory, NULL for a static one
 * Sorted by ident (strcmp).  %(n)d modules, %(ns)d of them static.
 */
"""
mrows = sorted(static + shared, key=lambda m: m["id"])
md = mhead % {"version": version, "moddir": MODDIR, "n": len(mrows),
              "ns": len(static)}
md += "".join("HCONF_MODULE(%s, %s, %s)\n" % (
    cstr(m["id"]), cstr(m["src"]), cstr(m["so"]) if m["so"] else "NULL")
    for m in mrows)

nvh = sum(1 for k in rows if "NOT_IN_VIRTUALHOST" in k[4])
print("gen-tables.sh: %d modules (%d static), %d command_recs, %d rows, "
      "%d refuse <VirtualHost>, %d apache2 runs"
      % (len(mrows), len(static), len(cmds), len(out), nvh, next(runs) - 1),
      file=sys.stderr)
if not CHECK_ONLY:
    for rel, text in (("parser/modules.def", md),
                      ("rules/directives.def", d)):
        tmp = os.path.join(TOP, rel + ".tmp")
        with open(tmp, "w") as f:
            f.write(text)
        os.rename(tmp, os.path.join(TOP, rel))
PYEOF
