#!/bin/sh
# pristine.sh - a test run writes nothing into fixtures/, and the golden
# writers write only under UPDATE=1.
#
#   pristine.sh               the writer check (below)
#   pristine.sh --snapshot F  record every file under fixtures/ (path,
#                             checksum) in F
#   pristine.sh --compare F   compare fixtures/ with the record in F:
#                             "pristine: 1 passed, 0 failed" or the files
#                             a run created, changed or removed
#
# tests/run-all.sh takes a snapshot before the suites and compares after
# them, so any suite of a normal "make check" that writes a fixture (or
# leaves a stray file there) fails the run.
#
# The writer check copies three cases (a lint case, a parse case and a
# conversion case) into a scratch fixture tree without their expected
# files and runs tests/run-fixtures.sh and the golden step of
# tests/conv/run.sh on it (FIXTURES=..., CONV_GOLDEN_ONLY=1) with UPDATE
# unset, 0, yes, true and 2: nothing may appear.  Then UPDATE=1 must
# create the expected files (so the check can see a write at all).
# Output: "pristine: N passed, M failed".
set -u
cd "$(dirname "$0")/.." || exit 2
LC_ALL=C
export LC_ALL

listing() { # DIR: one line per file, "checksum path", sorted
	(cd "$1" && find . -type f -print | sort | while IFS= read -r f; do
		printf '%s %s\n' "$(cksum <"$f" | tr ' ' :)" "$f"
	done)
}

case ${1:-} in
--snapshot)
	listing fixtures >"$2"
	exit
	;;
--compare)
	listing fixtures >"$2.after"
	if cmp -s "$2" "$2.after"; then
		echo "pristine: 1 passed, 0 failed"
		rm -f "$2.after"
		exit 0
	fi
	echo "FAIL the test run wrote into fixtures/:"
	diff "$2" "$2.after" | sed -n 's/^\([<>]\) [^ ]* /    \1 fixtures\//p' |
	    sed 's/<\(.*\)$/\1 (before)/; s/>\(.*\)$/\1 (after)/' | head -20
	echo "pristine: 0 passed, 1 failed"
	rm -f "$2.after"
	exit 1
	;;
esac

B=${B:-build}
pass=0 fail=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

fx=$tmp/fixtures
mkdir -p "$fx/lint" "$fx/parse" "$fx/conv" || exit 2
for c in lint/MPM006-fires parse/$(cd fixtures/parse && ls | head -n 1) \
    conv/$(cd fixtures/conv && ls | head -n 1); do
	cp -R "fixtures/$c" "$fx/$c" || exit 2
	rm -f "$fx/$c"/expected.*
done
listing "$fx" >"$tmp/before"

for u in unset 0 yes true 2; do
	if [ "$u" = unset ]; then
		env -u UPDATE FIXTURES="$fx" B="$B" sh tests/run-fixtures.sh \
		    >"$tmp/out" 2>&1
		env -u UPDATE FIXTURES="$fx" B="$B" CONV_GOLDEN_ONLY=1 \
		    sh tests/conv/run.sh >>"$tmp/out" 2>&1
	else
		UPDATE=$u FIXTURES="$fx" B="$B" sh tests/run-fixtures.sh \
		    >"$tmp/out" 2>&1
		UPDATE=$u FIXTURES="$fx" B="$B" CONV_GOLDEN_ONLY=1 \
		    sh tests/conv/run.sh >>"$tmp/out" 2>&1
	fi
	listing "$fx" >"$tmp/after"
	if cmp -s "$tmp/before" "$tmp/after"; then
		pass=$((pass + 1))
	else
		echo "FAIL UPDATE=$u writes into the fixture tree:"
		diff "$tmp/before" "$tmp/after" | sed -n 's/^> [^ ]* /    /p'
		fail=$((fail + 1))
		rm -rf "$fx"
		mkdir -p "$fx/lint" "$fx/parse" "$fx/conv"
		for c in lint/MPM006-fires parse/$(cd fixtures/parse && ls | head -n 1) \
		    conv/$(cd fixtures/conv && ls | head -n 1); do
			cp -R "fixtures/$c" "$fx/$c"
			rm -f "$fx/$c"/expected.*
		done
	fi
done

# the control: UPDATE=1 writes each kind of expected file
UPDATE=1 FIXTURES="$fx" B="$B" sh tests/run-fixtures.sh >"$tmp/out" 2>&1
UPDATE=1 FIXTURES="$fx" B="$B" CONV_GOLDEN_ONLY=1 sh tests/conv/run.sh \
    >>"$tmp/out" 2>&1
for f in lint/MPM006-fires/expected.lint lint/MPM006-fires/expected.rc \
    "parse/$(cd fixtures/parse && ls | head -n 1)/expected.tree" \
    "conv/$(cd fixtures/conv && ls | head -n 1)/expected.conf"; do
	if [ -f "$fx/$f" ] && cmp -s "$fx/$f" "fixtures/$f"; then
		pass=$((pass + 1))
	else
		echo "FAIL UPDATE=1 did not write $f as it is in fixtures/"
		fail=$((fail + 1))
	fi
done

echo "pristine: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
