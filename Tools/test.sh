#!/usr/bin/env bash
# Runs the whole test suite: unit, golden-output, CLI, peer-capture and live tests.
# Installs what the tests need first (as root). Live tests skip with a message when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) -eq 0 ]]; then
    Tools/setup.sh --test
else
    Tools/setup.sh
fi
swift build --build-tests
swift test --skip-build "$@"
