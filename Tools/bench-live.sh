#!/usr/bin/env bash
# Live capture under load: gatewatch -i lo --status 502 and tcpdump -w /dev/null sniff the same
# namespace loopback side by side while wrk drives nginx and a failing upstream (the busy mix);
# prints packets received and dropped by the kernel for each. Root; builds gatewatch (release).
#
#   Tools/bench-live.sh [SECONDS]      (default 5; GW_BUSY_CONNECTIONS sets wrk's connections)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product gatewatch >&2
GW_BUSY_SECONDS=${1:-5} GW_GATEWATCH=$PWD/.build/release/gatewatch exec Tools/make-captures.sh live
