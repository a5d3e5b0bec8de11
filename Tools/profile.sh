#!/usr/bin/env bash
# Instruction counts per pipeline stage, from callgrind: repeatable on a shared, noisy machine.
#
#   Tools/profile.sh FILE [GATEWATCH ARGS...]     (default args: --status 502)
#
# Runs a copy of the release binary without debug info (valgrind cannot read the debug info
# swift-nio's objects carry) under `valgrind --tool=callgrind` over FILE, and prints the total,
# instructions per packet, each thread's total (the packet loop, the HTTP side, a read-ahead
# thread if any), and the inclusive count of each stage: reading the file, frame decode,
# reassembly, recording and replaying its events, HTTP parsing, message records and 502
# diagnosis, output. Stages nest, so the column does not add up to the total; on one thread
# (GATEWATCH_THREADS=1) reassembly includes the HTTP side it hands to. Also prints tcpdump -r
# FILE -w /dev/null's total for the same file, the floor the figures compare with.
# Environment: GATEWATCH=path overrides the binary (default .build/release/gatewatch);
# GW_PROFILE_OUT=path keeps the callgrind file (default: a temporary one, removed).
set -euo pipefail

TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$TOOLS_DIR/lib/common.sh"

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
fi
FILE=$1
shift
[[ -r $FILE ]] || { gw_note "cannot read capture '$FILE'"; exit 2; }
ARGS=("$@")
[[ ${#ARGS[@]} -gt 0 ]] || ARGS=(--status 502)
gw_require valgrind callgrind_annotate objcopy tcpdump python3
GATEWATCH=${GATEWATCH:-$TOOLS_DIR/../.build/release/gatewatch}
[[ -x $GATEWATCH ]] || gw_die "no gatewatch at $GATEWATCH (build it: Tools/run.sh --help)"

WORK=$(mktemp -d /tmp/gwprofile.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
OUT=${GW_PROFILE_OUT:-$WORK/callgrind.out}
objcopy --strip-debug "$GATEWATCH" "$WORK/gatewatch"
# One callgrind file a thread (OUT-01, OUT-02, ...): a stage runs on one of them.
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$OUT" "$WORK/gatewatch" -r "$FILE" "${ARGS[@]}" \
    >/dev/null 2>"$WORK/valgrind.log" || gw_die "valgrind failed: $(tail -n 3 "$WORK/valgrind.log")"
# tcpdump drops privileges to its own user, which could not write the output file: -Z root.
valgrind --tool=callgrind --callgrind-out-file="$WORK/tcpdump.out" tcpdump -Z root -r "$FILE" -w /dev/null \
    >/dev/null 2>"$WORK/tcpdump.log" || true
: >"$WORK/inclusive.txt"
: >"$WORK/threads.txt"
for part in "$OUT"-*; do
    [[ -s $part ]] || continue
    callgrind_annotate --inclusive=yes --threshold=100 "$part" 2>/dev/null >>"$WORK/inclusive.txt"
    # The thread's total, and whether it ran the packet loop, replayed events or read ahead.
    role=other
    grep -q 'PipelineC15runOnTwoThreads\|PipelineC3run_' "$part" && role=packets
    grep -q 'StreamEventBatchV6replay' "$part" && role=http
    grep -q 'ReadAheadFile.*readBlocks' "$part" && role=readahead
    printf '%s %s\n' "$role" "$(awk '/^summary:/ { print $2; exit }' "$part")" >>"$WORK/threads.txt"
done
packets=$(capinfos -c -M "$FILE" 2>/dev/null | awk -F': *' '/Number of packets/ { print $2 }')

python3 - "$WORK/inclusive.txt" "$WORK/valgrind.log" "$WORK/tcpdump.log" "${packets:-0}" "$FILE" "${ARGS[*]}" "$WORK/threads.txt" <<'PY'
import re, sys
inclusive, log, tcpdump_log, packets, capture, args, threads = sys.argv[1:8]
packets = int(packets or 0)

def total(path):
    for line in open(path, errors='replace'):
        match = re.search(r'I\s+refs:\s+([\d,]+)', line)
        if match:
            return int(match.group(1).replace(',', ''))
    return None

# Mangled-name fragments of each stage's entry point; the largest inclusive count of a match wins.
stages = [
    ('read the file (PcapHandle.next)', r'7Capture10PcapHandleC4next'),
    ('frame decode, common frames (SegmentDecoder)', r'SegmentDecoderO6decode_'),
    ('frame decode, the rest (FrameDecoder)', r'FrameDecoderO12decodeLayers'),
    ('reassembly, with what it hands on', r'TCPReassembly14TCPReassemblerV7process_'),
    ('HTTP thread: replaying the recorded events, all of its work', r'StreamEventBatchV6replay'),
    ('HTTP parsing, with the handler', r'HTTP116HTTPStreamParserV4feed_'),
    ('  head scanning alone', r'HTTP116HTTPStreamParserV8scanHead'),
    ('message records (MessageSink.messageHead)', r'MessageSinkV11messageHead'),
    ('502 diagnosis (MessageSink.diagnose)', r'MessageSinkV8diagnose'),
    ('connections opened', r'MessageAssemblerV16connectionOpened'),
    ('connections closed', r'MessageAssemblerV16connectionClosed'),
    ('output (Reporter.emit)', r'ReporterC4emit'),
]
counts = {}
for line in open(inclusive, errors='replace'):
    match = re.match(r'\s*([\d,]+)\s+\(', line)
    if not match:
        continue
    value = int(match.group(1).replace(',', ''))
    for name, pattern in stages:
        if re.search(pattern, line):
            counts[name] = max(counts.get(name, 0), value)

whole = total(log)
floor = total(tcpdump_log)
print(f'capture: {capture}, {packets:,} packets; gatewatch {args}')
if whole:
    per = f', {whole / packets:,.0f} a packet' if packets else ''
    print(f'total: {whole:,} instructions{per}')
if floor:
    per = f', {floor / packets:,.0f} a packet' if packets else ''
    print(f'tcpdump -r FILE -w /dev/null: {floor:,} instructions{per}')
names = {'packets': 'packet loop (read, decode, reassemble, record)', 'http': 'HTTP side (replay, parse, diagnose, print)',
         'readahead': 'read-ahead (its copies are kernel time, not counted)', 'other': 'other'}
for line in open(threads):
    role, count = line.split()
    per = f', {int(count) / packets:,.0f} a packet' if packets else ''
    print(f'thread, {names.get(role, role)}: {int(count):,} instructions{per}')
print()
print('| stage | instructions | share | a packet |')
print('| --- | ---: | ---: | ---: |')
for name, _ in stages:
    value = counts.get(name)
    if value is None:
        print(f'| {name} | – | – | – |')
        continue
    share = f'{100 * value / whole:.1f}%' if whole else '–'
    per = f'{value / packets:,.0f}' if packets else '–'
    print(f'| {name} | {value:,} | {share} | {per} |')
PY
