# shellcheck shell=sh
# common.sh - helpers the shell suites share; source it, do not run it:
#	ROOT=$(cd "$(dirname "$0")/../.." && pwd)
#	. "$ROOT/tests/lib/common.sh"
# It makes $B absolute (default $ROOT/build) and counts $pass and $fail.
# lib_need and lib_tmpdir set up a suite, ok/bad/check/rc record results
# (rc leaves the output in $T/rc.out and $T/rc.err), has/hasnt/py/put
# help checks, and lib_summary prints the suite's last line.  POSIX sh.

B=${B:-build}
case $B in
/*) ;;
*) B=$ROOT/$B ;;
esac
pass=0
fail=0

# lib_need SUITE PROGRAM: one failure when PROGRAM is not built; the
# suite is skipped when python3, which parses the outputs, is missing.
lib_need() {
	if [ ! -x "$2" ]; then
		echo "FAIL: $2 not built"
		echo "$1: 0 passed, 1 failed"
		exit 1
	fi
	if ! command -v python3 >/dev/null 2>&1; then
		echo "skipped: python3 not installed"
		echo "$1: 0 passed, 0 failed"
		exit 0
	fi
}

# lib_tmpdir NAME: a new directory $T, removed on exit, as the working
# directory; an interrupt ends the suite (status 130).
lib_tmpdir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
	trap 'rm -rf "$T"' EXIT
	trap 'exit 130' INT TERM
	cd "$T" || exit 1
}

ok() {
	pass=$((pass + 1))
}

bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
	d=$1
	shift
	if "$@"; then
		ok
	else
		bad "$d"
	fi
}

# rc WANT DESCRIPTION COMMAND...: the exit status must be WANT; the
# output is left in rc.out and rc.err.
rc() {
	want=$1
	d=$2
	shift 2
	"$@" >"$T/rc.out" 2>"$T/rc.err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok
	else
		bad "$d: exit $got, want $want"
		head -5 "$T/rc.err" "$T/rc.out"
	fi
}

# has FILE REGEX / hasnt FILE REGEX (extended regular expressions)
has() {
	grep -Eq -- "$2" "$1"
}

hasnt() {
	! grep -Eq -- "$2" "$1"
}

# py FILE... <<EOF: a python3 check; it prints its own failure
py() {
	python3 - "$@"
}

# put FILE TEXT: write TEXT and a newline, creating directories
put() {
	mkdir -p "$(dirname "$1")" && printf '%s\n' "$2" >"$1"
}

# lib_summary SUITE: the last line; the status is 1 after any failure.
lib_summary() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
