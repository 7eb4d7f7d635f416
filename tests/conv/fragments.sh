#!/bin/sh
# conv/fragments.sh - mpmconv --mpm X on MPM fragments, against real httpd.
#
# A fragment is a file of MPM settings that loads no MPM itself (Debian's
# mods-available/mpm_*.conf, upstream's extra/httpd-mpm.conf, the MPM
# files of RHEL/WAMP/cPanel).  "mpmconv --mpm X --to Y FRAG" converts it as
# if X's LoadModule line came before it, and never adds a LoadModule line.
# For each fragment (Debian's files as shipped and guarded with
# <IfModule mpm_X_module> or <IfModule X.c>, an upstream-style file with a
# block per MPM) and each target Y:
#   - mpmconv exits 0 (without --mpm it refuses: no MPM is loaded);
#   - the result has as many LoadModule lines as the fragment (none);
#   - "mpmlint --mpm Y" finds nothing httpd would clamp or refuse;
#   - the capacity (MaxRequestWorkers) is kept: equal, or from prefork
#     M <= new < M + ThreadsPerChild;
#   - real apache2 -t reads the result under "LoadModule mpm_Y_module"
#     with exit 0 and no AH message, and httpd's running values (the
#     effective values mpmlint --mpm Y prints) hold the same capacity.
# Then: a fragment that loads another MPM is refused (AH00534), one that
# loads X itself has that line rewritten (and only that one), and -i
# rewrites the fragment in place without adding a LoadModule line.
# Last line: "conv-fragments: N passed, M failed".
B=${B:-build}
LC_ALL=C
export LC_ALL
top=$(pwd)
M=$top/$B/mpmconv
L=$top/$B/mpmlint
MODULES=${MODULES:-/usr/lib/apache2/modules}
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if [ ! -x "$M" ] || [ ! -x "$L" ]; then
	echo "conv-fragments: $M or $L missing (make all first)"
	echo "conv-fragments: 0 passed, 1 failed"
	exit 1
fi
HTTPD=${APACHE2:-$(command -v apache2 || ls /usr/sbin/apache2 2>/dev/null)}
if [ -z "$HTTPD" ] || [ ! -f "$MODULES/mod_mpm_event.so" ]; then
	echo "skipped: apache2 not installed"
	echo "conv-fragments: 0 passed, 0 failed"
	exit 0
fi

# mrw MPM FILE: MaxRequestWorkers mpmlint --mpm MPM gives FILE
mrw() {
	"$L" --mpm "$1" --fail-on never --no-config -f json "$2" 2>/dev/null |
	    sed -n 's/.*"effective": {.*"MaxRequestWorkers": \([0-9]*\).*/\1/p'
}
tpc() {
	"$L" --mpm "$1" --fail-on never --no-config -f json "$2" 2>/dev/null |
	    sed -n 's/.*"effective": {.*"ThreadsPerChild": \([0-9]*\).*/\1/p'
}
# findings that mean httpd would change or refuse something
clamps() {
	"$L" --mpm "$1" --fail-on never --no-config -f json "$2" 2>/dev/null |
	    grep -E '"rule": "MPM0(0[3-9]|1[0134-7]|2[349])"|"severity": "error"'
}
# httpd_t MPM FILE: apache2 -t with FILE included under MPM's LoadModule
httpd_t() {
	{
		printf 'ServerRoot "%s"\nServerName localhost\n' "$tmp"
		printf 'LoadModule mpm_%s_module %s/mod_mpm_%s.so\n' "$1" \
		    "$MODULES" "$1"
		printf 'ErrorLog "%s/error.log"\nPidFile "%s/httpd.pid"\n' \
		    "$tmp" "$tmp"
		printf 'Listen 127.0.0.1:29098\nInclude "%s"\n' "$2"
	} >"$tmp/w.conf"
	"$HTTPD" -t -f "$tmp/w.conf" >"$tmp/w.out" 2>&1 &&
	    ! grep -q 'AH[0-9]' "$tmp/w.out"
}

# ---- the fragments -----------------------------------------------------------
frag="$tmp/frag"
mkdir -p "$frag"
for x in prefork worker event; do
	src=/etc/apache2/mods-available/mpm_$x.conf
	if [ -f "$src" ]; then
		cp "$src" "$frag/debian-$x.conf"
	else
		# Debian's apache2 2.4 files
		case $x in
		prefork) printf 'StartServers 5\nMinSpareServers 5\nMaxSpareServers 10\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0\n' ;;
		*) printf 'StartServers 2\nMinSpareThreads 25\nMaxSpareThreads 75\nThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0\n' ;;
		esac >"$frag/debian-$x.conf"
	fi
	{
		echo "<IfModule mpm_${x}_module>"
		sed 's/^/    /' "$frag/debian-$x.conf"
		echo "</IfModule>"
	} >"$frag/guarded-$x.conf"
	{
		echo "<IfModule $x.c>"
		sed 's/^/    /' "$frag/debian-$x.conf"
		echo "</IfModule>"
	} >"$frag/dotc-$x.conf"
done
# upstream's extra/httpd-mpm.conf shape: one block per MPM, worker and
# event with the same values
{
	cat <<'EOF'
<IfModule !mpm_netware_module>
    PidFile "logs/httpd.pid"
</IfModule>
<IfModule mpm_prefork_module>
    StartServers             5
    MinSpareServers          5
    MaxSpareServers         10
    MaxRequestWorkers      250
    MaxConnectionsPerChild   0
</IfModule>
EOF
	for x in worker event; do
		echo "<IfModule mpm_${x}_module>"
		printf '    %-22s %3d\n' StartServers 3 MinSpareThreads 75 \
		    MaxSpareThreads 250 ThreadsPerChild 25 MaxRequestWorkers 400 \
		    MaxConnectionsPerChild 0
		echo "</IfModule>"
	done
} >"$frag/upstream.conf"

for f in "$frag"/*.conf; do
	name=${f##*/}
	name=${name%.conf}
	case $name in
	upstream) froms="prefork worker event" ;;
	*) froms=${name#*-} ;;
	esac
	for x in $froms; do
		for y in prefork worker event; do
			[ "$x" = "$y" ] && continue
			c="$name $x->$y"
			out="$tmp/out-$name-$x-$y.conf"
			if "$M" --to $y "$f" >/dev/null 2>&1; then
				bad "$c: converted without --mpm (no MPM is loaded)"
			else
				ok
			fi
			if ! "$M" --mpm $x --to $y "$f" >"$out" 2>"$tmp/err"; then
				bad "$c: mpmconv --mpm $x --to $y failed"
				sed 's/^/  /' "$tmp/err" | head -5
				continue
			fi
			ok
			if [ "$(grep -c LoadModule "$out")" = \
			    "$(grep -c LoadModule "$f")" ]; then
				ok
			else
				bad "$c: the LoadModule lines changed in number"
			fi
			if [ -z "$(clamps $y "$out")" ]; then
				ok
			else
				bad "$c: httpd would adjust the result"
				clamps $y "$out" | head -3
			fi
			m0=$(mrw $x "$f")
			m1=$(mrw $y "$out")
			t1=$(tpc $y "$out")
			if [ -z "$m0" ] || [ -z "$m1" ]; then
				bad "$c: no effective MaxRequestWorkers ($m0, $m1)"
			elif [ "$x" = prefork ] && [ "$y" != prefork ]; then
				if [ "$m1" -ge "$m0" ] &&
				    [ "$m1" -lt $((m0 + t1)) ]; then ok; else
					bad "$c: capacity $m0 -> $m1 (T $t1)"
				fi
			elif [ "$m1" -eq "$m0" ]; then
				ok
			else
				bad "$c: capacity $m0 -> $m1"
			fi
			if httpd_t $y "$out"; then
				ok
			else
				bad "$c: apache2 -t under mpm_$y"
				sed 's/^/  /' "$tmp/w.out" | head -5
			fi
		done
	done
done

# ---- what --mpm does with LoadModule lines in the file ----------------------
# another MPM: httpd refuses both lines together (AH00534)
{
	printf 'LoadModule mpm_worker_module %s/mod_mpm_worker.so\n' "$MODULES"
	cat "$frag/debian-prefork.conf"
} >"$tmp/two.conf"
if "$M" --mpm prefork --to event "$tmp/two.conf" >/dev/null 2>"$tmp/err"; then
	bad "--mpm prefork with mpm_worker loaded: converted"
elif grep -q AH00534 "$tmp/err"; then
	ok
else
	bad "--mpm prefork with mpm_worker loaded: not AH00534"
	sed 's/^/  /' "$tmp/err" | head -3
fi
# X itself (AH01574 in httpd): that line is rewritten, none added
{
	printf 'LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\n' "$MODULES"
	cat "$frag/debian-prefork.conf"
} >"$tmp/self.conf"
if "$M" --mpm prefork --to event "$tmp/self.conf" >"$tmp/self.out" \
    2>"$tmp/err" && [ "$(grep -c '^LoadModule' "$tmp/self.out")" = 1 ] &&
    grep -q '^LoadModule mpm_event_module .*mod_mpm_event.so' "$tmp/self.out"
then
	ok
else
	bad "--mpm prefork on a file loading mpm_prefork itself"
	sed 's/^/  /' "$tmp/err" "$tmp/self.out" | head -8
fi
# -i: the fragment is rewritten in place, still without LoadModule
cp "$frag/debian-event.conf" "$tmp/inplace.conf"
if "$M" --mpm event --to prefork -i --no-backup "$tmp/inplace.conf" \
    >/dev/null 2>"$tmp/err" && ! grep -q LoadModule "$tmp/inplace.conf" &&
    grep -q '^MinSpareServers' "$tmp/inplace.conf" &&
    httpd_t prefork "$tmp/inplace.conf"; then
	ok
else
	bad "-i --mpm event --to prefork"
	sed 's/^/  /' "$tmp/err" "$tmp/inplace.conf" | head -8
fi
# the note says where the LoadModule line must change
if "$M" --mpm worker --to event "$frag/debian-worker.conf" 2>&1 >/dev/null |
    grep -q 'mpmconv adds none'; then
	ok
else
	bad "no note about the LoadModule line outside the fragment"
fi
echo "conv-fragments: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
