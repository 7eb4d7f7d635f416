#!/bin/sh
# run.sh - the resource checks of mpmlint (issue 5) from the command line:
# the JSON/YAML "memory" and "capacity" contract, where the RAM comes from
# (option, profile, cgroup v1/v2, MemTotal on fake /proc and /sys trees),
# when the comparison runs, size precedence, --profile, --measure on a
# fake /proc, option and profile errors with their exit codes, saturation
# at the largest limits, suppression and baselines; then --measure against
# a real apache2 started on 127.0.0.1 (tests/resource/live.py), skipped
# when apache2 is absent.  B=build by default; python3 parses.
# The last line is "resource: N passed, M failed"; exit 1 on any failure.
# $SIZES, $FAKE, $MF and $a hold several words on purpose:
# shellcheck disable=SC2086
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
M=$B/mpmlint
lib_need resource "$M"
lib_tmpdir mpmlint-res
LC_ALL=C
export LC_ALL
unset MPMLINT_PROC_ROOT MPMLINT_SYS_ROOT

MOD=/usr/lib/apache2/modules
# limits FILE SERVER_LIMIT THREAD_LIMIT THREADS_PER_CHILD MAX_WORKERS
# MAX_SPARE_THREADS: an event configuration with those numbers
limits() {
	printf '%s\n' "LoadModule mpm_event_module $MOD/mod_mpm_event.so" \
	    "ServerLimit $2" "ThreadLimit $3" "ThreadsPerChild $4" \
	    "MaxRequestWorkers $5" "MaxSpareThreads $6" >"$1"
}
cat >event.conf <<EOF
LoadModule mpm_event_module $MOD/mod_mpm_event.so
ServerLimit 24
ThreadsPerChild 25
MaxRequestWorkers 500
EOF
SIZES="--process-size 64M --thread-size 4M"

# ---- the contract ------------------------------------------------------------
"$M" --no-config -f json event.conf >plain.json
check "json: capacity always, memory null unless asked" py plain.json <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))["effective"]
assert e["memory"] is None, e
c = e["capacity"]
assert c == {"connections": 1500, "scoreboard_bytes": 56 + 40 * 24 + 336 * 24 * 64,
             "connections_per_process": 75, "nofile": None}, c
EOF
rc 1 "--ram 3G: error exit" "$M" --no-config --ram 3G $SIZES -f json event.conf
cp rc.out err.json
check "json: memory members, bytes as integers" py err.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["effective"]["memory"]
want = ["ram", "ram_source", "reserve", "process_size", "thread_size", "peak",
        "max_safe_MaxRequestWorkers"]
assert list(m)[:7] == want, list(m)
for k in want:
    if k != "ram_source":
        assert type(m[k]) is int and m[k] >= 0, (k, m[k])
assert m["ram"] == 3 << 30 and m["ram_source"] == "option", m
assert m["process_size"] == 64 << 20 and m["thread_size"] == 4 << 20
assert m["peak"] == 20 * (64 << 20) + 500 * (4 << 20) + m["reserve"]
assert m["max_safe_MaxRequestWorkers"] == 450, m
assert m["process_size_source"] == m["thread_size_source"] == "option"
assert m["measured"] is None and m["threshold"] == 80
f = [f for f in d["findings"] if f["rule"] == "MPM042"]
assert len(f) == 1 and f[0]["severity"] == "error", d["findings"]
assert "largest safe MaxRequestWorkers is 450" in f[0]["message"]
assert (f[0]["line"], f[0]["column"]) == (4, 19), f[0]
EOF
rc 1 "warning above 80%" "$M" --no-config --ram 4G $SIZES event.conf
check "warning: MPM043" has rc.out ': warning: peak memory 3\.20 GiB is 80\.1% .*\[MPM043\]$'
rc 0 "info below the threshold" "$M" --no-config --ram 8G $SIZES event.conf
check "info: MPM044 with headroom" has rc.out 'info: .* 4\.80 GiB of headroom.*\[MPM044\]$'
rc 1 "--fail-on info fails on MPM044" "$M" --no-config --fail-on info \
    --ram 8G $SIZES event.conf
rc 0 "--mem-threshold 90 turns the warning into info" "$M" --no-config \
    --ram 4G $SIZES --mem-threshold 90 event.conf
check "--mem-threshold 90: MPM044" has rc.out '\[MPM044\]$'
rc 1 "--reserve counts" "$M" --no-config --ram 8G $SIZES --reserve 5G event.conf
check "--reserve: 5.00 GiB reserved, MPM042" has rc.out '\+ 5\.00 GiB reserved.*\[MPM042\]$'

if python3 -c 'import yaml' 2>/dev/null; then
	"$M" --no-config --ram 3G $SIZES -f yaml event.conf >err.yaml
	check "yaml: the same data as json" py err.yaml err.json <<'EOF'
import json, sys, yaml
y = yaml.safe_load(open(sys.argv[1]))
j = json.load(open(sys.argv[2]))
assert y == j, (y["effective"], j["effective"])
EOF
else
	echo "skipped: python3-yaml not installed, YAML not parsed back"
fi

# ---- saturation at the largest limits ------------------------------------------
limits huge.conf 20000 100000 100000 2000000000 2000000000
rc 1 "ServerLimit 20000 x ThreadLimit 100000 x 1T threads" "$M" --no-config \
    --ram 1G --thread-size 1T -f json huge.conf
cp rc.out huge.json
check "saturated peak, no wrap" py huge.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
e = d["effective"]
m, c = e["memory"], e["capacity"]
assert e["MaxRequestWorkers"] == 2000000000, e
assert m["peak"] == 2**64 - 1, m["peak"]
assert m["max_safe_MaxRequestWorkers"] == 0, m
assert m["threads"] == 2000000000 and m["processes"] == 20000
assert c["scoreboard_bytes"] == 56 + 40 * 20000 + 336 * 20000 * 100000, c
assert c["connections"] == 3 * 2000000000, c
msg = [f["message"] for f in d["findings"] if f["rule"] == "MPM042"][0]
assert "peak memory over 16 EiB" in msg and "not even one process fits" in msg, msg
assert [f for f in d["findings"] if f["rule"] == "MPM046"], d["findings"]
EOF

# ---- where the RAM comes from ------------------------------------------------------
put fake/proc/meminfo "MemTotal:        8388608 kB"
put fake/proc/self/cgroup "0::/system.slice/apache2.service"
mkdir -p fake/sys/fs/cgroup
FAKE="env MPMLINT_PROC_ROOT=$T/fake/proc MPMLINT_SYS_ROOT=$T/fake/sys"
ramsrc() {
	$FAKE "$M" --no-config "$@" -f json event.conf >ram.json
	python3 -c 'import json,sys; m=json.load(open("ram.json"))["effective"]["memory"]; print(m and "%s %d" % (m["ram_source"], m["ram"]))'
}
check "MemTotal without a cgroup limit" test "$(ramsrc $SIZES)" = "meminfo 8589934592"
put fake/sys/fs/cgroup/system.slice/memory.max "2147483648"
put fake/sys/fs/cgroup/system.slice/apache2.service/memory.max "max"
check "cgroup v2 memory.max when lower" test "$(ramsrc $SIZES)" = "cgroup 2147483648"
put fake/sys/fs/cgroup/system.slice/memory.max "17179869184"
check "cgroup limit above MemTotal is ignored" test "$(ramsrc $SIZES)" = "meminfo 8589934592"
put fake/proc/self/cgroup "5:memory:/lxc/web
0::/"
put fake/sys/fs/cgroup/memory/lxc/web/memory.limit_in_bytes "1073741824"
check "cgroup v1 memory.limit_in_bytes" test "$(ramsrc $SIZES)" = "cgroup 1073741824"
check "--ram wins over the machine" test "$(ramsrc $SIZES --ram 3G)" = "option 3221225472"
check "--ram auto: this machine" test "$(ramsrc --ram auto)" = "cgroup 1073741824"
check "no option: no comparison, the machine is not read" test "$(ramsrc)" = "None"
$FAKE "$M" --no-config --ram auto event.conf >auto.out
check "the message names the machine's cgroup" has auto.out \
    'of RAM \(cgroup memory limit of this machine\)'
rm fake/proc/meminfo
rc 2 "RAM unreadable: exit 2" $FAKE "$M" --no-config --process-size 10M event.conf
check "RAM unreadable: says why" has rc.err 'cannot read MemTotal.*give the RAM with --ram'
rc 0 "RAM unreadable but given: fine" $FAKE "$M" --no-config --ram 64G event.conf

# ---- the profile -------------------------------------------------------------------
mkdir -p ci/conf prod
cp event.conf ci/conf/httpd.conf
cat >ci/.mpmlint.yaml <<'EOF'
profile:
  process-size: 64M
  thread-size: 4M
EOF
rc 0 "project profile without ram: no comparison" "$M" -f json ci/conf/httpd.conf
check "project profile without ram: memory null" py rc.out <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["effective"]["memory"] is None, d["effective"]
assert not [f for f in d["findings"] if f["rule"] in ("MPM042", "MPM043", "MPM044")]
EOF
rc 1 "project profile sizes with --ram" "$M" --ram 3G -f json ci/conf/httpd.conf
check "project profile sizes used" py rc.out <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["effective"]["memory"]
assert m["process_size"] == 64 << 20 and m["process_size_source"] == "profile", m
assert m["thread_size"] == 4 << 20 and m["thread_size_source"] == "profile", m
EOF
cat >>ci/.mpmlint.yaml <<'EOF'
  ram: 8G
  threshold: 30
  reserve:
    - name: mariadb
      size: 1G
    - name: php-fpm
      max-children: 10
      size: 50M
EOF
rc 1 "project profile with ram compares on every run" "$M" -f json ci/conf/httpd.conf
check "profile ram, threshold, reserve list" py rc.out <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["effective"]["memory"]
assert m["ram"] == 8 << 30 and m["ram_source"] == "option", m
assert m["reserve"] == (1 << 30) + 10 * (50 << 20), m
assert m["threshold"] == 30, m
f = [f for f in d["findings"] if f["rule"] == "MPM043"]
assert f and "the profile's ram" in f[0]["message"] and "30% threshold" in f[0]["message"], d["findings"]
EOF
rc 0 "options win over the profile" "$M" --process-size 1M --thread-size 1M \
    --mem-threshold 80 -f json ci/conf/httpd.conf
check "options win: sizes from options" py rc.out <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["effective"]["memory"]
assert m["process_size"] == 1 << 20 and m["process_size_source"] == "option", m
assert m["ram"] == 8 << 30 and m["threshold"] == 80, m
EOF
cat >prod/prod.yaml <<'EOF'
ram: 2G
process-size: 10M
EOF
rc 0 "--profile replaces the project profile" "$M" --profile prod/prod.yaml \
    -f json ci/conf/httpd.conf
check "--profile: its ram and sizes, defaults for the rest" py rc.out <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["effective"]["memory"]
assert m["ram"] == 2 << 30 and m["process_size"] == 10 << 20, m
assert m["thread_size"] == 1 << 20 and m["thread_size_source"] == "default", m
assert m["reserve"] == 0 and m["threshold"] == 80, m
EOF
rc 2 "--profile missing: exit 2" "$M" --no-config --profile nothere.yaml event.conf
put badprof.yaml "ram: 8G
reserve:
  - name: db
    size: lots"
rc 3 "--profile bad value: exit 3" "$M" --no-config --profile badprof.yaml event.conf
check "--profile bad value: FILE:LINE:COL" has rc.err '^badprof\.yaml:4:11: error: size must be a size'
put ci/.mpmlint.yaml "profile:
  threshold: 0"
rc 3 "project profile bad threshold: exit 3" "$M" ci/conf/httpd.conf
check "project profile bad threshold: message" has rc.err '\.mpmlint\.yaml:2:14: error: threshold must be a percentage'

# ---- option errors -------------------------------------------------------------------
for a in "--ram 0" "--ram 8X" "--ram -1G" "--process-size M" "--thread-size 1Q" \
    "--reserve x" "--mem-threshold 0" "--mem-threshold 101" "--mem-threshold 8.5" \
    "--pid 0" "--pid abc" "--nofile 0" "--nofile -5"; do
	rc 3 "usage error: $a" "$M" --no-config $a event.conf
done
"$M" --help >help.out
for o in --ram --process-size --thread-size --reserve --profile --mem-threshold \
    --measure --pid --nofile; do
	check "--help lists $o" has help.out "^ +$o "
	check "mpmlint.1 documents $o" has "$ROOT/man/mpmlint.1" "^\\.It Fl -${o#--}( |\$)"
done

# ---- open files ---------------------------------------------------------------------
limits wide.conf 5 400 400 1600 2000
rc 1 "--nofile 1024: MPM045" "$M" --no-config --nofile 1024 -f json wide.conf
check "--nofile: capacity.nofile and the finding" py rc.out <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["effective"]["capacity"]
assert c["nofile"] == 1024 and c["connections_per_process"] == 1200, c
assert d["effective"]["memory"] is None, "--nofile alone does not ask for RAM"
assert [f["rule"] for f in d["findings"]] == ["MPM045"], d["findings"]
EOF
rc 0 "--nofile 4096: quiet" "$M" --no-config --nofile 4096 wide.conf

# ---- --measure on a fake /proc -----------------------------------------------------------
F=$T/mfake
put "$F/proc/meminfo" "MemTotal:        4194304 kB"
put "$F/proc/self/cgroup" "0::/"
put "$F/proc/1/stat" "1 (init) S 0 1 1 0 -1 0"
put "$F/proc/700/stat" "700 (httpd) S 1 700 700 0 -1 0"
put "$F/proc/700/smaps_rollup" "Pss:  50000 kB"
for c in 701 702 703; do
	put "$F/proc/$c/stat" "$c (httpd) S 700 700 700 0 -1 0"
	put "$F/proc/$c/smaps_rollup" "00400000-7fff ---p 0 00:00 0 [rollup]
Rss:    9000 kB
Pss:    $((c - 700 + 1000)) kB
Pss_Anon:    10 kB"
done
put "$F/proc/701/limits" "Max open files            65536                65536                files"
MF="env MPMLINT_PROC_ROOT=$F/proc MPMLINT_SYS_ROOT=$F/sys"
rc 0 "--measure a fake server" $MF "$M" --no-config --measure -f json event.conf
cp rc.out measure.json
check "--measure: PSS of the children, not the parent" py measure.json <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))["effective"]
m, c = e["memory"], e["capacity"]
assert m["measured"] == {"pid": 700, "children": 3,
                         "pss_total": (1001 + 1002 + 1003) * 1024,
                         "pss_max": 1003 * 1024}, m["measured"]
# the largest child, as apache2buddy takes it (not the mean 1002)
assert m["process_size"] == 1003 * 1024 and m["process_size_source"] == "measure", m
assert m["thread_size_source"] == "default", m
assert m["ram"] == 4 << 30 and m["ram_source"] == "meminfo", m
assert c["nofile"] == 65536, c
EOF
if python3 -c 'import yaml' 2>/dev/null; then
	$MF "$M" --no-config --measure -f yaml event.conf >measure.yaml
	check "--measure: yaml equals json" py measure.yaml measure.json <<'EOF'
import json, sys, yaml
assert yaml.safe_load(open(sys.argv[1])) == json.load(open(sys.argv[2]))
EOF
fi
rc 0 "--measure with --nofile and --process-size: options win" $MF "$M" \
    --no-config --measure --nofile 2000 --process-size 3M -f json event.conf
check "options over the measurement" py rc.out <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))["effective"]
assert e["capacity"]["nofile"] == 2000, e["capacity"]
assert e["memory"]["process_size"] == 3 << 20, e["memory"]
assert e["memory"]["measured"]["children"] == 3
EOF
put "$F/proc/800/stat" "800 (apache2) S 1 800 800 0 -1 0"
put "$F/proc/801/stat" "801 (apache2) S 800 800 800 0 -1 0"
put "$F/proc/801/smaps_rollup" "Pss: 5 kB"
rc 2 "--measure with two servers: exit 2" $MF "$M" --no-config --measure event.conf
check "two servers: asks for --pid" has rc.err '^mpmlint: --measure: 2 httpd servers are running \(parents .*\): choose one with --pid$'
rc 0 "--pid chooses" $MF "$M" --no-config --pid 800 -f json event.conf
check "--pid 800: one child of 5 kB" py rc.out <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["effective"]["memory"]["measured"]
assert m == {"pid": 800, "children": 1, "pss_total": 5120, "pss_max": 5120}, m
EOF
rc 2 "--pid of a child: exit 2" $MF "$M" --no-config --pid 801 event.conf
check "--pid of a child: says so" has rc.err 'has no children of the same name'
rc 2 "--measure with no server: exit 2" env MPMLINT_PROC_ROOT="$T/fake/proc" \
    "$M" --no-config --measure event.conf
check "no server: says so" has rc.err 'no running httpd or apache2 server'

# ---- suppression and baselines work as for every rule ------------------------------------
cat >supp.conf <<EOF
LoadModule mpm_event_module $MOD/mod_mpm_event.so
ServerLimit 24
ThreadsPerChild 25
# mpmlint disable=memory-exceeds-ram -- sized for the new machine
MaxRequestWorkers 500
EOF
rc 0 "inline suppression of MPM042" "$M" --no-config --ram 3G $SIZES supp.conf
rc 0 "--disable MPM042" "$M" --no-config --ram 3G $SIZES --disable MPM042 event.conf
rc 0 "--write-baseline with 3G" "$M" --no-config --ram 3G $SIZES \
    --write-baseline base.txt event.conf
check "baseline records MPM042" has base.txt ' MPM042 event\.conf:4$'
rc 0 "the fingerprint survives other numbers (2G)" "$M" --no-config --ram 2G \
    $SIZES --baseline base.txt event.conf

# ---- a real server --------------------------------------------------------------------------
for mpm in prefork event; do
	out=$(timeout -k 5 90 python3 "$ROOT/tests/resource/live.py" "$M" "$mpm" 2>&1)
	st=$?
	printf '%s\n' "$out" | grep -E '^(FAIL|skipped)' | sort -u
	p=$(printf '%s\n' "$out" | grep -c '^PASS')
	f=$(printf '%s\n' "$out" | grep -c '^FAIL')
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
		bad "live $mpm: exit $st: $(printf '%s\n' "$out" | tail -n 3)"
	fi
done

lib_summary resource
