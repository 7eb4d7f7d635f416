#!/bin/sh
# run.sh - mpmlint --fix against the real Apache httpd: the driver is
# tests/fix/fix.py (its docstring lists the checks).  Environment: B
# (build dir, default build), APACHE2, FIX_COUNT (differential cases,
# default 150), FIX_START (cases started through httpd-oracle, default
# 6; their results are cached under $B/fix-cache).  Prints
# "fix: N passed, M failed" last; exit 1 on a failure.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 not installed"
	echo "fix: 0 passed, 0 failed"
	exit 0
fi
B=$B exec python3 tests/fix/fix.py "$@"
