#!/bin/sh
# mutations.sh - do the suites catch deliberate bugs?  Not part of
# "make check" (it builds and runs the whole suite once per mutation).
#
# Usage: sh tests/mutations.sh [-j JOBS] [NAME...]
#
# For the baseline and for each mutation NAME (default: all of them) it
#   1. clones the committed HEAD of this repository (as it was when the
#      script started) into
#      $MUT_DIR/NAME/repo (default MUT_DIR=/tmp/mpmlint-mutations), with
#      $MUT_DIR/NAME/shared -> ../shared so the corpus suites run too;
#   2. applies the mutation: one exact text replacement in one source file
#      (the run stops if the text is not found exactly once, so a mutation
#      cannot silently become a no-op after a refactoring);
#   3. builds (make all units) and runs every suite of tests/run-all.sh
#      separately, each under a time limit (MUT_TIMEOUT, default 900 s);
#   4. counts a suite as catching the mutation when it exits non-zero.
# The baseline (no mutation) must pass every suite, or a catch means
# nothing; its failures are printed first.  The clones stay in MUT_DIR
# for inspection (rm -rf it afterwards); nothing is written here.
#
# Output: one line per mutation, "NAME: caught by N suites: ..." and the
# table in $MUT_DIR/results.txt.  Exit 1 when a mutation is caught by
# fewer than 2 suites (MUT_MIN, default 2), or the baseline fails.
# -j JOBS runs that many mutations at once (default 1: the suites that
# start servers and measure time are meant to run alone).  MUT_SKIP is a
# space-separated list of suites to leave out (e.g. to save time:
# MUT_SKIP=tests/refserver/run.sh); the counts are then lower bounds.
set -u
cd "$(dirname "$0")/.." || exit 2
top=$PWD
MUT_DIR=${MUT_DIR:-/tmp/mpmlint-mutations}
MUT_TIMEOUT=${MUT_TIMEOUT:-900}
MUT_MIN=${MUT_MIN:-2}
jobs=1
if [ "${1:-}" = -j ]; then
	jobs=$2
	shift 2
fi

# name<TAB>file<TAB>old text<TAB>new text<TAB>what it breaks
mutations() {
	cat <<'EOF'
maxspare-floor	rules/mpm_model.c	t = wrap32(mins + wrap32((tpc + 1) * nb));	t = wrap32(mins + wrap32(tpc * nb));	MaxSpareThreads floor off by one (MinSpare + TPC instead of + TPC + 1)
tpc-threadlimit	rules/mpm_model.c	if (tpc > tl) {	if (tpc > tl + 1) {	ThreadsPerChild > ThreadLimit off by one
ah00545-as-ah00521	rules/engine.c	? "AH00545"	? "AH00521"	deprecated MaxRequestsPerChild reported as AH00521
printer-newline	parser/print.c	put(s, n->text, n->text_len);	put(s, n->text, n->text_len - (n->text_len > 0 && n->text[n->text_len - 1] == '\n'));	edited lines lose their newline in the printer
exit-status	cli/mpmlint.c	if (sev >= level && rc < EXIT_FINDINGS) {	if (sev > level && rc < EXIT_FINDINGS) {	exit status 0 for findings at the fail-on level
conv-rounding	conv/plan.c	P = ceil_div(c->M0, T);	P = c->M0 / T;	conversion rounds MaxRequestWorkers down, losing capacity
event-ah-id	rules/mpm_model.c	"AH00511", "AH00513", "AH00515"	"AH00511", "AH00316", "AH00515"	event reports worker's AH00316 for AH00513
EOF
}

# the units, then the suites of tests/run-all.sh, in its order
suites() {
	echo units
	for s in $(sed -n '/^suites="$/,/^"$/p' tests/run-all.sh |
	    grep '^tests/'); do
		[ -f "$s" ] || continue
		case " ${MUT_SKIP:-} " in
		*" $s "*) continue ;;
		esac
		echo "$s"
	done
}

# apply NAME DIR: the mutation's replacement in DIR's copy
apply() {
	mutations | awk -F '\t' -v n="$1" '$1 == n' >"$2/../mutation" || return 1
	[ -s "$2/../mutation" ] || { echo "no mutation $1" >&2; return 1; }
	python3 - "$2" "$2/../mutation" <<'EOF'
import sys
root, spec = sys.argv[1], sys.argv[2]
name, path, old, new, what = open(spec).read().rstrip("\n").split("\t")
p = root + "/" + path
s = open(p).read()
if s.count(old) != 1:
    sys.exit("%s: %r occurs %d times in %s" % (name, old, s.count(old), path))
open(p, "w").write(s.replace(old, new))
EOF
}

# run_one NAME: clone, mutate (unless baseline), build, run every suite;
# writes $MUT_DIR/NAME/caught (one suite per line) and .../log
run_one() {
	n=$1
	d=$MUT_DIR/$n
	rm -rf "$d"
	mkdir -p "$d"
	[ -d "$top/../shared" ] && ln -s "$(cd "$top/../shared" && pwd)" "$d/shared"
	git clone -q "$top" "$d/repo" || return 1
	git -C "$d/repo" checkout -q "$rev" || return 1
	if [ "$n" != baseline ]; then
		apply "$n" "$d/repo" || return 1
		(cd "$d/repo" && git diff) >"$d/patch"
	fi
	: >"$d/caught"
	: >"$d/log"
	if ! (cd "$d/repo" && make -s -j4 all units) >>"$d/log" 2>&1; then
		echo "build" >>"$d/caught"
		return 0
	fi
	suites | while IFS= read -r s; do
		if [ "$s" = units ]; then
			for t in "$d"/repo/build/tests/test_*; do
				[ -x "$t" ] || continue
				out=$(cd "$d/repo" && timeout -k 10 "$MUT_TIMEOUT" "$t" </dev/null 2>&1)
				rc=$?
				printf '== %s (exit %d)\n%s\n' "${t##*/}" "$rc" \
				    "$(printf '%s\n' "$out" | grep -E 'FAILED|PASSED' | tail -n 5)" >>"$d/log"
				[ "$rc" -ne 0 ] && echo "unit/${t##*/}" >>"$d/caught"
			done
			continue
		fi
		# </dev/null: a suite must not eat the list of suites
		out=$(cd "$d/repo" && B=build timeout -k 10 "$MUT_TIMEOUT" sh "$s" </dev/null 2>&1)
		rc=$?
		printf '== %s (exit %d)\n%s\n' "$s" "$rc" \
		    "$(printf '%s\n' "$out" | grep -E '^FAIL|passed, [0-9]+ failed' | head -n 8)" >>"$d/log"
		[ "$rc" -ne 0 ] && echo "$s" >>"$d/caught"
	done
	return 0
}

if [ $# -eq 0 ]; then
	set -- $(mutations | cut -f 1)
fi
mkdir -p "$MUT_DIR" || exit 2
# every clone is of this commit, whatever is committed meanwhile
rev=$(git rev-parse HEAD) || exit 2
echo "baseline: running every suite on the unmutated HEAD ($(git rev-parse --short HEAD))"
run_one baseline || exit 2
if [ -s "$MUT_DIR/baseline/caught" ]; then
	echo "FAIL the baseline fails: $(tr '\n' ' ' <"$MUT_DIR/baseline/caught")(see $MUT_DIR/baseline/log)"
	exit 1
fi

running=0
for n in "$@"; do
	run_one "$n" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

bad=0
{
	printf '| mutation | what | caught by |\n|---|---|---|\n'
	for n in "$@"; do
		what=$(mutations | awk -F '\t' -v n="$n" '$1 == n { print $5 }')
		k=$(wc -l <"$MUT_DIR/$n/caught")
		printf '| %s | %s | %s (%d) |\n' "$n" "$what" \
		    "$(paste -sd, "$MUT_DIR/$n/caught" | sed 's/,/, /g')" "$k"
	done
} >"$MUT_DIR/results.txt"
for n in "$@"; do
	k=$(wc -l <"$MUT_DIR/$n/caught")
	echo "$n: caught by $k suites: $(paste -sd, "$MUT_DIR/$n/caught" | sed 's/,/, /g')"
	[ "$k" -lt "$MUT_MIN" ] && bad=1
done
echo "table: $MUT_DIR/results.txt"
exit "$bad"
