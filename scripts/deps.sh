#!/bin/sh
# deps.sh - the packages mpmlint needs.
#
#   deps.sh --build   what `make`, `make all` and `make install` run: checks
#                     the build dependencies only (a C compiler, make, bison,
#                     pkg-config, libyaml and PCRE2 headers), never installs,
#                     and fails naming the missing Debian packages and
#                     pkg-config modules
#   deps.sh [--fuzz|--bench]
#                     what `make check`, `make demo` and .ci/run run: installs
#                     the Debian packages to build and test with apt-get when
#                     run as root; otherwise prints the exact command and
#                     fails.  It changes nothing when every package is present.
set -u
if [ "${1:-}" = --build ]; then
	miss=""
	command -v "${CC:-cc}" >/dev/null 2>&1 || miss="$miss gcc"
	command -v bison >/dev/null 2>&1 || miss="$miss bison"
	if command -v pkg-config >/dev/null 2>&1; then
		pkg-config --exists yaml-0.1 || miss="$miss libyaml-dev(yaml-0.1)"
		pkg-config --exists libpcre2-8 || miss="$miss libpcre2-dev(libpcre2-8)"
	else
		miss="$miss pkg-config"
	fi
	[ -z "$miss" ] && exit 0
	echo "mpmlint: cannot build: missing$miss" >&2
	echo "mpmlint: Debian packages (pkg-config modules in parentheses);" \
	    "on Debian: apt-get install$(echo "$miss" | sed 's/([^)]*)//g')" >&2
	exit 1
fi
pkgs="gcc make bison pkg-config libyaml-dev libpcre2-dev libcmocka-dev mandoc apache2 apache2-utils python3 python3-yaml valgrind patch"
# lua5.4: luac -p checks the Neovim setup of mpmlint(1) EDITORS
pkgs="$pkgs lua5.4"
# tests/deb.sh and make deb build the Debian packages; install.sh uses g++
pkgs="$pkgs debhelper dpkg-dev lintian fakeroot g++"
# strace: tests/files/run.sh sees a directory listed instead of stat()ed
pkgs="$pkgs strace"
# wrk and chromium: tests/compare/run.sh (mpmref --compare --quick, its
# report opened in a headless browser)
pkgs="$pkgs wrk chromium"
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
