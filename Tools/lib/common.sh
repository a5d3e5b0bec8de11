# Shared shell helpers for the Tools/ scripts. Source it; it defines functions only.
# shellcheck shell=bash

# Prints a message to stderr and exits 1.
gw_die() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
    exit 1
}

# Prints a message to stderr.
gw_note() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
}

# Exits with a clear message when a command is missing.
gw_require() {
    local cmd
    for cmd in "$@"; do
        command -v "$cmd" >/dev/null 2>&1 ||
            gw_die "needs '$cmd' (apt-get install -y nginx curl wrk tcpdump tshark httpry time ethtool iproute2)"
    done
}

# Prints, one per line, the TCP ports on which the capture's servers listen: the destination
# port of every SYN without ACK, plus the source port of any segment whose payload starts with
# "HTTP/" (covers connections whose handshake was not captured). Sorted numerically, unique.
gw_server_ports() {
    local file=$1
    tshark -n -r "$file" \
        -Y '(tcp.flags.syn == 1 && tcp.flags.ack == 0) || tcp.payload[0:5] == 48:54:54:50:2f' \
        -T fields -e tcp.flags.syn -e tcp.srcport -e tcp.dstport 2>/dev/null |
        awk -F'\t' '($1 == "1" || $1 == "True") { print $3; next } { print $2 }' |
        sort -n -u
}

# Prints tshark "-d tcp.port==P,http" arguments, one per line, for every server port of FILE.
gw_decode_args() {
    local file=$1 port
    while read -r port; do
        [[ -n $port ]] || continue
        printf -- '-d\ntcp.port==%s,http\n' "$port"
    done < <(gw_server_ports "$file")
}

# Prints the median of the numbers given as arguments (mean of the middle two for even counts).
gw_median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR == 0) { print "nan"; exit }
              if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'
}
