#!/bin/sh
# roundtrip.sh - the lossless-tree property on real inputs: mpmconv with no
# conversion must print every fixture input and every corpus file back byte
# for byte.  POSIX sh; quiet except for failures and the summary line.
# Environment: B (build dir, default build), SHARED (default ../shared),
# TIMEOUT (seconds per file, default 60).
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
SHARED=${SHARED:-../shared}
TIMEOUT=${TIMEOUT:-60}
LC_ALL=C
export LC_ALL

if [ ! -x "$B/mpmconv" ]; then
	echo "roundtrip: $B/mpmconv not built (run make)" >&2
	exit 2
fi
. tests/lib/tmp_timeout.sh

pass=0
fail=0

check() {
	f=$1
	$run_timeout "$B/mpmconv" --no-includes "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		msg=$(head -n 1 "$tmp/err")
		[ "$rc" -eq 124 ] && msg="timed out after ${TIMEOUT}s"
		[ "$rc" -ge 128 ] && msg="killed by signal $((rc - 128)) $msg"
		echo "FAIL $f: mpmconv exit $rc: $msg"
		fail=$((fail + 1))
	elif ! cmp -s "$tmp/out" "$f"; then
		# cmp names the first differing byte and line, or the short
		# side ("-" is mpmconv's output).
		msg=$(cmp - "$f" <"$tmp/out" 2>&1 | head -n 1)
		echo "FAIL $f: output ($(wc -c <"$tmp/out") bytes) differs from input ($(wc -c <"$f") bytes): $msg"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for f in fixtures/*/*/input.conf; do
	[ -f "$f" ] || continue
	check "$f"
done

if [ -d "$SHARED/corpus" ]; then
	# Regular files only: no symlinks, no templates (they are not httpd
	# syntax until rendered), not the manifest.
	find "$SHARED/corpus" -path "$SHARED/corpus/templates" -prune -o \
	    -type f ! -name MANIFEST.tsv -print | sort >"$tmp/list"
	while IFS= read -r f; do
		check "$f"
	done <"$tmp/list"
else
	echo "skipped: $SHARED/corpus not present"
fi

echo "roundtrip: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
