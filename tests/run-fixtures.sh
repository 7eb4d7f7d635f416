#!/bin/sh
# run-fixtures.sh - the golden tests.  Each fixtures/<suite>/<case>/ holds
# input.conf and any of:
#   expected.tree  tests/dumptree output (hconf_dump of the parsed tree)
#   expected.lint  stdout of "mpmlint --no-includes input.conf"
#   expected.rc    mpmlint's exit status
#   args           mpmlint options to use instead of --no-includes
#   httpd.txt      (lint/) what "apache2 -t -e info" printed, recorded by
#                  tests/record-httpd.sh; mpmlint's verdict, AH ids and
#                  error line must agree with it (tests/lib/httpd_verdict.py)
#   httpd.none     (lint/) instead of httpd.txt: one line saying why httpd
#                  cannot judge the case; every lint case has one of the two
# A missing expected file means that mode is skipped.  Every input must
# also print back byte for byte through "mpmconv --no-includes".  Each
# program runs inside the case directory with the relative name
# input.conf, so the output names no machine-specific path.
# UPDATE=1 rewrites the expected files (and creates expected.tree in
# parse/, expected.lint and expected.rc in lint/); review them in git.
# POSIX sh; quiet except for failures and the summary line.
# Environment: B (build dir, default build), CC (default cc), UPDATE
# (only UPDATE=1 writes), FIXTURES (the fixture tree, default fixtures),
# TIMEOUT (seconds per program run, default 60).
set -u
cd "$(dirname "$0")/.." || exit 2
top=$PWD
B=${B:-build}
case $B in
/*) ;;
*) B=$top/$B ;;
esac
UPDATE=${UPDATE:-0}
FIXTURES=${FIXTURES:-fixtures}
TIMEOUT=${TIMEOUT:-60}
LC_ALL=C
export LC_ALL

for p in mpmlint mpmconv libhconf.a; do
	if [ ! -e "$B/$p" ]; then
		echo "run-fixtures: $B/$p not built (run make)" >&2
		exit 2
	fi
done

# The tree dumper is a test tool, not a product: build it here when it
# is missing or older than its source or the library.
dumptree=$B/tests/dumptree
if [ ! -x "$dumptree" ] ||
    [ -n "$(find tests/dumptree.c "$B/libhconf.a" -newer "$dumptree" 2>/dev/null)" ]; then
	mkdir -p "$B/tests" || exit 2
	# make builds it with the build's own flags (sanitizers included);
	# this is the fallback for a bare library
	if ! ${CC:-cc} -std=c11 -Iparser -o "$dumptree" tests/dumptree.c \
	    "$B/libhconf.a" -lyaml; then
		echo "run-fixtures: cannot build $dumptree" >&2
		exit 2
	fi
fi

. tests/lib/tmp_timeout.sh

python=$(command -v python3 || true)
httpd_cases=0
skipped_httpd=0
pass=0
fail=0
bad=0
case_name=""

failed() {
	echo "FAIL $case_name: $*"
	bad=1
}

# compare EXPECTED ACTUAL WHAT: diff, or rewrite under UPDATE=1.
compare() {
	if [ "$UPDATE" = 1 ]; then
		if [ ! -f "$1" ] || ! cmp -s "$1" "$2"; then
			cp "$2" "$1"
			echo "updated $1"
		fi
		return
	fi
	if ! cmp -s "$1" "$2"; then
		failed "$3 differs from $(basename "$1"):"
		diff -u "$1" "$2" | sed -n '3,22p' | sed 's/^/    /'
	fi
}

for input in "$FIXTURES"/*/*/input.conf; do
	[ -f "$input" ] || continue
	dir=${input%/input.conf}
	suite=${dir#"$FIXTURES"/}
	suite=${suite%%/*}
	case_name=${dir#"$FIXTURES"/}
	bad=0
	if [ -f "$dir/args" ]; then
		largs=$(cat "$dir/args")
	else
		largs=--no-includes
	fi

	# the tree
	if [ -f "$dir/expected.tree" ] ||
	    { [ "$UPDATE" = 1 ] && [ "$suite" = parse ]; }; then
		(cd "$dir" && $run_timeout "$dumptree" input.conf) \
		    >"$tmp/tree" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			failed "dumptree exit $rc: $(head -n 1 "$tmp/err")"
		else
			compare "$dir/expected.tree" "$tmp/tree" "tree"
		fi
	fi

	# the linter's findings and exit status (conv/ has its own runner,
	# tests/conv/run.sh, for which args and expected.rc mean mpmconv's)
	if [ "$suite" != conv ] && { [ -f "$dir/expected.lint" ] ||
	    [ -f "$dir/expected.rc" ] ||
	    { [ "$UPDATE" = 1 ] && [ "$suite" = lint ]; }; }; then
		# word splitting of $largs is intended: args holds options
		# shellcheck disable=SC2086
		(cd "$dir" && $run_timeout "$B/mpmlint" $largs input.conf) \
		    >"$tmp/lint" 2>"$tmp/err"
		rc=$?
		echo "$rc" >"$tmp/rc"
		if [ "$rc" -ge 124 ]; then
			failed "mpmlint exit $rc (hang or signal): $(head -n 1 "$tmp/err")"
		else
			if [ -f "$dir/expected.lint" ] ||
			    { [ "$UPDATE" = 1 ] && [ "$suite" = lint ]; }; then
				compare "$dir/expected.lint" "$tmp/lint" "mpmlint output"
			fi
			if [ -f "$dir/expected.rc" ] ||
			    { [ "$UPDATE" = 1 ] && [ "$suite" = lint ]; }; then
				compare "$dir/expected.rc" "$tmp/rc" "mpmlint exit status"
			fi
		fi
	fi

	# httpd's recorded verdict (tests/record-httpd.sh): every lint case
	# has httpd.txt, or httpd.none giving on one line why httpd cannot
	# judge it; tests/lib/httpd_verdict.py says what must agree
	if [ "$suite" = lint ]; then
		if [ -f "$dir/httpd.txt" ] && [ -f "$dir/httpd.none" ]; then
			failed "both httpd.txt and httpd.none"
		elif [ -f "$dir/httpd.none" ]; then
			if [ "$(wc -l <"$dir/httpd.none")" -ne 1 ] ||
			    [ "$(wc -c <"$dir/httpd.none")" -lt 10 ]; then
				failed "httpd.none is not one line giving the reason"
			fi
		elif [ ! -f "$dir/httpd.txt" ]; then
			failed "neither httpd.txt (tests/record-httpd.sh) nor httpd.none"
		elif [ -z "$python" ]; then
			skipped_httpd=$((skipped_httpd + 1))
		else
			# shellcheck disable=SC2086
			(cd "$dir" && $run_timeout "$B/mpmlint" --format json \
			    $largs input.conf) >"$tmp/json" 2>"$tmp/err"
			rc=$?
			if ! "$python" tests/lib/httpd_verdict.py "$dir/httpd.txt" \
			    "$tmp/json" "$rc" >"$tmp/verdict" 2>&1; then
				failed "disagrees with httpd.txt:"
				sed 's/^/    /' "$tmp/verdict" | cut -c1-300
			fi
			httpd_cases=$((httpd_cases + 1))
		fi
	fi

	# the round trip, for every fixture
	(cd "$dir" && $run_timeout "$B/mpmconv" --no-includes input.conf) \
	    >"$tmp/conv" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		failed "mpmconv exit $rc: $(head -n 1 "$tmp/err")"
	elif ! cmp -s "$tmp/conv" "$input"; then
		failed "mpmconv --no-includes does not print the input back: $(cmp "$tmp/conv" "$input" 2>&1 | head -n 1)"
	fi

	if [ "$bad" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done

echo "fixtures: $httpd_cases lint cases compared with httpd.txt"
if [ "$skipped_httpd" -gt 0 ]; then
	echo "skipped: the httpd.txt comparison of $skipped_httpd lint cases (python3 not installed)"
fi
echo "fixtures: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
