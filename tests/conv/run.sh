#!/bin/sh
# conv/run.sh - the mpmconv suite.
#  1. golden fixtures: fixtures/conv/<case>/input.conf run as
#     "mpmconv $(cat args) input.conf" from the case directory; stdout is
#     compared with expected.conf, the exit status with expected.rc (0 when
#     absent), stderr with expected.err when present.  UPDATE=1 (and only
#     1) rewrites the expected files.  FIXTURES (default fixtures) is the
#     fixture tree; CONV_GOLDEN_ONLY=1 stops after this step.
#  2. properties over seeded random MPM blocks (CONV_SEED, CONV_CASES):
#     capacity kept (prefork -> threaded: M <= new < M + T; otherwise
#     equal), no clamping or refused value in the result (mpmlint -f json),
#     prefork -> event -> prefork gives back the effective values except
#     MaxRequestWorkers and the derived ServerLimit (and a MaxSpareServers
#     within T of MaxRequestWorkers, kept below it), the spare pool stays
#     below MaxRequestWorkers, and a second round trip changes nothing.
#  3. real apache2 -t on a sample of results: exit 0, no AH message;
#     Debian's stock prefork settings to event and worker and back, with
#     the effective values of httpd-oracle (ORACLE, default
#     ../shared/tools/httpd-oracle, else on PATH).
#  4. -i: mode, owner, .bak, symlinks; and failures that must lose
#     nothing (read-only directory, RLIMIT_FSIZE, a full tmpfs, SIGKILL
#     while writing and before the rename, SIGTERM).
# The last line is "conv: N passed, M failed"; exit 1 on any failure.
B=${B:-build}
LC_ALL=C
export LC_ALL
top=$(pwd)
M=$top/$B/mpmconv
L=$top/$B/mpmlint
pass=0 fail=0 skipped=""
tmp=$(mktemp -d) || exit 1
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skip() { skipped="$skipped
skipped: $*"; }

if [ ! -x "$M" ] || [ ! -x "$L" ]; then
	echo "conv: $M or $L missing (make all first)"
	echo "conv: 0 passed, 1 failed"
	exit 1
fi
# test a snapshot: a rebuild during the run must not change the binaries
mkdir -p "$tmp/bin"
cp "$M" "$L" "$tmp/bin/" || exit 1
M=$tmp/bin/mpmconv
L=$tmp/bin/mpmlint

# ---- 1. golden fixtures ----------------------------------------------------
for d in "${FIXTURES:-fixtures}"/conv/*/; do
	[ -f "$d/input.conf" ] || continue
	name=${d%/}
	name=${name##*/}
	args=$(cat "$d/args" 2>/dev/null)
	erc=$(cat "$d/expected.rc" 2>/dev/null || echo 0)
	# shellcheck disable=SC2086
	(cd "$d" && "$M" $args input.conf >"$tmp/out" 2>"$tmp/err")
	rc=$?
	if [ "${UPDATE:-0}" = 1 ]; then
		if [ "$rc" -eq 0 ] || [ -f "$d/expected.conf" ]; then
			cp "$tmp/out" "$d/expected.conf"
		fi
		if [ -s "$tmp/err" ] || [ -f "$d/expected.err" ]; then
			cp "$tmp/err" "$d/expected.err"
		fi
		if [ "$rc" -ne 0 ]; then
			echo "$rc" >"$d/expected.rc"
		else
			rm -f "$d/expected.rc"
		fi
		erc=$rc
	fi
	if [ "$rc" -ne "$erc" ]; then
		bad "fixture $name: exit $rc, expected $erc"
		sed 's/^/  /' "$tmp/err" | head -5
		continue
	fi
	if [ -f "$d/expected.conf" ] && ! cmp -s "$tmp/out" "$d/expected.conf"; then
		bad "fixture $name: output differs"
		diff "$d/expected.conf" "$tmp/out" | head -20
		continue
	fi
	if [ -f "$d/expected.err" ] && ! cmp -s "$tmp/err" "$d/expected.err"; then
		bad "fixture $name: stderr differs"
		diff "$d/expected.err" "$tmp/err" | head -20
		continue
	fi
	ok
	# idempotent: converting the result to the same MPM changes nothing
	to=$(printf '%s\n' "$args" | sed -n 's/.*--to \([a-z]*\).*/\1/p')
	case "$args" in
	*--diff* | *--format* | *--root* | *-d\ *) continue ;;
	esac
	if [ "$rc" -eq 0 ] && [ -n "$to" ]; then
		# (in $tmp: a run writes nothing into fixtures/)
		cp "$tmp/out" "$tmp/idem.conf" || continue
		# a fragment (--mpm X) now runs under the target's LoadModule
		frag=
		case "$args" in
		*--mpm*) frag="--mpm $to" ;;
		esac
		# shellcheck disable=SC2086
		(cd "$d" && "$M" $frag --to "$to" "$tmp/idem.conf" >"$tmp/again" 2>/dev/null)
		if cmp -s "$tmp/again" "$tmp/out"; then ok; else
			bad "fixture $name: not idempotent"
		fi
	fi
done

if [ "${CONV_GOLDEN_ONLY:-0}" = 1 ]; then
	echo "conv: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

# ---- helpers for the properties ------------------------------------------------
# eff FILE: the "effective" object of mpmlint -f json as KEY=VALUE lines
eff() {
	"$L" --fail-on never --no-config -f json "$1" 2>/dev/null |
	    sed -n 's/^ *"effective": {\(.*\)},*$/\1/p' |
	    tr ',' '\n' | sed 's/^ *"\([A-Za-z]*\)": "*\([a-z0-9-]*\)"*/\1=\2/'
}
# get KEY < eff lines
get() { sed -n "s/^$1=//p"; }
# findings that mean httpd would change or refuse something
clamps() {
	"$L" --fail-on never --no-config -f json "$1" 2>/dev/null |
	    grep -E '"rule": "MPM0(0[3-9]|1[0134-7]|2[349])"|"severity": "error"'
}

SEED=${CONV_SEED:-20240611}
NCASES=${CONV_CASES:-240}
gen="$tmp/gen"
mkdir -p "$gen"
# One file per case; the first line says "# T=<threads> DIR=<direction>".
awk -v seed="$SEED" -v n="$NCASES" -v dir="$gen" '
function r(a, b) { return a + int(rand() * (b - a + 1)) }
function pick(s,   a, k) { k = split(s, a, " "); return a[r(1, k)] }
function line(name, v) {
	printf "%s%s%s%s%s", ind, name, sep, v, eol >> f
}
BEGIN {
	srand(seed)
	for (i = 1; i <= n; i++) {
		f = sprintf("%s/%03d.conf", dir, i)
		eol = rand() < 0.15 ? "\r\n" : "\n"
		ind = pick("none 4sp tab"); ind = ind == "none" ? "" : ind == "tab" ? "\t" : "    "
		sep = pick("1 3 tab"); sep = sep == "1" ? " " : sep == "3" ? "   " : "\t"
		# two thirds prefork round trips, the rest threaded sources
		if (i % 3 != 0) {
			T = rand() < 0.5 ? 25 : pick("2 8 16 32 50 64 100 128")
			d = rand() < 0.7 ? "event" : "worker"
			printf "# T=%d DIR=prefork-%s%s", T, d, eol > f
			printf "LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so%s", eol >> f
			w = pick("none mod c")
			if (w == "mod") printf "<IfModule mpm_prefork_module>%s", eol >> f
			if (w == "c") printf "<IfModule prefork.c>%s", eol >> f
			mrw = rand() < 0.8 ? r(1, 600) : r(600, 5000)
			if (rand() < 0.85) line(rand() < 0.3 ? "MaxClients" : "MaxRequestWorkers", mrw)
			if (rand() < 0.5) line("ServerLimit", rand() < 0.5 ? mrw : r(1, 6000))
			if (rand() < 0.7) line("StartServers", r(0, 20))
			if (rand() < 0.7) line("MinSpareServers", r(0, 20))
			if (rand() < 0.7) line("MaxSpareServers", r(0, 60))
			if (rand() < 0.6) line(rand() < 0.3 ? "MaxRequestsPerChild" : "MaxConnectionsPerChild", rand() < 0.5 ? 0 : r(1, 10000))
			if (w != "none") printf "</IfModule>%s", eol >> f
		} else {
			src = rand() < 0.5 ? "event" : "worker"
			d = pick("prefork prefork " (src == "event" ? "worker" : "event"))
			tpc = rand() < 0.5 ? 25 : r(1, 200)
			printf "# T=%d DIR=%s-%s%s", tpc, src, d, eol > f
			printf "LoadModule mpm_%s_module /usr/lib/apache2/modules/mod_mpm_%s.so%s", src, src, eol >> f
			w = rand() < 0.5
			if (w) printf "<IfModule mpm_%s_module>%s", src, eol >> f
			if (rand() < 0.8) line("ThreadsPerChild", tpc)
			if (rand() < 0.5 || tpc > 64) line("ThreadLimit", rand() < 0.7 ? (tpc > 64 ? tpc : 64) : r(1, 300))
			if (rand() < 0.8) line("MaxRequestWorkers", rand() < 0.5 ? tpc * r(1, 40) : r(1, 3000))
			if (rand() < 0.5) line("ServerLimit", r(1, 80))
			if (rand() < 0.6) line("StartServers", r(0, 10))
			if (rand() < 0.6) line("MinSpareThreads", r(0, 300))
			if (rand() < 0.6) line("MaxSpareThreads", r(0, 600))
			if (rand() < 0.4) line("MaxConnectionsPerChild", r(0, 10000))
			if (src == "event" && rand() < 0.4) line("AsyncRequestWorkerFactor", r(1, 4))
			if (w) printf "</IfModule>%s", eol >> f
		}
	}
}'

# ---- 2. properties -----------------------------------------------------------
pfail=0
pcount=0
apache_sample=""
for f in "$gen"/*.conf; do
	hdr=$(head -n 1 "$f" | tr -d '\r')
	T=${hdr#*T=}
	T=${T%% *}
	dirn=${hdr##*DIR=}
	src=${dirn%-*}
	dst=${dirn#*-}
	base=${f%.conf}
	case=${f##*/}
	targs="--to $dst"
	[ "$src" = prefork ] && targs="$targs --threads-per-child $T"
	# shellcheck disable=SC2086
	"$M" $targs "$f" >"$base.a" 2>"$base.a.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		pfail=$((pfail + 1))
		echo "FAIL property $case ($dirn, seed $SEED): mpmconv exit $rc"
		sed 's/^/  /' "$base.a.err" | head -3
		continue
	fi
	e0=$(eff "$f")
	e1=$(eff "$base.a")
	# a threaded source goes back with the ThreadsPerChild it ran with
	[ "$src" != prefork ] && T=$(printf '%s\n' "$e0" | get ThreadsPerChild)
	m0=$(printf '%s\n' "$e0" | get MaxRequestWorkers)
	m1=$(printf '%s\n' "$e1" | get MaxRequestWorkers)
	why=""
	if [ "$(printf '%s\n' "$e1" | get mpm)" != "$dst" ]; then
		why="result is not $dst"
	elif [ "$src" = prefork ]; then
		[ "$m1" -ge "$m0" ] && [ "$m1" -lt $((m0 + T)) ] ||
		    why="MaxRequestWorkers $m0 -> $m1 not in [M, M+$T)"
	elif [ "$m1" != "$m0" ]; then
		why="MaxRequestWorkers $m0 -> $m1"
	fi
	if [ -z "$why" ] && clamps "$base.a" >"$base.cl"; then
		why="httpd would adjust the result: $(head -n 1 "$base.cl")"
	fi
	# the spare pool stays below the server unless the source's was
	# not, or httpd's floor MinSpareThreads + T + 1 reaches it
	if [ -z "$why" ]; then
		T1=$(printf '%s\n' "$e1" | get ThreadsPerChild)
		T1=${T1:-1} a0="" a1="" n1=""
		for k in Servers Threads; do
			x0=$(printf '%s\n' "$e0" | get MaxSpare$k)
			[ -n "$x0" ] && a0=$x0
			x1=$(printf '%s\n' "$e1" | get MaxSpare$k)
			[ -n "$x1" ] && a1=$x1
			x1=$(printf '%s\n' "$e1" | get MinSpare$k)
			[ -n "$x1" ] && n1=$x1
		done
		[ "$dst" = prefork ] && fl=$((n1 + 1)) || fl=$((n1 + T1 + 1))
		if [ "$a0" -lt "$m0" ] && [ "$a1" -ge "$m1" ] && [ "$fl" -lt "$m1" ]; then
			why="MaxSpare $a0 below MaxRequestWorkers $m0 became $a1, not below $m1"
		fi
	fi
	# the other way back, then once more: the second trip changes nothing
	if [ -z "$why" ]; then
		bargs="--to $src"
		[ "$dst" = prefork ] && bargs="$bargs --threads-per-child $T"
		# shellcheck disable=SC2086
		"$M" $bargs "$base.a" >"$base.b" 2>/dev/null &&
		"$M" $targs "$base.b" >"$base.c" 2>/dev/null &&
		"$M" $bargs "$base.c" >"$base.d" 2>/dev/null ||
		    why="round trip failed"
	fi
	if [ -z "$why" ] && ! cmp -s "$base.b" "$base.d"; then
		why="second round trip changed the file"
	fi
	if [ -z "$why" ] && [ "$src" = prefork ]; then
		e2=$(eff "$base.b")
		for k in StartServers MinSpareServers MaxSpareServers \
		    MaxConnectionsPerChild; do
			a=$(printf '%s\n' "$e0" | get $k)
			b=$(printf '%s\n' "$e2" | get $k)
			# MaxSpareServers + T reached MaxRequestWorkers: it was
			# kept below it, and comes back as MaxRequestWorkers - 1 - T
			if [ $k = MaxSpareServers ] && [ "$a" -lt "$m1" ] &&
			    [ $((a + T)) -ge "$m1" ] &&
			    [ "$(printf '%s\n' "$e1" | get MaxSpareThreads)" = $((m1 - 1)) ]; then
				a=$((m1 - 1 - T))
			fi
			[ "$a" = "$b" ] || why="$why $k $a -> $b"
		done
		b=$(printf '%s\n' "$e2" | get MaxRequestWorkers)
		[ "$b" = "$m1" ] || why="$why MaxRequestWorkers $m1 -> $b"
		sl=$(printf '%s\n' "$e2" | get ServerLimit)
		want=$((m1 > 256 ? m1 : 256))
		[ "$sl" = "$want" ] || why="$why ServerLimit $sl, expected $want"
		clamps "$base.b" >/dev/null && why="$why; the way back is clamped"
	elif [ -z "$why" ]; then
		# threaded -> X -> threaded: the capacity comes back exactly
		e2=$(eff "$base.b")
		b=$(printf '%s\n' "$e2" | get MaxRequestWorkers)
		[ "$b" = "$m0" ] || why="back: MaxRequestWorkers $m0 -> $b"
		# idle workers: a spare pool below the server comes back exactly
		a=$(printf '%s\n' "$e0" | get MaxSpareThreads)
		if [ "$dst" = prefork ] && [ "$a" -lt "$m0" ]; then
			for k in MinSpareThreads MaxSpareThreads; do
				a=$(printf '%s\n' "$e0" | get $k)
				b=$(printf '%s\n' "$e2" | get $k)
				[ "$a" = "$b" ] || why="$why $k $a -> $b"
			done
		fi
	fi
	pcount=$((pcount + 1))
	if [ -n "$why" ]; then
		pfail=$((pfail + 1))
		echo "FAIL property $case ($dirn, T=$T, seed $SEED):$why"
		sed 's/^/  | /' "$f" | head -12
	fi
	case "$case" in
	*0.conf | 001.conf | 002.conf | 003.conf) apache_sample="$apache_sample $base.a" ;;
	esac
done
if [ "$pfail" -eq 0 ]; then ok; else fail=$((fail + pfail)); fi
echo "conv properties: $pcount random cases, seed $SEED, $pfail failed"

# ---- 3. real apache2 -t --------------------------------------------------------
HTTPD=$(command -v apache2 || command -v httpd || ls /usr/sbin/apache2 2>/dev/null)
if [ -z "$HTTPD" ]; then
	skip "apache2 not installed"
else
	n=0
	# the lines every test server needs: ServerRoot and logs in $tmp
	apache_head() {
		printf 'ServerRoot "%s"\nServerName localhost\n' "$tmp"
		printf 'ErrorLog "%s/error.log"\nPidFile "%s/httpd.pid"\n' "$tmp" "$tmp"
	}
	# apache2 -t on the configuration $1 ($2 in a failure): exit 0 and
	# no AH message count in n
	apache_t() {
		"$HTTPD" -t -f "$1" >"$1.out" 2>&1
		rc=$?
		if [ "$rc" -ne 0 ] || grep -q 'AH[0-9]' "$1.out"; then
			bad "apache2 -t on $2 (exit $rc)"
			sed 's/^/  /' "$1.out" | head -5
		else
			n=$((n + 1))
		fi
	}
	for a in $apache_sample; do
		w="$a.httpd.conf"
		{
			apache_head
			printf 'Listen 127.0.0.1:18099\n'
			tr -d '\r' <"$a"
		} >"$w"
		apache_t "$w" "${a##*/}"
	done
	# the golden results that load a real MPM module
	for d in fixtures/conv/*/; do
		[ -f "$d/expected.conf" ] && [ ! -f "$d/expected.rc" ] || continue
		case "$(cat "$d/args")" in
		*--diff* | *--format* | *--force* | *-d\ *) continue ;;
		esac
		grep -q '^LoadModule mpm_[a-z]*_module /usr/lib/apache2/' "$d/expected.conf" || continue
		apache_sample="$apache_sample $d/expected.conf"
	done
	for a in $apache_sample; do
		case "$a" in
		"$tmp"/*) continue ;;
		esac
		w="$tmp/fx.httpd.conf"
		{
			apache_head
			tr -d '\r' <"$a" | sed '/^ServerRoot/d; s/^Listen .*/Listen 127.0.0.1:18098/'
		} >"$w"
		apache_t "$w" "$a"
	done
	# Debian's stock prefork settings (mods-available/mpm_prefork.conf) to
	# event and worker and back: the spare pool of the result is below
	# MaxRequestWorkers, the way back gives the file again byte for byte,
	# apache2 -t is clean, and httpd runs the values mpmlint predicts
	# (httpd-oracle's effective values, when the oracle is there)
	ORACLE=${ORACLE:-$top/../shared/tools/httpd-oracle}
	[ -x "$ORACLE" ] || ORACLE=$(command -v httpd-oracle)
	st="$tmp/stock"
	mkdir -p "$st"
	{
		printf 'LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so\n'
		printf 'StartServers            5\nMinSpareServers         5\n'
		printf 'MaxSpareServers         10\nMaxRequestWorkers       150\n'
		printf 'MaxConnectionsPerChild  0\n'
	} >"$st/prefork.conf"
	# oracle MPM FILE: httpd's effective values as KEY=VALUE lines
	oracle() {
		grep -v '^LoadModule' "$2" >"$2.frag"
		"$ORACLE" --compact --settle 1 --timeout 30 "$1" "$2.frag" 2>/dev/null |
		    python3 -c 'import json, sys
st = json.load(sys.stdin)["start"]
for k, v in sorted((st.get("effective") or {}).items()):
    print("%s=%s" % (k, v))'
	}
	for to in event worker; do
		a="$st/$to.conf"
		if ! "$M" --to $to "$st/prefork.conf" >"$a" 2>"$a.err" ||
		    ! "$M" --to prefork "$a" >"$st/$to.back" 2>>"$a.err"; then
			bad "Debian stock prefork -> $to -> prefork failed"
			sed 's/^/  /' "$a.err" | head -3
			continue
		fi
		e1=$(eff "$a")
		mrw=$(printf '%s\n' "$e1" | get MaxRequestWorkers)
		mins=$(printf '%s\n' "$e1" | get MinSpareThreads)
		maxs=$(printf '%s\n' "$e1" | get MaxSpareThreads)
		if [ "$mrw" = 150 ] && [ "$mins" = 5 ] && [ "$maxs" = 35 ]; then ok; else
			bad "Debian stock prefork -> $to: MaxRequestWorkers $mrw, spare threads $mins/$maxs, expected 150, 5/35"
		fi
		if cmp -s "$st/prefork.conf" "$st/$to.back"; then ok; else
			bad "Debian stock prefork -> $to -> prefork is not the original"
			diff "$st/prefork.conf" "$st/$to.back" | head -6
		fi
		for f in "$a" "$st/$to.back"; do
			{
				apache_head
				printf 'Listen 127.0.0.1:18097\n'
				cat "$f"
			} >"$f.httpd.conf"
			apache_t "$f.httpd.conf" "Debian stock ${f##*/}"
		done
		if [ -z "$ORACLE" ] || ! command -v python3 >/dev/null; then
			continue
		fi
		for f in "$a:$to" "$st/$to.back:prefork"; do
			r=$(oracle "${f##*:}" "${f%:*}")
			e=$(eff "${f%:*}")
			why=""
			for k in MaxRequestWorkers MinSpareThreads MaxSpareThreads \
			    MinSpareServers MaxSpareServers; do
				h=$(printf '%s\n' "$r" | get $k)
				[ -n "$h" ] || continue
				[ "$h" = "$(printf '%s\n' "$e" | get $k)" ] ||
				    why="$why $k httpd $h mpmlint $(printf '%s\n' "$e" | get $k)"
			done
			h=$(printf '%s\n' "$r" | get MaxRequestWorkers)
			x=$(printf '%s\n' "$r" | get MaxSpareThreads)
			x=${x:-$(printf '%s\n' "$r" | get MaxSpareServers)}
			if [ -z "$h" ] || [ -z "$x" ]; then
				why="$why no effective values from httpd-oracle"
			elif [ "$x" -ge "$h" ]; then
				why="$why httpd runs MaxSpare $x, not below MaxRequestWorkers $h"
			fi
			if [ -z "$why" ]; then ok; else
				bad "httpd-oracle on Debian stock ${f%:*}:$why"
			fi
		done
	done
	[ -z "$ORACLE" ] && skip "httpd-oracle not found: Debian stock spare pools checked with apache2 -t only"
	[ "$n" -gt 0 ] && pass=$((pass + n))
	echo "conv apache2 -t: $n configurations checked"
	# the Debian tree: a2dismod/a2enmod through -i, both ways
	if [ -d /etc/apache2/mods-available ] && [ -f /etc/apache2/apache2.conf ]; then
		deb="$tmp/deb"
		mkdir -p "$deb/etc" "$deb/run" "$deb/log" "$deb/lock"
		cp -a /etc/apache2 "$deb/etc/"
		e="$deb/etc/apache2/mods-enabled"
		rm -f "$e"/mpm_*.load "$e"/mpm_*.conf "$e"/php*
		ln -s ../mods-available/mpm_prefork.load "$e/mpm_prefork.load"
		ln -s ../mods-available/mpm_prefork.conf "$e/mpm_prefork.conf"
		cp "$deb/etc/apache2/mods-available/mpm_prefork.conf" "$tmp/prefork.orig"
		debt() {
			(
				set -a
				. /etc/apache2/envvars
				APACHE_RUN_DIR="$deb/run" APACHE_LOG_DIR="$deb/log"
				APACHE_LOCK_DIR="$deb/lock" APACHE_PID_FILE="$deb/run/pid"
				"$HTTPD" -t -d "$deb/etc/apache2" -f apache2.conf \
				    -C 'ServerName localhost'
			) >"$tmp/deb.out" 2>&1 && ! grep -q 'AH[0-9]' "$tmp/deb.out"
		}
		for to in event worker prefork; do
			if (cd "$deb" && "$M" --root . --to $to -i etc/apache2/apache2.conf \
			    >/dev/null 2>"$tmp/deb.err") && [ -L "$e/mpm_$to.load" ] &&
			    debt; then ok; else
				bad "Debian tree: --to $to -i"
				cat "$tmp/deb.err" "$tmp/deb.out" | sed 's/^/  /' | head -8
			fi
		done
		if cmp -s "$tmp/prefork.orig" "$deb/etc/apache2/mods-available/mpm_prefork.conf"; then
			ok
		else
			bad "Debian tree: mpm_prefork.conf changed by the round trip"
		fi
	else
		skip "no Debian /etc/apache2 to copy"
	fi
fi

# ---- 4. -i: what is kept, and failures that lose nothing -------------------------
w="$tmp/ip"
mkdir -p "$w"
sample() {
	printf 'LoadModule mpm_prefork_module modules/mod_mpm_prefork.so\n<IfModule mpm_prefork_module>\n    MaxRequestWorkers 150\n    MinSpareServers 5\n</IfModule>\n'
	i=0
	while [ $i -lt "${1:-0}" ]; do
		printf '# padding line %06d ..................................................\n' $i
		i=$((i + 1))
	done
}
# leftovers DIR: temporary files mpmconv left in DIR
leftovers() { ls -A "$1" | grep -E 'mpmconv' ; }

# success: mode, owner, .bak, --no-backup
sample >"$w/a.conf"
cp "$w/a.conf" "$w/a.orig"
chmod 640 "$w/a.conf"
owner_test=0
if [ "$(id -u)" = 0 ]; then chown 12345:23456 "$w/a.conf" && owner_test=1; fi
"$M" --to event -i "$w/a.conf" 2>/dev/null
st=$(stat -c '%a %u:%g' "$w/a.conf")
if [ "$(stat -c %a "$w/a.conf")" = 640 ] && cmp -s "$w/a.conf.bak" "$w/a.orig" &&
    ! cmp -s "$w/a.conf" "$w/a.orig" && [ -z "$(leftovers "$w")" ] &&
    { [ $owner_test = 0 ] || [ "$st" = "640 12345:23456" ]; }; then ok; else
	bad "-i: mode/owner/backup ($st)"
fi
rm -f "$w"/a.*
sample >"$w/b.conf"
"$M" --to worker -i --no-backup "$w/b.conf" 2>/dev/null
if [ ! -e "$w/b.conf.bak" ] && grep -q mpm_worker_module "$w/b.conf" &&
    [ -z "$(leftovers "$w")" ]; then ok; else bad "-i --no-backup"; fi
rm -f "$w"/b.*
# a symlinked file is written where it points; the link stays
sample >"$w/real.conf"
ln -s real.conf "$w/link.conf"
"$M" --to event -i "$w/link.conf" 2>/dev/null
if [ -L "$w/link.conf" ] && grep -q mpm_event_module "$w/real.conf"; then ok; else
	bad "-i through a symlink"
fi
rm -f "$w"/*

# stdout refuses to drop an included file's changes
mkdir -p "$w/inc"
printf 'LoadModule mpm_prefork_module modules/mod_mpm_prefork.so\nInclude mpm.conf\n' >"$w/inc/main.conf"
printf 'MaxRequestWorkers 100\n' >"$w/inc/mpm.conf"
(cd "$w/inc" && "$M" -d . --to event main.conf >"$tmp/o" 2>"$tmp/e")
rc=$?
if [ $rc = 1 ] && [ ! -s "$tmp/o" ] && grep -q 'use --diff or -i' "$tmp/e"; then ok; else
	bad "stdout with an included file to change (exit $rc)"
fi
# ... and the diff applies with git apply
if command -v git >/dev/null; then
	cp -R "$w/inc" "$w/inc2"
	(cd "$w/inc" && "$M" -d . --to event --diff main.conf >"$tmp/d" 2>/dev/null &&
	    git apply "$tmp/d" && "$M" -d . --to event main.conf >/dev/null 2>"$tmp/e2")
	if grep -q 'already uses mpm_event' "$tmp/e2" && grep -q 'ServerLimit\|MaxRequestWorkers 100' "$w/inc/mpm.conf"; then ok; else
		bad "--diff does not git apply"
	fi
	(cd "$w/inc2" && "$M" -d . --to event -i main.conf 2>/dev/null)
	if cmp -s "$w/inc/main.conf" "$w/inc2/main.conf" && cmp -s "$w/inc/mpm.conf" "$w/inc2/mpm.conf"; then ok; else
		bad "-i and --diff disagree"
	fi
fi
rm -rf "$w"/*

# read-only directory: nothing changes, nothing is left behind
ro="$w/ro"
mkdir -p "$ro"
sample >"$ro/c.conf"
cp "$ro/c.conf" "$tmp/c.orig"
chmod 644 "$ro/c.conf"
chmod 555 "$ro"
if [ "$(id -u)" = 0 ]; then
	# root ignores permissions: run as nobody where possible
	if command -v setpriv >/dev/null; then
		chmod 755 "$tmp" "$tmp/bin" "$M" "$w"
		runro() { setpriv --reuid=65534 --regid=65534 --clear-groups "$M" "$@"; }
	else
		runro=""
	fi
else
	runro() { "$M" "$@"; }
fi
if command -v runro >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
	runro --to event -i "$ro/c.conf" >/dev/null 2>"$tmp/e"
	rc=$?
	if [ $rc = 2 ] && cmp -s "$ro/c.conf" "$tmp/c.orig" && [ -z "$(leftovers "$ro")" ] &&
	    [ ! -e "$ro/c.conf.bak" ]; then ok; else
		bad "-i in a read-only directory (exit $rc)"
		sed 's/^/  /' "$tmp/e" | head -3
	fi
else
	skip "read-only directory: root without setpriv"
fi
chmod 755 "$ro"

# a file size limit (RLIMIT_FSIZE): the write fails, the original stays
sample 400 >"$w/big.conf"
cp "$w/big.conf" "$tmp/big.orig"
(ulimit -f 8 && "$M" --to event -i "$w/big.conf") >/dev/null 2>"$tmp/e"
rc=$?
if [ $rc = 2 ] && cmp -s "$w/big.conf" "$tmp/big.orig" && [ -z "$(leftovers "$w")" ]; then ok; else
	bad "-i over RLIMIT_FSIZE (exit $rc)"
	sed 's/^/  /' "$tmp/e" | head -3
fi

# a full disk: a 64 KiB tmpfs in a private mount namespace
full="$tmp/full"
mkdir -p "$full"
sample 500 >"$tmp/full.orig"
fullcheck='
mount -t tmpfs -o size=64k tmpfs "$1" || exit 77
cp "$2" "$1/f.conf" || exit 77
"$3" --to event -i "$1/f.conf" >/dev/null 2>&1
rc=$?
cmp -s "$1/f.conf" "$2" || exit 1
ls -A "$1" | grep -q mpmconv && exit 1
[ $rc = 2 ] || exit 1
exit 0'
if [ "$(id -u)" = 0 ]; then
	unshare -m sh -c "$fullcheck" sh "$full" "$tmp/full.orig" "$M" 2>/dev/null
else
	unshare -rm sh -c "$fullcheck" sh "$full" "$tmp/full.orig" "$M" 2>/dev/null
fi
case $? in
0) ok ;;
77) skip "full-disk test: cannot mount a tmpfs here" ;;
*) bad "-i on a full disk" ;;
esac

# killed while writing, and just before the rename: the original is
# intact; SIGKILL leaves the temporary file, SIGTERM removes it
killtest() { # stall signal
	k="$w/k"
	rm -rf "$k"
	mkdir -p "$k"
	sample 50 >"$k/f.conf"
	cp "$k/f.conf" "$tmp/k.orig"
	rm -f "$tmp/k.err"
	MPMCONV_TEST_STALL=$1 "$M" --to event -i "$k/f.conf" >/dev/null 2>"$tmp/k.err" &
	pid=$!
	i=0
	while ! grep -q 'test stall' "$tmp/k.err" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -s "$2" $pid 2>/dev/null
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -s KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	if ! cmp -s "$k/f.conf" "$tmp/k.orig"; then
		bad "killed ($2) at $1: the original changed"
	elif [ "$2" = KILL ] && [ -z "$(leftovers "$k")" ]; then
		bad "killed (KILL) at $1: expected the temporary file to remain"
	elif [ "$2" = TERM ] && [ -n "$(leftovers "$k")" ]; then
		bad "killed (TERM) at $1: temporary files left: $(leftovers "$k")"
	else
		ok
	fi
}
killtest write KILL
killtest rename KILL
killtest write TERM
killtest rename TERM

[ -n "$skipped" ] && printf '%s\n' "$skipped" | sed '/^$/d'
echo "conv: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
