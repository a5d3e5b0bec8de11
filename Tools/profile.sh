#!/usr/bin/env bash
# Instruction counts per pipeline stage, from callgrind: repeatable on a shared, noisy machine.
#
#   Tools/profile.sh FILE [GATEWATCH ARGS...]     (default args: --status 502)
#
# Runs a copy of the release binary without debug info (valgrind cannot read the debug info
# swift-nio's objects carry) under `valgrind --tool=callgrind` over FILE, and prints the total,
# instructions per packet, and the inclusive count of each stage: reading the file, frame decode,
# reassembly, HTTP parsing, message records and 502 diagnosis, output. Stages nest (reassembly
# includes what it hands to HTTP), so the column does not add up to the total. Also prints
# tcpdump -r FILE -w /dev/null's total for the same file, the floor the figures compare with.
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
valgrind --tool=callgrind --callgrind-out-file="$OUT" "$WORK/gatewatch" -r "$FILE" "${ARGS[@]}" >/dev/null 2>"$WORK/valgrind.log" \
    || gw_die "valgrind failed: $(tail -n 3 "$WORK/valgrind.log")"
# tcpdump drops privileges to its own user, which could not write the output file: -Z root.
valgrind --tool=callgrind --callgrind-out-file="$WORK/tcpdump.out" tcpdump -Z root -r "$FILE" -w /dev/null \
    >/dev/null 2>"$WORK/tcpdump.log" || true
callgrind_annotate --inclusive=yes --threshold=100 "$OUT" 2>/dev/null >"$WORK/inclusive.txt"
packets=$(capinfos -c -M "$FILE" 2>/dev/null | awk -F': *' '/Number of packets/ { print $2 }')

python3 - "$WORK/inclusive.txt" "$WORK/valgrind.log" "$WORK/tcpdump.log" "${packets:-0}" "$FILE" "${ARGS[*]}" <<'PY'
import re, sys
inclusive, log, tcpdump_log, packets, capture, args = sys.argv[1:7]
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
