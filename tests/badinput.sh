#!/bin/sh
# badinput.sh - hostile and pathological inputs (binary bytes, a 10 MB line,
# 100,000-deep nesting, include cycles, a 10,000-file glob, unreadable and
# non-regular files, NUL bytes, an open quote).  mpmlint and mpmconv must not
# crash, hang or use memory out of proportion to the input, and mpmlint's
# verdict (error or not) must match httpd's.  POSIX sh; quiet except for
# failures, "skipped:" reasons and the summary line.
#
# Environment: B (build dir, default build), TIMEOUT (seconds, default 60),
# MEM_FLOOR_MB (default 64) and MEM_FACTOR (default 6): peak RSS may reach
# max(floor, factor x input bytes); APACHE2 (default: apache2 on PATH or
# /usr/sbin/apache2; APACHE2=none turns the comparison off).
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
case $B in
/*) ;;
*) B=$PWD/$B ;;
esac
TIMEOUT=${TIMEOUT:-60}
MEM_FLOOR_MB=${MEM_FLOOR_MB:-64}
MEM_FACTOR=${MEM_FACTOR:-6}
LC_ALL=C
export LC_ALL

for p in mpmlint mpmconv; do
	if [ ! -x "$B/$p" ]; then
		echo "badinput: $B/$p not built (run make)" >&2
		exit 2
	fi
done
if ! command -v timeout >/dev/null 2>&1; then
	echo "badinput: timeout(1) is needed to detect hangs" >&2
	exit 2
fi

T=$(mktemp -d) || exit 2
# Unreadable files and directories must be made readable again before
# rm can remove them when we are not root.
trap 'chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
# The unprivileged user of the unreadable-file cases must reach the files.
chmod 755 "$T"
R=$T/.run
mkdir "$R"

# Peak memory: GNU time's %M (max RSS in KiB).  AddressSanitizer's shadow
# memory and quarantine make RSS meaningless, so the limit does not apply
# to that build (the plain build's run checks it); that is not a skip, as
# nothing is missing, so CI does not count it as one.
TIME=""
if [ -x /usr/bin/time ]; then
	if grep -q __asan_init "$B/mpmlint" 2>/dev/null; then
		echo "# n/a: peak-memory limits ($B is built with AddressSanitizer; the plain build checks them)"
	else
		TIME=/usr/bin/time
	fi
else
	echo "skipped: peak-memory limits (/usr/bin/time not installed)"
fi

APACHE2=${APACHE2:-}
if [ -z "$APACHE2" ]; then
	APACHE2=$(command -v apache2 2>/dev/null)
	[ -z "$APACHE2" ] && [ -x /usr/sbin/apache2 ] && APACHE2=/usr/sbin/apache2
fi
[ "$APACHE2" = none ] && APACHE2=""
if [ -z "$APACHE2" ]; then
	echo "skipped: apache2 not installed (verdicts compared with the ones recorded from httpd 2.4.71)"
fi

# chmod 000 does not stop root, so the unreadable-file cases drop to
# nobody with setpriv(1) (util-linux); without it they are skipped.
SETPRIV=""
UNREADABLE=yes
if [ "$(id -u)" = 0 ]; then
	SETPRIV="setpriv --reuid=65534 --regid=65534 --clear-groups"
	if ! command -v setpriv >/dev/null 2>&1; then
		UNREADABLE="running as root and setpriv(1) is missing, so chmod 000 cannot make a file unreadable"
	elif ! $SETPRIV test -x "$B/mpmlint" 2>/dev/null; then
		UNREADABLE="running as root and user nobody cannot execute $B/mpmlint"
	fi
fi

passed=0
failed=0
bad=0
name=""

fail() {
	echo "FAIL $name: $*"
	bad=1
}

# The common preamble: enough for apache2 -t to get past "No MPM loaded".
hdr() {
	cat <<EOF
ServerRoot $1
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
Listen 127.0.0.1:18099
ErrorLog $1/err.log
PidFile $1/pid
ServerName x
EOF
}

# newcase NAME: each case gets its own directory, also its ServerRoot.
newcase() {
	name=$1
	D=$T/$1
	mkdir "$D"
}

# run AS PROGRAM ARGS...: sets rc and mem_kb; output in $R/out, $R/err.
run() {
	as=$1
	shift
	mem_kb=""
	if [ -n "$TIME" ]; then
		$TIME -f %M -o "$R/mem" timeout -k 5 "$TIMEOUT" $as "$@" \
		    >"$R/out" 2>"$R/err"
		rc=$?
		# time(1) puts "Command exited with ..." before the number.
		mem_kb=$(tail -n 1 "$R/mem")
	else
		timeout -k 5 "$TIMEOUT" $as "$@" >"$R/out" 2>"$R/err"
		rc=$?
	fi
}

# sane TOOL: no hang, no signal, no sanitizer report, bounded memory.
# Returns 1 when the tool gave no verdict (hang or signal).
sane() {
	dead=0
	if [ "$rc" -eq 124 ]; then
		fail "$1: hung (killed after ${TIMEOUT}s)"
		dead=1
	elif [ "$rc" -ge 128 ]; then
		fail "$1: killed by signal $((rc - 128))"
		dead=1
	fi
	if grep -Eq 'Sanitizer|runtime error:' "$R/err"; then
		fail "$1: sanitizer report: $(grep -E -m 1 'Sanitizer|runtime error:' "$R/err")"
	fi
	case $mem_kb in
	'' | *[!0-9]*) ;;
	*)
		if [ "$mem_kb" -gt "$limit_kb" ]; then
			fail "$1: peak RSS $((mem_kb / 1024)) MiB exceeds $((limit_kb / 1024)) MiB (input $size bytes)"
		fi
		;;
	esac
	return "$dead"
}

# check NAME RECORDED FILE [open] [nobody]
#   RECORDED is what httpd 2.4.71 (Debian) said: accept, reject, or crash
#   (httpd itself dies; mpmlint may then say either, but must not die).
#   A rejection carries httpd's place, recorded from "apache2 -t":
#   reject:FILE:LINE[,FILE:LINE...] for "Syntax error on line LINE of
#   FILE" (every level of a nested Include error, relative to the case
#   directory), reject:AH00534 for "No MPM loaded" (no line), plain
#   reject for a main file httpd cannot open (with "open").
#   With apache2 installed its live verdict and places are used instead
#   (a note says when they differ from the recorded ones).  mpmlint's
#   first error must be at one of httpd's places, not just anywhere.
#   open: FILE itself cannot be read, so both tools must exit 2.
#   nobody: run every program as an unprivileged user.
check() {
	recorded=$2
	file=$3
	shift 3
	open=0
	as=""
	for fl in "$@"; do
		case $fl in
		open) open=1 ;;
		nobody) as=$SETPRIV ;;
		esac
	done
	bad=0
	size=$(find "$D" -type f -exec cat {} + 2>/dev/null | wc -c)
	limit_kb=$((size * MEM_FACTOR / 1024))
	[ "$limit_kb" -lt $((MEM_FLOOR_MB * 1024)) ] &&
	    limit_kb=$((MEM_FLOOR_MB * 1024))

	expect=${recorded%%:*}
	where=""
	case $recorded in
	reject:*) where=${recorded#reject:} ;;
	esac
	if [ -n "$APACHE2" ]; then
		timeout -k 5 "$TIMEOUT" $as "$APACHE2" -t -f "$file" -d "$D" \
		    >"$R/httpd" 2>&1
		hrc=$?
		case $hrc in
		0) expect=accept ;;
		1) expect=reject ;;
		*) expect=crash ;;
		esac
		live=""
		if [ "$expect" = reject ]; then
			live=$(httpd_places <"$R/httpd")
		fi
		if [ "$expect" != "${recorded%%:*}" ] || [ "$live" != "$where" ]; then
			echo "note: $name: apache2 -t exit $hrc ($expect${live:+:$live}), recorded $recorded"
		fi
		where=$live
	fi

	run "$as" "$B/mpmlint" "$file"
	sane mpmlint || expect=dead
	lrc=$rc
	errline=$(grep -Ei -m 1 ':[0-9]+:[0-9]+: (error|fatal):' "$R/out")
	# mpmlint's first error as FILE:LINE relative to the case directory:
	# httpd stops at its first error, so that is the one to compare
	lplaces=$(sed -n 's/^\(.*\):\([0-9][0-9]*\):[0-9][0-9]*: \(error\|fatal\):.*/\1:\2/p' \
	    "$R/out" | sed "s|^$D/||; s|^\./||" | head -n 1)
	case $expect in
	reject)
		if [ "$open" = 1 ]; then
			if [ "$lrc" -ne 2 ]; then
				fail "mpmlint: exit $lrc for an unreadable main file, expected 2"
			elif [ ! -s "$R/out" ] && [ ! -s "$R/err" ]; then
				fail "mpmlint: exit 2 without a message"
			fi
		elif [ -z "$errline" ]; then
			fail "mpmlint: exit $lrc without a located error, but httpd rejects this input"
		elif [ "$where" = AH00534 ]; then
			grep -q ': error: No MPM loaded' "$R/out" ||
			    fail "mpmlint: no \"No MPM loaded\" error (httpd: AH00534)"
		elif [ -n "$where" ] && ! printf '%s\n' "$where" | tr ',' '\n' |
		    grep -qxF "$lplaces"; then
			fail "mpmlint: its first error is at $lplaces, httpd's at $where"
		else
			# 2 is allowed too: an included file could not be read.
			case $lrc in
			1 | 2) ;;
			*) fail "mpmlint: exit $lrc after an error, expected 1" ;;
			esac
		fi
		;;
	accept)
		[ -z "$errline" ] ||
		    fail "mpmlint: httpd accepts this input, mpmlint says: $(printf '%s' "$errline" | cut -c1-200)"
		case $lrc in
		0 | 1) ;;
		*) fail "mpmlint: exit $lrc, expected 0 or 1" ;;
		esac
		;;
	crash)
		case $lrc in
		0 | 1) ;;
		*) fail "mpmlint: exit $lrc, expected 0 or 1 (a verdict)" ;;
		esac
		;;
	esac

	run "$as" "$B/mpmconv" "$file"
	if ! sane mpmconv; then
		:
	elif [ "$open" = 1 ]; then
		[ "$rc" -eq 2 ] ||
		    fail "mpmconv: exit $rc for an unreadable main file, expected 2"
	elif [ "$rc" -ne 0 ]; then
		fail "mpmconv: exit $rc, expected 0"
	elif ! cmp -s "$R/out" "$file"; then
		fail "mpmconv: output ($(wc -c <"$R/out") bytes) is not the input ($(wc -c <"$file") bytes): $(cmp - "$file" <"$R/out" 2>&1 | head -n 1)"
	fi

	if [ "$bad" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

# httpd_places < OUTPUT: the places of "apache2 -t"'s error as recorded
# above: FILE:LINE for every "Syntax error on line LINE of FILE:" (paths
# relative to $D, sorted, comma-separated), or AH00534.
httpd_places() {
	o=$(cat)
	case $o in
	*AH00534:*) echo AH00534; return ;;
	esac
	printf '%s\n' "$o" | grep -o 'on line [0-9]* of [^:]*:' |
	    sed "s/^on line \([0-9]*\) of \(.*\):\$/\2:\1/; s|^$D/||" |
	    sort -u | tr '\n' ',' | sed 's/,$//'
}

# --- binary input ------------------------------------------------------
# 64 KiB from a fixed-seed LCG, after a valid preamble so that httpd gets
# as far as the bytes.  69069x+1 mod 2^32 stays exact in awk's doubles.
newcase binary-random
{
	hdr "$D"
	awk 'BEGIN { x = 20241126
		for (i = 0; i < 65536; i++) {
			x = (x * 69069 + 1) % 4294967296
			printf "%c", int(x / 16777216)
		} }'
} >"$D/main.conf"
check binary-random reject:main.conf:7 "$D/main.conf"

# A real executable as the whole configuration, with no preamble.
newcase binary-elf
if [ -f /bin/true ]; then
	cp /bin/true "$D/main.conf"
	chmod 644 "$D/main.conf"
	check binary-elf reject:AH00534 "$D/main.conf"
else
	echo "skipped: binary-elf (/bin/true not found)"
fi

# --- a 10 MB line (httpd's limit is 16 MiB) ----------------------------
newcase long-line
{
	hdr "$D"
	printf 'ServerAdmin '
	dd if=/dev/zero bs=1000000 count=10 2>/dev/null | tr '\0' a
	echo
} >"$D/main.conf"
check long-line accept "$D/main.conf"

# --- 100,000-deep nesting ----------------------------------------------
newcase nest-directory
{
	hdr "$D"
	awk 'BEGIN { for (i = 0; i < 100000; i++) print "<Directory /x>"
		for (i = 0; i < 100000; i++) print "</Directory>" }'
} >"$D/main.conf"
check nest-directory reject:main.conf:8 "$D/main.conf"

newcase nest-ifmodule
{
	hdr "$D"
	awk 'BEGIN { for (i = 0; i < 100000; i++) print "<IfModule !foo_module>"
		for (i = 0; i < 100000; i++) print "</IfModule>" }'
} >"$D/main.conf"
check nest-ifmodule crash "$D/main.conf"

# false guards: httpd skips each level by recursion and crashes too
newcase nest-ifmodule-false
{
	hdr "$D"
	awk 'BEGIN { for (i = 0; i < 100000; i++) print "<IfModule foo_module>"
		for (i = 0; i < 100000; i++) print "</IfModule>" }'
} >"$D/main.conf"
check nest-ifmodule-false crash "$D/main.conf"

# --- Include cycle -----------------------------------------------------
newcase include-cycle
{
	hdr "$D"
	echo 'Include b.conf'
} >"$D/a.conf"
echo 'Include a.conf' >"$D/b.conf"
check include-cycle reject:a.conf:7,b.conf:1 "$D/a.conf"

# --- a glob matching 10,000 files --------------------------------------
newcase glob-10000
mkdir "$D/conf.d"
(cd "$D" && awk 'BEGIN { for (i = 0; i < 10000; i++) {
	f = sprintf("conf.d/%05d.conf", i)
	print "Define file_" i >f
	close(f) } }')
{
	hdr "$D"
	echo 'Include conf.d/*.conf'
} >"$D/main.conf"
check glob-10000 accept "$D/main.conf"

# --- unreadable files --------------------------------------------------
if [ "$UNREADABLE" = yes ]; then
	newcase unreadable-main
	hdr "$D" >"$D/main.conf"
	chmod 000 "$D/main.conf"
	check unreadable-main reject "$D/main.conf" open nobody

	# The included file sits in a directory nobody may enter.
	newcase unreadable-include
	mkdir "$D/locked"
	echo 'ServerAdmin admin@example.com' >"$D/locked/inc.conf"
	{
		hdr "$D"
		echo 'Include locked/inc.conf'
	} >"$D/main.conf"
	chmod 000 "$D/locked"
	check unreadable-include reject:main.conf:7 "$D/main.conf" nobody
else
	echo "skipped: unreadable-main, unreadable-include ($UNREADABLE)"
fi

# --- a directory named as the configuration ----------------------------
newcase directory-main
mkdir "$D/main.conf"
check directory-main reject "$D/main.conf" open

# --- symlink loop ------------------------------------------------------
newcase symlink-loop-main
ln -s loop "$D/loop"
check symlink-loop-main reject "$D/loop" open

newcase symlink-loop-include
ln -s loop "$D/loop"
{
	hdr "$D"
	echo 'Include loop'
} >"$D/main.conf"
check symlink-loop-include reject:main.conf:7 "$D/main.conf"

# httpd 2.4.71 treats the looping name like a missing file here.
newcase symlink-loop-includeoptional
ln -s loop "$D/loop"
{
	hdr "$D"
	echo 'IncludeOptional loop'
} >"$D/main.conf"
check symlink-loop-includeoptional accept "$D/main.conf"

# --- /dev/zero: AH00554 "not a regular file", for both forms -----------
newcase devzero-include
{
	hdr "$D"
	echo 'Include /dev/zero'
} >"$D/main.conf"
check devzero-include reject:main.conf:7 "$D/main.conf"

newcase devzero-includeoptional
{
	hdr "$D"
	echo 'IncludeOptional /dev/zero'
} >"$D/main.conf"
check devzero-includeoptional reject:main.conf:7 "$D/main.conf"

# --- NUL bytes: httpd's reader ends each line at its first NUL ---------
# So the words after a NUL vanish (accepted) ...
newcase nul-truncates
{
	hdr "$D"
	printf 'ServerAdmin admin@example.com\000 trailing words\n'
	printf '\000Bogus directive after a NUL\n'
} >"$D/main.conf"
check nul-truncates accept "$D/main.conf"

# ... and an argument after a NUL is lost ("takes one argument").
newcase nul-drops-argument
{
	hdr "$D"
	printf 'ServerAdmin\000 admin@example.com\n'
} >"$D/main.conf"
check nul-drops-argument reject:main.conf:7 "$D/main.conf"

# --- an unterminated quote runs to the end of the line: no error -------
newcase unterminated-quote
echo '# read through an unterminated quote' >"$D/open quote.conf"
{
	hdr "$D"
	echo "Include \"$D/open quote.conf"
} >"$D/main.conf"
check unterminated-quote accept "$D/main.conf"

echo "badinput: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
