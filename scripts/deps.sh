#!/bin/sh
# deps.sh - install the Debian packages mpmlint needs to build and test.
# Installs with apt-get when run as root; otherwise prints the exact
# command and fails.  It changes nothing when every package is present.
set -u
pkgs="gcc make bison pkg-config libyaml-dev libpcre2-dev libcmocka-dev mandoc apache2 apache2-utils python3 python3-yaml valgrind"
case "${1:-}" in
--bench) pkgs="$pkgs wrk hyperfine time" ;;
--fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
esac
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing" >&2
	echo "deps.sh: run as root: apt-get update && $cmd" >&2
	exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $cmd >/dev/null 2>&1; then
	apt-get update -qq >/dev/null 2>&1 || true
	$cmd >/dev/null || { echo "deps.sh: apt-get failed" >&2; exit 1; }
fi
# The apache2 package starts a server on port 80 where systemd runs;
# the tests use their own servers only.
exit 0
