#!/usr/bin/env bash
# Builds Gatewatch (release) if needed, installing libpcap-dev when missing, then runs it with the
# given arguments. Example: Tools/run.sh -r Captures/seed-iis6-cgi-502.pcap -V -X
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh
swift build -c release --product gatewatch >&2
exec .build/release/gatewatch "$@"
