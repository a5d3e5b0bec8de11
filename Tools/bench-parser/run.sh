#!/bin/sh
# Builds the head-parsing benchmark in release mode and runs it: HTTP1 against C parsers on the same heads.
#
#   Tools/bench-parser/run.sh [MILLIONS] [response|502|request]
#
# MILLIONS is the messages per timed run in millions (default 2); each parser gets the best of 5 runs, timed
# in thread CPU time, so other load on the machine barely moves the numbers. The C parsers:
# - http-parser 2.9: Debian's libhttp-parser-dev (apt-get install libhttp-parser-dev).
# - llhttp as swift-nio builds it (its C target CNIOLLHTTP, linked in through NIOHTTP1; SwiftPM release flags).
# - llhttp at -O3 -msse4.2 (its SSE4.2 paths switch on): this script compiles swift-nio's llhttp sources from
#   .build/checkouts into .build/llhttp-sse42/ (git-ignored), as a shared library that the benchmark loads
#   with dlopen. Set LLHTTP_SSE=0 to skip it. Nothing of llhttp or swift-nio is kept in this repository.
# For instruction counts (repeatable, unlike timings on a shared machine), strip the debug info valgrind cannot
# read from swift-nio's objects: objcopy --strip-debug .build/release/bench-parser /tmp/bench &&
#   valgrind --tool=callgrind /tmp/bench 0.02 response
set -eu
cd "$(dirname "$0")"
swift build -c release --product bench-parser 2>&1 | tail -1
if [ "${LLHTTP_SSE:-1}" != 0 ]; then
    llhttp=.build/checkouts/swift-nio/Sources/CNIOLLHTTP
    out=.build/llhttp-sse42
    mkdir -p "$out"
    # Only the benchmark's entry point is exported, so this copy's c_nio_llhttp_* symbols cannot clash with
    # (or be replaced by) the ones NIOHTTP1 links into the executable.
    printf '{ global: llhttp_bench_standalone; local: *; };\n' > "$out/exports.map"
    # The defines are the ones swift-nio's Package.swift gives CNIOLLHTTP.
    clang -O3 -msse4.2 -fPIC -shared -D_GNU_SOURCE -DLLHTTP_STRICT_MODE \
        -DLLHTTP_BENCH_STANDALONE -DLLHTTP_BENCH_ENTRY=llhttp_bench_standalone \
        -I "$llhttp/include" "$llhttp"/*.c Sources/CLLHTTPBench/bench.c \
        -Wl,--version-script="$out/exports.map" -o "$out/libllhttp-sse42.so"
    LLHTTP_SSE_LIBRARY="$PWD/$out/libllhttp-sse42.so"
    export LLHTTP_SSE_LIBRARY
fi
./.build/release/bench-parser "${1:-2}" ${2:+"$2"}
