#!/usr/bin/env bash
# Builds Gatewatch (release) if needed, installing libpcap-dev when missing, then runs it with the
# given arguments. Example: Tools/run.sh -r Captures/seed-iis6-cgi-502.pcap -V -X
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh
# A static Swift runtime spares the dynamic linker relocating a dozen Swift libraries at each start (about
# 7% of a run over nginx-busy, measured); the binary is larger (29 MB), nothing else changes.
swift build -c release --static-swift-stdlib --product gatewatch >&2
exec .build/release/gatewatch "$@"
