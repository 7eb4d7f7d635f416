#!/bin/sh
# conv/safety.sh - mpmconv on hostile or unusual input, and -i under
# signals and concurrency (issue 18).
#  1. a repeated MPM LoadModule: every copy is converted and real
#     apache2 -t accepts the result;
#  2. a NUL byte in a line mpmconv rewrites: the bytes are kept, the next
#     line is intact, apache2 -t accepts the result;
#  3. inputs that used to reach "internal error": none of the fixtures
#     and corpus files, converted in every direction, prints it;
#  4. -i over several files: a signal at every point of the rename phase
#     leaves the tree entirely old, entirely new, or restored by the
#     printed recovery command; --no-backup never loses an original;
#  5. 30 concurrent -i runs on one tree end consistent, no temporary
#     file left.
# The last line is "conv-safety: N passed, M failed".
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
LC_ALL=C
export LC_ALL
M=$B/mpmconv
lib_need conv-safety "$M"
lib_tmpdir conv-safety
HTTPD=$(command -v apache2 || command -v httpd || ls /usr/sbin/apache2 2>/dev/null)
MODS=/usr/lib/apache2/modules

# httpd_t FILE: real apache2 -t on FILE inside a minimal server; 0 when
# it passes with no AH message other than AH01574 (a module loaded twice,
# which httpd accepts).
httpd_t() {
	{
		printf 'ServerRoot "%s"\nServerName localhost\n' "$T"
		printf 'ErrorLog "%s/error.log"\nPidFile "%s/httpd.pid"\n' "$T" "$T"
		printf 'Listen 127.0.0.1:25001\nInclude "%s"\n' "$1"
	} >"$T/wrap.conf"
	"$HTTPD" -t -d "$T" -f "$T/wrap.conf" >"$T/httpd.out" 2>&1 &&
	    ! grep -v AH01574 "$T/httpd.out" | grep -q 'AH[0-9]'
}

# ---- 1. a repeated MPM LoadModule ------------------------------------------
if [ -z "$HTTPD" ] || [ ! -f "$MODS/mod_mpm_prefork.so" ]; then
	echo "skipped: apache2 not installed (repeated LoadModule, NUL)"
else
	for to in event worker; do
		{
			printf 'LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\n' "$MODS"
			printf 'MaxRequestWorkers 150\n'
			printf 'LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\n' "$MODS"
			printf '<IfDefine NEVER>\nLoadModule mpm_prefork_module %s/mod_mpm_prefork.so\n</IfDefine>\n' "$MODS"
		} >dup.conf
		if ! httpd_t dup.conf; then
			bad "repeated LoadModule: apache2 -t refuses the input itself"
			continue
		fi
		"$M" --to $to dup.conf >dup.out 2>dup.err
		rc=$?
		if [ $rc -eq 0 ] && httpd_t dup.out &&
		    [ "$(grep -c "mpm_${to}_module $MODS/mod_mpm_$to.so" dup.out)" = 3 ] &&
		    ! grep -q prefork dup.out; then
			ok
		else
			bad "repeated LoadModule --to $to: exit $rc, apache2 -t: $(grep AH "$T/httpd.out" | head -2)"
			sed 's/^/  /' dup.out dup.err | head -10
		fi
		# and back: both lines return to prefork
		"$M" --to prefork dup.out >dup.back 2>/dev/null
		if httpd_t dup.back && [ "$(grep -c mpm_prefork_module dup.back)" = 3 ]; then
			ok
		else
			bad "repeated LoadModule --to $to and back"
		fi
	done
fi

# ---- 2. a NUL byte in a line mpmconv rewrites ------------------------------
# httpd reads a line up to its first NUL (apr_file_gets, then strlen) and
# ignores the rest of that physical line.
if [ -n "$HTTPD" ] && [ -f "$MODS/mod_mpm_prefork.so" ]; then
	printf 'LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\000junk\nServerName x\n<IfModule mpm_prefork_module>\nMaxRequestWorkers 150\000 tail\nMinSpareServers 5\n</IfModule>\n' "$MODS" >nul.conf
	if httpd_t nul.conf; then
		for to in worker event; do
			"$M" --to $to nul.conf >nul.out 2>nul.err
			rc=$?
			# the LoadModule line keeps its tail, the next line is whole
			if [ $rc -eq 0 ] &&
			    tr '\000' '@' <nul.out | grep -q "^LoadModule mpm_${to}_module $MODS/mod_mpm_$to.so@junk\$" &&
			    grep -q '^ServerName x$' nul.out && httpd_t nul.out &&
			    [ "$(tr -cd '\000' <nul.out | wc -c)" -ge 1 ]; then
				ok
			else
				bad "NUL byte --to $to: exit $rc"
				tr '\000' '@' <nul.out | sed 's/^/  /' | head -10
				sed 's/^/  /' nul.err "$T/httpd.out" | head -5
			fi
			"$M" --to $to --diff nul.conf >nul.diff 2>/dev/null
			if tr '\000' '@' <nul.diff | grep -q "^+LoadModule mpm_${to}_module.*@junk\$"; then
				ok
			else
				bad "NUL byte --to $to --diff"
			fi
		done
		# a NUL in the last line, with no final newline: a line added
		# after it keeps the NUL and its tail
		printf 'LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\nMaxRequestWorkers 150\000x' "$MODS" >nul2.conf
		"$M" --to event nul2.conf >nul2.out 2>/dev/null
		if tr '\000' '@' <nul2.out | grep -q '^MaxRequestWorkers 150@x$' &&
		    grep -q '^StartServers' nul2.out && httpd_t nul2.out; then
			ok
		else
			bad "NUL byte in a last line without a newline"
		fi
	else
		bad "NUL byte: apache2 -t refuses the input itself"
	fi
fi

# ---- 3. no "internal error" ------------------------------------------------
# ListenCoresBucketsRatio 0: httpd refuses it under every MPM
# (AH00526 "ListenCoresBucketsRatio must be > 0"), so mpmconv refuses at
# its line; AsyncRequestWorkerFactor 2.5 already in an event block runs
# as 2 (the gate divides by 16 in integers), so mpmconv writes 2.
for src in prefork worker event; do
	printf 'LoadModule mpm_%s_module %s/mod_mpm_%s.so\nListenCoresBucketsRatio 0\n' $src "$MODS" $src >lcbr.conf
	for to in prefork worker event; do
		[ $src = $to ] && continue
		"$M" --to $to lcbr.conf >lcbr.out 2>lcbr.err
		rc=$?
		if [ $rc = 1 ] && ! grep -q 'internal error' lcbr.err &&
		    grep -q '^lcbr.conf:2: error: ListenCoresBucketsRatio 0: httpd refuses it' lcbr.err &&
		    [ ! -s lcbr.out ]; then
			ok
		else
			bad "ListenCoresBucketsRatio 0, $src -> $to: exit $rc"
			sed 's/^/  /' lcbr.err | head -3
		fi
		"$M" --force --to $to lcbr.conf >lcbr.out 2>lcbr.err
		rc=$?
		if [ $rc = 0 ] && grep -q '^ListenCoresBucketsRatio 0$' lcbr.out &&
		    grep -q "mpm_${to}_module" lcbr.out && ! grep -q 'internal error' lcbr.err; then
			ok
		else
			bad "ListenCoresBucketsRatio 0 with --force, $src -> $to: exit $rc"
		fi
	done
done
for src in prefork worker; do
	for v in 2.5:2 0.5:1 abc:2 3:3; do
		printf 'LoadModule mpm_%s_module %s/mod_mpm_%s.so\n<IfModule mpm_event_module>\nAsyncRequestWorkerFactor %s\n</IfModule>\n' \
		    $src "$MODS" $src "${v%:*}" >arwf.conf
		"$M" --to event arwf.conf >arwf.out 2>arwf.err
		rc=$?
		if [ $rc = 0 ] && ! grep -q 'internal error' arwf.err &&
		    grep -q "^AsyncRequestWorkerFactor ${v#*:}\$" arwf.out &&
		    { [ "${v%:*}" = "${v#*:}" ] || grep -q '^arwf.conf:3: warning: ' arwf.err; } &&
		    { [ -z "$HTTPD" ] || httpd_t arwf.out; }; then
			ok
		else
			bad "AsyncRequestWorkerFactor ${v%:*} in an event block, $src -> event: exit $rc"
			sed 's/^/  /' arwf.err arwf.out | head -6
		fi
	done
done
# sweep DIR FILE LABEL: FILE converted in every direction, with and
# without --force, run from DIR; an exit above 3 or an internal error
# goes to ie.txt as LABEL.  n counts the conversions.
sweep() {
	for to in prefork worker event; do
		for force in "" --force; do
			n=$((n + 1))
			(cd "$1" && "$M" --to $to $force "$2" >/dev/null 2>"$T/ie.err")
			rc=$?
			if [ $rc -gt 3 ] || grep -q 'internal error\|Sanitizer\|runtime error' ie.err; then
				echo "$3 --to $to $force: exit $rc $(grep -m1 'internal' ie.err)" >>ie.txt
			fi
		done
	done
}
# every fixture and corpus file, each direction, with and without --force
: >ie.txt
n=0
set -- "$ROOT"/fixtures/*/*/input.conf "$ROOT"/fixtures/*/*.conf
if [ -d "$ROOT/../shared/corpus" ]; then
	set -- "$@" $(find "$ROOT/../shared/corpus" -type f -name '*.conf' | sort)
else
	echo "skipped: ../shared not present (corpus part of the internal-error sweep)"
fi
for f in "$@"; do
	[ -f "$f" ] || continue
	sweep "${f%/*}" "${f##*/}" "$f"
done
# seeded random MPM blocks with odd values, in every direction
python3 - "$T/gen" <<'PY'
import os, random, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
random.seed(18)
keys = ["StartServers", "ServerLimit", "MaxRequestWorkers", "MaxClients",
        "MinSpareServers", "MaxSpareServers", "MinSpareThreads",
        "MaxSpareThreads", "ThreadsPerChild", "ThreadLimit",
        "MaxConnectionsPerChild", "AsyncRequestWorkerFactor",
        "ListenCoresBucketsRatio"]
vals = ["0", "1", "-1", "2.5", "0.5", "25", "64", "150", "20001", "100001",
        "99999999999", "abc", "1e400", "nan", "3x", "16", "+5"]
mpms = ["prefork", "worker", "event"]
for i in range(300):
    src = random.choice(mpms)
    L = ["LoadModule mpm_%s_module modules/mod_mpm_%s.so" % (src, src)]
    for b in range(random.randint(1, 3)):
        g = random.choice(mpms + [None])
        if g:
            L.append("<IfModule mpm_%s_module>" % g)
        for k in range(random.randint(0, 6)):
            L.append("%s %s" % (random.choice(keys), random.choice(vals)))
        if g:
            L.append("</IfModule>")
    open("%s/%03d.conf" % (d, i), "w").write("\n".join(L) + "\n")
PY
for f in "$T"/gen/*.conf; do
	sweep "$T" "$f" "${f##*/}"
done
if [ -s ie.txt ]; then
	bad "internal error or crash in $(wc -l <ie.txt) of $n conversions"
	sed 's/^/  /' ie.txt | head -10
else
	ok
fi
echo "conv-safety: $n conversions swept for internal errors"

# ---- 4. -i under signals ------------------------------------------------------
# A tree of three files the conversion changes.  Each run stops at a test
# point (MPMCONV_TEST_STALL) and gets a signal there.
mktree() { # DIR
	rm -rf "$1"
	mkdir -p "$1"
	{
		printf 'LoadModule mpm_prefork_module %s/mod_mpm_prefork.so\n' "$MODS"
		printf 'Include "%s/mpm.conf"\nInclude "%s/more.conf"\n' "$1" "$1"
	} >"$1/main.conf"
	printf '<IfModule mpm_prefork_module>\n    MaxRequestWorkers 150\n    StartServers 4\n</IfModule>\n' >"$1/mpm.conf"
	printf '# padding %s\n' $(seq 1 200) >"$1/more.conf"
	printf '<IfModule mpm_prefork_module>\n    MinSpareServers 6\n    MaxSpareServers 12\n</IfModule>\n' >>"$1/more.conf"
	chmod 640 "$1/mpm.conf"
}
# state DIR: the three files' contents, in one stream
state() { cat "$1/main.conf" "$1/mpm.conf" "$1/more.conf"; }
leftovers() { find "$1" -name '*mpmconv*' | sort; }
# sigrun SIGNAL STALL ARGS...: mpmconv with SIGINT and SIGQUIT at their
# default (a background job of sh ignores them), stopped at STALL and
# sent SIGNAL there; $src is the exit status.
sigrun() {
	sig=$1 point=$2
	shift 2
	rm -f sig.err
	MPMCONV_TEST_STALL=$point python3 -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
signal.signal(signal.SIGQUIT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$M" "$@" >/dev/null 2>sig.err &
	pid=$!
	i=0
	while ! grep -q "test stall ($point)" sig.err 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	stalled=0
	grep -q "test stall ($point)" sig.err && stalled=1
	kill -s "$sig" $pid 2>/dev/null
	wait $pid 2>/dev/null
	src=$?
}
signum() { python3 -c "import signal; print(int(signal.SIG$1))"; }

tr="$T/tree"
mktree "$tr"
state "$tr" >old.state
"$M" --to event -i "$tr/main.conf" 2>/dev/null
state "$tr" >new.state
if cmp -s old.state new.state || [ "$(ls "$tr"/*.bak | wc -l)" != 3 ]; then
	bad "-i: the reference conversion does not change three files"
fi
# A shell started under nohup passes SIGHUP on ignored, and mpmconv keeps
# an inherited SIG_IGN as programs should: the HUP cases cannot run there.
sigs="TERM INT HUP QUIT KILL"
ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status 2>/dev/null)
if [ -n "$ign" ] && [ $((0x$ign & 1)) = 1 ]; then
	echo "skipped: -i HUP cases (SIGHUP is ignored in this environment, e.g. nohup)"
	sigs="TERM INT QUIT KILL"
fi
for nb in "" --no-backup; do
	for point in write rename rename-1 rename-2 rename-3 links commit cleanup; do
		for sig in $sigs; do
			mktree "$tr"
			sigrun $sig $point --to event -i $nb "$tr/main.conf"
			want=$((128 + $(signum $sig)))
			state "$tr" >now.state
			what="$sig at $point${nb:+ $nb}"
			if [ $stalled = 0 ]; then
				bad "-i $what: the test point was not reached"
				sed 's/^/  /' sig.err | head -3
				continue
			fi
			if [ $src != $want ]; then
				bad "-i $what: exit $src, expected $want (the signal)"
				continue
			fi
			case $sig:$point in
			KILL:cleanup)
				# complete: the journal is gone, a hidden copy
				# of an original may stay
				if cmp -s now.state new.state && [ ! -e "$tr/.main.conf.mpmconv-journal" ] &&
				    ! leftovers "$tr" | grep -v 'mpmconv-keep' | grep -q .; then ok; else
					bad "-i $what: not entirely new"
				fi
				;;
			KILL:*)
				# the next run refuses and prints the recovery
				"$M" --to event -i "$tr/main.conf" >/dev/null 2>next.err
				rc=$?
				cmd=$(sed -n 's/^	\(sh .*mpmconv-journal.*\)$/\1/p' next.err)
				state "$tr" >mid.state
				if [ $rc != 2 ] || [ -z "$cmd" ] || ! cmp -s mid.state now.state; then
					bad "-i $what: the next run did not refuse with a recovery command (exit $rc)"
					sed 's/^/  /' next.err | head -4
					continue
				fi
				# a conversion without -i warns about the journal
				if [ $point = write ] && [ -z "$nb" ] &&
				    ! "$M" --to event "$tr/main.conf" 2>&1 >/dev/null |
				    grep -q 'warning: .*mpmconv-journal is there'; then
					bad "-i $what: no warning about the journal without -i"
				fi
				(cd / && eval "$cmd") >rec.out 2>&1
				state "$tr" >after.state
				if cmp -s after.state old.state && [ -z "$(leftovers "$tr")" ] &&
				    [ "$(stat -c %a "$tr/mpm.conf")" = 640 ] &&
				    "$M" --to event -i $nb "$tr/main.conf" 2>/dev/null &&
				    state "$tr" | cmp -s - new.state; then ok; else
					bad "-i $what: the recovery command did not restore the old tree"
					sed 's/^/  /' rec.out | head -3
					leftovers "$tr" | sed 's/^/  left: /'
				fi
				;;
			*:write | *:rename)
				if cmp -s now.state old.state && [ -z "$(leftovers "$tr")" ] &&
				    ! ls "$tr"/*.bak >/dev/null 2>&1; then ok; else
					bad "-i $what: not entirely old, or files left"
					leftovers "$tr" | sed 's/^/  left: /'
				fi
				;;
			*)
				nbak=$(ls "$tr"/*.bak 2>/dev/null | wc -l)
				wbak=3
				[ -n "$nb" ] && wbak=0
				if cmp -s now.state new.state && [ -z "$(leftovers "$tr")" ] &&
				    [ "$nbak" = $wbak ] &&
				    [ "$(stat -c %a "$tr/mpm.conf")" = 640 ]; then ok; else
					bad "-i $what: not entirely new, or files left ($nbak .bak)"
					leftovers "$tr" | sed 's/^/  left: /'
				fi
				;;
			esac
		done
	done
done

# the Debian layout: the rename phase also switches mods-enabled symlinks
if [ -d /etc/apache2/mods-available ] && [ -f /etc/apache2/apache2.conf ]; then
	debtree() {
		rm -rf "$T/deb"
		mkdir -p "$T/deb/etc"
		cp -a /etc/apache2 "$T/deb/etc/"
		e="$T/deb/etc/apache2/mods-enabled"
		rm -f "$e"/mpm_*.load "$e"/mpm_*.conf "$e"/php*
		ln -s ../mods-available/mpm_prefork.load "$e/mpm_prefork.load"
		ln -s ../mods-available/mpm_prefork.conf "$e/mpm_prefork.conf"
	}
	debstate() {
		for l in "$T"/deb/etc/apache2/mods-enabled/mpm_*; do
			printf '%s -> %s\n' "${l##*/}" "$(readlink "$l")"
		done
		cat "$T"/deb/etc/apache2/mods-available/mpm_*.conf
	}
	debtree
	debstate >deb.old
	(cd "$T/deb" && "$M" --root . --to event -i etc/apache2/apache2.conf 2>/dev/null)
	debstate >deb.new
	for point in links commit; do
		for sig in TERM KILL; do
			debtree
			cd "$T/deb" || exit 1
			sigrun $sig $point --root . --to event -i etc/apache2/apache2.conf
			cd "$T" || exit 1
			debstate >deb.now
			if [ $sig = TERM ]; then
				if [ $stalled = 1 ] && cmp -s deb.now deb.new &&
				    [ -z "$(leftovers "$T/deb")" ]; then ok; else
					bad "Debian -i, $sig at $point: not entirely new"
				fi
				continue
			fi
			cmd=$(cd "$T/deb" && "$M" --root . --to event -i etc/apache2/apache2.conf 2>&1 >/dev/null |
			    sed -n 's/^	\(sh .*mpmconv-journal.*\)$/\1/p')
			[ -n "$cmd" ] && (cd / && eval "$cmd") >/dev/null 2>&1
			debstate >deb.after
			# at commit the links were already switched
			if [ $stalled = 1 ] && [ -n "$cmd" ] && cmp -s deb.after deb.old &&
			    { [ $point != commit ] || cmp -s deb.now deb.new; } &&
			    [ -z "$(leftovers "$T/deb")" ]; then ok; else
				bad "Debian -i, $sig at $point: the recovery command did not restore the links"
				diff deb.old deb.after | head -5 | sed 's/^/  /'
			fi
		done
	done
else
	echo "skipped: no Debian /etc/apache2 to copy (Debian -i under signals)"
fi

# ---- 5. concurrent -i runs on one tree ---------------------------------------
mktree "$tr"
i=0
pids=""
while [ $i -lt 30 ]; do
	case $((i % 3)) in
	0) to=event ;;
	1) to=worker ;;
	*) to=prefork ;;
	esac
	nb=""
	[ $((i % 2)) = 0 ] && nb=--no-backup
	"$M" --to $to -i $nb "$tr/main.conf" >/dev/null 2>"conc.$i.err" &
	pids="$pids $!"
	i=$((i + 1))
done
nfail=0
for p in $pids; do
	wait "$p" || nfail=$((nfail + 1))
done
mods=$(state "$tr" | grep -o 'mpm_[a-z]*_module' | sort -u)
if [ "$(printf '%s\n' "$mods" | wc -l)" = 1 ] && [ $nfail = 0 ] &&
    [ -z "$(leftovers "$tr")" ] && { [ -z "$HTTPD" ] || httpd_t "$tr/main.conf"; }; then
	ok
else
	bad "30 concurrent -i runs: modules $(echo $mods), $nfail failed, $(leftovers "$tr" | wc -l) files left"
	cat conc.*.err | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /'
fi

lib_summary conv-safety
