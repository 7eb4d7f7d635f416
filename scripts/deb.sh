#!/bin/sh
# deb.sh OUTDIR [dpkg-buildpackage options] - build the Debian packages
# (debian/) in a copy of the source tree, so that the checkout is left
# as it was (dpkg-buildpackage writes into the tree and into its parent
# directory), and copy the .deb, .changes and .buildinfo files to OUTDIR.
# The copy holds the files git knows of plus new ones not ignored (the
# whole tree but build directories when this is not a git checkout).
# `make deb` runs it; tests/deb.sh too.
set -eu
[ $# -ge 1 ] || { echo "usage: deb.sh OUTDIR [dpkg-buildpackage options]" >&2; exit 3; }
out=$1
shift
for p in dpkg-buildpackage dh fakeroot; do
	if ! command -v $p >/dev/null 2>&1; then
		echo "deb.sh: $p not installed (apt-get install dpkg-dev debhelper fakeroot)" >&2
		exit 2
	fi
done
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
w=$(mktemp -d "${TMPDIR:-/tmp}/mpmlint-deb.XXXXXX")
trap 'rm -rf "$w"' EXIT
trap 'exit 130' INT TERM
mkdir "$w/mpmlint"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z -co --exclude-standard |
	    tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
	    (cd "$w/mpmlint" && tar -xf -)
else
	(cd "$src" && tar --exclude='./build' --exclude='./build-*' -cf - .) |
	    (cd "$w/mpmlint" && tar -xf -)
fi
# a make that runs this (make deb, make check) passes its own settings
# through the environment; the package build takes dpkg-buildflags' only
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES B OPT SANFLAGS WERROR \
    CFLAGS CPPFLAGS LDFLAGS
(cd "$w/mpmlint" && dpkg-buildpackage -us -uc -b "$@")
for f in "$w"/*.deb "$w"/*.changes "$w"/*.buildinfo; do
	[ -e "$f" ] && cp "$f" "$out/"
done
echo "deb.sh: packages in $out:"
(cd "$out" && ls ./*.deb | sed 's|^\./|  |')
