#!/bin/sh
# guards.sh - --mpm as the MPM's LoadModule line (issue 11, section 1),
# deep false nesting (section 4) and several files in one JSON or YAML
# document (section 5).  The differential suite compares the same shapes
# with real httpd (tests/differential/fragments.py); this suite pins the
# behaviour without httpd.  The last line is "cli-guards: N passed, M
# failed".
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
M=$B/mpmlint
R=$B/mpmref
lib_need cli-guards "$M"
lib_tmpdir mpmlint-guards

# lint FILE ARGS...: mpmlint's JSON for FILE in FILE.json
lint() {
	f=$1
	shift
	"$M" --no-config --fail-on never -f json "$@" "$f" >"$f.json"
}

# ---- --mpm: every guard spelling is true for the MPM given -----------------
cat >deb-worker.conf <<'EOF'
<IfModule mpm_worker_module>
  ThreadsPerChild 150
  MaxRequestWorkers 1000
</IfModule>
EOF
lint deb-worker.conf --mpm worker
check "--mpm worker: <IfModule mpm_worker_module> is true" \
    py deb-worker.conf.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ids = sorted(f.get('httpd') for f in d['findings'])
assert ids == ['AH00310', 'AH00316'], ids
e = d['effective']
assert e['mpm'] == 'worker' and e['ThreadsPerChild'] == 64 and \
    e['MaxRequestWorkers'] == 960, e
EOF

cat >dotc.conf <<'EOF'
<IfModule event.c>
  ThreadsPerChild 50
</IfModule>
<IfModule !mpm_prefork_module>
  <IfModule !worker.c>
    MaxRequestWorkers 200
  </IfModule>
</IfModule>
<IfModule mpm_worker_module>
  MaxRequestWorkers 999
</IfModule>
EOF
lint dotc.conf --mpm event
check "--mpm event: X.c, !mpm_Y_module and nested guards" py dotc.conf.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
e = d['effective']
assert e['ThreadsPerChild'] == 50 and e['MaxRequestWorkers'] == 200, e
assert not [f for f in d['findings'] if f['severity'] != 'info'], d['findings']
EOF
lint dotc.conf --mpm worker
check "--mpm worker: the same file, other guards" py dotc.conf.json <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))['effective']
assert e['mpm'] == 'worker' and e['ThreadsPerChild'] == 25 and \
    e['MaxRequestWorkers'] == 400, e
EOF

# the guard is open at the end of the file: httpd closes a true one
printf '<IfModule mpm_prefork_module>\nMaxRequestWorkers 20\n' >open.conf
lint open.conf --mpm prefork
check "--mpm: a true guard left open is HC017, not HC016" \
    py open.conf.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
rules = [f['rule'] for f in d['findings']]
assert 'HC016' not in rules and 'HC017' in rules, rules
assert d['effective']['MaxRequestWorkers'] == 20, d['effective']
assert d['summary']['error'] == 0, d['summary']
EOF
lint open.conf --mpm event
check "--mpm event: the prefork guard left open is HC016" \
    py open.conf.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert [f['rule'] for f in d['findings'] if f['severity'] == 'error'] == \
    ['HC016'], d['findings']
EOF

# LoadModule behind guards: the module given is loaded before the file
cat >guarded-load.conf <<'EOF'
<IfModule !mpm_event_module>
  LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
</IfModule>
<IfModule !mpm_worker_module>
  LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
</IfModule>
ThreadsPerChild 32
MaxRequestWorkers 512
EOF
lint guarded-load.conf --mpm event
check "--mpm event: guarded LoadModule lines follow the preloaded module" \
    py guarded-load.conf.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert not [f for f in d['findings'] if f['severity'] != 'info'], d['findings']
assert d['effective']['mpm'] == 'event' and \
    d['effective']['ThreadsPerChild'] == 32 and \
    d['effective']['MaxRequestWorkers'] == 512, d['effective']
EOF
lint guarded-load.conf --mpm worker
check "--mpm worker: a file that loads prefork is AH00534" \
    py guarded-load.conf.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
errs = [f for f in d['findings'] if f['rule'] == 'MPM002']
assert len(errs) == 1 and errs[0]['httpd'] == 'AH00534' and \
    errs[0]['line'] == 2 and errs[0]['severity'] == 'error', d['findings']
assert errs[0]['message'].startswith('More than one MPM loaded'), errs
EOF

# --mpm without the guard being needed: nothing changes for a whole file
printf 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nThreadsPerChild 20\nMaxRequestWorkers 320\n' \
    >whole.conf
lint whole.conf --mpm event
check "--mpm event on a file that loads event: AH01574 as info only" \
    py whole.conf.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
f = d['findings']
assert [(x['rule'], x['severity'], x.get('httpd'), x['line']) for x in f] == \
    [('HC054', 'info', 'AH01574', 1)], f
assert d['effective']['ThreadsPerChild'] == 20, d['effective']
EOF
rc 0 "--mpm event on a file that loads event: exit 0" "$M" --no-config \
    --mpm event whole.conf

# .mpmlint.yaml's mpm: key acts the same
mkdir -p proj
printf 'mpm: worker\n' >proj/.mpmlint.yaml
cp deb-worker.conf proj/
"$M" --fail-on never -f json proj/deb-worker.conf >proj.json
check ".mpmlint.yaml mpm: worker makes the worker guard true" \
    py proj.json <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))['effective']
assert e['mpm'] == 'worker' and e['ThreadsPerChild'] == 64, e
EOF

# mpmref --mpm reads the same way
if [ -x "$R" ]; then
	"$R" --mpm worker -l 127.0.0.1:22001 -t deb-worker.conf >ref.out 2>ref.err
	check "mpmref --mpm worker: the guarded values are used" \
	    has ref.out '^ThreadsPerChild: 64$'
	# httpd stops at AH00534 with two MPMs, and so does mpmref
	"$R" --mpm worker -l 127.0.0.1:22001 -t guarded-load.conf >ref.out \
	    2>ref.err
	check "mpmref --mpm worker on a file loading prefork: AH00534" \
	    has ref.err 'more than one MPM loaded .AH00534.'
else
	bad "$R not built"
fi

# ---- deep false nesting (httpd: SIGSEGV) ------------------------------------
awk 'BEGIN { for (i = 0; i < 100000; i++) print "<IfModule x_module>"
	for (i = 0; i < 100000; i++) print "</IfModule>" }' >deep-false.conf
rc 1 "100,000 nested false <IfModule>: an error" "$M" --no-config \
    --mpm event deep-false.conf
check "deep false nesting: HC044 says httpd crashes" \
    has rc.out 'HC044' 
check "deep false nesting: the message names the stack" \
    has rc.out 'runs out of stack'
awk 'BEGIN { for (i = 0; i < 1000; i++) print "<IfModule x_module>"
	for (i = 0; i < 1000; i++) print "</IfModule>" }' >false1000.conf
rc 1 "1,000 nested false <IfModule>: only the 128-level warning" "$M" \
    --no-config --mpm event false1000.conf
check "1,000 false levels: no error" hasnt rc.out 'error:'

# ---- several files: one JSON or YAML document ------------------------------
L="LoadModule mpm_event_module modules/mod_mpm_event.so"
printf '%s\nThreadsPerChild 25\nMaxRequestWorkers 410\n' "$L" >a.conf
printf '%s\nMinSpareServers 5\n' "$L" >b.conf
printf 'ThreadsPerChild 25\n' >c.conf
"$M" --no-config -f json a.conf b.conf c.conf >multi.json
"$M" --no-config -f json a.conf >one.json
check "json, several files: one document with every file" \
    py multi.json one.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
one = json.load(open(sys.argv[2]))
assert list(d) == ['tool', 'version', 'files', 'summary'], list(d)
assert [f['path'] for f in d['files']] == ['a.conf', 'b.conf', 'c.conf']
for f in d['files']:
    assert list(f) == ['path', 'findings', 'effective', 'summary'], list(f)
# each file's part is the one-file document without tool and version
a = dict(d['files'][0]); del a['path']
assert a == {k: v for k, v in one.items() if k not in ('tool', 'version')}
assert d['files'][2]['effective'] is None
tot = {'error': 0, 'warning': 0, 'info': 0}
for f in d['files']:
    for k in tot:
        tot[k] += f['summary'][k]
assert d['summary'] == tot, (d['summary'], tot)
assert tot['error'] >= 1 and tot['warning'] >= 1
EOF
check "json, one file: the shape is unchanged" py one.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ['tool', 'version', 'findings', 'effective', 'summary']
EOF
printf '%s\n' "$L" | "$M" --no-config -f json a.conf - >stdin.json
check "json, several files: standard input is -" py stdin.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert [f['path'] for f in d['files']] == ['a.conf', '-'], d['files']
EOF
if python3 -c 'import yaml' 2>/dev/null; then
	"$M" --no-config -f yaml a.conf b.conf c.conf >multi.yaml
	check "yaml, several files: one document equal to the JSON" \
	    py multi.yaml multi.json <<'EOF'
import json, sys, yaml
y = list(yaml.safe_load_all(open(sys.argv[1])))
assert len(y) == 1, len(y)
assert y[0] == json.load(open(sys.argv[2]))
EOF
else
	echo "skipped: python3-yaml not installed, YAML not parsed back"
fi
"$M" --no-config -f sarif a.conf b.conf >multi.sarif
check "sarif, several files: one run, results of both" py multi.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d['runs']) == 1
uris = {r['locations'][0]['physicalLocation']['artifactLocation']['uri']
        for r in d['runs'][0]['results']}
assert uris == {'a.conf', 'b.conf'}, uris
EOF
"$M" --no-config -f checkstyle a.conf b.conf >multi.xml
check "checkstyle, several files: one <checkstyle>, a <file> each" \
    py multi.xml <<'EOF'
import sys
import xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.tag == 'checkstyle'
assert [f.get('name') for f in r.findall('file')] == ['a.conf', 'b.conf']
EOF

lib_summary cli-guards
