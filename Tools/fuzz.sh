#!/usr/bin/env bash
# Builds the libFuzzer targets (Tools/fuzz, with ASan) if needed and runs one of them.
#
#   Tools/fuzz.sh TARGET [SECONDS] [extra libFuzzer args...]
#   TARGET: FuzzWire | FuzzHTTP | FuzzReassembly | FuzzPipeline | FuzzSavefile   (SECONDS defaults to 120)
#   Tools/fuzz.sh TARGET repro CRASH_FILE     runs one input (a crash artifact) and exits
#
# The corpus lives in Tools/fuzz/corpus-TARGET (git-ignored); it is seeded on first use from
# Captures/*.pcap and ../shared/peer-captures by Tools/fuzz/make-seeds.py. Crash files are written
# as Tools/fuzz/crash-TARGET-<hash>. The last lines printed are libFuzzer's final statistics.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${1:?usage: Tools/fuzz.sh FuzzWire|FuzzHTTP|FuzzReassembly|FuzzPipeline|FuzzSavefile [SECONDS|repro FILE]}
case $target in
    FuzzWire|FuzzHTTP|FuzzReassembly|FuzzPipeline|FuzzSavefile) ;;
    *) echo "fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
shift

# ASan plus the Swift runtime backtracer reports a bogus overflow in the backtracer itself when a
# Swift trap fires; with the backtracer off libFuzzer reports the trap and writes the artifact.
export SWIFT_BACKTRACE=enable=no

cd "$root/Tools/fuzz"
# SwiftPM rebuilds only what changed; the symlinked module folders track the repo's sources.
swift build -c release --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -g 2>&1 \
    | grep -v -e "Cannot export local symbol" -e "^warning:" -e "^\[" >&2 || true
binary=$(swift build -c release --show-bin-path)/$target
[[ -x $binary ]] || { echo "fuzz.sh: build of $target failed" >&2; exit 1; }

if [[ ${1:-} == repro ]]; then
    exec "$binary" "${2:?repro needs a file}"
fi
seconds=${1:-120}
[[ $# -gt 0 ]] && shift

corpus=corpus-$target
if [[ ! -d $corpus ]]; then
    python3 make-seeds.py "$target" "$corpus" "$root/Captures" "$root/../shared/peer-captures"
fi
mkdir -p "$corpus"
# Short inputs run faster and still hold many segments; a pcap needs room for several frames.
# FuzzPipeline: 8 KiB still holds a handshake and several segments, and runs at about 1.7 k/s
# against 1 k/s at 64 KiB (measured here); the seeds are longer and are cut to it.
case $target in
    FuzzPipeline) max_len=8192 ;;
    # Cuts and odd fields matter here, not volume: small files run fastest.
    FuzzSavefile) max_len=2048 ;;
    *) max_len=4096 ;;
esac
# Without allocation stacks ASan still catches every bad access; it only skips recording where each
# block was allocated, which took a fifth of FuzzPipeline's time. Replay a crash with `repro` (which
# keeps the default) for the full report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0}
log=$(mktemp)
status=0
"$binary" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -max_len="$max_len" -artifact_prefix="crash-$target-" "$@" >"$log" 2>&1 || status=$?
# Only what matters: a crash report (libFuzzer's and the Swift trap message), not the dictionary.
grep -E -e "ERROR|SUMMARY|deadly|Fatal error|invariant violated|Crash|timeout|out-of-memory|^    #[0-9]+ " "$log" | head -60 || true
echo "---- $target: exit $status, ${seconds}s"
grep -E "^#[0-9]+.*(DONE|cov:)" "$log" | tail -1 || true
grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" || true
grep -E "Test unit written to" "$log" || true
rm -f "$log"
exit $status
