#!/usr/bin/env bash
# Prints a Markdown description of each capture for Captures/README.md: packets, bytes, server
# ports, and tshark's HTTP responses as "stream status (request URI)".
#
#   Tools/lib/describe-captures.sh FILE...
set -euo pipefail

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$LIB_DIR/common.sh"

[[ $# -ge 1 ]] || { echo "usage: ${0##*/} FILE..." >&2; exit 2; }
gw_require tshark

for file in "$@"; do
    [[ -r $file ]] || gw_die "cannot read '$file'"
    mapfile -t decode < <(gw_decode_args "$file")
    packets=$(tshark -n -r "$file" -T fields -e frame.number 2>/dev/null | wc -l)
    streams=$(tshark -n -r "$file" -T fields -e tcp.stream 2>/dev/null | sort -un | grep -c . || true)
    echo "#### $(basename "$file")"
    echo
    echo "$packets packets, $(stat -c %s "$file") bytes, $streams TCP streams;" \
        "HTTP on ports $(gw_server_ports "$file" | paste -sd, - | sed 's/,/, /g')."
    echo "tshark responses (\`tcp.stream\` status, for request):"
    echo
    echo '```'
    tshark -n -r "$file" "${decode[@]}" -Y http.response -T fields \
        -e tcp.stream -e http.response.code -e http.response_for.uri 2>/dev/null |
        awk -F'\t' '{ uri = $3; sub("^http://127\\.0\\.0\\.1", "", uri)
                      printf "%4s %s%s\n", $1, $2, (uri == "") ? "" : "  " uri }'
    echo '```'
    echo
done
