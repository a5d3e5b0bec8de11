#!/bin/sh
# Builds the packet-path microbenchmark in release mode and runs it over a capture held in memory.
#
#   Tools/bench-stages/run.sh FILE.pcap [ROUNDS]      (classic pcap; ROUNDS defaults to 5)
#
# Times, per packet, in thread CPU time (best of ROUNDS, so other load barely moves it): the full
# FrameDecoder, the short SegmentDecoder the packet loop uses (FrameDecoder for what it declines),
# and TCPReassembler fed every segment with a handler that only counts. The HTTP parser has its own
# benchmark, Tools/bench-parser/run.sh, against http-parser and llhttp.
set -eu
file=${1:?usage: Tools/bench-stages/run.sh FILE.pcap [ROUNDS]}
case $file in /*) ;; *) file=$PWD/$file ;; esac
cd "$(dirname "$0")"
swift build -c release --product bench-stages 2>&1 | tail -1
./.build/release/bench-stages "$file" ${2:+"$2"}
