#!/usr/bin/env bash
# Compares the HTTP responses gatewatch finds in a capture with the ones tshark finds.
#
#   Tools/compare-tshark.sh [--min-match PCT] [--mangled] [--seed N] FILE [GATEWATCH_BIN]
#
# A response is (tcp.stream, status). tshark runs with every server port of the capture decoded
# as HTTP (ports found from SYNs and from segments starting with "HTTP/"); gatewatch runs as
# `GATEWATCH_BIN -r FILE --json` (default .build/release/gatewatch) and its lines with
# "type":"response" give "stream" (0-based, tshark's numbering) and "status".
# Prints tshark's count, gatewatch's, matched, missed and extra.
#
# --min-match PCT  pass when matched/tshark >= PCT (default: 100, and no extras)
# --mangled        also make two damaged copies with mangle-pcap.py (seed N, default 1):
#                    A: --reorder 0.05 --hold 1-3 --duplicate 0.01   must equal the clean result
#                    B: A plus --drop 0.005                          must match >= 98%
#                  and compare gatewatch on each copy with tshark (and gatewatch) on the CLEAN
#                  file; tshark's own figure on each copy is printed for reference.
#
# Exit: 0 pass, 1 mismatch, 2 usage or gatewatch missing/failing (tshark's figures still shown).
set -euo pipefail

TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$TOOLS_DIR/lib/common.sh"
RESPONSES=$TOOLS_DIR/lib/responses.py

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

usage_error() {
    gw_note "$*"
    exit 2
}

MIN_MATCH=100
MANGLED=0
SEED=1
while [[ $# -gt 0 ]]; do
    case $1 in
        --min-match) [[ $# -ge 2 ]] || usage; MIN_MATCH=$2; shift 2 ;;
        --mangled) MANGLED=1; shift ;;
        --seed) [[ $# -ge 2 ]] || usage; SEED=$2; shift 2 ;;
        -h | --help) usage ;;
        --) shift; break ;;
        -*) gw_note "unknown option $1"; usage ;;
        *) break ;;
    esac
done
[[ $# -ge 1 && $# -le 2 ]] || usage
FILE=$1
GATEWATCH=${2:-$TOOLS_DIR/../.build/release/gatewatch}
[[ -r $FILE ]] || usage_error "cannot read capture '$FILE'"
[[ $MIN_MATCH =~ ^[0-9]+([.][0-9]+)?$ ]] || usage_error "--min-match wants a number, got '$MIN_MATCH'"
gw_require tshark python3

WORK=$(mktemp -d /tmp/gwcmp.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

mapfile -t DECODE < <(gw_decode_args "$FILE")
PORTS=$(gw_server_ports "$FILE" | paste -sd, -)
echo "capture: $FILE ($(stat -c %s "$FILE") bytes), HTTP decoded on ports: ${PORTS:-none found}"

# tshark_responses PCAP OUT: "stream status" lines from tshark.
tshark_responses() {
    tshark -n -r "$1" "${DECODE[@]}" -Y http.response -T fields \
        -e tcp.stream -e http.response.code >"$WORK/tshark.raw" 2>"$WORK/tshark.err" ||
        gw_die "tshark failed on $1: $(head -c 500 "$WORK/tshark.err")"
    python3 "$RESPONSES" tshark "$WORK/tshark.raw" >"$2"
}

# gatewatch_responses PCAP OUT: "stream status" lines from gatewatch; returns 1 (with a
# message) when gatewatch is missing or fails.
gatewatch_responses() {
    if [[ ! -x $GATEWATCH ]]; then
        gw_note "gatewatch not found or not executable at '$GATEWATCH' (build it with: swift build -c release --static-swift-stdlib)"
        return 1
    fi
    local status=0
    "$GATEWATCH" -r "$1" --json >"$WORK/gatewatch.json" 2>"$WORK/gatewatch.err" || status=$?
    if [[ $status -ne 0 ]]; then
        gw_note "gatewatch failed on $1 (exit $status): $(head -c 500 "$WORK/gatewatch.err")"
        return 1
    fi
    python3 "$RESPONSES" gatewatch "$WORK/gatewatch.json" >"$2"
}

# verdict REFERENCE FOUND MIN TITLE REF_NAME FOUND_NAME: prints the comparison, returns its status.
verdict() {
    python3 "$RESPONSES" compare "$1" "$2" --min-match "$3" --title "$4" \
        --reference-name "$5" --found-name "$6"
}

tshark_responses "$FILE" "$WORK/clean.tshark"
HAVE_GATEWATCH=1
gatewatch_responses "$FILE" "$WORK/clean.gatewatch" || HAVE_GATEWATCH=0

if [[ $MANGLED -eq 0 ]]; then
    if [[ $HAVE_GATEWATCH -eq 0 ]]; then
        echo "tshark found $(wc -l <"$WORK/clean.tshark") responses; gatewatch: not run"
        exit 2
    fi
    verdict "$WORK/clean.tshark" "$WORK/clean.gatewatch" "$MIN_MATCH" clean tshark gatewatch
    exit $?
fi

FAILED=0
echo "clean: tshark found $(wc -l <"$WORK/clean.tshark") responses"
if [[ $HAVE_GATEWATCH -eq 1 ]]; then
    verdict "$WORK/clean.tshark" "$WORK/clean.gatewatch" "$MIN_MATCH" clean tshark gatewatch ||
        FAILED=1
fi
# Copy A must give exactly the clean result; copy B (with drops) at least 98% of it, unless
# --min-match asks for something else.
for copy in A B; do
    if [[ $copy == A ]]; then
        settings=(--reorder 0.05 --hold 1-3 --duplicate 0.01)
        need=$MIN_MATCH
    else
        settings=(--reorder 0.05 --hold 1-3 --duplicate 0.01 --drop 0.005)
        need=98
        [[ $MIN_MATCH == 100 ]] || need=$MIN_MATCH
    fi
    mangled=$WORK/mangled-$copy.pcap
    echo "copy $copy: ${settings[*]} --seed $SEED"
    python3 "$TOOLS_DIR/mangle-pcap.py" "$FILE" "$mangled" "${settings[@]}" --seed "$SEED" 2>&1 |
        sed 's/^/  /'
    tshark_responses "$mangled" "$WORK/$copy.tshark"
    verdict "$WORK/clean.tshark" "$WORK/$copy.tshark" 0 "  copy $copy, for reference" \
        "tshark(clean)" "tshark(copy)" || true
    if [[ $HAVE_GATEWATCH -eq 1 ]] && gatewatch_responses "$mangled" "$WORK/$copy.gatewatch"; then
        verdict "$WORK/clean.tshark" "$WORK/$copy.gatewatch" "$need" "  copy $copy, need ${need}%" \
            "tshark(clean)" "gatewatch(copy)" || FAILED=1
        verdict "$WORK/clean.gatewatch" "$WORK/$copy.gatewatch" 0 "  copy $copy, for reference" \
            "gatewatch(clean)" "gatewatch(copy)" || true
    fi
done
if [[ $HAVE_GATEWATCH -eq 0 ]]; then
    echo "gatewatch: not run, so no verdict"
    exit 2
fi
[[ $FAILED -eq 0 ]] && echo "PASS" || echo "FAIL"
exit "$FAILED"
