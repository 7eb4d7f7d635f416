#!/bin/sh
# run.sh - hostile input (issue 18): every output format stays valid and
# inert whatever bytes the configuration holds (formats.py), and tiny
# inputs that would blow up stop at a cap with a finding (caps.py).
# B=build by default.  Last line "hostile: N passed, M failed".
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
lib_need hostile "$B/mpmlint"
for s in formats caps; do
	[ -f "$ROOT/tests/hostile/$s.py" ] || continue
	out=$(python3 "$ROOT/tests/hostile/$s.py" "$B" 2>&1)
	printf '%s\n' "$out" | grep -v ' passed, [0-9]* failed$'
	line=$(printf '%s\n' "$out" | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
	if [ -z "$p" ] || [ -z "$f" ]; then
		echo "FAIL $s.py: no summary line"
		f=1 p=0
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
