#!/bin/sh
# conv/tune.sh - mpmconv --tune against mpmlint's own memory verdict
# (issue 14).
#
# For prefork, worker and event (Debian's stock settings), several RAM
# sizes and process/thread sizes, on the file's own MPM and with --to:
#   - right after --tune, "mpmlint --ram SIZE" with the same sizes
#     reports no MPM042 or MPM043 (it reports MPM044, the headroom);
#   - one more step of capacity (ThreadsPerChild workers, one process for
#     prefork, ServerLimit raised to hold it) crosses the threshold:
#     mpmlint then reports MPM043 or MPM042;
#   - the tuned values are the ones httpd runs with: mpmlint reports no
#     start-up adjustment, its capacity is the MaxRequestWorkers written,
#     the spare pool is below it, and real apache2 -t is clean;
#   - --explain shows the memory arithmetic line by line;
#   - a RAM that cannot hold one child: exit 1, nothing written;
#   - -i, --diff, --profile and --measure (a fake /proc: the largest
#     child) behave as documented in mpmconv(1);
#   - Debian's stock event settings to prefork and back keep spare pools
#     below MaxRequestWorkers and give the file back.
# Last line: "conv-tune: N passed, M failed".
LC_ALL=C
export LC_ALL
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
M=$B/mpmconv L=$B/mpmlint
lib_need conv-tune "$M"
lib_need conv-tune "$L"
lib_tmpdir conv-tune

MODS=/usr/lib/apache2/modules
HTTPD=${APACHE2:-$(command -v apache2 || ls /usr/sbin/apache2 2>/dev/null)}

stock() { # MPM: Debian's mods-available/mpm_MPM.conf, loaded
	printf 'LoadModule mpm_%s_module %s/mod_mpm_%s.so\n' "$1" "$MODS" "$1"
	printf '<IfModule mpm_%s_module>\n' "$1"
	if [ "$1" = prefork ]; then
		printf '\tStartServers\t\t 5\n\tMinSpareServers\t\t 5\n'
		printf '\tMaxSpareServers\t\t10\n\tMaxRequestWorkers\t150\n'
	else
		printf '\tStartServers\t\t 2\n\tMinSpareThreads\t\t 25\n'
		printf '\tMaxSpareThreads\t\t 75\n\tThreadLimit\t\t 64\n'
		printf '\tThreadsPerChild\t\t 25\n\tMaxRequestWorkers\t150\n'
	fi
	printf '\tMaxConnectionsPerChild   0\n</IfModule>\n'
}
for m in prefork worker event; do
	stock $m >"$m.conf"
done

# verdict FILE RAM SIZES...: "MPM rules; KEY=VALUE ..." from mpmlint's JSON
verdict() {
	f=$1 r=$2
	shift 2
	"$L" --no-config --fail-on never --ram "$r" "$@" -f json "$f" |
	    python3 -c '
import json, sys
d = json.load(sys.stdin)
e = d["effective"]
ids = sorted(set(f["rule"] for f in d["findings"]))
print(" ".join(ids) + ";", " ".join("%s=%s" % (k, e[k]) for k in
    ("mpm", "ServerLimit", "ThreadsPerChild", "MaxRequestWorkers",
     "processes", "StartServers", "MinSpareThreads", "MaxSpareThreads",
     "MinSpareServers", "MaxSpareServers") if k in e))'
}
val() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# apache_t FILE: real apache2 -t accepts it without an AH message
apache_t() {
	[ -n "$HTTPD" ] || return 0
	{
		printf 'ServerRoot "%s"\nServerName localhost\n' "$T"
		printf 'ErrorLog "%s/error.log"\nPidFile "%s/httpd.pid"\n' "$T" "$T"
		printf 'Listen 127.0.0.1:18095\n'
		cat "$1"
	} >"$1.httpd"
	"$HTTPD" -t -f "$T/$1.httpd" >"$1.t" 2>&1 && ! grep -q 'AH[0-9]' "$1.t"
}

ncase=0 nhttpd=0
# tune_case SRC TO RAM SIZES...: the invariants of one run
tune_case() {
	src=$1 to=$2 ram=$3
	shift 3
	name="$src -> ${to:-same} --ram $ram $TPC $*"
	ncase=$((ncase + 1))
	out=case$ncase.conf
	if [ -n "$to" ]; then set -- --to "$to" "$@"; fi
	# shellcheck disable=SC2086 # $TPC: an option and its value, or none
	if ! "$M" --tune --ram "$ram" $TPC "$@" "$src.conf" >"$out" 2>"$out.err"; then
		bad "$name: exit status"
		sed 's/^/  /' "$out.err" | head -3
		return
	fi
	[ -n "$to" ] && shift 2
	v=$(verdict "$out" "$ram" "$@")
	case "$v" in
	*MPM042* | *MPM043*) bad "$name: mpmlint still reports memory: $v" ;;
	*MPM044*) ok ;;
	*) bad "$name: no MPM044: $v" ;;
	esac
	case "$v" in # start-up adjustments httpd would make
	*MPM00[3-9]* | *MPM01[0134-7]* | *MPM02[349]*) bad "$name: httpd adjusts: $v" ;;
	*) ok ;;
	esac
	mpm=$(val "$v" mpm) mrw=$(val "$v" MaxRequestWorkers)
	p=$(val "$v" processes) sl=$(val "$v" ServerLimit)
	tpc=$(val "$v" ThreadsPerChild)
	written=$(sed -n 's/^[[:space:]]*MaxRequestWorkers[[:space:]]*\([0-9]*\).*/\1/p' "$out" | tail -1)
	check "$name: capacity $mrw is the MaxRequestWorkers written ($written)" \
	    test "$mrw" = "$written"
	if [ "$mpm" = prefork ]; then
		step=1 maxs=$(val "$v" MaxSpareServers)
	else
		step=$tpc maxs=$(val "$v" MaxSpareThreads)
	fi
	if [ "$p" -gt 2 ]; then
		check "$name: MaxSpare $maxs below MaxRequestWorkers $mrw" \
		    test "$maxs" -lt "$mrw"
	fi
	check "$name: StartServers within the $p processes" \
	    test "$(val "$v" StartServers)" -le "$p"
	# one more step: MaxRequestWorkers + step, ServerLimit to hold it
	nsl=$((p + 1))
	[ "$sl" -gt "$nsl" ] && nsl=$sl
	{
		cat "$out"
		printf 'ServerLimit %s\nMaxRequestWorkers %s\n' "$nsl" $((mrw + step))
	} >"$out.next"
	v2=$(verdict "$out.next" "$ram" "$@")
	check "$name: one step more ($((mrw + step))) crosses: $v2" \
	    test "$(val "$v2" MaxRequestWorkers)" = $((mrw + step))
	case "$v2" in
	*MPM042* | *MPM043*) ok ;;
	*) bad "$name: one step more stays within the threshold: $v2" ;;
	esac
	if apache_t "$out"; then nhttpd=$((nhttpd + 1)); else
		bad "$name: apache2 -t"
		sed 's/^/  /' "$out.t" | head -3
	fi
}

for m in prefork worker event; do
	for ram in 64M 128M 512M 2G 8G 64G; do
		tune_case $m "" $ram
		tune_case $m "" $ram --process-size 24M --thread-size 512K
	done
	tune_case $m "" 3G --process-size 48M --thread-size 2M
done
TPC="--threads-per-child 64" tune_case worker "" 4G
TPC="--threads-per-child 10" tune_case event "" 1G
TPC="--threads-per-child 50" tune_case prefork event 2G
TPC=
for c in prefork:event prefork:worker event:prefork worker:prefork \
    event:worker worker:event; do
	tune_case "${c%%:*}" "${c#*:}" 1G
	tune_case "${c%%:*}" "${c#*:}" 16G --process-size 32M --thread-size 768K
done
echo "conv-tune: $ncase tuned configurations checked"
if [ -n "$HTTPD" ]; then
	echo "conv-tune: apache2 -t on $nhttpd of them"
else
	echo "skipped: apache2 not installed (apache2 -t of the results)"
fi

# ---- real httpd runs the tuned values ----------------------------------
ORACLE=${ORACLE:-$ROOT/../shared/tools/httpd-oracle}
[ -x "$ORACLE" ] || ORACLE=$(command -v httpd-oracle)
if [ -z "$ORACLE" ]; then
	echo "skipped: httpd-oracle not found (tuned values run by httpd)"
else
	for c in prefork: worker: event: prefork:event event:prefork; do
		f=${c%%:*} to=${c#*:}
		"$M" --tune ${to:+--to $to} --ram 2G "$f.conf" >or.conf 2>/dev/null
		grep -v '^LoadModule' or.conf >or.frag
		"$ORACLE" --compact --settle 1 --timeout 30 "${to:-$f}" or.frag \
		    >or.json 2>/dev/null
		"$L" --no-config --fail-on never -f json or.conf >or.lint
		check "httpd runs what --tune wrote: $f ${to:+-> $to}" py or.json or.lint <<'EOF'
import json, sys
h = json.load(open(sys.argv[1]))["start"]["effective"]
m = json.load(open(sys.argv[2]))["effective"]
keys = [k for k in ("MaxRequestWorkers", "ServerLimit", "ThreadsPerChild",
    "MinSpareThreads", "MaxSpareThreads", "MinSpareServers",
    "MaxSpareServers") if k in h]
diff = [(k, h[k], m.get(k)) for k in keys if h[k] != m.get(k)]
assert "MaxRequestWorkers" in keys and not diff, (keys, diff)
EOF
	done
fi

# ---- --explain: the arithmetic, line by line ---------------------------
"$M" --tune --ram 2G --explain event.conf >x.out 2>x.err
for l in 'memory: RAM 2.00 GiB (2147483648 bytes) x 80% = 1.60 GiB (1717986918 bytes)' \
    'memory: one process = 16.0 MiB (process size, default estimate) + 25 x 1.0 MiB (thread size, default estimate) = 41.0 MiB' \
    'memory: processes = floor((1.60 GiB - 0 B reserved) / 41.0 MiB) = 39' \
    'memory: peak = 39 x 16.0 MiB + 975 x 1.0 MiB + 0 B = 1.56 GiB (1676673024 bytes), within 1.60 GiB' \
    'memory: one process more: 1.60 GiB (1719664640 bytes), above 1.60 GiB' \
    'MaxRequestWorkers             975  = processes x T = 39 x 25'; do
	check "--explain: $l" grep -qF "$l" x.err
done
# the peak in the ledger is mpmlint's peak
pk=$("$L" --no-config --fail-on never --ram 2G -f json x.out |
    sed -n 's/.*"peak": \([0-9]*\).*/\1/p')
check "--explain: the peak is mpmlint's ($pk)" grep -qF "($pk bytes), within" x.err

# the JSON report carries the same lines; a conversion's has none
"$M" --tune --ram 2G -f json event.conf >x.json 2>/dev/null
"$M" --to worker -f json event.conf >c.json 2>/dev/null
check "-f json: the memory lines of --explain" py x.json x.err c.json <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
want = [l.strip()[len("memory: "):] for l in open(sys.argv[2])
        if l.startswith("  memory: ")]
assert r["memory"] == want and len(want) == 5, (r.get("memory"), want)
assert r["after"]["MaxRequestWorkers"] == 975, r["after"]
assert "memory" not in json.load(open(sys.argv[3]))
EOF

# ---- not even one child -----------------------------------------------
cp event.conf small.conf
rc 1 "--ram 20M: refused" "$M" --tune --ram 20M small.conf
check "--ram 20M: says why" grep -qF 'not even one child fits' rc.err
check "--ram 20M: nothing on stdout" test ! -s rc.out
rc 1 "--ram 20M -i: refused" "$M" --tune --ram 20M -i small.conf
check "--ram 20M -i: file unchanged" cmp -s small.conf event.conf
check "--ram 20M -i: no backup" test ! -e small.conf.bak
rc 3 "--tune without --ram" "$M" --tune event.conf
rc 3 "--measure without --tune" "$M" --to worker --measure event.conf

# ---- -i and --diff write as conversions do ------------------------------
"$M" --tune --ram 2G event.conf >want.conf 2>/dev/null
cp event.conf ip.conf
rc 0 "-i" "$M" --tune --ram 2G -i ip.conf
check "-i: the tuned file" cmp -s ip.conf want.conf
check "-i: the original kept as .bak" cmp -s ip.conf.bak event.conf
cp event.conf d.conf
"$M" --tune --ram 2G --diff d.conf >d.diff 2>/dev/null
if command -v patch >/dev/null 2>&1; then
	check "--diff applies with patch" sh -c 'patch -s -p1 <d.diff'
	check "--diff: the tuned file" cmp -s d.conf want.conf
else
	echo "skipped: patch not installed (--diff applied)"
fi

# ---- --profile: the sizes and RAM of mpmlint.yaml(5) --------------------
printf 'process-size: 24M\nthread-size: 512K\nram: 3G\nthreshold: 70\n' >prof.yaml
rc 0 "--profile" "$M" --tune --profile prof.yaml worker.conf
cp rc.out prof.out
v=$("$L" --no-config --fail-on never --profile prof.yaml --ram 3G -f json prof.out |
    grep -o '"MPM04[234]"' | sort -u | tr -d '"\n')
check "--profile: mpmlint --profile finds MPM044 only ($v)" test "$v" = MPM044
printf 'ServerLimit 99\nMaxRequestWorkers %s\n' \
    $(($(sed -n 's/^[[:space:]]*MaxRequestWorkers[[:space:]]*\([0-9]*\).*/\1/p' prof.out) + 25)) >>prof.out
v=$("$L" --no-config --fail-on never --profile prof.yaml --ram 3G -f json prof.out |
    grep -o '"MPM04[234]"' | sort -u | tr -d '"\n')
check "--profile: one step more crosses the 70% threshold ($v)" test "$v" = MPM043

# ---- --measure: the largest child of a fake server ----------------------
F=$T/fake
mkdir -p "$F/proc/700"
printf '700 (apache2) S 1 700 700 0 -1 0\n' >"$F/proc/700/stat"
for c in 701 702 703; do
	mkdir -p "$F/proc/$c"
	printf '%s (apache2) S 700 700 700 0 -1 0\n' $c >"$F/proc/$c/stat"
	printf 'Rss:    90000 kB\nPss:    %s kB\n' $(((c - 700) * 10000)) >"$F/proc/$c/smaps_rollup"
done
printf 'MemTotal: 4194304 kB\n' >"$F/proc/meminfo"
MF="env MPMLINT_PROC_ROOT=$F/proc MPMLINT_SYS_ROOT=$F/sys"
rc 0 "--measure" $MF "$M" --tune --measure --ram 2G prefork.conf
cp rc.out meas.out
check "--measure: names the largest child" grep -qF \
    'the largest child of apache2 pid 700: pid 703, PSS 29.3 MiB (3 children measured, mean 19.5 MiB)' rc.err
v=$($MF "$L" --no-config --fail-on never --measure --ram 2G -f json meas.out |
    grep -o '"MPM04[234]"' | sort -u | tr -d '"\n')
check "--measure: mpmlint --measure finds MPM044 only ($v)" test "$v" = MPM044
$MF "$L" --no-config --fail-on never --measure --ram 2G meas.out >meas.txt
check "mpmlint --measure: the largest child, by pid" grep -qF \
    'PSS of the largest of 3 children, pid 703' meas.txt
n=$(sed -n 's/^[[:space:]]*MaxRequestWorkers[[:space:]]*\([0-9]*\).*/\1/p' meas.out)
# 2G x 80% / (30000 KiB + 1 MiB) = 1717986918 / 31768576: 54 processes
check "--measure: 54 processes of the largest child ($n)" test "$n" = 54

# ---- mpmlint: ServerLimit must be raised as well ------------------------
"$L" --no-config --fail-on never --ram 2G event.conf >sl.txt
check "MPM044 says ServerLimit must be raised" grep -qF \
    'MaxRequestWorkers could reach 975 within the 80% threshold; ServerLimit 16 holds only 400 workers: raise ServerLimit to 39 as well' sl.txt

# ---- Debian stock event -> prefork -> event -----------------------------
rc 0 "stock event -> prefork" "$M" --to prefork event.conf
cp rc.out ev-pre.conf
v=$(verdict ev-pre.conf 1T)
check "stock event -> prefork: spare servers 25/50 below 150 ($v)" \
    test "$(val "$v" MinSpareServers)/$(val "$v" MaxSpareServers)/$(val "$v" MaxRequestWorkers)" = 25/50/150
rc 0 "stock event -> prefork -> event" "$M" --to event ev-pre.conf
v=$(verdict rc.out 1T)
check "stock event round trip: spare threads 25/75 ($v)" \
    test "$(val "$v" MinSpareThreads)/$(val "$v" MaxSpareThreads)" = 25/75

lib_summary conv-tune
