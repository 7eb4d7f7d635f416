# shellcheck shell=sh
# tmp_timeout.sh - set-up shared by run-fixtures.sh and roundtrip.sh;
# source it after TIMEOUT is set.  It makes $tmp, a new directory removed
# on exit (an interrupt ends the script, status 130), and $run_timeout,
# the prefix that stops a program running past TIMEOUT seconds.  POSIX sh.

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# A hang must not stall the suite; timeout(1) is coreutils, not POSIX.
run_timeout=""
if command -v timeout >/dev/null 2>&1; then
	run_timeout="timeout -k 5 $TIMEOUT"
fi
