#!/bin/sh
# run-all.sh - every test suite `make check` runs, with one summary.
# Each suite prints its own "NAME: N passed, M failed" line; a suite that
# needs something absent prints "skipped: reason".  The last line sums
# them up.
B=${B:-build}
export B
pass=0 fail=0 failed_suites=""

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
	if [ "$rc" -ne 0 ]; then
		[ "${f:-0}" -eq 0 ] && fail=$((fail + 1))
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
	echo "unit $n: ${p:-0} passed, ${f:-0} failed"
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out" | grep -E 'FAIL|ERROR|Assert|error' | head -20
		[ "${f:-0}" -eq 0 ] && fail=$((fail + 1))
		failed_suites="$failed_suites $n"
	fi
done

for s in tests/run-fixtures.sh tests/roundtrip.sh tests/badinput.sh \
    tests/cli/run.sh tests/distro.sh tests/export/run.sh tests/resource/run.sh tests/refserver/run.sh tests/refserver/convert.sh tests/differential/run.sh tests/conv/run.sh tests/thirdparty/run.sh \
    tests/man.sh; do
	[ -f "$s" ] || continue
	run_suite "$s" sh "$s"
done

echo
[ -n "$failed_suites" ] && echo "failed suites:$failed_suites"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
