#!/bin/sh
# conv-stdin.sh - mpmconv --stdin-filename NAME: standard input's
# warnings, --diff labels and --export path say NAME instead of "-";
# the output is otherwise the same; NAME is a label only (nothing is
# read from it or written to it, -i still refuses standard input).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
C=$B/mpmconv
lib_need conv-stdin "$C"
lib_tmpdir conv-stdin

printf 'ServerRoot "/etc/apache2"\nLoadModule mpm_event_module x.so\nListen 80\nThreadsPerChild 25\nMaxRequestWorkers 410\n' >in.conf
mkdir site
echo '# the file on disk, never read' >site/httpd.conf
cp site/httpd.conf disk.orig

rc 0 "--diff, no name" "$C" --to worker --diff - <in.conf
mv rc.out plain.diff
mv rc.err plain.err
rc 0 "--diff --stdin-filename" "$C" --to worker --diff \
    --stdin-filename site/httpd.conf - <in.conf
check "diff header names NAME" has rc.out '^diff --git a/site/httpd\.conf b/site/httpd\.conf$'
check "--- a/NAME" has rc.out '^--- a/site/httpd\.conf$'
check "+++ b/NAME" has rc.out '^\+\+\+ b/site/httpd\.conf$'
check "the warning names NAME:LINE" has rc.err '^site/httpd\.conf:2: warning: LoadModule'
check "without it: -:2" has plain.err '^-:2: warning: LoadModule'
sed 's|site/httpd\.conf|-|g' rc.out >relabelled.diff
check "only the labels differ" cmp -s relabelled.diff plain.diff
check "the diff changes MaxRequestWorkers" has rc.out '^\+MaxRequestWorkers 400$'

# the option may come after the operand, and --stdin-filename=NAME
rc 0 "--stdin-filename=NAME after -" "$C" --to worker - \
    --stdin-filename=conf/x.conf <in.conf
check "converted output" has rc.out '^LoadModule mpm_worker_module '
check "warning names conf/x.conf" has rc.err '^conf/x\.conf:2: '

# a label only
rc 3 "-i refuses standard input even with a name" "$C" --to worker -i \
    --stdin-filename site/httpd.conf - <in.conf
check "site/httpd.conf untouched" cmp -s site/httpd.conf disk.orig
check "no backup written" test ! -e site/httpd.conf.bak

# no conversion: the bytes back
rc 0 "print back" "$C" --stdin-filename site/httpd.conf - <in.conf
check "printed back byte for byte" cmp -s rc.out in.conf

# --export names the file NAME
if "$C" --help 2>/dev/null | grep -q -- --export; then
	rc 0 "--export json --stdin-filename" "$C" --export json \
	    --stdin-filename site/httpd.conf - <in.conf
	py rc.out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d['files'][0]['path']
print('' if p == 'site/httpd.conf' else 'FAIL: export path %r' % p)
sys.exit(0 if p == 'site/httpd.conf' else 1)
PY
	check "export path is NAME" test $? -eq 0
else
	echo "skipped: mpmconv built without --export"
fi
lib_summary conv-stdin
