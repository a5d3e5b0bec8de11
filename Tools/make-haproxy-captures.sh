#!/usr/bin/env bash
# Makes a real capture of HAProxy in front of a misbehaving upstream, one request per failure mode,
# inside a private network namespace (its loopback only, MTU 1500, offloads off), recorded by tcpdump.
#
# Usage: Tools/make-haproxy-captures.sh [OUT_DIR]        (default Tools/work/captures)
# Writes OUT_DIR/haproxy-502-causes.pcap and prints tshark's responses.
#
#   curl -> haproxy 127.0.0.1:8080 -> upstream.py 127.0.0.1:9001 (mode = first path segment)
#                                  -> 127.0.0.1:9099 for /refused (nothing listens)
#
# HAProxy answers 503 (not 502) when the connection is refused and 504 when the server is silent
# past "timeout server" (2 s here); reset, closed-before-response, closed-mid-headers, invalid and
# oversized headers give 502 ("SH"/"PH" termination states), and a 502 from the upstream passes through.
set -euo pipefail

TOOLS_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/common.sh
source "$TOOLS_DIR/lib/common.sh"
gw_require ip ethtool haproxy curl tcpdump python3

OUT_DIR=${1:-$TOOLS_DIR/work/captures}
mkdir -p "$OUT_DIR"
NS=gwhap-$$
WORK=$(mktemp -d)
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    ip netns delete "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link set lo mtu 1500
ip netns exec "$NS" ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true

cat >"$WORK/haproxy.cfg" <<CFG
global
    maxconn 256
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 2s
    option http-server-close
frontend gateway
    bind 127.0.0.1:8080
    use_backend refused if { path_beg /refused }
    default_backend upstream
backend upstream
    server app 127.0.0.1:9001
backend refused
    server nobody 127.0.0.1:9099
CFG

ip netns exec "$NS" python3 "$TOOLS_DIR/upstream.py" --listen 9001 --slow-seconds 3 &
PIDS+=($!)
ip netns exec "$NS" haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
OUT=$OUT_DIR/haproxy-502-causes.pcap
ip netns exec "$NS" tcpdump -i lo -s 0 -U -w "$OUT" 'tcp port 8080 or tcp port 9001 or tcp port 9099' 2>"$WORK/tcpdump.log" &
TCPDUMP=$!
PIDS+=("$TCPDUMP")
sleep 1.5

for path in /ok/small /refused /reset/x /fin/x /halfheader/x /badheader/x /toobig/x /502/x /slow/x; do
    code=$(ip netns exec "$NS" curl -s -o /dev/null -w '%{http_code}' --max-time 6 "http://127.0.0.1:8080$path" || true)
    gw_note "GET $path -> $code"
    sleep 0.3
done
sleep 2   # the slow upstream's late answer
kill -INT "$TCPDUMP"
wait "$TCPDUMP" 2>/dev/null || true
gw_note "wrote $OUT"
if command -v tshark >/dev/null 2>&1; then
    tshark -r "$OUT" -d tcp.port==8080,http -d tcp.port==9001,http -Y http.response \
        -T fields -e frame.number -e tcp.stream -e tcp.srcport -e http.response.code 2>/dev/null || true
fi
