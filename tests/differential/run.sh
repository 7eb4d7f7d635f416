#!/bin/sh
# run.sh - the differential suite: mpmlint against the real Apache httpd.
#
# Seeded random MPM configurations (prefork, worker, event) go through
# "apache2 -t -e info" (so the deprecation notices AH00188, AH00324,
# AH00521, AH00545 are printed and compared) and "mpmlint --format json",
# followed by the boundary cases (each clamp at limit - 1, limit,
# limit + 1); the verdicts, the AH ids and the first error must agree,
# and a subset is started on 127.0.0.1 to compare mpmlint's effective
# values with what the running MPM reports (mod_lua, r.mpm_query).  The driver is tests/differential/diff.py
# (Python 3 standard library); its docstring defines the comparison.
#
# Environment: B (build dir, default build), APACHE2 (default apache2 on
# PATH or /usr/sbin/apache2), DIFF_SEED, DIFF_COUNT (cases, default 600),
# DIFF_START (cases started, default 60), DIFF_JOBS (default 2),
# DIFF_MAX_SECONDS (time budget, default 540).  Arguments are passed to
# diff.py (--seed, --count, --start, --case I, --show I, -v, ...).
# Failing cases are kept under $B/differential/ with a repro.sh each.
# tests/differential/fragments.py then lints MPM fragments with --mpm
# and compares them with httpd running them under the MPM's LoadModule
# line (its docstring has the cases).  tests/differential/root.py reads
# trees with absolute symlinks with "mpmlint --root" and compares them
# with apache2 run on the tree mounted at its real path in a private
# mount namespace ("differential-root: ...").
# tests/differential/shapes.py runs the shapes of real use (stdin,
# several files in one document, symlinked paths, --root trees with
# absolute symlinks against httpd in a private mount namespace, RHEL's
# 00-mpm.conf, the ../shared corpus alone and with --mpm).
# tests/differential/files.py compares the checks of files and modules
# (built-in LoadModule, module dependencies, mod_ssl's files, log and
# other directories) with apache2 -t.  tests/differential/classes.py
# compares the classes of issue 11 (a virtual host's DocumentRoot, no
# MPM loaded, LoadModule of another module's file, Listen host names).
# Output: one FAIL line per disagreement, each shape's line
# ("differential: N passed, M failed", "differential-fragments: ...")
# and the sum of them last; exit 1 on any disagreement.
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
# Each shape prints its own "differential-<shape>: N passed, M failed"
# (diff.py: "differential: ..."); the last line adds them up.  Arguments
# go to diff.py only.
out=$(mktemp "${TMPDIR:-/tmp}/mpmlint-differential.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
trap 'exit 130' INT TERM
status=0
python3 tests/differential/diff.py --build "$B" --apache2 "$APACHE2" \
	--modules "$MODULES" "$@" >"$out" 2>&1 || status=1
cat "$out"
total=$(cat "$out")
shapes="fragments macro readtime root shapes files classes"
for shape in $shapes; do
	python3 "tests/differential/$shape.py" --build "$B" \
		--apache2 "$APACHE2" --modules "$MODULES" >"$out" 2>&1 ||
		status=1
	cat "$out"
	total="$total
$(cat "$out")"
done
# every script must have printed its summary line
want=$(($(printf '%s\n' $shapes | wc -l) + 1))
got=$(printf '%s\n' "$total" |
	grep -c '^differential[-a-z]*: [0-9]* passed, [0-9]* failed$')
if [ "$got" -ne "$want" ]; then
	echo "differential: $got of $want shapes printed a summary" >&2
	status=1
fi
printf '%s\n' "$total" | awk '
	/^differential[-a-z]*: [0-9]+ passed, [0-9]+ failed$/ {
		p += $(NF - 3); f += $(NF - 1) }
	END { printf "differential (every shape): %d passed, %d failed\n", p, f }'
exit $status
