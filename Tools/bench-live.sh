#!/usr/bin/env bash
# Live capture under load: gatewatch -i lo --status 502 and tcpdump -w /dev/null sniff the same
# namespace loopback side by side while wrk drives nginx and a failing upstream (the busy mix);
# prints packets received and dropped by the kernel for each. Root; builds gatewatch (release).
#
#   Tools/bench-live.sh [SECONDS]      (default 5; GW_BUSY_CONNECTIONS sets wrk's connections)
set -euo pipefail
cd "$(dirname "$0")/.."
# A static Swift runtime spares the dynamic linker relocating a dozen Swift libraries at each start (about
# 7% of a run over nginx-busy, measured); the binary is larger (29 MB), nothing else changes.
swift build -c release --static-swift-stdlib --product gatewatch >&2
GW_BUSY_SECONDS=${1:-5} GW_GATEWATCH=$PWD/.build/release/gatewatch exec Tools/make-captures.sh live
