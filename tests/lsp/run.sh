#!/bin/sh
# run.sh - the language server's session tests: tests/lsp/sessions.py
# drives $B/mpmlint --lsp over pipes (see there).  Under ASan (B names
# an asan build) leaks are reported at exit and fail the run.
# Prints "lsp: N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
export B
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 not found"
	echo "lsp: 0 passed, 0 failed"
	exit 0
fi
if [ ! -x "$B/mpmlint" ]; then
	echo "lsp: $B/mpmlint not built"
	echo "lsp: 0 passed, 1 failed"
	exit 1
fi
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export ASAN_OPTIONS
exec python3 tests/lsp/sessions.py "$B/mpmlint" ${LSP_EDITS:+--edits "$LSP_EDITS"}
