#!/usr/bin/env bash
# Runs every fuzz target under libFuzzer with AddressSanitizer for a fixed time (default 20 s each), starting
# from the committed corpus in Tests/Fixtures/fuzz. A crash leaves its input in Tests/Fixtures/fuzz/TARGET/
# as crash-*; commit it, and MutationFuzzTests replays it in the normal suite from then on.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(message-codec model-file idx png pgm csv gzip)
# lld: gold fails on the sanitizer runtimes with "internal error in format_file_lineno".
scratch=.build/fuzz
swift build -c release --product QuorumFuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DQUORUM_LIBFUZZER -Xswiftc -use-ld=lld
binary="$scratch/release/QuorumFuzz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The Swift runtime's own crash reporter would stall on a crash; libFuzzer reports it instead. Leak checks
# are off: the Swift runtime keeps caches for the life of the process.
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=0
status=0
for target in "${targets[@]}"; do
    corpus="Tests/Fixtures/fuzz/$target"
    [ -d "$corpus" ] || { echo "fuzz: no corpus folder $corpus" >&2; exit 2; }
    mkdir -p "$work/$target"
    echo "fuzz: $target for ${seconds}s" >&2
    # New inputs go to a scratch corpus; the committed seeds are only read. rss and malloc limits turn an
    # allocation by a declared size into a reported failure.
    if ! QUORUM_FUZZ_TARGET="$target" "$binary" "$work/$target" "$corpus" -max_total_time="$seconds" \
        -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$corpus/" >"$work/$target.log" 2>&1; then
        status=1
        echo "fuzz: $target FAILED; the input is in $corpus/ (crash-*, oom-*, timeout-*):" >&2
        grep -E "ERROR|SUMMARY|Test unit written|Fatal error" "$work/$target.log" | head -n 20 >&2 || true
    else
        grep -E "stat::number_of_executed_runs|cov:" "$work/$target.log" | tail -n 2 >&2 || true
    fi
done
exit "$status"
