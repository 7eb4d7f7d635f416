#!/bin/sh
# deb.sh - the Debian packages: scripts/deb.sh (what `make deb` runs)
# builds them with `dpkg-buildpackage -us -uc -b` in a copy of the tree,
# dh_auto_test included; the checkout is left untouched; lintian reports
# no error; the packages hold what debian/*.install says, the programs
# are hardened with dpkg-buildflags' flags; installed with `dpkg -i`
# into a throwaway root (and, as root under CI=true, into the system,
# then purged) they give working mpmlint, mpmconv, mpmref, their manuals
# and a library that hconf(3)'s example builds against with pkg-config.
# The packages do not depend on $B: under a sanitized build (make asan)
# only the cheap checks of debian/ run.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib/common.sh"
for p in dpkg-buildpackage dh fakeroot lintian dpkg-checkbuilddeps; do
	if ! command -v $p >/dev/null 2>&1; then
		echo "skipped: $p not installed (apt-get install debhelper dpkg-dev lintian fakeroot)"
		echo "deb: 0 passed, 0 failed"
		exit 0
	fi
done
lib_tmpdir deb
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
ver=$(cd "$ROOT" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)

# debian/ itself: the three packages, build dependencies present
(cd "$ROOT" && dh_listpackages) >pkgs.txt 2>&1
check "dh_listpackages: mpmlint libhconf0 libhconf-dev" test \
    "$(sort pkgs.txt | tr '\n' ' ')" = "libhconf-dev libhconf0 mpmlint "
rc 0 "dpkg-checkbuilddeps" sh -c "cd '$ROOT' && dpkg-checkbuilddeps"
check "version $ver is hconf.h's" has "$ROOT/parser/hconf.h" \
    "HCONF_VERSION \"$ver\""
if [ "$B" != "$ROOT/build" ]; then
	echo "deb: the packages are built and tested once, under B=build"
	lib_summary deb
	exit
fi

# the build, in a copy: nothing new in the checkout or next to it
st0=$(cd "$ROOT" && git status --porcelain 2>/dev/null)
ls "$ROOT/.." >up0.txt
DEB_BUILD_OPTIONS="parallel=2" sh "$ROOT/scripts/deb.sh" "$T/out" \
    >build.log 2>&1
r=$?
check "scripts/deb.sh (dpkg-buildpackage -us -uc -b): exit $r" test "$r" -eq 0
[ "$r" -eq 0 ] || tail -n 30 build.log
st1=$(cd "$ROOT" && git status --porcelain 2>/dev/null)
check "the checkout is unchanged by the build" test "$st0" = "$st1"
ls "$ROOT/.." >up1.txt
check "nothing written next to the checkout" cmp -s up0.txt up1.txt
# dh_auto_test ran the unit tests and the suites debian/rules names
check "dh_auto_test ran" has build.log 'debian/rules override_dh_auto_test'
n=$(grep -c '^\[  PASSED  \]' build.log)
check "dh_auto_test: unit tests ran ($n)" test "$n" -ge 5
for s in roundtrip fixtures cli codeclimate conv-stdin hostile conv-memory \
    man rule-docs; do
	check "dh_auto_test: $s passed" has build.log "^$s: [1-9][0-9]* passed, 0 failed"
done

O=$T/out
for p in mpmlint libhconf0 libhconf-dev; do
	check "${p}_${ver}_$arch.deb built" test -f "$O/${p}_${ver}_$arch.deb"
done
ch=$O/mpmlint_${ver}_$arch.changes
check "the .changes file" test -f "$ch"

# lintian: no error (warnings are allowed; they are printed)
lintian --fail-on error "$ch" >lintian.txt 2>&1
lr=$?
check "lintian reports no error (exit $lr)" test "$lr" -eq 0
check "lintian: no E: line" hasnt lintian.txt '^E: '
grep -E '^[EW]: ' lintian.txt | sed 's/^/  lintian: /'

# contents
deb() { echo "$O/${1}_${ver}_$arch.deb"; }
dpkg-deb -c "$(deb mpmlint)" | awk '{ print $6 }' >mpmlint.list
for f in usr/bin/mpmlint usr/bin/mpmconv usr/bin/mpmref \
    man1/mpmlint.1.gz man1/mpmconv.1.gz man8/mpmref.8.gz \
    man5/mpmlint.yaml.5.gz man5/hconf-export.5.gz; do
	check "mpmlint has $f" has mpmlint.list "$f\$"
done
dpkg-deb -c "$(deb libhconf0)" | awk '{ print $6 }' >lib.list
check "libhconf0 has libhconf.so.0" has lib.list "usr/lib/$ma/libhconf\\.so\\.0\$"
check "libhconf0 holds only the library" test \
    "$(grep -c "usr/lib/$ma/libhconf\\.so\\.0" lib.list)" -eq 2
dpkg-deb -c "$(deb libhconf-dev)" | awk '{ print $6 }' >dev.list
for f in usr/include/hconf.h "usr/lib/$ma/libhconf.so" \
    "usr/lib/$ma/libhconf.a" "usr/lib/$ma/pkgconfig/hconf.pc" \
    man3/hconf.3.gz; do
	check "libhconf-dev has $f" has dev.list "$f\$"
done
dpkg-deb -f "$(deb libhconf-dev)" Depends >dev.dep
check "libhconf-dev depends on libhconf0 (= $ver)" has dev.dep \
    "libhconf0 \\(= $ver\\)"
dpkg-deb -f "$(deb mpmlint)" Depends >m.dep
check "mpmlint depends on libyaml and PCRE2" has m.dep 'libyaml-0-2.*libpcre2-8-0|libpcre2-8-0.*libyaml-0-2'

# dpkg -i into a throwaway root (the packages' dependencies are the
# system's: --force-depends)
R=$T/root
mkdir -p "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/info" \
    "$R/var/lib/dpkg/triggers"
: >"$R/var/lib/dpkg/status"
rc 0 "dpkg -i into a throwaway root" dpkg --root="$R" --log=/dev/null \
    --force-depends --force-not-root --force-script-chrootless \
    -i "$(deb mpmlint)" "$(deb libhconf0)" "$(deb libhconf-dev)"
dpkg --root="$R" -l 2>/dev/null | awk '/^ii/ { print $2 }' >ii.txt
check "three packages installed" test "$(wc -l <ii.txt)" -eq 3

# hardening (dpkg-buildflags): PIE, full RELRO, stack protector, fortify
readelf -hdW "$R/usr/bin/mpmlint" >elf.txt
check "mpmlint is PIE" has elf.txt 'Type: +DYN'
check "mpmlint: BIND_NOW" has elf.txt 'BIND_NOW|FLAGS_1.*NOW'
readelf -lW "$R/usr/bin/mpmlint" | grep -q GNU_RELRO
check "mpmlint: RELRO" test $? -eq 0
nm -D "$R/usr/bin/mpmlint" >dsym.txt
check "mpmlint: stack protector and fortify" sh -c \
    "grep -q __stack_chk_fail dsym.txt && grep -q '__[a-z]*_chk' dsym.txt"

# the programs, their manuals and the library
printf 'ServerRoot "/etc/apache2"\nLoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nListen 80\nThreadsPerChild 25\nMaxRequestWorkers 410\n' >s.conf
run_tools() { # PREFIX LABEL
	rc 0 "$2 mpmlint --version" "$1/bin/mpmlint" --version
	check "$2 mpmlint --version says $ver" has rc.out "^mpmlint $ver\$"
	rc 1 "$2 mpmlint s.conf" "$1/bin/mpmlint" --no-config s.conf
	check "$2 mpmlint finds MPM006" has rc.out '^s\.conf:5:19: warning: .*\[MPM006\]$'
	rc 0 "$2 mpmconv --to worker" "$1/bin/mpmconv" --to worker s.conf
	check "$2 mpmconv writes mpm_worker" has rc.out '^LoadModule mpm_worker_module '
	rc 0 "$2 mpmref -t" "$1/bin/mpmref" -t --allow-any-address s.conf
	check "$2 mpmref -t: MaxRequestWorkers 400" has rc.out '^MaxRequestWorkers: 400$'
	for m in man1/mpmlint.1 man1/mpmconv.1 man8/mpmref.8 man3/hconf.3; do
		gzip -dc "$1/share/man/$m.gz" >man.txt 2>/dev/null
		check "$2 $m is a manual" has man.txt '^\.Sh NAME'
	done
}
run_tools "$R/usr" "(root)"

hx=$T/roundtrip.c
sed -n '/^\.Sh EXAMPLES/,/^\.Sh/p' "$ROOT/man/hconf.3" |
    sed -n '/^\.Bd -literal/,/^\.Ed/{/^\.Bd/d;/^\.Ed/q;p;}' |
    sed 's/\\e/\\/g' >"$hx"
build_example() { # LABEL [LD_LIBRARY_PATH]
	flags=$(pkg-config --cflags --libs hconf)
	rc 0 "$1 build hconf(3)'s example: $flags" ${CC:-cc} -std=c11 \
	    -o rt "$hx" $flags
	rc 0 "$1 run it" env LD_LIBRARY_PATH="${2:-}" ./rt s.conf
	check "$1 the example prints s.conf back" cmp -s rc.out s.conf
	readelf -d rt >rt.dyn
	check "$1 the example needs libhconf.so.0" has rt.dyn 'NEEDED.*\[libhconf\.so\.0\]'
}
PKG_CONFIG_PATH=$R/usr/lib/$ma/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R \
    build_example "(root)" "$R/usr/lib/$ma"

# the real thing: dpkg -i into the system, then purge (CI runs as root
# on a machine of its own; a developer's machine is left alone)
if [ "$(id -u)" = 0 ] && [ "${CI:-}" = true ]; then
	rc 0 "dpkg -i (system)" dpkg -i "$(deb mpmlint)" "$(deb libhconf0)" \
	    "$(deb libhconf-dev)"
	run_tools /usr "(system)"
	rc 0 "man -w mpmlint" man -w mpmlint
	build_example "(system)"
	rc 0 "dpkg --purge" dpkg --purge mpmlint libhconf-dev libhconf0
	check "purged: no /usr/bin/mpmlint" test ! -e /usr/bin/mpmlint
	check "purged: no libhconf.so.0" test ! -e "/usr/lib/$ma/libhconf.so.0"
else
	echo "skipped: dpkg -i into the system (only as root with CI=true; the throwaway root above was)"
fi
lib_summary deb
