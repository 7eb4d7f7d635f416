#!/bin/sh
# convert.sh - the round trip of issue 8: each configuration is converted
# to each MPM with mpmconv, and every result is run under mpmref on
# 127.0.0.1 by run.sh, which checks its process and thread counts and its
# concurrent-request capacity against mpmlint's effective values, then
# runs it under apache2 and compares apache2's observed numbers with
# mpmlint's and mpmref's.
#
#   sh tests/refserver/convert.sh [CONFIG...]
#
# Without arguments: tests/refserver/conf/{prefork,worker,event}.conf and
# examples/httpd-prefork.conf.  The last line is run.sh's summary.
B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ $# -eq 0 ]; then
	set -- "$here/conf/prefork.conf" "$here/conf/worker.conf" \
	    "$here/conf/event.conf" "$top/examples/httpd-prefork.conf"
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
list=""
fail=0
for conf in "$@"; do
	base=$(basename "$conf" .conf)
	for to in prefork worker event; do
		out="$tmp/$base-to-$to.conf"
		if ! "$B/mpmconv" --no-includes --to "$to" -o "$out" "$conf" \
		    2>"$tmp/err"; then
			echo "FAIL mpmconv --to $to $conf: $(head -n 1 "$tmp/err")"
			fail=$((fail + 1))
			continue
		fi
		# the extra checks a source configuration switches on assume
		# its own spare settings; the round trip checks counts and
		# capacity only
		sed -i '/^# refserver-checks:/d' "$out"
		list="$list $out"
	done
done
if [ "$fail" -ne 0 ]; then
	echo "refserver-convert: 0 passed, $fail failed"
	exit 1
fi
# shellcheck disable=SC2086
# (run.sh's own run does the command-line and hostile-input checks)
CAP_MAX=${CAP_MAX:-160} NO_CLI=1 sh "$here/run.sh" $list
