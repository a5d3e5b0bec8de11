#!/bin/sh
# Builds the benchmark in release mode and runs it; pass millions of messages per run (default 2).
# The C comparison links Debian's libhttp-parser-dev (apt-get install libhttp-parser-dev).
set -eu
cd "$(dirname "$0")"
swift build -c release --product bench-parser 2>&1 | tail -1
./.build/release/bench-parser "${1:-2}"
