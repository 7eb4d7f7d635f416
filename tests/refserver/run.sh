#!/bin/sh
# run.sh - round-trip tests of mpmref, the reference server: each
# configuration runs under mpmref on 127.0.0.1, and its process and
# thread counts and its concurrent-request capacity are checked against
# mpmlint's effective values ([self]: self-consistency, as both take
# their numbers from the rules library); then the same configuration
# runs under apache2, whose observed numbers are checked against
# mpmlint's and mpmref's ([apache2]).  mpmref's own HTTP and command-line
# behaviour is checked too ([http]).  See README and check.py.
#
#   sh tests/refserver/run.sh [CONFIG...]
#
# Without arguments it runs tests/refserver/conf/*.conf.  Configurations
# may use ${REF_PORT} and ${REF_DOCROOT}; mpmref is always started with
# --listen 127.0.0.1:PORT, so any configuration can be passed (for
# example mpmconv --to X output).  Environment: B (build directory),
# MPMREF_WRAP (command prefix for mpmref), CAP_MAX (skip capacity checks
# above this many workers, default 64), KEEP=1 (keep the temp directory),
# NO_CLI=1 (skip the command-line and hostile-input checks), NO_APACHE=1
# (do not run apache2), REF_PORTS (port range, default 27000-27999).
# The last line is "refserver: N passed, M failed"; exit 1 on a failure.
B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
LC_ALL=C
export LC_ALL

if [ "$(uname -s)" != Linux ]; then
	echo "skipped: mpmref needs Linux (epoll, /proc)"
	echo "refserver: 0 passed, 0 failed"
	exit 0
fi
for t in python3 ps; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "skipped: $t not found"
		echo "refserver: 0 passed, 0 failed"
		exit 0
	fi
done
for b in "$B/mpmref" "$B/mpmlint"; do
	if [ ! -x "$b" ]; then
		echo "refserver: $b not built (make all)"
		echo "refserver: 0 passed, 1 failed"
		exit 1
	fi
done
if [ $# -eq 0 ]; then
	set -- "$here"/conf/*.conf
fi
# A bound on the whole run, so that a hung server cannot hang CI.
set -- ${NO_CLI:+--no-cli} ${NO_APACHE:+--no-apache} "$@"
exec timeout -k 10 900 python3 "$here/check.py" --mpmref "$B/mpmref" \
	--mpmlint "$B/mpmlint" --cap-max "${CAP_MAX:-64}" \
	--wrap "${MPMREF_WRAP:-}" "$@"
