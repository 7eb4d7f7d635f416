#!/bin/sh
# run.sh - `make bench`: the whole tools beside `apache2 -t` on generated
# configurations of about 22k, 87k and 350k lines (bench/genconf.c).
# For each size it runs, interleaved (bench/driver.c: one run of each in
# turn, so that every command meets the same load), RUNS times:
#   lint  $B/mpmlint --mpm event FILE
#   conv  $B/mpmconv --to worker -o /dev/null FILE
#   yaml  $B/mpmconv --export yaml FILE  (>/dev/null)
#   apache2 -t -f FILE -d DIR
# and reports the median CPU time (user + system) and wall time, the peak
# RSS, and the ratios to apache2 -t.  Targets (issue 12), marked FAIL
# when missed: lint and conv >= 30x apache2's CPU; lint's peak RSS <= 4x
# the input; CPU growing at most 4.4x from 22k to 87k lines (1.12x the
# line ratio between any two sizes).
# A benchmark, not a test: it exits non-zero only when something fails
# to run; CI does not run it.
#
# Environment:
#   B        build directory (default: build)
#   BASE     another build directory (e.g. main's) timed in the same
#            rounds: rows lint@base, conv@base, yaml@base
#   SIZES    VirtualHost counts (default: "1100 4350 17500")
#   RUNS     timed runs per command (default: 9)
#   APACHE2  httpd binary (default: apache2)
#   KEEP=1   keep the generated files (the directory is printed)
set -u
LC_ALL=C
export LC_ALL

B=${B:-build}
BASE=${BASE:-}
SIZES=${SIZES:-"1100 4350 17500"}
RUNS=${RUNS:-9}
APACHE2=${APACHE2:-apache2}
here=$(cd "$(dirname "$0")" && pwd)

die() {
	echo "bench: $*" >&2
	exit 1
}

mkdir -p "$B/bench" || die "cannot create $B/bench"
B=$(cd "$B" && pwd)
out="$B/bench/results.txt"
for p in mpmlint mpmconv; do
	[ -x "$B/$p" ] || die "$B/$p not built (make)"
	[ -z "$BASE" ] || [ -x "$BASE/$p" ] || die "$BASE/$p not built"
done
[ -z "$BASE" ] || BASE=$(cd "$BASE" && pwd)
command -v "$APACHE2" >/dev/null 2>&1 || die "$APACHE2 not found (sh scripts/deps.sh)"

${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$B/bench/genconf" "$here/genconf.c" ||
	die "cannot build genconf"
${CC:-cc} -std=c11 -O2 -Wall -Wextra -D_GNU_SOURCE -o "$B/bench/driver" \
    "$here/driver.c" || die "cannot build driver"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mpmbench.XXXXXX") || die "mktemp failed"
if [ "${KEEP:-0}" = 1 ]; then
	echo "bench: keeping generated files in $tmp" >&2
else
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM
fi

# One row per size and command: n lines bytes label cpu_ms wall_ms kib rc
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
	set -- "lint $B/mpmlint --mpm event $f" \
	    "conv $B/mpmconv --to worker -o /dev/null $f" \
	    "yaml $B/mpmconv --export yaml $f"
	if [ -n "$BASE" ]; then
		set -- "$@" "lint@base $BASE/mpmlint --mpm event $f" \
		    "conv@base $BASE/mpmconv --to worker -o /dev/null $f" \
		    "yaml@base $BASE/mpmconv --export yaml $f"
	fi
	"$B/bench/driver" "$RUNS" "$@" "apache2 $APACHE2 -t -f $f -d $d" \
	    >"$tmp/drv" || die "a command failed at $n vhosts"
	sed "s|^|$n $lines $bytes |" "$tmp/drv" >>"$rows"
done

{
	echo "mpmlint benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "host: $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cpus," \
		"load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?');" \
		"$RUNS interleaved runs each, medians"
	echo "lint: mpmlint --mpm event FILE; conv: mpmconv --to worker -o /dev/null FILE;"
	echo "yaml: mpmconv --export yaml FILE; apache2: $APACHE2 -t -f FILE -d DIR" \
		"($("$APACHE2" -v 2>/dev/null | sed -n 's/^Server version: //p'))"
	[ -n "$BASE" ] && echo "@base: the same commands from $BASE"
	echo
	awk '
	{
		n = $1; tl = $4
		if (!(n in seen)) { seen[n] = 1; order[++ns] = n; lines[n] = $2; bytes[n] = $3 }
		cpu[n, tl] = $5; wall[n, tl] = $6; kib[n, tl] = $7; rc[n, tl] = $8
		if (!(tl in tseen)) { tseen[tl] = 1; tools[++nt] = tl }
	}
	function ratio(a, b) { return b > 0 ? a / b : 0 }
	END {
		fails = 0
		printf "%7s %9s  %-10s %8s %8s %8s %6s %7s %7s\n", "lines", "bytes",
		    "command", "CPU ms", "wall ms", "RSS KiB", "RSS/in", "CPU x", "wall x"
		for (i = 1; i <= ns; i++) {
			n = order[i]
			for (k = 1; k <= nt; k++) {
				tl = tools[k]
				if (!((n, tl) in cpu)) { continue }
				rin = kib[n, tl] * 1024 / bytes[n]
				if (tl == "apache2") {
					cx = "-"; wx = "-"
				} else {
					cx = sprintf("%.1f", ratio(cpu[n, "apache2"], cpu[n, tl]))
					wx = sprintf("%.1f", ratio(wall[n, "apache2"], wall[n, tl]))
				}
				mark = ""
				if (tl == "lint" || tl == "conv") {
					if (ratio(cpu[n, "apache2"], cpu[n, tl]) < 30) {
						mark = mark " FAIL(CPU<30x)"; fails++
					}
				}
				if (tl == "lint" && rin > 4) {
					mark = mark " FAIL(RSS>4x)"; fails++
				}
				printf "%7d %9d  %-10s %8.1f %8.1f %8d %6.1f %7s %7s%s\n",
				    lines[n], bytes[n], tl (rc[n, tl] != 0 ? "*" : ""),
				    cpu[n, tl], wall[n, tl], kib[n, tl], rin, cx, wx, mark
			}
		}
		if (ns >= 2) {
			print ""
			print "linearity: CPU at the larger size / CPU at the smaller" \
			    " (limit 1.12x the line ratio: 4.4x from 22k to 87k lines)"
			for (i = 2; i <= ns; i++) {
				a = order[i - 1]; b = order[i]
				lr = lines[b] / lines[a]
				printf "  %d -> %d lines (x%.2f):", lines[a], lines[b], lr
				for (k = 1; k <= nt; k++) {
					tl = tools[k]
					if (!((a, tl) in cpu) || cpu[a, tl] <= 0) { continue }
					r = cpu[b, tl] / cpu[a, tl]
					mark = ""
					if ((tl == "lint" || tl == "conv" || tl == "yaml") && r > 1.12 * lr) {
						mark = " FAIL"; fails++
					}
					printf "  %s %.2fx%s", tl, r, mark
				}
				printf "\n"
			}
		}
		print ""
		print "CPU x, wall x: apache2 -t time / the command'"'"'s; RSS/in: peak RSS / input bytes;"
		print "* exit status 1 (mpmlint: findings), not a failure"
		printf "targets (lint, conv >= 30x apache2 -t CPU; lint RSS <= 4x input; linear): %s\n",
		    fails ? fails " FAIL" : "all met"
	}' "$rows" || die "report failed"
} >"$out.tmp" || die "cannot write $out.tmp"
mv "$out.tmp" "$out" || die "cannot write $out"
cat "$out"
echo "bench: results in $out" >&2
exit 0
