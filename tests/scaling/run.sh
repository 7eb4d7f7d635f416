#!/bin/sh
# run.sh - no step of mpmlint or mpmconv grows faster than its input.
# bench/genconf.c writes configurations of N and 4N <VirtualHost> blocks
# (each one's logs, DocumentRoot, <Directory>, RewriteRule ...); each
# command's instruction count (valgrind's callgrind, repeatable on a busy
# machine, unlike time) on the larger one must stay below LIMIT (5) times
# the smaller one's: linear work gives at most 4, a quadratic step (one
# scan of every later ErrorLog per ErrorLog did) well over that.  Not a
# benchmark (make bench times the tools); it only catches the shape.
# Environment: B (build directory), N (default 300).  The last line is
# "scaling: N passed, M failed".
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
N=${N:-300}
LIMIT=5
lib_need scaling "$B/mpmlint"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "skipped: valgrind not installed (instruction counts)"
	echo "scaling: 0 passed, 0 failed"
	exit 0
fi
lib_tmpdir mpmlint-scaling
${CC:-cc} -std=c11 -O2 -o genconf "$ROOT/bench/genconf.c" ||
	{ bad "cannot build bench/genconf.c"; lib_summary scaling; exit 1; }
./genconf "$N" small >/dev/null && ./genconf $((N * 4)) large >/dev/null ||
	{ bad "genconf failed"; lib_summary scaling; exit 1; }

# instr FILE CMD...: instructions callgrind counts for CMD FILE
instr() {
	f=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" "$f" \
	    >/dev/null 2>cg.err
	r=$?
	[ "$r" -lt 126 ] || { echo "exit $r" >&2; return 1; }
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' cg.err | tail -n 1
}

# scales NAME CMD...: instructions at 4N over those at N below LIMIT
scales() {
	name=$1
	shift
	a=$(instr small/httpd.conf "$@") && b=$(instr large/httpd.conf "$@") &&
	    [ -n "$a" ] && [ -n "$b" ] ||
	    { bad "$name: could not count instructions"; return; }
	if awk -v a="$a" -v b="$b" -v l="$LIMIT" 'BEGIN { exit !(b < l * a) }'; then
		ok
		echo "$name: $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')x the instructions for 4x the input"
	else
		bad "$name: $b instructions at $((N * 4)) vhosts, $a at $N" \
		    "($(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", b / a }')x" \
		    "for 4x the input; linear is at most 4)"
	fi
}

# A sanitizer build cannot run under valgrind, and its counts would mean
# nothing: there the commands run once on the smaller file instead, and
# must finish without a sanitizer report (not a skip: nothing is missing).
if grep -q '__asan_init\|__ubsan_handle' "$B/mpmlint" 2>/dev/null; then
	echo "# n/a: instruction counts ($B is a sanitizer build; the plain build checks them)"
	scales() {
		name=$1
		shift
		"$@" small/httpd.conf >/dev/null 2>san.err
		r=$?
		if [ "$r" -lt 2 ] && ! grep -Eq 'Sanitizer|runtime error:' san.err; then
			ok
		else
			bad "$name: exit $r: $(grep -E -m 1 'Sanitizer|runtime error:|.' san.err)"
		fi
	}
fi
scales "mpmlint --mpm event" "$B/mpmlint" --mpm event
scales "mpmlint --root" "$B/mpmlint" --mpm event --root "$T"
scales "mpmconv --to worker" "$B/mpmconv" --to worker -o /dev/null
scales "mpmconv --export yaml" "$B/mpmconv" --export yaml
lib_summary scaling
