#!/bin/sh
# codeclimate.sh - mpmlint -f codeclimate: a Code Climate JSON array as
# GitLab's code-quality report reads it (description, check_name,
# fingerprint, severity, location.path, location.lines.begin); the
# severities map onto Code Climate's; fingerprints are the baseline's,
# unique, and survive moved lines; paths follow --base and
# --stdin-filename like every other format.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
M=$B/mpmlint
lib_need codeclimate "$M"
lib_tmpdir codeclimate

L="LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so"
mkdir -p site/conf
printf '%s\nListen 80\nThreadsPerChild 25\nMaxRequestWorkers 410\nStartServers 0x\n' "$L" >site/conf/httpd.conf
printf '%s\nListen 80\n' "$L" >clean.conf

rc 1 "-f codeclimate" "$M" --no-config -f codeclimate site/conf/httpd.conf
cp rc.out a.json
rc 0 "-f codeclimate on a clean file" "$M" --no-config -f codeclimate clean.conf
check "a clean file: []" test "$(cat rc.out)" = "[]"
rc 0 "--write-baseline" "$M" --no-config --write-baseline base.txt site/conf/httpd.conf
# the same findings, moved down three lines and re-indented
{ printf '\n\n# moved\n'; sed 's/^/  /' site/conf/httpd.conf; } >site/conf/moved.conf
cp site/conf/moved.conf moved.conf
"$M" --no-config -f codeclimate site/conf/moved.conf >b.json
"$M" --no-config -f json site/conf/httpd.conf >a-native.json
"$M" --no-config -f codeclimate --base site site/conf/httpd.conf >base.json
"$M" --no-config -f codeclimate --stdin-filename site/conf/httpd.conf - \
    <site/conf/httpd.conf >stdin.json
"$M" --no-config -f codeclimate site/conf/httpd.conf clean.conf >two.json
py a.json b.json a-native.json base.txt base.json stdin.json two.json <<'PY'
import json, sys
a, b, nat = (json.load(open(f)) for f in sys.argv[1:4])
base = [l.split()[0] for l in open(sys.argv[4]) if l[0] != '#']
based, stdin, two = (json.load(open(f)) for f in sys.argv[5:8])
bad = 0
def want(c, what):
    global bad
    if not c:
        print('FAIL:', what); bad += 1
want(isinstance(a, list) and len(a) >= 2, 'an array of at least 2 issues')
sevmap = {'error': 'critical', 'warning': 'major', 'info': 'info'}
for i, (x, n) in enumerate(zip(a, nat['findings'])):
    want(set(x) >= {'description', 'check_name', 'fingerprint', 'severity', 'location'}, 'keys %r' % x)
    want(x['check_name'] == n['rule'], 'check_name %r' % x['check_name'])
    want(x['description'] == n['message'], 'description %r' % x['description'])
    want(x['severity'] == sevmap[n['severity']], 'severity %s for %s' % (x['severity'], n['severity']))
    want(x['location'] == {'path': 'site/conf/httpd.conf', 'lines': {'begin': n['line']}}, 'location %r' % x['location'])
    want(x['type'] == 'issue' and isinstance(x['categories'], list), 'type and categories')
    want(('content' in x) == n['fix'] and (not n['fix'] or
         '--fix' in x['content']['body']), 'content says fixable as "fix" does: %r' % x)
fps = [x['fingerprint'] for x in a]
want(len(set(fps)) == len(fps), 'unique fingerprints %r' % fps)
want(sorted(fps) == sorted(base), 'fingerprints are the baseline\'s: %r %r' % (fps, base))
# moved lines: same fingerprints (the file name is part of them: compare
# with the same name), begin follows the line
want([x['check_name'] for x in b] == [x['check_name'] for x in a], 'moved: same rules')
want(all(y['location']['lines']['begin'] == x['location']['lines']['begin'] + 3 for x, y in zip(a, b)), 'moved: begin + 3')
want([x['location']['path'] for x in based] == ['conf/httpd.conf'] * len(a), '--base: paths %r' % [x['location']['path'] for x in based])
want([x['location']['path'] for x in stdin] == ['site/conf/httpd.conf'] * len(a), '--stdin-filename')
want(len(two) == len(a), 'two files: one array')
want(any(n['fix'] for n in nat['findings']), 'the sample has a fixable finding')
print('checked', len(a), 'issues')
sys.exit(1 if bad else 0)
PY
check "codeclimate issues" test $? -eq 0

# moved and re-indented under the same name: every fingerprint is kept
cp site/conf/httpd.conf orig.conf
"$M" --no-config -f codeclimate orig.conf >o1.json
cp moved.conf orig.conf
"$M" --no-config -f codeclimate orig.conf >o2.json
py o1.json o2.json <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
ok = [x['fingerprint'] for x in a] == [x['fingerprint'] for x in b]
print('' if ok else 'FAIL: fingerprints changed when lines moved')
sys.exit(0 if ok else 1)
PY
check "fingerprints survive moved lines" test $? -eq 0

# a baseline hides the same findings here too
rc 0 "--baseline: nothing new" "$M" --no-config -f codeclimate \
    --baseline base.txt site/conf/httpd.conf
check "--baseline: []" test "$(cat rc.out)" = "[]"
lib_summary codeclimate
