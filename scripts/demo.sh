#!/bin/sh
# demo.sh - the main job on the bundled example, a classic prefork
# configuration: lint it, convert it to event, and lint the result.
B=${B:-build}
ex=examples/httpd-prefork.conf
out=${TMPDIR:-/tmp}/mpmlint-demo.$$.conf
trap 'rm -f "$out"' EXIT INT TERM

echo "== mpmlint $ex"
"$B/mpmlint" --no-includes "$ex"
echo "(exit status $?)"
echo
echo "== the values httpd would run with (mpmlint -f json)"
"$B/mpmlint" --no-includes -f json --fail-on never "$ex" |
    sed -n 's/^ "effective": /  /p'
echo
echo "== mpmconv --to event --diff $ex"
"$B/mpmconv" --no-includes --to event --diff "$ex"
echo
echo "== mpmconv --to event --explain (the capacity ledger)"
"$B/mpmconv" --no-includes --to event --explain -o "$out" "$ex" 2>&1
echo
echo "== mpmlint on the converted file"
"$B/mpmlint" --no-includes "$out"
echo "(exit status $?)"
echo
echo "== round trip: mpmconv with no conversion prints the input unchanged"
if "$B/mpmconv" --no-includes "$ex" | cmp -s - "$ex"; then
	echo "identical to the input, byte for byte"
else
	echo "DIFFERENT from the input" >&2
	exit 1
fi
