#!/bin/sh
# run.sh - mpmlint as a CI citizen (issue 4): every output format checked
# by a parser (SARIF fields GitHub requires, YAML against JSON, checkstyle
# XML, github workflow lines), exit codes for each --fail-on level, each
# suppression form, .mpmlint.yaml (found upward, --config, errors with
# line:col), the baseline, stdin, -q, --list-rules, --explain for every
# rule, and the man pages.  B=build by default; python3 parses.
# The last line is "cli: N passed, M failed"; exit 1 on any failure.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
M=$B/mpmlint
lib_need cli "$M"
lib_tmpdir mpmlint-cli

L="LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so"

# ---- inputs --------------------------------------------------------------
printf '%s\n' "$L" >clean.conf
printf '%s\nNameVirtualHost *:80\n' "$L" >info.conf
printf '%s\nThreadsPerChild 25\nMaxRequestWorkers 410\n' "$L" >warn.conf
printf '%s\nMinSpareServers 5\n' "$L" >error.conf
cat >all.conf <<EOF
$L
ThreadsPerChild 25
MaxRequestWorkers 410
StartServers 0
NameVirtualHost *:80
MinSpareServers 5
StartServers "a<b&c"
StartServers 5%
EOF

# ---- version, help, usage --------------------------------------------------
check "-V prints the version" test "$("$M" -V)" = "mpmlint 0.1.0"
check "--version prints the version" \
    test "$("$M" --version)" = "mpmlint 0.1.0"
rc 0 "-h" "$M" -h
check "-h prints usage on stdout" has rc.out '^usage: mpmlint'
check "-h prints nothing on stderr" test ! -s rc.err
rc 0 "--help" "$M" --help
rc 3 "unknown option" "$M" --no-such-option clean.conf
check "usage on stderr for a bad option" has rc.err 'usage: mpmlint'
rc 3 "bad format" "$M" -f xml clean.conf
rc 3 "bad --color" "$M" --color=sometimes clean.conf
rc 3 "bad --disable rule" "$M" --disable MPM999 clean.conf
rc 3 "bad --severity" "$M" --severity MPM006=loud clean.conf
rc 3 "bad --mpm" "$M" --mpm leader clean.conf

# ---- exit status and --fail-on --------------------------------------------
rc 0 "clean file" "$M" --no-config clean.conf
# "Say what runs": the text ends with one line per configuration
check "clean file prints only what runs" test "$(cat rc.out)" = \
    "clean.conf: $(sed -n 's/^LoadModule mpm_\([a-z]*\)_module.*/\1/p' clean.conf | head -1): $(
    "$M" --no-config -f json clean.conf | python3 -c '
import json, sys
e = json.load(sys.stdin)["effective"]
t = "" if e["mpm"] == "prefork" else " x %d threads" % e["ThreadsPerChild"]
print("%d processes%s = %d workers, ServerLimit %d, up to %d connections" % (
    e["processes"], t, e["processes"] * e["ThreadsPerChild"],
    e["ServerLimit"], e["capacity"]["connections"]))')"
"$M" --no-config --ram 64G clean.conf >ram.out
check "--ram: what runs, with its peak memory" has ram.out \
    '^clean\.conf: [a-z]+: .* connections; peak memory [0-9.]+ [KMG]iB of 64\.00 GiB RAM$'
for f in github json checkstyle; do
	"$M" --no-config --ram 64G -f $f clean.conf >fmt.out
	check "-f $f: no summary line" hasnt fmt.out ' workers, ServerLimit '
done
rc 0 "clean file -q" "$M" --no-config -q clean.conf
check "clean file -q prints nothing" test ! -s rc.out
rc 0 "info only, default fail-on warning" "$M" --no-config info.conf
rc 1 "warning, default fail-on warning" "$M" --no-config warn.conf
rc 1 "error, default fail-on" "$M" --no-config error.conf
rc 1 "fail-on info: info" "$M" --no-config --fail-on info info.conf
rc 0 "fail-on info: clean" "$M" --no-config --fail-on info clean.conf
rc 1 "fail-on warning: warning" "$M" --no-config --fail-on warning warn.conf
rc 0 "fail-on warning: info" "$M" --no-config --fail-on warning info.conf
rc 1 "fail-on error: error" "$M" --no-config --fail-on error error.conf
rc 0 "fail-on error: warning" "$M" --no-config --fail-on error warn.conf
rc 0 "fail-on never: error" "$M" --no-config --fail-on never error.conf
check "fail-on never still prints" has rc.out '\[MPM003\]'
rc 3 "fail-on bad" "$M" --no-config --fail-on sometimes warn.conf
rc 2 "unreadable file" "$M" --no-config missing.conf
rc 2 "unreadable beats findings" "$M" --no-config warn.conf missing.conf
rc 2 "unreadable with fail-on never" "$M" --no-config --fail-on never \
    missing.conf
rc 1 "severity override raises" "$M" --no-config --fail-on error \
    --severity MPM006=error warn.conf
rc 0 "--disable drops" "$M" --no-config --disable \
    workers-not-multiple-of-threads warn.conf
rc 2 "unwritable -o" "$M" --no-config -o "$T/no/such/dir/out" warn.conf
if [ -w /dev/full ]; then
	rc 2 "write error on the output" "$M" --no-config -o /dev/full warn.conf
fi

# ---- text ----------------------------------------------------------------
"$M" --no-config all.conf >text.out 2>text.err
check "text: every line FILE:LINE:COL: SEVERITY: MESSAGE [RULE]" py text.out <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
pat = re.compile(r'^all\.conf:\d+:\d+: (error|warning|info): .+ \[(HC|MPM)\d+\]$')
want = 'all.conf: event: 16 processes x 25 threads = 400 workers, ServerLimit 16, up to 1200 connections'
if not lines or lines[-1] != want:
    print('last line:', lines[-1:], 'want', want); sys.exit(1)
lines = lines[:-1]
bad = [l for l in lines if not pat.match(l)]
if not lines or bad:
    print('text lines:', bad or 'none'); sys.exit(1)
EOF
check "text: no colour when not a terminal" hasnt text.out "$(printf '\033')"
"$M" --no-config --color=always all.conf >color.out
check "text: --color=always colours" has color.out "$(printf '\033')\\[1;3[156]m"
"$M" --no-config --color all.conf >color2.out
check "text: --color alone means always" has color2.out "$(printf '\033')"
NO_COLOR=1 "$M" --no-config --color=always all.conf >color3.out
check "text: --color=always beats NO_COLOR" has color3.out "$(printf '\033')"
if command -v script >/dev/null 2>&1 &&
    script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "'$M' --no-config all.conf" /dev/null >tty.out 2>&1
	check "text: colour on a terminal" has tty.out "$(printf '\033')"
	NO_COLOR=1 script -qec "'$M' --no-config all.conf" /dev/null \
	    >tty2.out 2>&1
	check "text: NO_COLOR on a terminal" hasnt tty2.out "$(printf '\033')"
	script -qec "'$M' --no-config --color=never all.conf" /dev/null \
	    >tty3.out 2>&1
	check "text: --color=never on a terminal" hasnt tty3.out \
	    "$(printf '\033')"
else
	echo "skipped: script(1) not available, terminal colour not tested"
fi
"$M" --no-config warn.conf error.conf >two.out
check "text: several files concatenated" py two.out <<'EOF'
import sys
lines = open(sys.argv[1]).read().splitlines()
runs = [l for l in lines if ': event: ' in l or ': prefork: ' in l or ': worker: ' in l]
# the summaries last, one per file, in the order of the files
if [l.split(':')[0] for l in runs] != ['warn.conf', 'error.conf'] or \
        lines[-2:] != runs:
    print('summaries:', runs); sys.exit(1)
names = [l.split(':')[0] for l in lines[:-2]]
if names != sorted(names, key=lambda n: n != 'warn.conf') or \
        set(names) != {'warn.conf', 'error.conf'}:
    print('files in order:', names); sys.exit(1)
EOF
rc 1 "-o FILE" "$M" --no-config -o out.txt all.conf
check "-o writes the file" cmp -s out.txt text.out
check "-o leaves stdout empty" test ! -s rc.out

# ---- JSON ------------------------------------------------------------------
"$M" --no-config -f json all.conf >all.json
check "json: the contract" py all.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ['tool', 'version', 'findings', 'effective', 'summary'], list(d)
assert d['tool'] == 'mpmlint' and d['version'] == '0.1.0'
for f in d['findings']:
    assert set(f) - {'httpd', 'included_from'} == {'rule', 'severity', 'file', 'line', 'column', 'message', 'fix', 'server_path'}, f
    assert f['severity'] in ('error', 'warning', 'info')
    assert f['fix'] in (True, False)
assert d['effective']['mpm'] == 'event'
n = {'error': 0, 'warning': 0, 'info': 0}
for f in d['findings']:
    n[f['severity']] += 1
assert d['summary'] == n, (d['summary'], n)
EOF
"$M" --no-config -f json warn.conf error.conf >lines.json
check "json: one document for several files" py lines.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
docs = d['files']
assert len(docs) == 2, len(docs)
assert docs[0]['findings'][0]['file'] == 'warn.conf'
assert docs[1]['findings'][0]['file'] == 'error.conf'
EOF

# ---- YAML --------------------------------------------------------------------
if python3 -c 'import yaml' 2>/dev/null; then
	"$M" --no-config -f yaml all.conf >all.yaml
	check "yaml: parses back to the JSON data" py all.yaml all.json <<'EOF'
import json, sys, yaml
y = list(yaml.safe_load_all(open(sys.argv[1])))
j = json.load(open(sys.argv[2]))
if y != [j]:
    print('yaml:', y); print('json:', j); sys.exit(1)
EOF
	"$M" --no-config -f yaml warn.conf error.conf clean.conf >lines.yaml
	"$M" --no-config -f json warn.conf error.conf clean.conf >lines3.json
	check "yaml: one document for several files, same as JSON" \
	    py lines.yaml lines3.json <<'EOF'
import json, sys, yaml
y = list(yaml.safe_load_all(open(sys.argv[1])))
j = [json.load(open(sys.argv[2]))]
if y != j or len(y[0]['files']) != 3:
    print('yaml:', y); print('json:', j); sys.exit(1)
EOF
	printf '%s\nStartServers yes\nMaxSpareThreads 0x1\nThreadsPerChild "é"\n' \
	    "$L" >tricky.conf
	"$M" --no-config -f yaml tricky.conf >tricky.yaml
	"$M" --no-config -f json tricky.conf >tricky.json
	check "yaml: strings that look like other types stay strings" \
	    py tricky.yaml tricky.json <<'EOF'
import json, sys, yaml
y = yaml.safe_load(open(sys.argv[1]))
j = json.load(open(sys.argv[2]))
if y != j:
    print('yaml:', y); print('json:', j); sys.exit(1)
EOF
	printf 'ThreadsPerChild 25\n' >nompm.conf
	"$M" --no-config -f yaml nompm.conf >null.yaml
	"$M" --no-config -f json nompm.conf >null.json
	check "yaml: effective null" py null.yaml null.json <<'EOF'
import json, sys, yaml
y = yaml.safe_load(open(sys.argv[1]))
assert y == json.load(open(sys.argv[2])) and y['effective'] is None, y
EOF
	# (a fragment: with a LoadModule of another MPM httpd refuses
	# both, AH00534, and no MPM runs)
	printf 'StartServers 2\n' >pfrag.conf
	"$M" --no-config --mpm prefork -f yaml pfrag.conf >prefork.yaml
	check "yaml: prefork effective keys" py prefork.yaml <<'EOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
e = d['effective']
assert e['mpm'] == 'prefork' and 'MinSpareServers' in e and 'ThreadLimit' not in e, e
EOF
else
	echo "skipped: python3-yaml not installed, YAML not parsed back"
fi

# ---- SARIF -------------------------------------------------------------------
mkdir -p sub/conf
cp all.conf sub/conf/httpd.conf
"$M" --no-config -f sarif ./sub/conf/httpd.conf clean.conf >all.sarif
"$M" --no-config --list-rules -f json >rules.json
check "sarif: the fields GitHub code scanning requires" \
    py all.sarif rules.json <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
cat = json.load(open(sys.argv[2]))
assert d['version'] == '2.1.0'
assert d['$schema'].startswith('https://') and 'sarif' in d['$schema'] and '2.1.0' in d['$schema']
assert len(d['runs']) == 1
run = d['runs'][0]
drv = run['tool']['driver']
assert drv['name'] == 'mpmlint' and drv['version'] == '0.1.0'
assert drv['informationUri'].startswith('https://')
rules = drv['rules']
assert [r['id'] for r in rules] == [c['id'] for c in cat], 'rules[] != catalogue'
for r in rules:
    for k in ('id', 'name', 'shortDescription', 'fullDescription', 'help', 'helpUri'):
        assert k in r, (r['id'], k)
    for k in ('shortDescription', 'fullDescription', 'help'):
        assert isinstance(r[k]['text'], str) and r[k]['text'], (r['id'], k)
    assert r['helpUri'].startswith('https://') and 'example.invalid' not in r['helpUri']
    assert r['helpUri'].endswith('/blob/main/docs/rules/' + r['id'] + '.md'), r['helpUri']
    assert r['defaultConfiguration']['level'] in ('error', 'warning', 'note')
res = run['results']
assert len(res) > 3
for x in res:
    assert rules[x['ruleIndex']]['id'] == x['ruleId'], x
    assert x['level'] in ('error', 'warning', 'note'), x
    assert x['message']['text']
    loc = x['locations'][0]['physicalLocation']
    uri = loc['artifactLocation']['uri']
    assert not uri.startswith('/') and not uri.startswith('./') and '\\' not in uri, uri
    assert not re.match(r'^[a-z]+:', uri), uri
    assert uri == 'sub/conf/httpd.conf', uri
    assert loc['region']['startLine'] >= 1 and loc['region']['startColumn'] >= 1
    fp = x['partialFingerprints']['primaryLocationLineHash']
    assert re.match(r'^[0-9a-f]{16}:[1-9][0-9]*$', fp), fp
levels = {x['level'] for x in res}
assert levels == {'error', 'warning', 'note'}, levels
fps = [x['partialFingerprints']['primaryLocationLineHash'] for x in res]
EOF
# fingerprints survive moved lines
{ printf '# a comment added on top\n\n'; cat all.conf; } >sub/conf/moved.conf
cp sub/conf/moved.conf sub/conf/httpd.conf
"$M" --no-config -f sarif sub/conf/httpd.conf >moved.sarif
check "sarif: line hashes survive moved lines" py all.sarif moved.sarif <<'EOF'
import json, sys
def fps(p):
    r = json.load(open(p))['runs'][0]['results']
    return sorted((x['ruleId'], x['partialFingerprints']['primaryLocationLineHash']) for x in r)
def lines(p):
    r = json.load(open(p))['runs'][0]['results']
    return sorted(x['locations'][0]['physicalLocation']['region']['startLine'] for x in r)
assert fps(sys.argv[1]) == fps(sys.argv[2])
assert lines(sys.argv[1]) != lines(sys.argv[2])
EOF
(cd sub && "$M" --no-config -f sarif "$T/sub/conf/httpd.conf") >abs.sarif
check "sarif: absolute paths become relative to the working directory" \
    py abs.sarif <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))['runs'][0]['results']
assert {x['locations'][0]['physicalLocation']['artifactLocation']['uri'] for x in r} == {'conf/httpd.conf'}
EOF
"$M" --no-config -f sarif clean.conf >clean.sarif
check "sarif: a clean run has an empty results array" py clean.sarif <<'EOF'
import json, sys
assert json.load(open(sys.argv[1]))['runs'][0]['results'] == []
EOF

# ---- github --------------------------------------------------------------------
cp all.conf 'we,ird:name.conf'
"$M" --no-config -f github all.conf 'we,ird:name.conf' >gh.out
check "github: workflow command lines" py gh.out <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
pat = re.compile(r'^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),title=((HC|MPM)\d+)::(.+)$')
kinds = set()
for l in lines:
    m = pat.match(l)
    assert m, l
    kinds.add(m.group(1))
    assert '\n' not in m.group(7) and '\r' not in m.group(7)
assert kinds == {'error', 'warning', 'notice'}, kinds
assert any(l.startswith('::') and 'file=we%2Cird%3Aname.conf,' in l for l in lines), 'property escaping'
assert any(l.endswith('AH00513: WARNING: MaxRequestWorkers of 410 is not an integer multiple of ThreadsPerChild of 25, decreasing to nearest multiple 400, for a maximum of 16 servers. (fixable with mpmlint --fix)') for l in lines), 'a fixable finding says so'
assert not any(l.endswith('(fixable with mpmlint --fix)') for l in lines if 'title=MPM003::' in l or 'title=HC' in l), 'an unfixable one does not'
assert any("'5%25'" in l for l in lines), 'data escaping of %'
assert not any(re.search(r'%(?!25|0D|0A|2C|3A)', l) for l in lines)
EOF

# ---- checkstyle ------------------------------------------------------------------
"$M" --no-config -f checkstyle all.conf clean.conf >cs.xml
check "checkstyle: XML parses, with every finding" py cs.xml all.json <<'EOF'
import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
j = json.load(open(sys.argv[2]))
assert root.tag == 'checkstyle' and root.get('version') == '4.3'
files = root.findall('file')
assert [f.get('name') for f in files] == ['all.conf', 'clean.conf'], [f.get('name') for f in files]
errs = files[0].findall('error')
assert len(errs) == len(j['findings'])
for e, f in zip(errs, j['findings']):
    assert int(e.get('line')) == f['line'] and int(e.get('column')) == f['column']
    assert e.get('severity') == f['severity']
    fx = ' (fixable with mpmlint --fix)' if f['fix'] else ''
    assert e.get('message') == f['message'] + fx, (e.get('message'), f['message'])
    assert e.get('source') == 'mpmlint.' + f['rule']
assert any('<' in e.get('message') and '&' in e.get('message') for e in errs), 'escaping'
assert files[1].findall('error') == []
EOF

# ---- stdin, -q -----------------------------------------------------------------
"$M" --no-config <warn.conf >stdin1.out
check "stdin with no FILE" has stdin1.out '^-:3:19: warning: .*\[MPM006\]$'
"$M" --no-config - <warn.conf >stdin2.out
check "stdin with -" cmp -s stdin1.out stdin2.out
rc 1 "stdin exit status" sh -c "'$M' --no-config <warn.conf"
rc 1 "-q keeps the exit status" "$M" --no-config -q all.conf
check "-q prints nothing" test ! -s rc.out
check "-q prints nothing on stderr" test ! -s rc.err
rc 0 "-q clean" "$M" --no-config -q clean.conf
rc 2 "-q unreadable" "$M" --no-config -q missing.conf
check "-q unreadable is silent" test ! -s rc.out

# ---- issue 13: --color WHEN, the terminal note, --stdin-filename ---------------
rc 1 "--color never FILE" "$M" --no-config --color never warn.conf
check "--color never FILE: the file is linted" has rc.out '^warn\.conf:3:19: '
check "--color never FILE: no escape codes" hasnt rc.out "$(printf '\033')"
check "--color never FILE: nothing on stderr" test ! -s rc.err
rc 1 "--colour always FILE" "$M" --no-config --colour always warn.conf
check "--colour always colours" has rc.out "$(printf '\033')\\[1;35m"
rc 1 "--color auto FILE" "$M" --no-config --color auto warn.conf
check "--color auto off a terminal: no colour" hasnt rc.out "$(printf '\033')"
cp warn.conf never
rc 1 "--color ./never: a file named never" "$M" --no-config --color ./never
check "--color ./never colours the file never" \
    has rc.out "never:3:19:.*$(printf '\033')"
rc 1 "--color then FILE: always" "$M" --no-config --color warn.conf
check "--color then FILE colours" has rc.out "$(printf '\033')"
rc 3 "--color=sometimes stays an error" "$M" --color=sometimes warn.conf
rc 2 "--color sometimes: a file named sometimes" "$M" --no-config \
    --color sometimes
"$M" --help >help.out
check "--help shows --color [WHEN]" has help.out '^ +--color \[WHEN\] '

"$M" --no-config <warn.conf >note1.out 2>note1.err
check "stdin from a file: no note" test ! -s note1.err
cat warn.conf | "$M" --no-config >note2.out 2>note2.err
check "stdin from a pipe: no note" test ! -s note2.err
check "the note on a terminal; none with - or -q" py "$M" "$B/mpmconv" <<'EOF'
import os, pty, subprocess, sys
def run(*args, tool=None):
    m, s = pty.openpty()
    p = subprocess.Popen([tool] if tool else
                         [sys.argv[1], '--no-config'] + list(args),
                         stdin=s, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    os.close(s)
    os.write(m, b'\x04')  # Ctrl-D: the end of the input
    out, err = p.communicate(timeout=20)
    os.close(m)
    return p.returncode, err.decode()
note = ('mpmlint: reading configuration from standard input (end with '
        'Ctrl-D; give FILE or - to silence this)\n')
bad = []
rc, err = run()
if not err.startswith(note) or rc != 1:
    bad.append(('no FILE', rc, err))
rc, err = run('-')
if 'standard input' in err or rc != 1:
    bad.append(('-', rc, err))
rc, err = run('-q')
if err != '' or rc != 1:
    bad.append(('-q', rc, err))
rc, err = run(tool=sys.argv[2])
if not err.startswith(note.replace('mpmlint', 'mpmconv', 1)) or rc != 0:
    bad.append(('mpmconv', rc, err))
if bad:
    print('terminal note:', bad); sys.exit(1)
EOF

# --stdin-filename: only the name changes, in every format; Include and
# ServerRoot read as before
mkdir -p sf/conf.d
printf 'ThreadsPerChild 25\nMaxRequestWorkers 410\n' >sf/conf.d/mpm.conf
printf '%s\nServerRoot %s/sf\nInclude conf.d/mpm.conf\nStartServers 0\n' \
    "$L" "$T" >sf/main.conf
for f in text json yaml sarif github checkstyle; do
	"$M" --no-config -f "$f" - <sf/main.conf >sfn-$f.out
	"$M" --no-config -f "$f" --stdin-filename site/httpd.conf - \
	    <sf/main.conf >sf-$f.out
	check "--stdin-filename in $f" has sf-$f.out 'site/httpd\.conf'
	check "--stdin-filename in $f: the Include is read" \
	    has sf-$f.out 'sf/conf\.d/mpm\.conf'
	check "--stdin-filename in $f: only the name changes" \
	    py sfn-$f.out sf-$f.out <<'EOF'
import sys
a = open(sys.argv[1]).read().replace("'-'", '-')
b = open(sys.argv[2]).read().replace('site/httpd.conf', '-')
if a != b:
    print('not only the name:', sys.argv[1:]); sys.exit(1)
EOF
done
"$M" --no-config --stdin-filename site/httpd.conf <sf/main.conf >sf-nofile.out
check "--stdin-filename with no FILE" cmp -s sf-nofile.out sf-text.out
"$M" --no-config --stdin-filename site/httpd.conf warn.conf >sf-file.out
check "--stdin-filename leaves a FILE's name" has sf-file.out '^warn\.conf:3:'
"$M" --no-config --base site --stdin-filename site/httpd.conf \
    <sf/main.conf >sf-base.out
check "--stdin-filename relative to --base" has sf-base.out '^httpd\.conf:4:'
"$M" --no-config -f json --stdin-filename site/httpd.conf warn.conf - \
    <sf/main.conf >sf-two.json
check "--stdin-filename: the files array names it" py sf-two.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
paths = [f['path'] for f in d['files']]
if paths != ['warn.conf', 'site/httpd.conf']:
    print('paths:', paths); sys.exit(1)
EOF

# ---- --list-rules, --explain ------------------------------------------------------
"$M" --list-rules >rules.txt
check "--list-rules: id, severity, name, summary for every rule" \
    py rules.txt rules.json "$ROOT/parser/diag.def" "$ROOT/rules/rules.def" <<'EOF'
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
cat = json.load(open(sys.argv[2]))
defs = re.findall(r'"((?:HC|MPM)\d+)"', open(sys.argv[3]).read() + open(sys.argv[4]).read())
ids = [l.split()[0] for l in lines]
assert ids == [c['id'] for c in cat], 'list vs json'
assert sorted(ids) == sorted(set(defs)), set(defs) ^ set(ids)
for l, c in zip(lines, cat):
    f = l.split(None, 3)
    assert f[1] == c['severity'] and f[2] == c['name'] and f[3] == c['summary'], l
    assert f[1] in ('error', 'warning', 'info')
EOF
n_explained=0
for id in $(awk '{print $1}' rules.txt); do
	if "$M" --explain "$id" >explain.out 2>&1 &&
	    has explain.out "^$id " && has explain.out '^What httpd does$' &&
	    has explain.out '^Why it matters$' &&
	    has explain.out '^How to fix it$' && has explain.out '^Example$'; then
		n_explained=$((n_explained + 1))
	else
		bad "--explain $id"
	fi
done
check "--explain for every rule ($n_explained)" \
    test "$n_explained" -eq "$(wc -l <rules.txt)"
rc 0 "--explain by name" "$M" --explain workers-not-multiple-of-threads
check "--explain by name finds the rule" has rc.out '^MPM006 '
rc 0 "--explain ignores the case of an id" "$M" --explain mpm006
rc 3 "--explain unknown" "$M" --explain MPM999

# ---- suppression comments --------------------------------------------------------
cat >sup.conf <<EOF
$L
ThreadsPerChild 25
# mpmlint disable=MPM006 -- rounding to 400 is intended
MaxRequestWorkers 410
# mpmlint disable=value-not-a-number

MinSpareThreads 5x
MaxSpareThreads 300x
EOF
"$M" --no-config sup.conf >sup.out 2>sup.err
check "disable=ID silences the next directive" hasnt sup.out ':4:.*\[MPM006\]'
check "disable=NAME skips blank lines to the next directive" \
    hasnt sup.out ':7:.*\[MPM010\]'
check "disable= silences only the next directive" has sup.out ':8:.*\[MPM010\]'
check "well-formed comments: no warnings" test ! -s sup.err
"$M" --no-config --no-inline-suppress sup.conf >nosup.out
check "--no-inline-suppress: next-directive form" has nosup.out ':4:.*\[MPM006\]'
check "--no-inline-suppress: by name" has nosup.out ':7:.*\[MPM010\]'

cat >range.conf <<EOF
$L
StartServers 1x
# mpmlint disable=MPM010,MPM023 -- vendor block
MinSpareThreads 5x
MaxSpareThreads 300x

StartServers 2x
# mpmlint enable=MPM010
ServerLimit 20x
# mpmlint disable=all
ThreadLimit 64x
# mpmlint enable=all
ThreadsPerChild 25x
EOF
"$M" --no-config range.conf >range.out 2>range.err
check "range: before it" has range.out ':2:.*\[MPM010\]'
check "range: inside it" hasnt range.out ':(4|5|7):.*\[MPM010\]'
check "range: after enable" has range.out ':9:.*\[MPM010\]'
check "range: all" hasnt range.out ':11:'
check "range: after enable=all" has range.out ':13:.*\[MPM010\]'
check "range: a rule whose next comment is disable=all is next-directive" \
    has range.out ':7:.*\[MPM023\]'
check "range: no warnings for well-formed comments" test ! -s range.err
"$M" --no-config --no-inline-suppress range.conf >range2.out
check "--no-inline-suppress: range form" has range2.out ':5:.*\[MPM010\]'

mkdir -p inc
cat >inc/part.conf <<'EOF'
StartServers 7x
EOF
cat >file.conf <<EOF
$L
StartServers 3x
Include inc/part.conf
MinSpareThreads 9x
# mpmlint disable-file=value-not-a-number -- the whole main file
EOF
"$M" --no-config -d "$T" file.conf >file.out 2>file.err
check "disable-file: silences the file" hasnt file.out '^file\.conf:.*\[MPM010\]'
check "disable-file: not the included file" has file.out 'part\.conf:1:.*\[MPM010\]'
cat >inc/part2.conf <<'EOF'
# mpmlint disable-file=MPM010
StartServers 7x
EOF
cat >file2.conf <<EOF
$L
Include inc/part2.conf
MinSpareThreads 9x
EOF
"$M" --no-config -d "$T" file2.conf >file2.out
check "disable-file in an included file: that file" hasnt file2.out 'part2\.conf'
check "disable-file in an included file: not the main file" \
    has file2.out '^file2\.conf:3:.*\[MPM010\]'
"$M" --no-config --no-inline-suppress -d "$T" file.conf >file3.out
check "--no-inline-suppress: disable-file form" \
    has file3.out '^file\.conf:2:.*\[MPM010\]'

cat >sec.conf <<EOF
$L
# mpmlint disable=MPM021
<IfModule mod_mpm_event.c>
</IfModule>
<IfModule Event.c>
</IfModule>
EOF
"$M" --no-config sec.conf >sec.out
check "disable= before a section opening line" hasnt sec.out ':3:.*\[MPM021\]'
check "... and not the next section" has sec.out ':5:.*\[MPM021\]'

cat >warnc.conf <<EOF
$L
# mpmlint disable=MPM999
StartServers 1
# mpmlint enable=MPM006
# mpmlint disable
# mpmlint is a linter: prose, not a directive
EOF
rc 0 "bad suppression comments do not change the status" \
    "$M" --no-config warnc.conf
check "unknown rule in a comment: warning on stderr" \
    has rc.err "warnc\\.conf:2:[0-9]+: warning: .*unknown rule 'MPM999'"
check "enable without disable: warning" has rc.err 'warnc\.conf:4:.*enable'
check "disable without '=': warning" has rc.err "warnc\\.conf:5:.*'='"
check "prose mentioning mpmlint: no warning" hasnt rc.err 'warnc\.conf:6:'
rc 0 "-q silences comment warnings" "$M" --no-config -q warnc.conf
check "-q: no comment warnings" test ! -s rc.err

# ---- .mpmlint.yaml -------------------------------------------------------------
mkdir -p proj/a/b
cp all.conf proj/a/b/httpd.conf
cat >proj/.mpmlint.yaml <<'EOF'
# project settings
disable: [MPM006, namevirtualhost]
severity:
  MPM023: error
  value-not-a-number: info
fail-on: error
httpd-version: "2.4.71"
profile:
  process-size: 64M
  thread-size: 2M
  reserve: 1G
EOF
"$M" proj/a/b/httpd.conf >proj.out
got=$?
check "config found upward: disable" hasnt proj.out '\[(MPM006|MPM032)\]'
check "config found upward: severity" has proj.out ': error: .*\[MPM023\]$'
check "config found upward: severity info" has proj.out ': info: .*\[MPM010\]$'
check "config found upward: fail-on error, errors present" test "$got" -eq 1
(cd proj/a && "$M" <b/httpd.conf >"$T/proj2.out")
check "config found upward from the working directory for stdin" \
    hasnt proj2.out '\[MPM006\]'
printf '%s\nStartServers 0\n' "$L" >proj/a/w.conf
rc 0 "config fail-on error: warnings pass" "$M" proj/a/w.conf
check "config fail-on error: the warning is printed" has rc.out '\[MPM009\]'
rc 1 "command line overrides config fail-on" "$M" --fail-on warning \
    proj/a/w.conf
rc 0 "--fail-on never overrides the config" "$M" --fail-on never \
    proj/a/b/httpd.conf
"$M" --no-config proj/a/b/httpd.conf >noconf.out
check "--no-config ignores it" has noconf.out '\[MPM006\]'
"$M" --severity MPM006=warning proj/a/b/httpd.conf >over.out
check "--severity overrides the config's disable" has over.out '\[MPM006\]'
printf 'disable: MPM017\nmpm: prefork\n' >explicit.yaml
printf 'StartServers 2\n' >pfrag2.conf
"$M" --config explicit.yaml -f json pfrag2.conf >explicit.json
check "--config FILE: mpm acts like --mpm" py explicit.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['effective']['mpm'] == 'prefork', d['effective']
EOF
printf 'ThreadsPerChild 25\n' >nompm.conf
"$M" --config explicit.yaml -f json nompm.conf >explicit2.json
check "--config FILE: mpm applies when nothing is loaded" \
    py explicit2.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['effective']['mpm'] == 'prefork', d['effective']
assert any(f['rule'] == 'MPM003' for f in d['findings'])
EOF
"$M" --config explicit.yaml --mpm worker -f json nompm.conf >explicit3.json
check "--mpm overrides the config" py explicit3.json <<'EOF'
import json, sys
assert json.load(open(sys.argv[1]))['effective']['mpm'] == 'worker'
EOF
cat >ver.conf <<EOF
$L
<IfVersion >= 2.4.80>
StartServers 0
</IfVersion>
EOF
printf 'httpd-version: "2.4.99"\n' >ver.yaml
rc 0 "httpd-version default: the block is false" "$M" --no-config ver.conf
rc 1 "httpd-version from the config" "$M" --config ver.yaml ver.conf
rc 0 "--httpd-version overrides the config" "$M" --config ver.yaml \
    --httpd-version 2.4.71 ver.conf

# bad configuration files: FILE:LINE:COL and exit 3
printf 'disable: [MPM006]\nseverity:\n  MPM009: loud\n' >bad1.yaml
rc 3 "bad value" "$M" --config bad1.yaml warn.conf
check "bad value: file:line:col" has rc.err '^bad1\.yaml:3:11: error: '
check "bad value: nothing on stdout" test ! -s rc.out
printf 'fail-on: error\n\nunknown-key: 1\n' >bad2.yaml
rc 3 "unknown key" "$M" --config bad2.yaml warn.conf
check "unknown key: file:line:col" \
    has rc.err "^bad2\\.yaml:3:1: error: unknown key 'unknown-key'"
printf 'disable: [MPM006\nfail-on: error\n' >bad3.yaml
rc 3 "YAML syntax error" "$M" --config bad3.yaml warn.conf
check "YAML syntax error: libyaml's mark" has rc.err '^bad3\.yaml:2:[0-9]+: error: '
printf 'disable:\n  - no-such-rule\n' >bad4.yaml
rc 3 "unknown rule" "$M" --config bad4.yaml warn.conf
check "unknown rule: mark" has rc.err "^bad4\\.yaml:2:5: error: unknown rule"
printf 'profile:\n  process-size: 64Q\n' >bad5.yaml
rc 3 "bad size" "$M" --config bad5.yaml warn.conf
check "bad size: mark" has rc.err '^bad5\.yaml:2:17: error: process-size'
printf 'profile:\n  cpu: 4\n' >bad6.yaml
rc 3 "unknown profile key" "$M" --config bad6.yaml warn.conf
printf 'fail-on: sometimes\n' >bad7.yaml
rc 3 "bad fail-on" "$M" --config bad7.yaml warn.conf
printf 'httpd-version: two\n' >bad8.yaml
rc 3 "bad httpd-version" "$M" --config bad8.yaml warn.conf
mkdir -p badproj
printf 'mpm: leader\n' >badproj/.mpmlint.yaml
cp warn.conf badproj/
rc 3 "a bad config found upward" "$M" badproj/warn.conf
check "a bad config found upward: file:line:col" \
    has rc.err '\.mpmlint\.yaml:1:6: error: mpm'
rc 2 "--config missing" "$M" --config no-such.yaml warn.conf
: >empty.yaml
rc 1 "empty config" "$M" --config empty.yaml warn.conf

# ---- baseline ------------------------------------------------------------------
mkdir -p bl
printf '%s\nServerLimit 9x\nThreadsPerChild 25\nMaxRequestWorkers 410\n' "$L" \
    >bl/httpd.conf
"$M" --no-config -f json bl/httpd.conf >bl0.json
rc 0 "--write-baseline exits 0 with findings" \
    "$M" --no-config --write-baseline bl/base.txt bl/httpd.conf
check "--write-baseline prints no findings" test ! -s rc.out
check "baseline: one fingerprint per finding" py bl/base.txt bl0.json <<'EOF'
import json, re, sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if not l.startswith('#')]
n = len(json.load(open(sys.argv[2]))['findings'])
assert n >= 2 and len(lines) == n, (len(lines), n)
for l in lines:
    # the file as every output format names it (relative to the cwd)
    assert re.match(r'^[0-9a-f]{16}:\d+ (HC|MPM)\d+ bl/httpd\.conf:\d+$', l), l
EOF
rc 0 "--baseline: nothing new" "$M" --no-config --baseline bl/base.txt \
    bl/httpd.conf
check "--baseline: only what runs printed" test "$(grep -cvE '^[^ ]+: (prefork|worker|event): [0-9]+ process(es)?( x [0-9]+ threads?)? = [0-9]+ workers?, ServerLimit [0-9]+, up to [0-9]+ connections?(; peak memory .+ of .+ RAM)?$' rc.out)" = 0
{ printf '# moved down\n\n\n'; sed 's/^/  /' bl/httpd.conf; } >bl/moved
mv bl/moved bl/httpd.conf
rc 0 "--baseline: lines moved and re-indented" \
    "$M" --no-config --baseline bl/base.txt bl/httpd.conf
check "--baseline: still only what runs printed" test "$(grep -cvE '^[^ ]+: (prefork|worker|event): [0-9]+ process(es)?( x [0-9]+ threads?)? = [0-9]+ workers?, ServerLimit [0-9]+, up to [0-9]+ connections?(; peak memory .+ of .+ RAM)?$' rc.out)" = 0
printf 'ServerLimit 9x\n' >>bl/httpd.conf
rc 1 "--baseline: a repeated line is a new occurrence" \
    "$M" --no-config --baseline bl/base.txt bl/httpd.conf
check "--baseline: only the new line is reported" py rc.out <<'EOF'
import sys
lines = open(sys.argv[1]).read().splitlines()[:-1] # the last: what runs
assert lines and all(l.startswith('bl/httpd.conf:8:') for l in lines), lines
assert any('[MPM010]' in l for l in lines), lines
EOF
(cd bl && "$M" --no-config --baseline base.txt httpd.conf) >bl2.out
check "--baseline: fingerprints do not depend on the working directory" \
    test "$(grep -c . bl2.out)" -eq "$(grep -c . rc.out)"
rc 2 "--baseline missing" "$M" --no-config --baseline no-such.txt warn.conf

# ---- pre-commit hook, README fragment ---------------------------------------------
if python3 -c 'import yaml' 2>/dev/null; then
	check ".pre-commit-hooks.yaml defines the mpmlint hook" \
	    py "$ROOT/.pre-commit-hooks.yaml" <<'EOF'
import sys, yaml
h = yaml.safe_load(open(sys.argv[1]))
assert isinstance(h, list) and h[0]['id'] == 'mpmlint'
for k in ('name', 'entry', 'language'):
    assert k in h[0], k
EOF
	check "README: the YAML blocks parse" \
	    py "$ROOT/README.md" <<'EOF'
import re, sys, yaml
text = open(sys.argv[1]).read()
blocks = re.findall(r'```yaml\n(.*?)```', text, re.S)
assert len(blocks) >= 2, len(blocks)
for b in blocks:
    yaml.safe_load(b)
assert 'github/codeql-action/upload-sarif' in text
EOF
fi

# ---- man pages -------------------------------------------------------------------
if command -v mandoc >/dev/null 2>&1; then
	# referenced pages are not installed here; everything else must be clean
	mandoc -T lint "$ROOT/man/mpmlint.1" "$ROOT/man/mpmlint.yaml.5" 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'outdated mandoc.db' \
	    >man.out
	check "mandoc -T lint man/mpmlint.1 man/mpmlint.yaml.5" test ! -s man.out
	cat man.out
else
	echo "skipped: mandoc not installed"
fi
check "mpmlint.1 DIAGNOSTICS is up to date" python3 \
    "$ROOT/tests/cli/gen-diagnostics.py" --check "$M" "$ROOT/man/mpmlint.1"
check "mpmlint.1 lists every rule" py "$ROOT/man/mpmlint.1" rules.json <<'EOF'
import json, sys
page = open(sys.argv[1]).read()
for r in json.load(open(sys.argv[2])):
    assert '.It Sy %s ' % r['id'] in page, r['id']
EOF

lib_summary cli
