function __gatewatch_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __gatewatch_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __gatewatch_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __gatewatch_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __gatewatch_parse_tokens -S
    set -l unparsed_tokens (__gatewatch_tokens -pc)
    switch $unparsed_tokens[1]
    case 'gatewatch'
        __gatewatch_parse_subcommand -r 1 'r=' 'i=' 'w=' 'c=' 's=' 'B=' 'Z=' 'p' 'D' 'V' 'X' 'frames' 'json' 'status=' 'summary' 'report=' 'write-matching=' 'follow=' 'color=' 't' 'n' 'q' 'stats' 'max-connections=' 'max-buffer=' 'max-flow-buffer=' 'hold-timeout=' 'idle-timeout=' 'max-head=' 'max-headers=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __gatewatch_parse_subcommand -r 1 'version'
        end
    end
end

function __gatewatch_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __gatewatch_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __gatewatch_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __gatewatch_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__gatewatch_tokens -p)
    if test -z "$(__gatewatch_tokens -t)"
        set -l index (count (__gatewatch_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'gatewatch' -f
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" r' -s 'r' -d 'Read packets from a pcap or pcapng file (\'-\' for stdin).' -rfa '(set -l exts \'pcap\' \'pcapng\' \'cap\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" i' -s 'i' -d 'Capture live on an interface (needs root or CAP_NET_RAW).' -rfka '(ls /sys/class/net)'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" w' -s 'w' -d 'Also write every packet read to a pcap file (complete even after Ctrl-C).' -rF
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" c' -s 'c' -d 'Stop after this many packets.' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" s' -s 's' -d 'Snapshot length for live capture, in bytes (default 262144).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" B' -s 'B' -d 'Kernel capture buffer size, in KiB (default 16384).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" Z' -s 'Z' -d 'After opening the device, drop root to this user (\'root\' keeps root).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" p' -s 'p' -d 'Do not put the interface into promiscuous mode.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" D' -s 'D' -d 'List the interfaces that can be captured on, and exit.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" V' -s 'V' -d 'Netmon frame details (Frame, Ethernet, Ipv4, Tcp, HTTP lines) for each message\'s first frame.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" X' -s 'X' -d 'Netmon hex dump of each message\'s first frame.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" frames' -l 'frames' -d 'Apply -V/-X to every frame, not only to message starts.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" json' -l 'json' -d 'One JSON object per HTTP message instead of text.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" status' -l 'status' -d 'Show only responses with these statuses, with their requests (502, 5xx, 502,504).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" summary' -l 'summary' -d 'At the end, print a summary: responses by status, 5xx by generator and cause, latency percentiles, top 502 URLs, gaps.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" report' -l 'report' -d 'At the end (also after Ctrl-C), write a self-contained HTML page: responses per second by status class with the 502s marked, latency histograms per status, the table of 502s, the summary counts.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'html\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" write-matching' -l 'write-matching' -d 'Write every packet of each connection with a response matching --status (all 5xx without it), and its upstream legs, to a pcap file.' -rF
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" follow' -l 'follow' -d 'Print one TCP conversation, both directions in order, heads decoded and bodies shown (de-chunked; binary as hex), gaps marked: a stream number as in --json\'s "stream" and Wireshark\'s tcp.stream, or two endpoints as printed (10.0.0.1:41620,10.0.0.2:80).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" color' -l 'color' -d 'Colour: auto (a terminal and NO_COLOR unset), always, never.' -rfka 'auto always never'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch"' -s 't' -d 'Time: -tt epoch seconds, -ttt since the previous line, -ttttt since the first packet (default: UTC date and time).'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" n' -s 'n' -d 'Accepted for tcpdump habit; Gatewatch never resolves names.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" q' -s 'q' -d 'Quiet: no statistics or progress on stderr (progress shows for files of 4 MiB or more when stderr is a terminal).'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" stats' -l 'stats' -d 'Print reassembly and HTTP statistics to stderr at the end.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" max-connections' -l 'max-connections' -d 'Connections tracked at once; the oldest idle are evicted beyond it (default 50000).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" max-buffer' -l 'max-buffer' -d 'MiB of out-of-order data held in all (default 16).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" max-flow-buffer' -l 'max-flow-buffer' -d 'KiB of out-of-order data held per direction (default 1024).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" hold-timeout' -l 'hold-timeout' -d 'Seconds of capture time a hole may wait before it is a gap (default 3).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" idle-timeout' -l 'idle-timeout' -d 'Seconds of capture time before an idle connection is forgotten (default 300).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" max-head' -l 'max-head' -d 'KiB an HTTP head may take before it is malformed (default 64).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" max-headers' -l 'max-headers' -d 'Header fields an HTTP head may hold before it is malformed (default 256).' -rfka ''
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" version' -l 'version' -d 'Show the version.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_positional "gatewatch" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'gatewatch' -n '__gatewatch_should_offer_completions_for_flags_or_options "gatewatch help" version' -l 'version' -d 'Show the version.'
