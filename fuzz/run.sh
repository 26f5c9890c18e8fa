#!/bin/sh
# Run libFuzzer targets for a fixed time each, from their seed corpora.
#
#   sh fuzz/run.sh SECONDS build/fuzz/fuzz_X [build/fuzz/fuzz_Y ...]
#
# Each target build/fuzz/fuzz_X runs on a scratch copy of fuzz/corpus/X/ (the
# repository's corpus is never modified) with the dictionary fuzz/json.dict.
# libFuzzer's progress goes to a log file; this prints one line per target
# (executions, coverage, or the crash file and the log to read) and a final
#   fuzz: N passed, M failed
# The exit status is non-zero when a target failed (crash, leak, sanitizer
# report, invariant violation) or could not run.
#
# Environment: FUZZ_KEEP=1 keeps the scratch directory (logs, grown corpora);
# FUZZ_JOBS is not used: targets run one after the other.
set -u

if [ $# -lt 1 ]; then
    echo "usage: sh fuzz/run.sh SECONDS TARGET..." >&2
    exit 2
fi
secs=$1
shift
case $secs in
'' | *[!0-9]*)
    echo "fuzz/run.sh: SECONDS must be a whole number, got '$secs'" >&2
    exit 2
    ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
dict=$here/json.dict
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mlvpc-fuzz.XXXXXX") || exit 2
cleanup() {
    if [ "${FUZZ_KEEP:-0}" = 1 ]; then
        echo "fuzz: scratch kept in $scratch"
    else
        rm -rf "$scratch"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Make UBSan reports fatal (the build does not use -fno-sanitize-recover), and
# keep leak checking on. Settings already in the environment come first.
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1:print_stacktrace=1"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
export UBSAN_OPTIONS ASAN_OPTIONS

passed=0
failed=0
for bin in "$@"; do
    name=$(basename "$bin")
    short=${name#fuzz_}
    if [ ! -x "$bin" ]; then
        echo "$name: FAIL: no executable $bin (run make fuzz)"
        failed=$((failed + 1))
        continue
    fi
    work=$scratch/$name
    mkdir -p "$work/corpus" "$work/artifacts"
    if [ -d "$here/corpus/$short" ]; then
        cp -R "$here/corpus/$short/." "$work/corpus/"
    else
        echo "$name: note: no seed corpus fuzz/corpus/$short/, starting empty"
    fi
    log=$work/fuzz.log
    # -timeout: one input running 30 s is a hang (and would otherwise hold the
    # run well past SECONDS, which libFuzzer checks only between inputs).
    "$bin" -max_total_time="$secs" -max_len=65536 -dict="$dict" -print_final_stats=1 \
        -timeout=30 -artifact_prefix="$work/artifacts/" "$work/corpus" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*ft: \([0-9]*\).*corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p')
    # crash-, leak-, timeout- or oom- files (slow-unit- ones are only reports)
    crash=$(ls "$work"/artifacts/crash-* "$work"/artifacts/leak-* "$work"/artifacts/timeout-* \
        "$work"/artifacts/oom-* 2>/dev/null | head -n 1)
    if [ $rc -eq 0 ] && [ -z "$crash" ]; then
        echo "$name: ok: stat::number_of_executed_units: ${execs:-?} (${cov:-no coverage line})"
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        # Keep the evidence outside the scratch directory, which is removed.
        keep=$(mktemp -d "${TMPDIR:-/tmp}/mlvpc-fuzz-$short.XXXXXX")
        cp "$log" "$keep/fuzz.log"
        if [ -n "$crash" ]; then
            cp "$work"/artifacts/* "$keep/"
            crash=$keep/$(basename "$crash")
        fi
        why=$(grep -m 1 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz_[a-z]*: |.*deadly signal)' "$log")
        echo "$name: FAIL (exit $rc): ${why:-see log}"
        echo "$name: stat::number_of_executed_units: ${execs:-?}"
        echo "$name: crash file: ${crash:-none}; log: $keep/fuzz.log"
    fi
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
