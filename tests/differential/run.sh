#!/bin/sh
# run.sh - the differential suite: mpmlint against the real Apache httpd.
#
# Seeded random MPM configurations (prefork, worker, event) go through
# "apache2 -t" and "mpmlint --format json"; the verdicts, the AH ids and
# the first error must agree, and a subset is started on 127.0.0.1 to
# compare mpmlint's effective values with what the running MPM reports
# (mod_lua, r.mpm_query).  The driver is tests/differential/diff.py
# (Python 3 standard library); its docstring defines the comparison.
#
# Environment: B (build dir, default build), APACHE2 (default apache2 on
# PATH or /usr/sbin/apache2), DIFF_SEED, DIFF_COUNT (cases, default 600),
# DIFF_START (cases started, default 60), DIFF_JOBS (default 2),
# DIFF_MAX_SECONDS (time budget, default 540).  Arguments are passed to
# diff.py (--seed, --count, --start, --case I, --show I, -v, ...).
# Failing cases are kept under $B/differential/ with a repro.sh each.
# Then tests/differential/root.py: trees with absolute symlinks read with
# "mpmlint --root" against apache2 run on the tree mounted at its real
# path in a private mount namespace ("differential-root: ...").
# Output: one FAIL line per disagreement, each shape's line
# "differential[-SHAPE]: N passed, M failed" and a last line summing
# them; exit 1 on any disagreement.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
case $B in
/*) ;;
*) B=$PWD/$B ;;
esac
MODULES=${MODULES:-/usr/lib/apache2/modules}

APACHE2=${APACHE2:-}
if [ -z "$APACHE2" ]; then
	APACHE2=$(command -v apache2 2>/dev/null)
	[ -z "$APACHE2" ] && [ -x /usr/sbin/apache2 ] && APACHE2=/usr/sbin/apache2
fi
if [ -z "$APACHE2" ] || [ ! -x "$APACHE2" ] ||
	[ ! -f "$MODULES/mod_mpm_event.so" ]; then
	echo "skipped: apache2 not installed"
	echo "differential: 0 passed, 0 failed"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "differential: python3 is needed (scripts/deps.sh installs it)" >&2
	exit 2
fi
if [ ! -x "$B/mpmlint" ]; then
	echo "differential: $B/mpmlint not built (run make)" >&2
	exit 2
fi
# Each shape prints "differential[-SHAPE]: N passed, M failed"; the last
# line sums them for tests/run-all.sh.  Arguments go to diff.py only.
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
rc=0
shape() {
	"$@" >"$tmp/out" 2>&1 || rc=1
	cat "$tmp/out"
	cat "$tmp/out" >>"$tmp/all"
}
shape python3 tests/differential/diff.py --build "$B" --apache2 "$APACHE2" \
	--modules "$MODULES" "$@"
# trees checked out from /etc, mounted at their real path (--root)
shape python3 tests/differential/root.py --build "$B" --apache2 "$APACHE2" \
	--modules "$MODULES"
sed -n 's/^differential[-a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
    "$tmp/all" | awk '{p += $1; f += $2} END {
	printf "differential (all shapes): %d passed, %d failed\n", p, f }'
exit $rc
