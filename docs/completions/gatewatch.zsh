#compdef gatewatch

__gatewatch_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__gatewatch_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __gatewatch_complete "${completions[@]:0:-1}"
    fi
}

__gatewatch_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_gatewatch() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar ___color=('auto' 'always' 'never')
    local -ar arg_specs=(
        '-r[Read packets from a pcap or pcapng file ('\''-'\'' for stdin).]:file:_files -g '\''*.pcap *.pcapng *.cap'\'''
        '-i[Capture live on an interface (needs root or CAP_NET_RAW).]:interface:{local -a list;list=(${(f)"$(ls /sys/class/net)"});_describe -V "" list}'
        '-w[Also write every packet read to a pcap file (complete even after Ctrl-C).]:file:_files'
        '-c[Stop after this many packets.]:count:'
        '-s[Snapshot length for live capture, in bytes (default 262144).]:snaplen:'
        '-B[Kernel capture buffer size, in KiB (default 16384).]:KiB:'
        '-Z[After opening the device, drop root to this user ('\''root'\'' keeps root).]:user:'
        '-p[Do not put the interface into promiscuous mode.]'
        '-D[List the interfaces that can be captured on, and exit.]'
        '-V[Netmon frame details (Frame, Ethernet, Ipv4, Tcp, HTTP lines) for each message'\''s first frame.]'
        '-X[Netmon hex dump of each message'\''s first frame.]'
        '--frames[Apply -V/-X to every frame, not only to message starts.]'
        '--json[One JSON object per HTTP message instead of text.]'
        '--status[Show only responses with these statuses, with their requests (502, 5xx, 502,504).]:list:'
        '--summary[At the end, print a summary\: responses by status, 5xx by generator and cause, latency percentiles, top 502 URLs, gaps.]'
        '--report[At the end (also after Ctrl-C), write a self-contained HTML page\: responses per second by status class with the 502s marked, latency histograms per status, the table of 502s, the summary counts.]:file:_files -g '\''*.html'\'''
        '--write-matching[Write every packet of each connection with a response matching --status (all 5xx without it), and its upstream legs, to a pcap file.]:file:_files'
        '--follow[Print one TCP conversation, both directions in order, heads decoded and bodies shown (de-chunked; binary as hex), gaps marked\: a stream number as in --json'\''s "stream" and Wireshark'\''s tcp.stream, or two endpoints as printed (10.0.0.1\:41620,10.0.0.2\:80).]:stream:'
        '--color[Colour\: auto (a terminal and NO_COLOR unset), always, never.]:when:{__gatewatch_complete "${___color[@]}"}'
        '*-t[Time\: -tt epoch seconds, -ttt since the previous line, -ttttt since the first packet (default\: UTC date and time).]'
        '-n[Accepted for tcpdump habit; Gatewatch never resolves names.]'
        '-q[Quiet\: no statistics or progress on stderr (progress shows for files of 4 MiB or more when stderr is a terminal).]'
        '--stats[Print reassembly and HTTP statistics to stderr at the end.]'
        '--max-connections[Connections tracked at once; the oldest idle are evicted beyond it (default 50000).]:n:'
        '--max-buffer[MiB of out-of-order data held in all (default 16).]:MiB:'
        '--max-flow-buffer[KiB of out-of-order data held per direction (default 1024).]:KiB:'
        '--hold-timeout[Seconds of capture time a hole may wait before it is a gap (default 3).]:s:'
        '--idle-timeout[Seconds of capture time before an idle connection is forgotten (default 300).]:s:'
        '--max-head[KiB an HTTP head may take before it is malformed (default 64).]:KiB:'
        '--max-headers[Header fields an HTTP head may hold before it is malformed (default 256).]:n:'
        '*:expression:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        help)
            "_gatewatch_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_gatewatch_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _gatewatch ]]; then
    _gatewatch "${@}"
else
    compdef _gatewatch gatewatch
fi
