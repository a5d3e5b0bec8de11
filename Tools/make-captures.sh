#!/usr/bin/env bash
# Makes real HTTP captures through nginx and a misbehaving upstream, inside a private network
# namespace, so that no packet ever leaves the machine.
#
#   Tools/make-captures.sh [small|varied|busy|large] [OUT_DIR]
#
# Profiles (OUT_DIR defaults to Tools/work/captures):
#   small   one 502 per cause (refused, reset, closed before response, closed mid-headers,
#           invalid header, too big header, upstream's own 502) plus a 200 and a 504. Writes one
#           capture per cause (nginx-502-<cause>.pcap, nginx-200-ok.pcap, nginx-504-timeout.pcap)
#           and all of them merged in time order as nginx-502-causes.pcap.
#   varied  static files, proxied (keep-alive and not), chunked, HEAD, 304, 206, 100-continue,
#           HTTP/1.0, several requests per connection, pipelined requests, garbage (HTTP/0.9),
#           502s and a 504: nginx-varied.pcap (about 100-300 KB).
#   busy    wrk (2 threads) against a mix of small 200s and failing locations: nginx-busy.pcap.
#   large   large static files fetched over a few connections: nginx-large.pcap.
#   live    no file: the busy load while gatewatch -i lo --status 502 and tcpdump -w /dev/null
#           sniff side by side; prints each one's kernel drops (GW_GATEWATCH: the binary,
#           default .build/release/gatewatch; GW_LIVE_ARGS: more arguments for it, e.g. "-B 2048").
#           Tools/bench-live.sh runs this.
#
# Environment (sizes and bounds):
#   GW_BIG_MB=3            size of static/big.bin (varied: only ranges of it are fetched)
#   GW_BUSY_SECONDS=5      wrk duration for busy (about 30 MB of capture per second here)
#   GW_BUSY_CONNECTIONS=8  wrk connections for busy
#   GW_LARGE_MB=1024       approximate payload of the large capture
#   GW_LARGE_FILE_MB=128   size of each large file
#   GW_LARGE_RATE=150M     curl --limit-rate per large download (so tcpdump drops nothing)
#   GW_UPSTREAM_SLOW=3     seconds the slow upstream sleeps (nginx proxy_read_timeout is 2 s)
#
# Topology (all on the namespace's loopback, MTU 1500 and TSO/GSO/GRO off so segments look
# like Ethernet):
#   curl/wrk -> nginx 127.0.0.1:8080 -> upstream.py 127.0.0.1:9001 (modes by path)
#                                    -> 127.0.0.1:9099 (nothing listens: "refused")
# tcpdump -i lo -s 0 captures both legs.
set -euo pipefail

TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$TOOLS_DIR/lib/common.sh"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

PROFILE=${1:-}
case $PROFILE in
    small | varied | busy | large | live) ;;
    -h | --help | "") usage ;;
    *) gw_note "unknown profile '$PROFILE'"; usage ;;
esac
OUT_DIR=${2:-$TOOLS_DIR/work/captures}
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

[[ $(id -u) -eq 0 ]] || gw_die "must run as root (network namespaces, tcpdump)"
gw_require ip ethtool nginx curl tcpdump tshark capinfos mergecap python3
[[ $PROFILE != busy && $PROFILE != live ]] || gw_require wrk

BIG_MB=${GW_BIG_MB:-3}
BUSY_SECONDS=${GW_BUSY_SECONDS:-5}
BUSY_CONNECTIONS=${GW_BUSY_CONNECTIONS:-8}
LARGE_MB=${GW_LARGE_MB:-1024}
LARGE_FILE_MB=${GW_LARGE_FILE_MB:-128}
LARGE_RATE=${GW_LARGE_RATE:-150M}
UPSTREAM_SLOW=${GW_UPSTREAM_SLOW:-3}
NGINX_PORT=8080
UPSTREAM_PORT=9001
CLOSED_PORT=9099
BASE=http://127.0.0.1:$NGINX_PORT

NS=gwcap-$$
WORK=$(mktemp -d /tmp/gwcap.XXXXXX)
chmod 755 "$WORK"   # nginx workers run as nobody and must read the static files
PIDS=()
TCPDUMP_PID=

cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    if [[ -n $TCPDUMP_PID ]]; then
        kill -TERM "$TCPDUMP_PID" 2>/dev/null || true
        wait "$TCPDUMP_PID" 2>/dev/null || true
    fi
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    ip netns del "$NS" 2>/dev/null || true
    if [[ $status -ne 0 && -f $WORK/error.log ]]; then
        gw_note "nginx error.log tail:"
        tail -n 20 "$WORK/error.log" >&2 || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { ip netns exec "$NS" "$@"; }

# Deterministic file content: a repeated printable line, cut to SIZE bytes.
make_file() {
    local path=$1 size=$2
    python3 - "$path" "$size" <<'EOF'
import sys
path, size = sys.argv[1], int(sys.argv[2])
line = b"".join(b"%08d gatewatch static file line abcdefghijklmnopqrstuvwxyz\n" % i for i in range(4096))
with open(path, "wb") as f:
    while size > 0:
        chunk = line[:size]
        f.write(chunk)
        size -= len(chunk)
EOF
    # A fixed mtime keeps Last-Modified (and so the 304 exchange) identical between runs.
    touch -d '2024-01-02 03:04:05 UTC' "$path"
}

write_site() {
    mkdir -p "$WORK/www/static" "$WORK/tmp"
    make_file "$WORK/www/static/small.txt" 180
    make_file "$WORK/www/static/100k.bin" 102400
    make_file "$WORK/www/static/big.bin" $((BIG_MB * 1024 * 1024))
    if [[ $PROFILE == large ]]; then
        make_file "$WORK/www/static/large.bin" $((LARGE_FILE_MB * 1024 * 1024))
    fi
    cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/error.log info;
events { worker_connections 1024; }
http {
    access_log $WORK/access.log;
    client_body_temp_path $WORK/tmp/body;
    proxy_temp_path $WORK/tmp/proxy;
    fastcgi_temp_path $WORK/tmp/fastcgi;
    uwsgi_temp_path $WORK/tmp/uwsgi;
    scgi_temp_path $WORK/tmp/scgi;
    types { text/plain txt; application/octet-stream bin; }
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    # Short timeouts so a slow upstream becomes a 504 within seconds.
    proxy_connect_timeout 2s;
    proxy_read_timeout 2s;
    proxy_send_timeout 2s;

    upstream upstream_keepalive {
        server 127.0.0.1:$UPSTREAM_PORT;
        keepalive 8;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
        location /static/ { }
        # One upstream connection per request (nginx's default HTTP/1.0 + close).
        location /up/ { proxy_pass http://127.0.0.1:$UPSTREAM_PORT/; }
        # Pooled HTTP/1.1 upstream connections, reused across client requests.
        location /ka/ {
            proxy_pass http://upstream_keepalive/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
        # Nothing listens there: connect() gets RST, nginx answers 502.
        location /refused { proxy_pass http://127.0.0.1:$CLOSED_PORT; }
    }
}
EOF
}

wait_for_port() {
    local port=$1 i
    for ((i = 0; i < 50; i++)); do
        if in_ns python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    gw_die "nothing listening on port $port after 5 s"
}

start_servers() {
    ip netns add "$NS"
    ip -n "$NS" link set lo up
    ip -n "$NS" link set lo mtu 1500
    # Without this the stack hands tcpdump 64 KB super-segments (TSO/GSO on loopback); off, every
    # segment is at most MSS 1460 as on a real Ethernet path.
    ip netns exec "$NS" ethtool -K lo tso off gso off gro off
    # Started with "ip netns exec" directly (not through a function) so that $! is the
    # server's own PID, which exec keeps.
    ip netns exec "$NS" python3 "$TOOLS_DIR/upstream.py" --listen "$UPSTREAM_PORT" \
        --slow-seconds "$UPSTREAM_SLOW" 2>"$WORK/upstream.log" &
    PIDS+=($!)
    ip netns exec "$NS" nginx -p "$WORK" -c "$WORK/nginx.conf" 2>"$WORK/nginx.stderr" &
    PIDS+=($!)
    wait_for_port "$UPSTREAM_PORT"
    wait_for_port "$NGINX_PORT"
}

# Starts tcpdump on the namespace loopback writing FILE; returns once it is capturing.
start_capture() {
    local file=$1 i
    : >"$WORK/tcpdump.log"
    # Immediate mode hands over every packet at once, so stopping loses nothing; under wrk's
    # load it costs a wake-up per packet and the kernel drops packets, so busy and large use
    # the default buffered ring and wait out its 1 s timeout before stopping (stop_capture).
    local -a mode=(--immediate-mode)
    [[ $PROFILE == small || $PROFILE == varied ]] || mode=()
    ip netns exec "$NS" tcpdump -i lo -s 0 -B 65536 "${mode[@]}" -U -n -w "$file" 2>"$WORK/tcpdump.log" &
    TCPDUMP_PID=$!
    for ((i = 0; i < 50; i++)); do
        grep -q 'listening on' "$WORK/tcpdump.log" && return 0
        sleep 0.1
    done
    gw_die "tcpdump did not start: $(cat "$WORK/tcpdump.log")"
}

stop_capture() {
    # Let the last FIN/ACKs through (and, when buffered, the ring's 1 s timeout expire).
    if [[ $PROFILE == small || $PROFILE == varied ]]; then sleep 0.3; else sleep 1.5; fi
    # SIGTERM, not SIGINT: background jobs of a script ignore SIGINT. tcpdump flushes on both.
    kill -TERM "$TCPDUMP_PID"
    wait "$TCPDUMP_PID" || true
    TCPDUMP_PID=
    if grep -Eq '^[1-9][0-9]* packets dropped by kernel' "$WORK/tcpdump.log"; then
        gw_note "WARNING: $(grep 'dropped by kernel' "$WORK/tcpdump.log")"
    fi
}

# curl with a hard time bound; prints the status code. Extra arguments go before the URL.
fetch() {
    in_ns curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' "$@" || true
}

# Sends COUNT pipelined GETs for PATH in one write on one connection (the last one asks to
# close) and prints the status codes received.
pipeline() {
    in_ns python3 - "$NGINX_PORT" "$@" <<'EOF'
import re, socket, sys
port, paths = int(sys.argv[1]), sys.argv[2:]
reqs = b""
for i, p in enumerate(paths):
    last = i == len(paths) - 1
    reqs += (f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: gw-pipeline\r\n"
             + ("Connection: close\r\n" if last else "") + "\r\n").encode()
s = socket.create_connection(("127.0.0.1", port), 5)
s.settimeout(10)
s.sendall(reqs)
data = b""
while len(data) < 64 * 1024 * 1024:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
s.close()
print(" ".join(m.decode() for m in re.findall(rb"HTTP/1\.[01] (\d{3}) ", data)))
EOF
}

expect_code() {
    local want=$1 got=$2 what=$3
    if [[ $got != "$want" ]]; then
        gw_note "WARNING: $what gave '$got', expected $want"
    fi
}

profile_small() {
    local -a causes=(
        "200-ok 200 /static/small.txt"
        "502-refused 502 /refused"
        "502-reset 502 /up/reset"
        "502-closed-before-response 502 /up/fin"
        "502-closed-mid-headers 502 /up/halfheader"
        "502-invalid-header 502 /up/badheader"
        "502-too-big-header 502 /up/toobig"
        "502-from-upstream 502 /up/502"
        "504-timeout 504 /up/slow"
    )
    local entry name want path code files=()
    for entry in "${causes[@]}"; do
        read -r name want path <<<"$entry"
        start_capture "$OUT_DIR/nginx-$name.pcap"
        code=$(fetch "$BASE$path")
        if [[ $path == /up/slow ]]; then
            # Keep the upstream's late answer and nginx's RST to it in the capture.
            sleep "$UPSTREAM_SLOW"
        fi
        stop_capture
        expect_code "$want" "$code" "$path"
        files+=("$OUT_DIR/nginx-$name.pcap")
    done
    mergecap -F pcap -w "$OUT_DIR/nginx-502-causes.pcap" "${files[@]}"
    MADE=("$OUT_DIR/nginx-502-causes.pcap" "${files[@]}")
}

profile_varied() {
    local out=$OUT_DIR/nginx-varied.pcap
    start_capture "$out"
    {
        fetch "$BASE/static/small.txt"
        fetch "$BASE/static/100k.bin"
        fetch -I "$BASE/static/100k.bin"                                          # HEAD
        fetch -H 'If-Modified-Since: Tue, 02 Jan 2024 03:04:05 GMT' "$BASE/static/100k.bin" # 304
        fetch -r 1000-2999 "$BASE/static/big.bin"                                 # 206
        fetch -r 0-99,5000-5099 "$BASE/static/big.bin"                            # 206 multipart
        fetch -0 "$BASE/static/small.txt"                                         # HTTP/1.0
        fetch -0 "$BASE/up/close?size=3000"                                       # close-delimited
        fetch "$BASE/ka/chunked?size=20000"                                       # chunked
        fetch -H 'Expect: 100-continue' --data-binary "@$WORK/www/static/100k.bin" "$BASE/ka/ok?size=10"
        fetch -X POST --data-binary 'a=1&b=2' "$BASE/up/ok?size=300"
        # Several requests on one client connection (curl reuses it), mixing outcomes.
        in_ns curl -s --max-time 15 -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
            -w '%{http_code}\n' "$BASE/static/small.txt" "$BASE/ka/ok?size=2000" \
            "$BASE/up/reset" "$BASE/ka/chunked?size=700" "$BASE/up/502" || true
        pipeline /static/small.txt /ka/ok?size=100 /up/fin /static/small.txt
        pipeline /ka/ok?size=5 /ka/chunked?size=50 /ka/ok?size=1
        fetch "$BASE/refused"
        fetch "$BASE/up/halfheader"
        fetch "$BASE/up/badheader"
        fetch "$BASE/up/garbage"                                                  # HTTP/0.9 200
        fetch "$BASE/static/missing.txt"                                          # 404
        fetch "$BASE/up/slow"                                                     # 504
        sleep "$UPSTREAM_SLOW"
    } | tr '\n' ' ' >"$WORK/codes.txt"
    stop_capture
    gw_note "client saw: $(cat "$WORK/codes.txt")"
    MADE=("$out")
}

write_busy_load() {
    cat >"$WORK/busy.lua" <<'EOF'
-- Seeded per-thread mix: mostly small 200s, some bodies, 6 in 40 failing locations.
local paths = {
  "/static/small.txt", "/static/small.txt", "/static/small.txt", "/static/small.txt",
  "/static/small.txt", "/static/small.txt", "/static/small.txt", "/static/small.txt",
  "/ka/ok?size=64", "/ka/ok?size=64", "/ka/ok?size=512", "/ka/ok?size=512",
  "/ka/ok?size=1500", "/ka/ok?size=4000", "/ka/ok?size=100", "/ka/ok?size=20000",
  "/ka/chunked?size=3000", "/ka/chunked?size=300", "/ka/chunked?size=9000", "/up/ok?size=200",
  "/up/ok?size=2000", "/up/chunked?size=500", "/up/close?size=800", "/static/100k.bin",
  "/static/small.txt", "/static/small.txt", "/ka/ok?size=64", "/ka/ok?size=256",
  "/ka/ok?size=700", "/ka/chunked?size=1200", "/static/small.txt", "/ka/ok?size=64",
  "/up/reset", "/up/fin", "/up/halfheader", "/up/502", "/refused", "/up/badheader",
  "/static/small.txt", "/ka/ok?size=64",
}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  math.randomseed(seed)
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
EOF
}

profile_busy() {
    local out=$OUT_DIR/nginx-busy.pcap
    write_busy_load
    start_capture "$out"
    in_ns wrk -t2 -c"$BUSY_CONNECTIONS" -d"${BUSY_SECONDS}s" --timeout 5s -s "$WORK/busy.lua" \
        "$BASE" >"$WORK/wrk.txt" 2>&1 || gw_note "wrk failed: $(cat "$WORK/wrk.txt")"
    stop_capture
    grep -E 'Requests/sec|requests in|Non-2xx' "$WORK/wrk.txt" >&2 || true
    MADE=("$out")
}

profile_large() {
    local out=$OUT_DIR/nginx-large.pcap count i
    count=$(((LARGE_MB + LARGE_FILE_MB - 1) / LARGE_FILE_MB))
    start_capture "$out"
    for ((i = 0; i < count; i++)); do
        # Rate-limited so tcpdump keeps up with loopback and drops nothing.
        fetch --max-time 600 --limit-rate "$LARGE_RATE" "$BASE/static/large.bin" >/dev/null
    done
    stop_capture
    MADE=("$out")
}

profile_live() {
    local gatewatch=${GW_GATEWATCH:-$TOOLS_DIR/../.build/release/gatewatch} i tool received dropped
    [[ -x $gatewatch ]] || gw_die "no gatewatch binary at $gatewatch (build it, or set GW_GATEWATCH)"
    write_busy_load
    # Both sniff the same loopback at once, each with its own default ring: tcpdump libpcap's
    # 2 MiB, gatewatch 16 MiB (GW_LIVE_ARGS adds arguments to gatewatch's, e.g. "-B 2048").
    # shellcheck disable=SC2086
    ip netns exec "$NS" "$gatewatch" -i lo --status 502 ${GW_LIVE_ARGS:-} >"$WORK/gatewatch.out" 2>"$WORK/gatewatch.err" &
    local gw_pid=$!
    ip netns exec "$NS" tcpdump -i lo -n -w /dev/null 2>"$WORK/tcpdump.err" &
    local td_pid=$!
    for ((i = 0; i < 50; i++)); do
        grep -q 'listening on' "$WORK/tcpdump.err" && break
        sleep 0.1
    done
    sleep 0.5
    in_ns wrk -t2 -c"$BUSY_CONNECTIONS" -d"${BUSY_SECONDS}s" --timeout 5s -s "$WORK/busy.lua" \
        "$BASE" >"$WORK/wrk.txt" 2>&1 || gw_note "wrk failed: $(cat "$WORK/wrk.txt")"
    sleep 1.5
    kill -TERM "$gw_pid" "$td_pid"
    wait "$gw_pid" || true
    wait "$td_pid" || true
    grep -E 'Requests/sec|requests in' "$WORK/wrk.txt" >&2 || true
    printf '%-10s %12s %12s %10s\n' tool received dropped 502-lines
    for tool in gatewatch tcpdump; do
        received=$(awk '/packets received by filter/ { print $1 }' "$WORK/$tool.err")
        dropped=$(awk '/packets dropped by kernel/ { print $1 }' "$WORK/$tool.err")
        printf '%-10s %12s %12s %10s\n' "$tool" "${received:-?}" "${dropped:-?}" \
            "$([[ $tool == gatewatch ]] && grep -c '^!' "$WORK/gatewatch.out" || echo -)"
    done
}

summarise() {
    local file decode
    for file in "$@"; do
        mapfile -t decode < <(gw_decode_args "$file")
        # Reassembling 128 MB bodies makes tshark take minutes and a GB of memory; the large
        # capture's responses are each one whole head, so counting them needs no body.
        [[ $PROFILE != large ]] || decode+=(-o http.desegment_body:FALSE)
        printf '%s: %s packets, %s bytes; responses by status:' "${file#"$PWD"/}" \
            "$(capinfos -c -M "$file" 2>/dev/null | awk -F': *' '/Number of packets/ { print $2 }')" \
            "$(stat -c %s "$file")"
        tshark -n -r "$file" "${decode[@]}" -Y http.response -T fields -e http.response.code \
            2>/dev/null | sort | uniq -c | awk '{ printf " %s×%s", $2, $1 } END { print "" }'
    done
}

MADE=()
write_site
start_servers
"profile_$PROFILE"
[[ ${#MADE[@]} -eq 0 ]] || summarise "${MADE[@]}"
# What nginx says caused each failure (error.log is the only place it says so).
if [[ $PROFILE == small || $PROFILE == varied ]]; then
    grep -E '\[(error|warn)\]' "$WORK/error.log" |
        sed -E 's/^[0-9/]+ [0-9:]+ //; s/, client: .*request: "([^"]*)".*/ <- "\1"/' >&2 || true
fi
