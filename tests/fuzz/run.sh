#!/bin/sh
# run.sh - run every libFuzzer target build-fuzz/fuzz_* (built by
# `make fuzz`) for FUZZ_SECONDS seconds each (default 60; `make fuzz`
# gives 300), with a corpus seeded from the fixtures and, for the
# configuration targets, ../shared/corpus when present.  A crash, leak, timeout or OOM is copied to
# fixtures/crash/<hash>/input.conf, a regression case from then on, and the
# script exits 1.  POSIX sh; quiet on success except the summary line.
#
# A campaign (the default) is random: every run tries new inputs, and
# finds new bugs.  FUZZ_SEED=N FUZZ_RUNS=M make it a replay instead:
# each target starts from the same seed corpus with libFuzzer's -seed=N
# and stops after M inputs (FUZZ_SECONDS still caps the time), so two
# machines try exactly the same inputs.  CI runs that replay: a red CI
# then means a regression, never the luck of the draw; the campaigns
# that find new bugs are run by hand with `make fuzz`.
set -u
cd "$(dirname "$0")/../.." || exit 2
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_SEED=${FUZZ_SEED:-}
FUZZ_RUNS=${FUZZ_RUNS:-}
replay=""
if [ -n "$FUZZ_SEED" ]; then
	replay="-seed=$FUZZ_SEED -runs=${FUZZ_RUNS:-5000}"
fi
LC_ALL=C
export LC_ALL
# -fsanitize=undefined recovers by default; a fuzzer must stop instead.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS

passed=0
failed=0
found=0
for t in build-fuzz/fuzz_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	found=1
	name=${t#build-fuzz/fuzz_}
	corpus=build-fuzz/corpus-$name
	art=build-fuzz/artifacts-$name
	log=build-fuzz/fuzz_$name.log
	# a replay starts from the seeds alone, as on a fresh machine
	[ -n "$replay" ] && rm -rf "$corpus"
	mkdir -p "$corpus" "$art"
	rm -f "$art"/*

	# Seeds are named by checksum, so reruns add nothing twice.
	# fixtures/*/*/ includes fixtures/crash/*/: old crashes stay seeds.
	# The configuration targets (parse, lint, conv, export) also take
	# the corpus of real configurations when ../shared is present.
	case $name in
	yaml) seeds=$(ls tests/export/bad/*.yaml tests/export/cases/*.yaml \
	    2>/dev/null) ;;
	expr) seeds=$(ls tests/fuzz/expr-seeds/* 2>/dev/null) ;;
	lsp) seeds=$(ls tests/fuzz/lsp-seeds/* 2>/dev/null) ;;
	# two tiny shared objects (cc -shared -nostdlib -s), each defining
	# one *_module symbol
	elf) seeds=$(ls tests/fuzz/elf-seeds/* 2>/dev/null) ;;
	*) seeds=$(ls fixtures/*/*/input.conf tests/export/cases/*.conf \
	    2>/dev/null)
	   if [ -d ../shared/corpus ]; then
		seeds="$seeds $(find ../shared/corpus -type f -size -5k \
		    ! -name MANIFEST.tsv 2>/dev/null | sort)"
	   fi ;;
	esac
	for f in $seeds; do
		[ -f "$f" ] || continue
		sum=$(cksum <"$f" | cut -d ' ' -f 1)
		cp "$f" "$corpus/seed-$sum"
	done

	# -timeout: one input may take 25 s at most; pathological slowness
	# is a bug too (STYLE.md section 6).
	# $replay is two options or none: split on purpose
	# shellcheck disable=SC2086
	"$t" $replay -max_total_time="$FUZZ_SECONDS" -max_len=4096 -timeout=25 \
	    -artifact_prefix="$art/" -print_final_stats=1 "$corpus" \
	    >"$log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		continue
	fi

	failed=$((failed + 1))
	saved=0
	for a in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
		[ -f "$a" ] || continue
		# libFuzzer names artifacts kind-<sha1 of the input>.
		h=${a##*-}
		h=$(printf '%s' "$h" | cut -c 1-12)
		mkdir -p "fixtures/crash/$h"
		cp "$a" "fixtures/crash/$h/input.conf"
		echo "FAIL fuzz_$name: ${a##*/} saved as fixtures/crash/$h/input.conf"
		saved=1
	done
	[ "$saved" = 1 ] ||
	    echo "FAIL fuzz_$name: exit $rc with no reproducer (see $log)"
	# The sanitizer's or libFuzzer's own account of what went wrong.
	grep -E -m 3 'ERROR:|SUMMARY:|runtime error:|^fuzz_[a-z]*:' "$log"
done

if [ "$found" = 0 ]; then
	echo "skipped: no build-fuzz/fuzz_* targets (make fuzz builds them)"
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
