#!/bin/sh
# conv/memory.sh - mpmconv and peak memory (issue 14).
#
# A conversion that runs more processes at peak than its source (event or
# worker -> prefork at the same capacity) prints one note with the peak
# memory before and after, from the resource model of mpmlint: the
# numbers must be the ones "mpmlint --ram" prints (MPM044) for the input
# and for the result, with the default sizes and with --process-size and
# --thread-size.  prefork -> event (fewer processes) prints none.  With
# --ram, a result whose peak is over the RAM (mpmlint's MPM042) is
# refused: exit 1, nothing on stdout, -i leaves the file byte-identical;
# at the boundary (peak = RAM) it is accepted and mpmlint finds no
# MPM042; --force converts anyway, with a warning and the same output.
# Last line: "conv-memory: N passed, M failed".
LC_ALL=C
export LC_ALL
top=$(pwd)
M=$top/${B:-build}/mpmconv L=$top/${B:-build}/mpmlint F=$top/fixtures/conv
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # NAME COMMAND...: ok when the command succeeds
	name=$1
	shift
	if "$@"; then ok; else bad "$name"; fi
}

if [ ! -x "$M" ] || [ ! -x "$L" ]; then
	echo "conv-memory: $M or $L missing (make all first)"
	echo "conv-memory: 0 passed, 1 failed"
	exit 1
fi

# peak FILE [SIZE OPTIONS]: the peak memory mpmlint reports with a RAM
# far above it (MPM044), e.g. "1.03 GiB"
peak() {
	f=$1
	shift
	"$L" --no-config --fail-on never --ram 1T "$@" -f json "$f" |
	    sed -n 's/.*"MPM044".*"message": "peak memory \([0-9.]* [KMGT]*i*B\) .*/\1/p'
}
# rules FILE RAM [SIZE OPTIONS]: the MPM04x rules mpmlint reports
rules() {
	f=$1 r=$2
	shift 2
	"$L" --no-config --fail-on never --ram "$r" "$@" -f json "$f" |
	    grep -o '"MPM04[234]"' | tr -d '"' | tr '\n' ' '
}

ep=$F/event-prefork/input.conf
cp "$ep" "$tmp/ep.conf"

# ---- the note, default sizes ------------------------------------------
"$M" --to prefork "$ep" >"$tmp/out" 2>"$tmp/err"
check "event->prefork exits 0" test $? -eq 0
b=$(peak "$ep")
a=$(peak "$tmp/out")
want="mpmconv: note: peak processes 16 -> 800: peak memory about $b -> $a with the default sizes (--process-size 16M --thread-size 1M)"
check "event->prefork note ($b -> $a)" test "$(grep 'peak processes' "$tmp/err")" = "$want"
check "event->prefork: one note" test "$(grep -c 'peak' "$tmp/err")" -eq 1
check "mpmlint peaks read" test -n "$b" -a -n "$a"
cp "$tmp/out" "$tmp/plain"

# ---- the note, sizes given ---------------------------------------------
"$M" --to prefork --process-size 20M --thread-size 2M "$ep" >"$tmp/out" 2>"$tmp/err"
b=$(peak "$ep" --process-size 20M --thread-size 2M)
a=$(peak "$tmp/out" --process-size 20M --thread-size 2M)
want="mpmconv: note: peak processes 16 -> 800: peak memory about $b -> $a with the given sizes (--process-size 20M --thread-size 2M)"
check "sizes given: note ($b -> $a)" test "$(cat "$tmp/err")" = "$want"
check "sizes given: same output" cmp -s "$tmp/out" "$tmp/plain"

# worker -> prefork multiplies too; worker -> event and prefork -> X not
"$M" --to prefork "$F/worker-prefork/input.conf" >/dev/null 2>"$tmp/err"
check "worker->prefork note" grep -q '^mpmconv: note: peak processes 16 -> 400: ' "$tmp/err"
for c in prefork-event:event prefork-worker:worker worker-event:event event-worker:worker; do
	"$M" --to "${c#*:}" "$F/${c%%:*}/input.conf" >/dev/null 2>"$tmp/err"
	check "${c%%:*}: no note" test "$(grep -c 'peak' "$tmp/err")" -eq 0
done

# ---- --ram ------------------------------------------------------------
# the result's peak: 800 x 16M + 800 x 1M = 13600M
"$M" --to prefork --ram 4G "$ep" >"$tmp/out" 2>"$tmp/err"
check "--ram 4G refuses (exit 1)" test $? -eq 1
check "--ram 4G: nothing on stdout" test ! -s "$tmp/out"
check "--ram 4G: message names the numbers" grep -q "^mpmconv: error: the result does not fit in --ram 4G: 800 processes and 800 threads at peak take about 13.28 GiB .*, over the 4.00 GiB of RAM" "$tmp/err"
check "--ram 4G: refusal line" grep -q "^mpmconv: refused to convert to prefork; nothing was changed" "$tmp/err"
check "--ram 4G: mpmlint agrees (MPM042)" test "$(rules "$tmp/plain" 4G)" = "MPM042 "

"$M" --to prefork --ram 13600M "$ep" >"$tmp/out" 2>"$tmp/err"
check "--ram 13600M (= peak) accepts" test $? -eq 0
check "--ram 13600M: same output" cmp -s "$tmp/out" "$tmp/plain"
check "--ram 13600M: mpmlint finds no MPM042" test "$(rules "$tmp/out" 13600M)" = "MPM043 "
"$M" --to prefork --ram 13599M "$ep" >"$tmp/out" 2>/dev/null
check "--ram 13599M refuses" test $? -eq 1
check "--ram 13599M: mpmlint finds MPM042" test "$(rules "$tmp/plain" 13599M)" = "MPM042 "
"$M" --to prefork --ram 14G --process-size 20M "$ep" >/dev/null 2>&1
check "--ram 14G --process-size 20M refuses" test $? -eq 1
check "... and mpmlint agrees" test "$(rules "$tmp/plain" 14G --process-size 20M)" = "MPM042 "

"$M" --to prefork --ram 64G "$ep" >"$tmp/out" 2>"$tmp/err"
check "--ram 64G accepts" test $? -eq 0
check "--ram 64G: same output" cmp -s "$tmp/out" "$tmp/plain"
check "--ram 64G: only the note" test "$(wc -l <"$tmp/err")" -eq 1

"$M" --to prefork --ram 4G --force "$ep" >"$tmp/out" 2>"$tmp/err"
check "--force overrides (exit 0)" test $? -eq 0
check "--force: same output" cmp -s "$tmp/out" "$tmp/plain"
check "--force: a warning" grep -q "^mpmconv: warning: the result does not fit in --ram 4G: .*; converted anyway (--force)$" "$tmp/err"

# the fit is checked whichever way the processes go
"$M" --to event --ram 100M "$F/prefork-event/input.conf" >/dev/null 2>&1
check "prefork->event --ram 100M refuses" test $? -eq 1

# ---- -i ----------------------------------------------------------------
cp "$ep" "$tmp/i.conf"
"$M" --to prefork --ram 4G -i "$tmp/i.conf" >/dev/null 2>&1
check "-i --ram 4G refuses" test $? -eq 1
check "-i --ram 4G: byte-identical" cmp -s "$tmp/i.conf" "$ep"
check "-i --ram 4G: no .bak" test ! -e "$tmp/i.conf.bak"
"$M" --to prefork --ram 64G -i "$tmp/i.conf" >/dev/null 2>&1
check "-i --ram 64G writes" cmp -s "$tmp/i.conf" "$tmp/plain"

# ---- usage -------------------------------------------------------------
for a in "--ram 0" "--ram 4X" "--process-size abc" "--thread-size 0"; do
	# shellcheck disable=SC2086
	"$M" --to prefork $a "$ep" >/dev/null 2>&1
	check "$a: usage error" test $? -eq 3
done
"$M" --ram 4G "$ep" >/dev/null 2>&1
check "--ram needs --to" test $? -eq 3

echo "conv-memory: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
