#!/bin/sh
# run.sh - tests of `mpmref --compare` (issue 17): the SVG writer of its
# driver (refserver/compare*.py), the --crash-endpoint flag (off by
# default), the command line, a --quick run on the bundled example whose
# report is checked (structure, every number present and plausible,
# results.json, the Markdown table, the HTML opened in headless
# chromium), and an interrupted run that must leave no server behind.
# See check.py.  The last line is "compare: N passed, M failed".
#
# Environment: B (build directory), CONF (configuration, default
# examples/httpd-prefork.conf), KEEP=1 (keep the report directory).
B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
LC_ALL=C
export LC_ALL

if [ "$(uname -s)" != Linux ]; then
	echo "skipped: mpmref --compare needs Linux (/proc)"
	echo "compare: 0 passed, 0 failed"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 not found"
	echo "compare: 0 passed, 0 failed"
	exit 0
fi
for b in "$B/mpmref" "$B/mpmconv"; do
	if [ ! -x "$b" ]; then
		echo "compare: $b not built (make all)"
		echo "compare: 0 passed, 1 failed"
		exit 1
	fi
done
# A bound on the whole suite, so that a hung server cannot hang CI.
exec timeout -k 10 600 python3 "$here/check.py" --build "$B" \
	--driver "$here/../../refserver/compare.py" \
	--conf "${CONF:-$here/../../examples/httpd-prefork.conf}" \
	${KEEP:+--keep}
