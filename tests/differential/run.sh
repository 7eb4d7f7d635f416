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
# Then each shape's own driver runs: tests/differential/macro.py
# (mod_macro; MACRO_COUNT, MACRO_START), printing
# "differential-macro: N passed, M failed".
# Output: one FAIL line per disagreement, each driver's count line, and
# the final line "differential, all shapes: N passed, M failed" (their
# sum); exit 1 on any disagreement.
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
out=$(mktemp) || exit 2
trap 'rm -f "$out" "$out.rc"' EXIT
rc=0
# run one driver, its output shown and kept; its status is remembered
# (POSIX sh has no pipefail)
drive() {
	{ python3 "$@"; echo $? >"$out.rc"; } | tee -a "$out"
	st=$(cat "$out.rc")
	[ "$st" -ne 0 ] && rc=$st
	return 0
}
drive tests/differential/diff.py --build "$B" --apache2 "$APACHE2" \
	--modules "$MODULES" "$@"
# the other shapes, one script each: mod_macro (macro.py)
for shape in macro; do
	drive "tests/differential/$shape.py" --build "$B" --apache2 "$APACHE2" \
		--modules "$MODULES"
done
# one total for run-all.sh, which reads the last count line
awk '/^differential(-[a-z]+)?: [0-9]+ passed, [0-9]+ failed$/ {
	p += $(NF - 3); f += $(NF - 1) }
	END { printf "differential, all shapes: %d passed, %d failed\n", p, f }' "$out"
exit $rc
