#!/bin/sh
# run-all.sh - every test suite `make check` runs, with one summary.
# Each suite prints its own "NAME: N passed, M failed" line; a suite that
# needs something absent prints "skipped: reason" (refserver's "skip -"
# lines are checks that do not apply to a configuration, not skips).
# The last line sums them up:
#   N passed, M failed                          nothing skipped
#   N passed, M failed, K skipped (suites)      locally: skips stay visible
# A suite fails when it exits non-zero, prints no "N passed, M failed"
# line, or ran zero checks without saying why it skipped.  Under CI=true
# (CI sets it) every skip is a failure too: CI must have every
# dependency, so a missing one cannot hide a gap.
# fixtures/ is checksummed before the suites and compared after them
# (tests/pristine.sh): a normal run writes nothing there.
B=${B:-build}
export B
pass=0 fail=0 failed_suites="" nskip=0 skip_suites="" skip_lines=""
ci=0
case ${CI:-} in
true | 1 | yes) ci=1 ;;
esac

snap=$(mktemp) || exit 2
trap 'rm -f "$snap" "$snap.after"' EXIT
trap 'exit 130' INT TERM
sh tests/pristine.sh --snapshot "$snap"

# note_skips NAME OUTPUT: count the suite's skip lines
note_skips() {
	s=$(printf '%s\n' "$2" | grep -E '^skipped: |[^a-z]skipped: ' |
	    sort -u)
	[ -n "$s" ] || return 0
	k=$(printf '%s\n' "$s" | wc -l)
	nskip=$((nskip + k))
	skip_suites="$skip_suites${skip_suites:+, }$1"
	skip_lines="$skip_lines$(printf '%s\n' "$s" | sed "s|^|  $1: |")
"
	if [ "$ci" = 1 ]; then
		fail=$((fail + k))
		failed_suites="$failed_suites $1(skipped)"
	fi
}

run_suite() {
	name=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | tail -n 40
	line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -n 's/^\(.*[^0-9]\)\{0,1\}\([0-9][0-9]*\) passed.*/\2/p')
	f=$(printf '%s\n' "$line" | sed -n 's/^\(.*[^0-9]\)\{0,1\}\([0-9][0-9]*\) failed.*/\2/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	note_skips "$name" "$out"
	if [ "$rc" -ne 0 ]; then
		[ "${f:-0}" -eq 0 ] && fail=$((fail + 1))
		failed_suites="$failed_suites $name"
	elif [ -z "$line" ]; then
		echo "$name: FAIL: no \"N passed, M failed\" line"
		fail=$((fail + 1))
		failed_suites="$failed_suites $name"
	elif [ "${p:-0}" -eq 0 ] && [ "${f:-0}" -eq 0 ] &&
	    ! printf '%s\n' "$out" | grep -qE '^skipped: |[^a-z]skipped: '; then
		echo "$name: FAIL: ran zero checks and did not say why"
		fail=$((fail + 1))
		failed_suites="$failed_suites $name"
	fi
}

# cmocka unit tests: one executable per module
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	n=${t##*/}
	out=$("$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
	k=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p')
	echo "unit $n: ${p:-0} passed, ${f:-0} failed"
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ "${k:-0}" -gt 0 ]; then
		note_skips "$n" "skipped: ${k} cmocka test(s)"
	fi
	if [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out" | grep -E 'FAIL|ERROR|Assert|error' | head -20
		[ "${f:-0}" -eq 0 ] && fail=$((fail + 1))
		failed_suites="$failed_suites $n"
	elif [ "${p:-0}" -eq 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "unit $n: FAIL: ran zero tests"
		fail=$((fail + 1))
		failed_suites="$failed_suites $n"
	fi
done

# One suite per line, so that branches adding suites merge cleanly.
suites="
tests/run-fixtures.sh
tests/record-httpd.sh
tests/pristine.sh
tests/roundtrip.sh
tests/badinput.sh
tests/cli/run.sh
tests/cli/guards.sh
tests/distro.sh
tests/export/run.sh
tests/resource/run.sh
tests/refserver/run.sh
tests/refserver/convert.sh
tests/differential/run.sh
tests/conv/run.sh
tests/thirdparty/run.sh
tests/conv/safety.sh
tests/root/run.sh
tests/files/run.sh
tests/scaling/run.sh
tests/conv/fragments.sh
tests/conv/memory.sh
tests/conv/tune.sh
tests/fix/run.sh
tests/hostile/run.sh
tests/lsp/run.sh
tests/compare/run.sh
tests/man.sh
tests/install.sh
tests/deb.sh
tests/rule-docs.sh
tests/cli/codeclimate.sh
tests/cli/conv-stdin.sh
tests/ci-examples.sh
"
for s in $suites; do
	[ -f "$s" ] || continue
	run_suite "$s" sh "$s"
done

# last: nothing above wrote into fixtures/ (UPDATE=1 rewrites on purpose)
if [ "${UPDATE:-0}" = 1 ]; then
	echo "skipped: fixtures/ unchanged (UPDATE=1 rewrites goldens)"
	note_skips "pristine" "skipped: UPDATE=1"
else
	run_suite "fixtures-unchanged" sh tests/pristine.sh --compare "$snap"
fi

echo
[ -n "$failed_suites" ] && echo "failed suites:$failed_suites"
if [ "$nskip" -gt 0 ]; then
	echo "skipped:"
	printf '%s' "$skip_lines"
	if [ "$ci" = 1 ]; then
		echo "(CI=true: every skip counts as a failure)"
	fi
	echo "$pass passed, $fail failed, $nskip skipped ($skip_suites)"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
