#!/bin/sh
# run.sh - `make bench`: parse throughput of mpmconv (and mpmlint) beside
# `apache2 -t` on generated configurations of about 20k, 45k and 90k lines.
# A benchmark, not a test: it exits non-zero only when something fails to
# run, and merely reports whether the 20x target was met.
#
# Environment:
#   B          build directory (default: build)
#   PARSE_CMD  parse command, file appended (default: "$B/mpmconv --no-includes")
#   LINT_CMD   lint command, file appended (default: "$B/mpmlint" if built)
#   SIZES      VirtualHost counts (default: "1000 2250 4500")
#   RUNS       timed runs per command (default: 15)
#   APACHE2    httpd binary (default: apache2)
#   TIMER      hyperfine (default when installed) or loop (date +%s%N)
#   KEEP=1     keep the generated files (the directory is printed)
# PARSE_CMD and LINT_CMD are split into words on purpose (SC2086).
# shellcheck disable=SC2086
set -u
LC_ALL=C
export LC_ALL

B=${B:-build}
SIZES=${SIZES:-"1000 2250 4500"}
RUNS=${RUNS:-15}
runs=$RUNS
APACHE2=${APACHE2:-apache2}
TARGET=20
here=$(cd "$(dirname "$0")" && pwd)

die() {
	echo "bench: $*" >&2
	exit 1
}

mkdir -p "$B/bench" || die "cannot create $B/bench"
B=$(cd "$B" && pwd)
out="$B/bench/results.txt"

PARSE_CMD=${PARSE_CMD:-"$B/mpmconv --no-includes"}
set -- $PARSE_CMD
command -v "$1" >/dev/null 2>&1 || die "parse command not found: $1 (build it, or set PARSE_CMD)"
if [ -z "${LINT_CMD+x}" ]; then
	LINT_CMD=""
	[ -x "$B/mpmlint" ] && LINT_CMD="$B/mpmlint"
fi
command -v "$APACHE2" >/dev/null 2>&1 || die "$APACHE2 not found (sh scripts/deps.sh)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
timer=${TIMER:-}
if [ -z "$timer" ] && command -v hyperfine >/dev/null 2>&1; then
	timer=hyperfine
elif [ "$timer" != hyperfine ]; then
	timer=loop
	date +%s%N | grep -q '^[0-9]*$' || die "no hyperfine and date +%s%N unsupported"
fi

${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$B/bench/genconf" "$here/genconf.c" ||
	die "cannot build genconf"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mpmbench.XXXXXX") || die "mktemp failed"
if [ "${KEEP:-0}" = 1 ]; then
	echo "bench: keeping generated files in $tmp" >&2
else
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM
fi

# median_ms LABEL IGNORE_RC CMD...: print the median wall time in ms.
median_ms() {
	label=$1 ign=$2
	shift 2
	if [ "$timer" = hyperfine ]; then
		# -N: no intermediate shell, so startup cost is the tool's own.
		hflags="-N --style none --warmup 2 --runs $runs"
		[ "$ign" = 1 ] && hflags="$hflags -i"
		# shellcheck disable=SC2086
		hyperfine $hflags --export-json "$tmp/$label.json" \
			"$*" >/dev/null 2>"$tmp/$label.err" ||
			{ cat "$tmp/$label.err" >&2; return 1; }
		sed -n 's/^ *"median": *\([0-9.eE+-]*\),*$/\1/p' "$tmp/$label.json" |
			head -n 1 | awk '{ printf "%.3f\n", $1 * 1000 }'
	else
		i=0
		: >"$tmp/$label.t"
		while [ "$i" -lt "$runs" ]; do
			t0=$(date +%s%N)
			"$@" >/dev/null 2>&1
			rc=$?
			t1=$(date +%s%N)
			[ "$ign" = 1 ] || [ "$rc" = 0 ] || return 1
			[ "$rc" -lt 126 ] || return 1
			echo $((t1 - t0)) >>"$tmp/$label.t"
			i=$((i + 1))
		done
		sort -n "$tmp/$label.t" | awk '{ v[NR] = $1 }
		    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			  printf "%.3f\n", m / 1e6 }'
	fi
}

# peak_kib IGNORE_RC CMD...: print the peak RSS in KiB.
peak_kib() {
	ign=$1
	shift
	/usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/rss.err"
	rc=$?
	if [ "$rc" != 0 ]; then
		if [ "$ign" != 1 ] || [ "$rc" -ge 126 ]; then
			cat "$tmp/rss.err" >&2
			return 1
		fi
	fi
	tail -n 1 "$tmp/rss"
}

# One row per tool and size; fields: n lines bytes tool ms kib rc.
rows="$tmp/rows"
: >"$rows"
for n in $SIZES; do
	d="$tmp/n$n"
	f="$d/httpd.conf"
	"$B/bench/genconf" "$n" "$d" || die "genconf $n failed"
	lines=$(wc -l <"$f" | tr -d ' ')
	bytes=$(wc -c <"$f" | tr -d ' ')
	echo "bench: $n vhosts, $lines lines, $bytes bytes" >&2

	if ! chk=$("$APACHE2" -t -f "$f" -d "$d" 2>&1) ||
		! printf '%s\n' "$chk" | grep -q '^Syntax OK$'; then
		printf '%s\n' "$chk" >&2
		die "$APACHE2 -t rejects the generated $f (KEEP=1 to inspect)"
	fi

	ms=$(median_ms "parse$n" 0 $PARSE_CMD "$f") || die "timing failed: $PARSE_CMD $f"
	kib=$(peak_kib 0 $PARSE_CMD "$f") || die "failed: $PARSE_CMD $f"
	echo "$n $lines $bytes parse $ms $kib 0" >>"$rows"

	if [ -n "$LINT_CMD" ]; then
		# mpmlint exits non-zero when it has findings; only a crash or a
		# missing binary (status >= 126) counts as a failure.
		$LINT_CMD "$f" >/dev/null 2>&1
		lrc=$?
		[ "$lrc" -lt 126 ] || die "$LINT_CMD $f: exit status $lrc"
		ms=$(median_ms "lint$n" 1 $LINT_CMD "$f") || die "timing failed: $LINT_CMD $f"
		kib=$(peak_kib 1 $LINT_CMD "$f") || die "failed: $LINT_CMD $f"
		echo "$n $lines $bytes lint $ms $kib $lrc" >>"$rows"
	fi

	ms=$(median_ms "apache$n" 0 "$APACHE2" -t -f "$f" -d "$d") ||
		die "timing failed: $APACHE2 -t -f $f"
	kib=$(peak_kib 0 "$APACHE2" -t -f "$f" -d "$d") || die "failed: $APACHE2 -t"
	echo "$n $lines $bytes apache2 $ms $kib 0" >>"$rows"
done

{
	echo "mpmlint parser benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "host: $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cpus;" \
		"timer: $timer; $RUNS runs, median wall time"
	echo "parse: $PARSE_CMD FILE >/dev/null"
	[ -n "$LINT_CMD" ] && echo "lint:  $LINT_CMD FILE >/dev/null"
	echo "ref:   $APACHE2 -t -f FILE -d DIR  ($("$APACHE2" -v 2>/dev/null | sed -n 's/^Server version: //p'))"
	echo
	awk -v target="$TARGET" '
	{
		n[NR] = $1; l[NR] = $2; b[NR] = $3; tool[NR] = $4
		ms[NR] = $5; kib[NR] = $6; rc[NR] = $7
		if ($4 == "apache2") { ams[$1] = $5 }
		if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1; lines[$1] = $2 }
		t[$1, $4] = $5
	}
	END {
		printf "%6s %7s %8s  %-7s %9s %11s %8s %9s %8s\n", "vhosts", "lines",
		    "bytes", "tool", "median", "lines/s", "MB/s", "peakRSS", "apache2/"
		printf "%6s %7s %8s  %-7s %9s %11s %8s %9s %8s\n", "", "", "", "",
		    "ms", "", "", "KiB", "tool"
		for (i = 1; i <= NR; i++) {
			s = ms[i] / 1000
			lps = s > 0 ? l[i] / s : 0
			mbs = s > 0 ? b[i] / 1e6 / s : 0
			ratio = (tool[i] != "apache2" && ms[i] > 0) ? \
			    sprintf("%.1fx", ams[n[i]] / ms[i]) : "-"
			name = tool[i] (rc[i] != 0 ? "*" : "")
			printf "%6d %7d %8d  %-7s %9.2f %11.0f %8.1f %9d %8s\n",
			    n[i], l[i], b[i], name, ms[i], lps, mbs, kib[i], ratio
		}
		print ""
		lo = order[1]; hi = order[ns]
		if (ns >= 2) {
			printf "linearity: time per line at %d lines / at %d lines" \
			    " (1.00 = linear; fixed startup cost pushes it below 1)\n",
			    lines[hi], lines[lo]
			split("parse lint apache2", tools, " ")
			for (k = 1; k <= 3; k++) {
				tl = tools[k]
				if (!((lo, tl) in t) || !((hi, tl) in t) || t[lo, tl] <= 0) { continue }
				printf "  %-8s %.2f  (%.0f ns/line vs %.0f ns/line)", tl,
				    (t[hi, tl] / lines[hi]) / (t[lo, tl] / lines[lo]),
				    t[hi, tl] * 1e6 / lines[hi], t[lo, tl] * 1e6 / lines[lo]
				# Marginal cost per line of the upper step over the lower
				# step: startup cancels out; well above 1 means superlinear.
				if (ns >= 3) {
					mid = order[ns - 1]
					s1 = (t[mid, tl] - t[lo, tl]) / (lines[mid] - lines[lo])
					s2 = (t[hi, tl] - t[mid, tl]) / (lines[hi] - lines[mid])
					if (s1 > 0) {
						printf "; marginal %.2f", s2 / s1
					} else {
						printf "; marginal n/a (below timer noise)"
					}
				}
				printf "\n"
			}
		}
		r = t[hi, "parse"] > 0 ? t[hi, "apache2"] / t[hi, "parse"] : 0
		printf "target: parse >= %dx faster than apache2 -t at %d lines:" \
		    " %.1fx, %s\n", target, lines[hi], r, (r >= target ? "MET" : "NOT MET")
	}' "$rows" || die "report failed"
	if grep -q ' lint [^ ]* [^ ]* [1-9]' "$rows"; then
		echo "(* mpmlint exited non-zero: it reported findings)"
	fi
} >"$out.tmp" || die "cannot write $out.tmp"
mv "$out.tmp" "$out" || die "cannot write $out"
cat "$out"
echo "bench: results in $out" >&2
exit 0
