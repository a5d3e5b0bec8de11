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
# port of every SYN without ACK and of every segment whose payload starts like a request
# ("GET ", "POST", …), plus the source port of every segment whose payload starts with "HTTP/"
# (so connections whose handshake was not captured count too). Sorted numerically, unique.
# tcpdump's BPF does this at about 1 GB/s, where a tshark pass over a 1 GB capture takes
# minutes. IPv4, and IPv6 without extension headers; up to two VLAN tags. When BPF finds
# nothing, tshark does the same search.
gw_server_ports() {
    local file=$1 word request4="" request6="" ip4 ip6
    local -r v4_payload='tcp[((tcp[12] & 0xf0) >> 2):4]'
    local -r v6_payload='ip6[40 + ((ip6[52] & 0xf0) >> 2):4]'
    #           "GET "     "POST"     "PUT "     "HEAD"     "DELE"     "OPTI"     "PATC"     "CONN"
    for word in 0x47455420 0x504f5354 0x50555420 0x48454144 0x44454c45 0x4f505449 0x50415443 0x434f4e4e; do
        request4+="${request4:+ or }$v4_payload = $word"
        request6+="${request6:+ or }$v6_payload = $word"
    done
    ip4="(ip and tcp and (tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn or $request4))"
    ip6="(ip6 and ip6[6] == 6 and ((ip6[53] & 0x12) == 2 or $request6))"
    local -r to_server="$ip4 or $ip6"
    local -r from_server="(ip and tcp and $v4_payload = 0x48545450) or (ip6 and ip6[6] == 6 and $v6_payload = 0x48545450)"
    local ports
    # Fields of tcpdump's line: time, IP/IP6, source, ">", destination ("addr.port:"), ...
    ports=$({
        gw_bpf_lines "$file" "$to_server" | awk '$2 == "IP" || $2 == "IP6" { print $5 }'
        gw_bpf_lines "$file" "$from_server" | awk '$2 == "IP" || $2 == "IP6" { print $3 }'
    } | awk '{ sub(/:$/, ""); n = split($0, part, "."); if (part[n] ~ /^[0-9]+$/) print part[n] }' |
        sort -n -u)
    if [[ -z $ports ]]; then
        # Link types BPF cannot see into (or odd captures): let tshark look, slowly.
        ports=$(tshark -n -r "$file" \
            -Y '(tcp.flags.syn == 1 && tcp.flags.ack == 0) || tcp.payload[0:5] == 48:54:54:50:2f' \
            -T fields -e tcp.flags.syn -e tcp.srcport -e tcp.dstport 2>/dev/null |
            awk -F'\t' '($1 == "1" || $1 == "True") { print $3; next } { print $2 }' | sort -n -u)
    fi
    [[ -z $ports ]] || printf '%s\n' "$ports"
}

# gw_bpf_lines FILE FILTER: tcpdump's lines for packets matching FILTER, untagged or under one or
# two VLAN tags ("vlan" shifts the offsets of what follows it); link types without VLANs, where
# "vlan" does not compile, get the plain filter.
gw_bpf_lines() {
    local file=$1 filter=$2
    tcpdump -nn -r "$file" "$filter or (vlan and ($filter)) or (vlan and vlan and ($filter))" 2>/dev/null ||
        tcpdump -nn -r "$file" "$filter" 2>/dev/null || true
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
