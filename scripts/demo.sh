#!/bin/sh
# demo.sh - the main job on the bundled example: lint it, then print it
# back through mpmconv (the conversion step grows with mpmconv).
B=${B:-build}
ex=examples/httpd-prefork.conf
echo "== mpmlint $ex"
"$B/mpmlint" --no-includes "$ex"
echo "(exit status $?)"
echo
echo "== mpmlint --format json $ex"
"$B/mpmlint" --no-includes --format json "$ex"
echo
echo "== mpmconv --no-includes $ex (round trip: unchanged bytes)"
if "$B/mpmconv" --no-includes "$ex" | cmp -s - "$ex"; then
	echo "identical to the input"
else
	echo "DIFFERENT from the input" >&2
	exit 1
fi
