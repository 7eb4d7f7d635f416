#!/bin/sh
# run.sh - --root DIR is a chroot (issues 11 and 18): a tree checked out
# from a server is read as the server would read it, and nothing outside
# DIR is ever read or written.  Include escapes with "..", absolute and
# relative symlinks to a host file that holds a secret marker (the marker
# must never appear in any output; with strace, no path outside the tree
# is ever named in a system call), absolute symlinks inside the tree,
# globs and directory includes, ServerRoot, Debian's envvars,
# .mpmlint.yaml, the main file named three ways, mpmconv -i (the host
# file behind an absolute symlink is never written, and no .bak is left
# beside it), mpmref, one path per finding in all seven formats, --base,
# and mpmconv --import (path spellings, symlinks inside -o DIR).
# The last line is "root: N passed, M failed"; exit 1 on any failure.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
M=$B/mpmlint
C=$B/mpmconv
R=$B/mpmref
lib_need root "$M"
lib_tmpdir mpmlint-root
T=$(pwd -P)

MARK=SECRETMARKER
L="LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so"

# ---- the host: files no run may read or write ---------------------------
mkdir -p host/dir
printf 'root:%s1:19000:0:99999:7:::\ndaemon:%s2:19000::::::\n' "$MARK" \
    "$MARK" >host/shadow
printf 'export APACHE_RUN_USER=%s3\nexport MRW=%s4\n' "$MARK" "$MARK" \
    >host/envvars
printf 'disable: [%s5]\n' "$MARK" >host/mpmlint.yaml
printf 'Define %s6\n' "$MARK" >host/dir/x.conf
printf '<IfModule mpm_prefork_module>\nStartServers 5\nMaxRequestWorkers 150\n</IfModule>\n' \
    >host/mpm.conf
cp host/mpm.conf host/mpm.conf.orig
# what a host path named in the tree resolves to inside it
find host -printf '%p %s %T@ %i %m\n' | sort >host.before

# ---- tree A: a clean Debian-like layout with absolute symlinks ----------
A=tree/etc/apache2
mkdir -p $A/mods-available $A/mods-enabled $A/conf-available \
    tree/srv/web/conf
cat >$A/apache2.conf <<EOF
ServerRoot /etc/apache2
$L
Include mods-enabled/*.conf
IncludeOptional conf-enabled/*.conf
Include /../../../etc/apache2/extra.conf
EOF
printf '<IfModule mpm_event_module>\nThreadsPerChild 64\nMaxRequestWorkers ${MRW}\n</IfModule>\n' \
    >$A/mods-available/mpm_event.conf
ln -s /etc/apache2/mods-available/mpm_event.conf $A/mods-enabled/mpm_event.conf
printf 'ServerLimit 20\n' >$A/conf-available/limits.conf
ln -s /etc/apache2/conf-available $A/conf-enabled
printf 'export MRW=410\n' >$A/envvars
printf 'NameVirtualHost *:80\n' >$A/extra.conf

run_all() { # OUTPREFIX ARGS...: every format, and a baseline
	p=$1
	shift
	for f in text json yaml sarif github checkstyle; do
		"$M" --no-config -f $f "$@" >"$p.$f" 2>"$p.$f.err"
	done
	"$M" --no-config --write-baseline "$p.baseline" "$@" >/dev/null 2>&1
}

rc 1 "tree A: a warning, read from the tree" \
    "$M" --no-config -f json --root tree /etc/apache2/apache2.conf
cp rc.out a.json
check "tree A: the absolute symlink, envvars and the conf-enabled glob resolve inside the tree" \
    py a.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
e = d['effective']
# envvars: MRW=410; mpm_event.conf through the absolute symlink: 64;
# conf-enabled -> /etc/apache2/conf-available: ServerLimit 20
assert e['ThreadsPerChild'] == 64 and e['MaxRequestWorkers'] == 384, e
assert e['ServerLimit'] == 20, e
rules = sorted(f['rule'] for f in d['findings'])
assert 'MPM006' in rules, rules
# "Include /../../../etc/apache2/extra.conf": ".." at the root stays there
assert any(f['file'] == 'tree/etc/apache2/extra.conf' for f in d['findings']), d['findings']
assert not any(f['severity'] == 'error' for f in d['findings']), d['findings']
EOF

# ---- the main file named three ways, and ways that fail ------------------
"$M" --no-config -f json --root tree /etc/apache2/apache2.conf >m1.json
"$M" --no-config -f json --root tree tree/etc/apache2/apache2.conf >m2.json
"$M" --no-config -f json --root ./tree "$T/tree/etc/../etc/apache2/apache2.conf" >m3.json
(cd tree/etc && "$M" --no-config -f json --root .. apache2/apache2.conf) |
    sed 's#"file": "apache2/#"file": "tree/etc/apache2/#g' >m4.json
check "main file: a server path, a path inside DIR and an absolute path to it agree" \
    sh -c 'cmp -s m1.json m2.json && cmp -s m1.json m3.json && cmp -s m1.json m4.json'
printf 'ServerName x\n' >outside.conf
rc 2 "main file: a relative path outside DIR is refused" \
    "$M" --no-config --root tree outside.conf
check "main file: the refusal names --root" has rc.out 'not inside --root'
mkdir -p empty
rc 2 "main file: /etc/apache2/apache2.conf is not read from the host" \
    "$M" --no-config --root empty /etc/apache2/apache2.conf

# ---- one path per finding, in all seven formats ------------------------
run_all fa --root tree /etc/apache2/apache2.conf
check "formats: the same path for each finding in all seven formats" \
    py fa <<'EOF'
import json, re, sys, xml.etree.ElementTree as ET, yaml
p = sys.argv[1]
def key(f): return (f[0], f[1])
j = json.load(open(p + '.json'))
want = sorted((f['file'], f['line'], f['rule']) for f in j['findings'])
y = yaml.safe_load(open(p + '.yaml'))
got = {'yaml': sorted((f['file'], f['line'], f['rule']) for f in y['findings'])}
s = json.load(open(p + '.sarif'))
got['sarif'] = sorted((r['locations'][0]['physicalLocation']['artifactLocation']['uri'],
    r['locations'][0]['physicalLocation']['region']['startLine'], r['ruleId'])
    for r in s['runs'][0]['results'])
t = []
tl = open(p + '.text').read().splitlines()
# the last line says what runs, naming the main file as findings do
assert re.match(r'^[^:]+: (prefork|worker|event): .* workers, ', tl[-1]), tl[-1:]
for l in tl[:-1]:
    m = re.match(r'^(.*?):(\d+):\d+: \w+: .* \[(\w+)\]$', l.rstrip('\n'))
    t.append((m.group(1), int(m.group(2)), m.group(3)))
got['text'] = sorted(t)
g = []
for l in open(p + '.github'):
    m = re.match(r'^::\w+ file=([^,]*),line=(\d+),col=\d+,title=(\w+)::', l)
    g.append((m.group(1), int(m.group(2)), m.group(3)))
got['github'] = sorted(g)
c = []
for fe in ET.parse(p + '.checkstyle').getroot():
    for e in fe:
        c.append((fe.get('name'), int(e.get('line')), e.get('source').split('.')[1]))
got['checkstyle'] = sorted(c)
b = []
for l in open(p + '.baseline'):
    if l.startswith('#'): continue
    fp, rule, where = l.split()
    f, line = where.rsplit(':', 1)
    b.append((f, int(line), rule))
got['baseline'] = sorted(b)
for k, v in got.items():
    assert v == want, (k, v, want)
files = {w[0] for w in want}
assert 'tree/etc/apache2/mods-available/mpm_event.conf' in files, files
assert not any('mods-enabled' in f for f in files), files
# json: the server path and the Include chain beside it
m = [f for f in j['findings'] if f['rule'] == 'MPM006'][0]
assert m['server_path'] == '/etc/apache2/mods-enabled/mpm_event.conf', m
assert m['included_from'] == [{'file': 'tree/etc/apache2/apache2.conf', 'line': 3}], m
ym = [f for f in y['findings'] if f['rule'] == 'MPM006'][0]
assert ym['server_path'] == m['server_path'] and ym['included_from'] == m['included_from'], ym
# sarif: the server path in properties, the chain as relatedLocations
sm = [r for r in s['runs'][0]['results'] if r['ruleId'] == 'MPM006'][0]
assert sm['properties']['server_path'] == m['server_path'], sm
rl = [(x['physicalLocation']['artifactLocation']['uri'],
       x['physicalLocation']['region']['startLine']) for x in sm['relatedLocations']]
assert rl == [('tree/etc/apache2/apache2.conf', 3)], rl
EOF
run_all fb --base tree --root tree /etc/apache2/apache2.conf
check "--base: every format names files relative to it; SARIF's SRCROOT" \
    py fb "$T/tree" <<'EOF'
import json, sys
p, base = sys.argv[1], sys.argv[2]
j = json.load(open(p + '.json'))
assert all(f['file'].startswith('etc/apache2/') for f in j['findings']), j['findings']
s = json.load(open(p + '.sarif'))
run = s['runs'][0]
assert run['originalUriBaseIds']['SRCROOT']['uri'] == 'file://' + base + '/', run['originalUriBaseIds']
for r in run['results']:
    loc = r['locations'][0]['physicalLocation']['artifactLocation']
    assert loc['uriBaseId'] == 'SRCROOT' and loc['uri'].startswith('etc/apache2/'), loc
for l in open(p + '.text'):
    assert l.startswith('etc/apache2/'), l
for l in open(p + '.baseline'):
    assert l.startswith('#') or ' etc/apache2/' in l, l
EOF

# ---- escapes: nothing outside the tree is read -------------------------
E=evil/etc/apache2
mkdir -p $E/conf-enabled $E/sub
cat >$E/apache2.conf <<EOF
$L
Include /../../../../../../../../..$T/host/shadow
IncludeOptional $T/host/shadow
IncludeOptional /etc/apache2/conf-enabled/*.conf
IncludeOptional /etc/apache2/sub/
IncludeOptional /etc/apache2/hostdir/*.conf
<IfFile $T/host/shadow>
Define $MARK-iffile
</IfFile>
ServerRoot /etc/apache2/hostdir
MaxRequestWorkers \${MRW}
User \${APACHE_RUN_USER}
EOF
ln -s "$T/host/shadow" $E/conf-enabled/abs.conf
ln -s "../../../../../../../../../../..$T/host/shadow" $E/conf-enabled/rel.conf
ln -s "$T/host/shadow" $E/sub/x.conf
ln -s "$T/host/dir" $E/hostdir
ln -s "$T/host/envvars" $E/envvars
ln -s "$T/host/mpmlint.yaml" $E/.mpmlint.yaml
run_all fe --root evil /etc/apache2/apache2.conf
"$M" -f json --root evil /etc/apache2/apache2.conf >fe.cfg 2>&1
"$M" --no-config -f json -D "$MARK-iffile-probe" --root evil \
    evil/etc/apache2/apache2.conf >fe.rel 2>&1
"$R" -t -l 127.0.0.1:21001 --root evil /etc/apache2/apache2.conf \
    >fe.ref 2>&1
"$C" --export json --root evil /etc/apache2/apache2.conf \
    >fe.export 2>&1 || true
leaks=$(grep -l "$MARK[0-9]" fe.* 2>/dev/null | tr '\n' ' ')
check "escapes: no secret marker in any output (${leaks:-none})" test -z "$leaks"
check "escapes: <IfFile> of a host path is false under --root" \
    hasnt fe.json "$MARK-iffile\""
check "escapes: the escaping Include is an error, not a read" \
    py fe.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [f['message'] for f in d['findings'] if f['rule'] == 'HC030']
assert any('/../../../../' in m and 'No such file' in m for m in msgs), msgs
EOF
check "escapes: ServerRoot through a symlink to a host directory is not a directory here" \
    has fe.text 'ServerRoot must be a valid directory'
# "old" behaviour, kept for reference: before path.c every one of these
# read the host's file and printed its first words as "Invalid command"
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true >/dev/null 2>&1; then
	for tool in mpmlint mpmref mpmconv; do
		case $tool in
		mpmlint) set -- "$M" -f json --root evil /etc/apache2/apache2.conf ;;
		mpmref) set -- "$R" -t -l 127.0.0.1:21001 --root evil /etc/apache2/apache2.conf ;;
		mpmconv) set -- "$C" --to worker --diff --root evil \
		    /etc/apache2/apache2.conf ;;
		esac
		strace -f -qq -s 4096 -e trace=%file -o "st.$tool" "$@" \
		    >/dev/null 2>&1
		# the paths a call is given (readlink's answer is not one)
		check "strace $tool: every path a system call is given under $T is in the tree, none in the host's /etc/apache2" \
		    py "st.$tool" "$T" <<'EOF'
import re, sys
top = sys.argv[2]
bad, n = [], 0
for l in open(sys.argv[1]):
    m = re.search(r'(\w+)\((.*)', l)
    if not m:
        continue
    args = m.group(2)
    if m.group(1) == 'execve':     # the command line, not a path used
        continue
    if m.group(1) in ('readlink', 'readlinkat'):
        args = args.split('", "')[0]
    for p in re.findall(r'"([^"]*)"', args):
        n += 1
        if p.startswith(top) and not (p.startswith(top + '/evil') or p == top):
            bad.append((m.group(1), p))
        if p.startswith('/etc/apache2'):   # the host's own configuration
            bad.append((m.group(1), p))
assert n > 0, 'no paths traced'
assert not bad, bad[:5]
EOF
	done
else
	echo "skipped: strace not usable (the system-call checks)"
fi

# a symlink loop ends with ELOOP, quickly
mkdir -p loop/etc/apache2
printf '%s\nInclude /etc/apache2/a.conf\n' "$L" >loop/etc/apache2/apache2.conf
ln -s /etc/apache2/b.conf loop/etc/apache2/a.conf
ln -s a.conf loop/etc/apache2/b.conf
rc 1 "a symlink loop inside the tree is an error" \
    "$M" --no-config --root loop /etc/apache2/apache2.conf
check "a symlink loop: ELOOP" has rc.out 'Too many levels of symbolic links'

# ServerRoot inside the tree, and through an absolute symlink in it
mkdir -p sr/etc/apache2 sr/srv/web/conf
ln -s /srv/web sr/srv/link
printf '%s\nServerRoot /srv/link\nInclude conf/x.conf\n' "$L" \
    >sr/etc/apache2/apache2.conf
printf 'ThreadsPerChild 50\nMaxRequestWorkers 100\n' >sr/srv/web/conf/x.conf
rc 0 "ServerRoot: a directory of the tree, through an absolute symlink" \
    "$M" --no-config -f json --root sr /etc/apache2/apache2.conf
check "ServerRoot: Include relative to it read from the tree" py rc.out <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['effective']['ThreadsPerChild'] == 50 and d['effective']['MaxRequestWorkers'] == 100, d
assert d['findings'] == [], d['findings']
EOF

# ---- mpmconv -i never writes outside the root ---------------------------
W=w/etc/apache2
mkdir -p $W/mods-enabled "w$T/host"
printf 'LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so\nInclude /etc/apache2/mods-enabled/*.conf\n' \
    >$W/apache2.conf
ln -s "$T/host/mpm.conf" $W/mods-enabled/mpm.conf
cp host/mpm.conf "w$T/host/mpm.conf"   # the tree's own copy
rc 0 "mpmconv --diff --root: the tree's files" \
    "$C" --to event --diff --root w /etc/apache2/apache2.conf
check "mpmconv --diff names the file inside the tree" \
    has rc.out "^\\+\\+\\+ b/w$T/host/mpm.conf"
# the main file named inside the tree: before path.c this form read the
# tree, followed the absolute link out of it and rewrote the host's file
rc 0 "mpmconv -i --root" \
    "$C" --to event -i --root w $W/apache2.conf
check "mpmconv -i: the host file behind the absolute symlink is unchanged" \
    cmp -s host/mpm.conf host/mpm.conf.orig
check "mpmconv -i: nothing new beside the host file (no .bak)" \
    sh -c 'ls host | grep -vx -e dir -e envvars -e mpm.conf -e mpm.conf.orig -e mpmlint.yaml -e shadow | grep -q . && exit 1; exit 0'
check "mpmconv -i: the tree's copy is converted" \
    hasnt "w$T/host/mpm.conf" prefork
check "mpmconv -i: the tree's main file loads event" \
    has $W/apache2.conf mpm_event_module
check "mpmconv -i: the symlink in the tree is still a symlink" \
    test -L $W/mods-enabled/mpm.conf

# ---- mpmref reads the same tree -----------------------------------------
if [ -x "$R" ]; then
	"$R" -t -l 127.0.0.1:21001 --root tree /etc/apache2/apache2.conf \
	    >ref.out 2>&1
	check "mpmref --root: the tree's values (MaxRequestWorkers 384)" \
	    has ref.out "^MaxRequestWorkers: 384\$" &&
	    has ref.out "^ThreadsPerChild: 64\$" && has ref.out "^ServerLimit: 20\$"
fi

# ---- mpmconv --import: one spelling per path, no symlink followed --------
cat >three.yaml <<'EOF'
version: 1
files:
- path: a.conf
  nodes:
  - {kind: directive, directive: ServerName, args: [{value: a}]}
- path: ./a.conf
  nodes:
  - {kind: directive, directive: ServerName, args: [{value: a}]}
- path: /a.conf
  nodes:
  - {kind: directive, directive: ServerName, args: [{value: b}]}
EOF
rc 1 "--import: a.conf, ./a.conf, /a.conf differing is a conflict" \
    "$C" --import three.yaml -o imp1
check "--import: the conflict names the file" has rc.err 'also file 0'
check "--import: a conflict writes nothing" test ! -e imp1/a.conf
sed 's/value: b/value: a/' three.yaml >same.yaml
rc 0 "--import: the three spellings with one content" \
    "$C" --import same.yaml -o imp2
check "--import: one file, DIR/a.conf" \
    sh -c '[ "$(find imp2 -type f | sort)" = imp2/a.conf ]'
mkdir -p imp3
ln -s "$T/host/dir" imp3/d
ln -s "$T/host/shadow" imp3/s.conf
printf 'version: 1\nfiles:\n- path: /d/x.conf\n  nodes: []\n' >dir.yaml
printf 'version: 1\nfiles:\n- path: s.conf\n  nodes: []\n' >file.yaml
rc 2 "--import: a symlinked directory in -o DIR is not followed" \
    "$C" --import dir.yaml -o imp3
rc 2 "--import: a symlink at the target is not followed" \
    "$C" --import file.yaml -o imp3
check "--import: the host's files are untouched" \
    sh -c "grep -q '$MARK' host/shadow && grep -q '$MARK' host/dir/x.conf &&
        [ \"\$(ls host/dir)\" = x.conf ]"
# the export of a tree comes back under -o DIR as --root DIR reads it
"$C" --export yaml --lossless --root tree \
    /etc/apache2/apache2.conf >tree.yaml
rc 0 "--import: a --root export rebuilt" "$C" --import tree.yaml -o rebuilt
"$M" --no-config -f json --root rebuilt /etc/apache2/apache2.conf >rb.json
check "--import: the rebuilt tree has the same effective values" \
    py rb.json a.json <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a['effective']['ServerLimit'] == b['effective']['ServerLimit'] == 20, a['effective']
assert a['effective']['ThreadsPerChild'] == b['effective']['ThreadsPerChild'], a['effective']
EOF

find host -printf '%p %s %T@ %i %m\n' | sort >host.end
check "the host directory is as it was" \
    sh -c 'diff host.before host.end >/dev/null || { diff host.before host.end; exit 1; }'
lib_summary root
