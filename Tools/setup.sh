#!/usr/bin/env bash
# Installs what Gatewatch needs to build (libpcap-dev) and, with --test, what its tests use
# (nginx, curl, iproute2, tcpdump for the live and real-traffic tests; chromium and python3 for
# the --report browser test). Safe to run again.
set -euo pipefail

need=(libpcap-dev)
if [[ "${1:-}" == "--test" ]]; then
    need+=(nginx curl iproute2 tcpdump time chromium python3)
fi
missing=()
for package in "${need[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "setup: missing Debian packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
