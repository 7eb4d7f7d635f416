#!/usr/bin/env python3
"""caps.py - tiny inputs that would blow up stop at a cap, report it as a
finding, and stay fast and small (issue 18); many Defines cost linear
time.  Each case runs under a memory limit (RLIMIT_AS) and a time limit,
so before the caps they fail by running out of either.

  - a 28-level chain of Defines that double the last (743 bytes: 18 s
    and 15.8 GB before): HC024 at the line that would pass 1 MiB;
  - 2000 references to a 512 KiB value: HC024 once the expansions would
    pass 64 MiB plus 16 times the input;
  - an 18-level Include fan-out (each file includes the next twice: 2^18
    reads, 6 s and 700 MB before): HC039 after 65536 files;
  - 730 KB of '[' given to mpmconv --import and found as .mpmlint.yaml
    (over 120 s before): refused at the nesting cap, at once;
  - a JSON export of sections nested 20000 deep (590 KB: 5.6 GB
    before) stays within 100 times the input;
  - 50000 Defines, 50000 references, 10000 IfDefine (9.5 s before the
    hash table; 0.1 s after).

usage: caps.py BUILD_DIR; last line "hostile-caps: N passed, M failed".
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "lib"))
import tally  # noqa: E402

B = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
LINT = os.path.join(B, "mpmlint")
CONV = os.path.join(B, "mpmconv")
MPM = "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n"
ASAN = "asan" in B or "ASAN_OPTIONS" in os.environ
# sanitizers reserve terabytes of address space: no RLIMIT_AS under them
MEM = None if ASAN else 1 << 30
# sanitized builds run several times slower
SLOW = 8 if "asan" in B or "ubsan" in B else 1
T = tally.Tally("hostile-caps")
result = T.result


def limits():
    if MEM is not None:
        resource.setrlimit(resource.RLIMIT_AS, (MEM, MEM))


def run(args, cwd, seconds):
    t0 = time.monotonic()
    try:
        p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=seconds * SLOW,
                           preexec_fn=limits)
    except subprocess.TimeoutExpired:
        return None, b"", b"timed out", time.monotonic() - t0
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def lint_case(name, t, path, seconds, expect):
    """Run mpmlint -f json; expect(findings) returns an error or None."""
    rc, out, err, dt = run([LINT, "--no-config", "-f", "json", path], t,
                           seconds)
    if rc is None or rc not in (0, 1):
        result(False, name, "exit %s after %.1f s: %s" % (
            rc, dt, err.decode("latin-1")[-300:]))
        return
    try:
        found = json.loads(out)["findings"]
    except ValueError as e:
        result(False, name, "JSON: %s" % e)
        return
    why = expect(found)
    result(why is None, "%s (%.2f s)" % (name, dt), why or "")


def rules(found, rule):
    return [f for f in found if f["rule"] == rule]


def fan_out(d, name, depth, last):
    """d/NAME0.conf to NAMEdepth.conf, each including the next twice (2^depth
    reads); the last one holds last."""
    for i in range(depth):
        with open(os.path.join(d, "%s%d.conf" % (name, i)), "w") as f:
            f.write(("Include %s/%s%d.conf\n" % (d, name, i + 1)) * 2)
    with open(os.path.join(d, "%s%d.conf" % (name, depth)), "w") as f:
        f.write(last)


def define_caps(t):
    """Doubling Defines: the cap of one value and of all expansions."""
    # ---- Define chain
    lines = [MPM.rstrip(), "Define A0 x"]
    lines += ["Define A%d ${A%d}${A%d}" % (i, i - 1, i - 1)
              for i in range(1, 29)]
    lines.append("ServerName ${A28}")
    p = os.path.join(t, "chain.conf")
    with open(p, "w") as f:
        f.write("\n".join(lines) + "\n")

    def chain(found):
        hc = rules(found, "HC024")
        if len(hc) != 1:
            return "want one HC024, got %r" % hc
        # A20 = 2^20 bytes plus "Define A20 " passes 1 MiB first
        if hc[0]["line"] != 22 or "${A19}" not in hc[0]["message"]:
            return "HC024 at the wrong place: %r" % hc[0]
        return None
    lint_case("Define chain of 28 doublings: HC024 at A20", t, p, 10,
              chain)

    # ---- total expansion
    lines = ["Define A0 x"]
    lines += ["Define A%d ${A%d}${A%d}" % (i, i - 1, i - 1)
              for i in range(1, 20)]
    lines += ["ServerAdmin ${A19}"] * 2000
    p = os.path.join(t, "total.conf")
    with open(p, "w") as f:
        f.write(MPM + "\n".join(lines) + "\n")

    def total(found):
        hc = rules(found, "HC024")
        if len(hc) != 1 or "64 MiB" not in hc[0]["message"]:
            return "want one total-cap HC024, got %r" % hc
        # 64 MiB / 512 KiB = 128 lines (less the Defines' own
        # expansions, plus 16 times the input) expand, then it stops
        if not 22 + 120 <= hc[0]["line"] <= 22 + 128:
            return "HC024 at line %d" % hc[0]["line"]
        return None
    lint_case("2000 lines of a 512 KiB value: HC024 at the total cap",
              t, p, 10, total)


def include_caps(t):
    """An Include fan-out, and one below the caps."""
    # ---- Include fan-out
    fan = os.path.join(t, "fan")
    os.mkdir(fan)
    fan_out(fan, "l", 18, "ServerName x\n")
    p = os.path.join(t, "fan.conf")
    with open(p, "w") as f:
        f.write(MPM + "Include %s/l0.conf\n" % fan)

    def fanout(found):
        hc = rules(found, "HC039")
        if len(hc) != 1 or "65536 files" not in hc[0]["message"]:
            return "want one HC039, got %r" % hc[:3]
        return None
    lint_case("18-level Include fan-out: HC039", t, p, 10, fanout)

    # below the caps nothing is reported: 2^10 reads, 64 KiB lines
    fan_out(fan, "m", 10, "ServerAdmin ${A16}\n")
    p = os.path.join(t, "under.conf")
    with open(p, "w") as f:
        f.write(MPM + "".join("Define A%d %s\n" % (i, "${A%d}${A%d}" % (
            i - 1, i - 1) if i else "x") for i in range(17)) +
            "Include %s/m0.conf\n" % fan)
    lint_case("under the caps: no HC024 or HC039", t, p, 30,
              lambda found: None if not rules(found, "HC024") and
              not rules(found, "HC039") else "capped: %r" % found[:2])


def yaml_caps(t):
    """YAML nested deep: refused at the nesting and work caps; exports of
    nested sections import back."""
    # ---- YAML nesting
    deep = os.path.join(t, "deep.yaml")
    with open(deep, "w") as f:
        f.write("[" * 730000)
    rc, out, err, dt = run([CONV, "--import", deep, "-o",
                            os.path.join(t, "out")], t, 10)
    result(rc == 1 and b"flow collections" in err,
           "--import of 730 KB of '[': refused (%.2f s)" % dt,
           "rc %s: %s" % (rc, err[-200:]))
    proj = os.path.join(t, "proj")
    os.mkdir(proj)
    os.rename(deep, os.path.join(proj, ".mpmlint.yaml"))
    with open(os.path.join(proj, "httpd.conf"), "w") as f:
        f.write(MPM)
    rc, out, err, dt = run([LINT, "httpd.conf"], proj, 10)
    result(rc == 3 and b"nested more than 32 levels" in err,
           ".mpmlint.yaml of 730 KB of '[': refused (%.2f s)" % dt,
           "rc %s: %s" % (rc, err[-200:]))
    # deep flow nesting, then 350000 tokens: the work cap stops it
    flow = os.path.join(t, "flow.yaml")
    with open(flow, "w") as f:
        f.write("[" * 19999 + "a," * 350000)
    rc, out, err, dt = run([CONV, "--import", flow, "-o",
                            os.path.join(t, "out")], t, 10)
    result(rc == 1 and b"flow collections" in err,
           "--import of 19999 '[' and 350000 items: refused "
           "(%.2f s)" % dt, "rc %s: %s" % (rc, err[-200:]))
    # an export nested 120 sections deep still imports (YAML), and
    # one 140 deep as JSON (flow)
    p = os.path.join(t, "nest.conf")
    with open(p, "w") as f:
        f.write(MPM + "".join("<IfDefine X%d>\n" % i for i in range(120))
                + "ServerName a\n" + "</IfDefine>\n" * 120)
    rc, out, err, dt = run([CONV, "--export", "yaml", p], t, 30)
    y = os.path.join(t, "nest.yaml")
    with open(y, "wb") as f:
        f.write(out)
    rc2, out2, err2, dt = run([CONV, "--import", y, "-o",
                               os.path.join(t, "nestout")], t, 30)
    result(rc == 0 and rc2 == 0, "120 nested sections export and import",
           "rc %s/%s: %s" % (rc, rc2, err2[-200:]))
    with open(p, "w") as f:
        f.write(MPM + "".join("<IfDefine X%d>\n" % i for i in range(140))
                + "ServerName a\n" + "</IfDefine>\n" * 140)
    rc, out, err, dt = run([CONV, "--export", "json", p], t, 30)
    with open(y, "wb") as f:
        f.write(out)
    rc2, out2, err2, dt = run([CONV, "--import", y], t, 30)
    result(rc == 0 and rc2 == 0 and out2.count(b"ServerName a") == 1,
           "140 nested sections export as JSON and import",
           "rc %s/%s: %s" % (rc, rc2, err2[-200:]))


def export_growth(t):
    """Exports of deep nesting grow with the input, not its square."""
    # ---- exports of deep nesting grow with the input, not its square
    p = os.path.join(t, "n20k.conf")
    with open(p, "w") as f:
        f.write("".join("<IfDefine X%d>\n" % i for i in range(20000)) +
                "ServerName a\n" + "</IfDefine>\n" * 20000)
    size = os.path.getsize(p)
    # (YAML keeps block style, whose indentation is its syntax: it
    # still grows with the square of the nesting)
    for fmt in ("json",):
        out = os.path.join(t, "n20k." + fmt)
        with open(out, "wb") as fo:
            t0 = time.monotonic()
            try:
                rc = subprocess.run([CONV, "--export", fmt, p], stdout=fo,
                                    stderr=subprocess.DEVNULL,
                                    timeout=30 * SLOW,
                                    preexec_fn=limits).returncode
            except subprocess.TimeoutExpired:
                rc = None
            dt = time.monotonic() - t0
        n = os.path.getsize(out)
        os.unlink(out)
        # 5.6 GB before
        result(rc == 0 and n < 100 * size,
               "--export %s of 20000 nested sections: %d bytes from %d "
               "(%.1f s)" % (fmt, n, size, dt), "rc %s" % rc)


def many_defines(t):
    """Many Defines cost linear time."""
    # ---- many Defines
    lines = [MPM.rstrip()]
    lines += ["Define V%d val%d" % (i, i) for i in range(50000)]
    lines += ["ServerAdmin ${V%d}" % ((i * 7919) % 50000)
              for i in range(50000)]
    lines += ["<IfDefine V%d>\n</IfDefine>" % ((i * 104729) % 50000)
              for i in range(10000)]
    p = os.path.join(t, "defs.conf")
    with open(p, "w") as f:
        f.write("\n".join(lines) + "\n")
    # 9.5 s before the hash table, 0.1 s after
    lint_case("50000 Defines and 60000 uses in under 2 s", t, p, 2,
              lambda found: None)


def main():
    if T.missing(LINT, CONV):
        return 1
    with tempfile.TemporaryDirectory(prefix="hostile-caps.") as t:
        for step in (define_caps, include_caps, yaml_caps, export_growth,
                     many_defines):
            step(t)
    return T.summary()


if __name__ == "__main__":
    sys.exit(main())
