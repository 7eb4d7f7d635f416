#!/bin/sh
# man.sh - every man page must be clean under mandoc -T lint.
if ! command -v mandoc >/dev/null 2>&1; then
	echo "skipped: mandoc not installed"
	echo "man: 0 passed, 0 failed"
	exit 0
fi
pass=0 fail=0
for m in man/*.[1358]; do
	[ -f "$m" ] || continue
	out=$(mandoc -T lint -W warning "$m" 2>&1)
	if [ -z "$out" ]; then
		pass=$((pass + 1))
	else
		printf '%s\n' "$out"
		fail=$((fail + 1))
	fi
done
echo "man: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
