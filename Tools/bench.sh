#!/usr/bin/env bash
# Side-by-side speed and memory on one capture: tcpdump, gatewatch, tshark, httpry.
#
#   Tools/bench.sh FILE [RUNS]          (RUNS defaults to 5)
#
# Commands timed (stdout to /dev/null, page cache warmed first):
#   tcpdump    tcpdump -r FILE -w /dev/null                   (floor: read and write packets)
#   gatewatch  $GATEWATCH -r FILE --status 502                (default .build/release/gatewatch)
#   tshark     tshark -n -r FILE -d tcp.port==P,http… -Y 'http.response.code==502'
#   httpry     httpry -r FILE 'tcp port P or …'               (same server ports)
# Rounds: each tool runs once a round, in turn, RUNS rounds. For each: median wall time and
# median peak RSS (/usr/bin/time -f %M) over its runs, MB/s,
# and ratios gatewatch/tcpdump, tshark/gatewatch, httpry/gatewatch. Prints a Markdown table with
# date, machine and command line. If gatewatch is missing the others are still measured.
# Environment: GATEWATCH=path overrides the gatewatch binary; GW_BASELINE=path adds a second
# gatewatch build (say, the last commit's) to every round, with the ratio baseline / gatewatch:
# two builds compared in one run share the machine's slow and fast spells; GW_TSHARK_TIMEOUT=SECONDS
# stops a tshark run after that long and reports "did not finish" (tshark needs over 30 minutes and
# 1.2 GB for the large-file capture).
set -euo pipefail

TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$TOOLS_DIR/lib/common.sh"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

usage_error() {
    gw_note "$*"
    exit 2
}

[[ $# -ge 1 && $# -le 2 && $1 != -h && $1 != --help ]] || usage
FILE=$1
RUNS=${2:-5}
[[ -r $FILE ]] || usage_error "cannot read capture '$FILE'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage_error "RUNS must be a positive integer, got '$RUNS'"
[[ -x /usr/bin/time ]] || gw_die "needs GNU time at /usr/bin/time (apt-get install -y time)"
gw_require tcpdump tshark python3
GATEWATCH=${GATEWATCH:-$TOOLS_DIR/../.build/release/gatewatch}
COMMAND_LINE="Tools/bench.sh $*"

WORK=$(mktemp -d /tmp/gwbench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

mapfile -t DECODE < <(gw_decode_args "$FILE")
mapfile -t PORTS < <(gw_server_ports "$FILE")
HTTPRY_FILTER=""
for port in "${PORTS[@]}"; do
    HTTPRY_FILTER+="${HTTPRY_FILTER:+ or }tcp port $port"
done
BYTES=$(stat -L -c %s "$FILE")
cat "$FILE" >/dev/null   # warm the page cache so the first run is not an outlier

declare -A WALL RSS CMD NOTE
TOOLS=()

# shell_words ARGS...: the arguments as a command line to paste, quoting those with spaces.
shell_words() {
    local word out=""
    for word in "$@"; do
        [[ $word == *[[:space:]]* ]] && word="'$word'"
        out+="${out:+ }$word"
    done
    printf '%s' "$out"
}

# The tools take turns: each round runs every tool once, in the same order, so a slow spell of
# this shared machine slows all of them alike instead of one tool's runs (the ratios moved by a
# fifth between half hours when each tool ran its RUNS back to back).
declare -A ARGV WALLS RSSES
# add NAME CMD...: a tool to time (its command kept as one string of quoted words).
add() {
    local name=$1
    shift
    TOOLS+=("$name")
    CMD[$name]=$(shell_words "$@")
    ARGV[$name]=$(printf '%q ' "$@")
}

# run_once NAME: one timed run; appends wall seconds and peak RSS KiB, or sets NOTE and stops the tool.
run_once() {
    local name=$1 status=0 start end
    local -a argv
    eval "argv=(${ARGV[$name]})"
    # Wall time from the nanosecond clock (time's %e has only 10 ms resolution); peak RSS from time's %M.
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$WORK/time" "${argv[@]}" >/dev/null 2>"$WORK/stderr" || status=$?
    end=$(date +%s%N)
    if [[ $status -eq 124 && ${argv[0]} == timeout ]]; then
        NOTE[$name]="did not finish one run within ${argv[1]} s"
    elif [[ $status -ne 0 ]]; then
        NOTE[$name]="failed (exit $status): $(head -c 200 "$WORK/stderr" | tr '\n' ' ')"
    else
        WALLS[$name]+="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }') "
        RSSES[$name]+="$(tail -n 1 "$WORK/time") "
        return 0
    fi
    gw_note "$name: ${NOTE[$name]}"
}

add tcpdump tcpdump -r "$FILE" -w /dev/null
if [[ -x $GATEWATCH ]]; then
    add gatewatch "$GATEWATCH" -r "$FILE" --status 502
else
    TOOLS+=(gatewatch)
    CMD[gatewatch]="$GATEWATCH -r $FILE --status 502"
    NOTE[gatewatch]="not measured: no executable at $GATEWATCH"
    gw_note "gatewatch ${NOTE[gatewatch]}"
fi
if [[ -n ${GW_BASELINE:-} ]]; then
    [[ -x $GW_BASELINE ]] || usage_error "GW_BASELINE: no executable at $GW_BASELINE"
    add baseline "$GW_BASELINE" -r "$FILE" --status 502
fi
TSHARK_LIMIT=()
[[ ${GW_TSHARK_TIMEOUT:-} =~ ^[1-9][0-9]*$ ]] && TSHARK_LIMIT=(timeout "$GW_TSHARK_TIMEOUT")
add tshark "${TSHARK_LIMIT[@]}" tshark -n -r "$FILE" "${DECODE[@]}" -Y 'http.response.code==502'
if command -v httpry >/dev/null 2>&1; then
    add httpry httpry -q -r "$FILE" ${HTTPRY_FILTER:+"$HTTPRY_FILTER"}
else
    TOOLS+=(httpry)
    CMD[httpry]="httpry -r $FILE"
    NOTE[httpry]="not measured: httpry not installed"
fi
for ((round = 0; round < RUNS; round++)); do
    for name in "${TOOLS[@]}"; do
        [[ -n ${ARGV[$name]:-} && -z ${NOTE[$name]:-} ]] && run_once "$name"
    done
done
for name in "${TOOLS[@]}"; do
    [[ -n ${WALLS[$name]:-} && -z ${NOTE[$name]:-} ]] || continue
    # shellcheck disable=SC2086
    WALL[$name]=$(gw_median ${WALLS[$name]})
    # shellcheck disable=SC2086
    RSS[$name]=$(gw_median ${RSSES[$name]})
    gw_note "$name: median ${WALL[$name]} s, ${RSS[$name]} KiB (runs: ${WALLS[$name]% })"
done

# ratio A B: WALL[A] / WALL[B] to two decimals, or "n/a".
ratio() {
    if [[ -n ${WALL[$1]:-} && -n ${WALL[$2]:-} ]]; then
        awk -v a="${WALL[$1]}" -v b="${WALL[$2]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
    else
        echo "n/a"
    fi
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "### Benchmark: $(basename "$FILE")"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr); load average at the end:" \
    "$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine widens the spread)"
packets=$(capinfos -c -M "$FILE" 2>/dev/null | awk -F': *' '/Number of packets/ { print $2 }')
echo "- file: $FILE, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }'), ${packets:-?} packets," \
    "$RUNS rounds (each tool once a round, in turn), medians, page cache warm"
echo "- command: \`$COMMAND_LINE\`"
echo
echo "| tool | median wall (s) | MB/s | median peak RSS (MB) | command |"
echo "| --- | ---: | ---: | ---: | --- |"
for name in "${TOOLS[@]}"; do
    if [[ -n ${WALL[$name]:-} ]]; then
        awk -v n="$name" -v w="${WALL[$name]}" -v r="${RSS[$name]}" -v b="$BYTES" -v c="${CMD[$name]}" \
            'BEGIN { mbs = b / 1e6 / w
                     printf "| %s | %.3f | %.*f | %.1f | `%s` |\n", n, w, (mbs < 10 ? 1 : 0), mbs, r / 1024, c }'
    else
        echo "| $name | – | – | – | ${NOTE[$name]} |"
    fi
done
echo
echo "Ratios of wall time: gatewatch / tcpdump = $(ratio gatewatch tcpdump)," \
    "tshark / gatewatch = $(ratio tshark gatewatch), httpry / gatewatch = $(ratio httpry gatewatch)."
if [[ -n ${GW_BASELINE:-} ]]; then
    echo "Baseline: baseline / tcpdump = $(ratio baseline tcpdump), baseline / gatewatch = $(ratio baseline gatewatch)."
fi
echo "(Process start-up is included: use a capture that takes tcpdump at least 0.1 s for meaningful ratios.)"
