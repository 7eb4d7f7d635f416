#!/bin/sh
# install.sh - make install into a temporary DESTDIR gives a working
# library: the file list, libhconf.so's SONAME and exported symbols
# (only hconf_*), a self-contained hconf.h, and hconf(3)'s example built
# with `pkg-config --cflags --libs hconf` against the DESTDIR (and
# statically, and as C++ when g++ is there) and run; make uninstall
# then leaves no file behind.
# It uses the build in $B; a sanitized build (build-asan) links the
# example with the sanitizers its library needs.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib/common.sh"
lib_need install "$B/mpmlint"
lib_tmpdir install
for p in pkg-config nm readelf; do
	if ! command -v $p >/dev/null 2>&1; then
		bad "$p not installed"
		lib_summary install
		exit 1
	fi
done
CC=${CC:-cc}
D=$T/dest
ver=$(sed -n 's/^#define HCONF_VERSION "\(.*\)"/\1/p' "$ROOT/parser/hconf.h")
so=libhconf.so.$ver
soname=libhconf.so.${ver%%.*}

# the build directory's own flags are kept (B, OPT, SANFLAGS come
# through MAKEFLAGS under make check): nothing is rebuilt
rc 0 "make install" make -C "$ROOT" --no-print-directory B="$B" \
    DESTDIR="$D" PREFIX=/usr install

# the file list: programs, man pages, the library, header, pkg-config
{
	for p in mpmlint mpmconv; do echo "./usr/bin/$p"; done
	[ -x "$B/mpmref" ] && echo ./usr/bin/mpmref
	for m in "$ROOT"/man/*.[1358]; do
		echo "./usr/share/man/man${m##*.}/${m##*/}"
	done
	echo ./usr/include/hconf.h
	echo ./usr/lib/libhconf.a
	echo ./usr/lib/libhconf.so
	echo "./usr/lib/$so"
	echo "./usr/lib/$soname"
	echo ./usr/lib/pkgconfig/hconf.pc
} | sort >want.list
(cd "$D" && find . ! -type d | sort) >got.list
if cmp -s want.list got.list; then
	ok
else
	bad "installed files differ (want/got):"
	diff want.list got.list
fi
L=$D/usr/lib
check "libhconf.so -> $soname" test "$(readlink "$L/libhconf.so")" = "$soname"
check "$soname -> $so" test "$(readlink "$L/$soname")" = "$so"
readelf -d "$L/$so" >dyn.txt 2>&1
check "SONAME $soname" has dyn.txt "SONAME.*\\[$soname\\]"
check "hconf.h is parser/hconf.h" cmp -s "$ROOT/parser/hconf.h" \
    "$D/usr/include/hconf.h"

# exported symbols: hconf_* only, and the API is there
nm -D --defined-only "$L/$so" | awk '{ print $NF }' >syms.txt
check "exports hconf_parse_file" has syms.txt '^hconf_parse_file$'
if grep -v '^hconf_' syms.txt >other.txt; then
	bad "libhconf.so exports more than hconf_*: $(tr '\n' ' ' <other.txt)"
else
	ok
fi

# a sanitized library needs the sanitizers' runtimes in the program
san=
nm -D "$L/$so" >undef.txt
has undef.txt '__asan_' && san="$san -fsanitize=address"
has undef.txt '__ubsan_' && san="$san -fsanitize=undefined"

export PKG_CONFIG_PATH="$L/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D"
rc 0 "pkg-config hconf" pkg-config --print-errors --modversion hconf
check "pkg-config version $ver" has rc.out "^$ver\$"
flags=$(pkg-config --cflags --libs hconf)
for f in "-I$D/usr/include" "-L$L" -lhconf; do
	case " $flags " in
	*" $f "*) ok ;;
	*) bad "pkg-config --cflags --libs hconf lacks $f: $flags" ;;
	esac
done
static=$(pkg-config --static --libs hconf)
case " $static " in
*" -lyaml "*) ok ;;
*) bad "pkg-config --static --libs hconf lacks -lyaml: $static" ;;
esac

# hconf.h alone compiles
printf '#include <hconf.h>\nint hconf_test_only;\n' >alone.c
rc 0 "hconf.h is self-contained" $CC -std=c11 -Wall -Wextra -pedantic \
    -Werror $(pkg-config --cflags hconf) -c -o alone.o alone.c

# hconf(3)'s example, the same as tests/install/roundtrip.c
sed -n '/^\.Sh EXAMPLES/,/^\.Sh/p' "$ROOT/man/hconf.3" |
    sed -n '/^\.Bd -literal/,/^\.Ed/{/^\.Bd/d;/^\.Ed/q;p;}' |
    sed 's/\\e/\\/g' >roundtrip.c
check "man/hconf.3 EXAMPLES is tests/install/roundtrip.c" \
    cmp -s roundtrip.c "$ROOT/tests/install/roundtrip.c"
rc 0 "build the example (shared)" $CC -std=c11 $san -o rt roundtrip.c \
    $flags
readelf -d rt >rtdyn.txt 2>&1
check "example needs $soname" has rtdyn.txt "NEEDED.*\\[$soname\\]"
rc 0 "build the example (static)" $CC -std=c11 $san -o rt-static \
    roundtrip.c $(pkg-config --cflags hconf) \
    "$(pkg-config --variable=libdir hconf)/libhconf.a" \
    $(pkg-config --libs yaml-0.1)

printf '# a small one\nServerRoot "/etc/apache2"\nListen 80\n<IfModule mpm_event_module>\n\tMaxRequestWorkers 150\n</IfModule>\n' >ok.conf
printf 'Listen 80\n<VirtualHost *:80>\nServerName x\n' >unclosed.conf
for p in rt rt-static; do
	rc 0 "$p ok.conf" env LD_LIBRARY_PATH="$L" "./$p" ok.conf
	check "$p prints ok.conf back" cmp -s rc.out ok.conf
	check "$p: no diagnostics" test ! -s rc.err
	rc 0 "$p unclosed.conf" env LD_LIBRARY_PATH="$L" "./$p" unclosed.conf
	check "$p prints unclosed.conf back" cmp -s rc.out unclosed.conf
	check "$p reports HC012" has rc.err \
	    '^unclosed\.conf:2:1: error: .*\[HC012\]$'
done

# C++: hconf.h's extern "C" guards let a C++ program link the C library
if command -v "${CXX:-g++}" >/dev/null 2>&1; then
	CXX=${CXX:-g++}
	printf '#include <hconf.h>\nint main() { return hconf_severity_name(HCONF_SEV_NOTE) == 0; }\n' >alone.cc
	rc 0 "hconf.h compiles as C++" $CXX -Wall -Wextra -pedantic -Werror \
	    $(pkg-config --cflags hconf) -c -o alone-cc.o alone.cc
	cp roundtrip.c roundtrip.cc
	rc 0 "the example as C++ (shared)" $CXX $san -o rt-cc roundtrip.cc \
	    $flags
	rc 0 "rt-cc ok.conf" env LD_LIBRARY_PATH="$L" ./rt-cc ok.conf
	check "rt-cc prints ok.conf back" cmp -s rc.out ok.conf
else
	echo "skipped: C++ check (${CXX:-g++} not installed)"
fi
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

rc 0 "make uninstall" make -C "$ROOT" --no-print-directory B="$B" \
    DESTDIR="$D" PREFIX=/usr uninstall
(cd "$D" && find . ! -type d) >left.list
if [ -s left.list ]; then
	bad "make uninstall left: $(tr '\n' ' ' <left.list)"
else
	ok
fi
lib_summary install
