#!/bin/sh
# lsp.sh - latency of mpmlint --lsp on the benchmark configuration of
# about 87k lines (bench/genconf.c, 4350 VirtualHosts): the time from a
# didChange to the publishDiagnostics it causes, with the debounce set
# to 0 (the default adds 150 ms on purpose), as measured by the test
# client (tests/lsp/sessions.py --bench).  A measurement, not a test: it
# prints the figures and exits non-zero only when something fails to run.
#
# Environment: B (default build), VHOSTS (default 4350), KEEP=1.
set -u
LC_ALL=C
export LC_ALL
B=${B:-build}
VHOSTS=${VHOSTS:-4350}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$B/mpmlint" ] || { echo "bench/lsp.sh: build $B/mpmlint first" >&2; exit 1; }
mkdir -p "$B/bench"
${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$B/bench/genconf" "$here/genconf.c" ||
	{ echo "bench/lsp.sh: cannot build genconf" >&2; exit 1; }
dir=$(mktemp -d) || exit 1
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT
"$B/bench/genconf" "$VHOSTS" "$dir" || exit 1
echo "lsp bench: $(wc -l <"$dir/httpd.conf") lines, $B/mpmlint"
python3 "$here/../tests/lsp/sessions.py" "$B/mpmlint" --bench "$dir/httpd.conf"
