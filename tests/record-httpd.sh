#!/bin/sh
# record-httpd.sh - record what real httpd says about each lint fixture.
#
# For every fixtures/lint/<case>/ without an httpd.none (a fixture httpd
# cannot judge, with the reason on its one line), runs
#
#   apache2 -t -e info -d DIR -C 'ServerName localhost' \
#       -C 'Listen 127.0.0.1:PORT' -C 'ErrorLog DIR/error.log' \
#       -C 'PidFile DIR/httpd.pid' -f DIR/input.conf
#
# on a copy of the case directory DIR (so httpd reads the fixture's own
# included files relative to it, and nothing is written into fixtures/),
# and prints its output as the case's httpd.txt: the command line, httpd's
# stdout and stderr merged, and "exit status: N", with the copy's path
# shown as INPUT and the port as PORT.  "-e info" makes httpd print its
# start-up notices (AH00545, AH00188 ...), which it logs at info only.
#
# Without UPDATE=1 (make check runs it so) it only compares: it prints
# each case whose recorded file differs from a fresh run (ignoring the
# time stamp and pid of -e info lines, which change on every run), ends
# with "httpd-recorded: N passed, M failed" and exits 1 if any differs.
# With UPDATE=1 it writes the files that differ (and creates missing
# ones).  Arguments: case names (default: every lint case).
# Environment: HTTPD (default /usr/sbin/apache2, else httpd), UPDATE.
set -u
cd "$(dirname "$0")/.." || exit 2
UPDATE=${UPDATE:-0}
LC_ALL=C
export LC_ALL
PORT=28001

HTTPD=${HTTPD:-}
if [ -z "$HTTPD" ]; then
	for h in /usr/sbin/apache2 /usr/sbin/httpd; do
		[ -x "$h" ] && HTTPD=$h && break
	done
fi
if [ -z "$HTTPD" ] || [ ! -x "$HTTPD" ]; then
	echo "skipped: apache2 not installed"
	echo "httpd-recorded: 0 passed, 0 failed"
	exit 0
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The variable part of an -e info line: "[Thu Nov 26 16:04:07.555950
# 2026] [core:info] [pid 5661:tid 5661] AH00545: ..." keeps the module,
# the level and the message.
stable() {
	sed -e 's/^\[[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:.]* [0-9]*\] /[DATE] /' \
	    -e 's/\[pid [0-9]*\(:tid [0-9]*\)\{0,1\}\]/[pid]/' "$1"
}

if [ $# -eq 0 ]; then
	set -- $(cd fixtures/lint && ls)
fi
differ=0
n=0
for c in "$@"; do
	d=fixtures/lint/$c
	[ -f "$d/input.conf" ] || { echo "record-httpd: no case $c" >&2; exit 2; }
	[ -f "$d/httpd.none" ] && continue
	w=$tmp/$c
	rm -rf "$w"
	cp -R "$d" "$w" || exit 2
	rm -f "$w"/expected.* "$w/args" "$w/httpd.txt"
	{
		printf '%s\n' "\$ apache2 -t -e info -d INPUT -C 'ServerName localhost' -C 'Listen 127.0.0.1:PORT' -C 'ErrorLog INPUT/error.log' -C 'PidFile INPUT/httpd.pid' -f INPUT/input.conf"
		(cd "$w" && "$HTTPD" -t -e info -d "$w" -C 'ServerName localhost' \
		    -C "Listen 127.0.0.1:$PORT" -C "ErrorLog $w/error.log" \
		    -C "PidFile $w/httpd.pid" -f "$w/input.conf" 2>&1)
		echo "exit status: $?"
	} | sed -e "s|$w|INPUT|g" -e "s|127\\.0\\.0\\.1:$PORT|127.0.0.1:PORT|g" \
	    >"$tmp/out"
	n=$((n + 1))
	if [ -f "$d/httpd.txt" ] && stable "$d/httpd.txt" >"$tmp/a" &&
	    stable "$tmp/out" >"$tmp/b" && cmp -s "$tmp/a" "$tmp/b"; then
		continue
	fi
	if [ "$UPDATE" = 1 ]; then
		cp "$tmp/out" "$d/httpd.txt" || exit 2
		echo "updated $d/httpd.txt"
	else
		echo "differs: $d/httpd.txt"
		if [ -f "$d/httpd.txt" ]; then
			diff -u "$tmp/a" "$tmp/b" | sed -n '3,12p' | sed 's/^/    /'
		fi
		differ=$((differ + 1))
	fi
done
echo "httpd-recorded: $((n - differ)) passed, $differ failed"
[ "$differ" -eq 0 ]
