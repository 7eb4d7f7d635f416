#!/bin/sh
# run.sh - other projects' configuration (fixtures/thirdparty/) against
# real apache2: tests/thirdparty/check.py has the cases and the contract.
# The last line is "thirdparty: N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 not installed"
	echo "thirdparty: 0 passed, 0 failed"
	exit 0
fi
if [ ! -x "$B/mpmlint" ] || [ ! -x "$B/mpmconv" ]; then
	echo "thirdparty: $B/mpmlint not built (run make)" >&2
	echo "thirdparty: 0 passed, 1 failed"
	exit 1
fi
exec python3 tests/thirdparty/check.py --build "$B" "$@"
