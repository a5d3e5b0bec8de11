#!/usr/bin/env bash
# Regenerates docs/gatewatch.1 (the manual page, from swift-argument-parser's GenerateManual plugin)
# and docs/completions/gatewatch.{bash,zsh,fish} (from the binary's --generate-completion-script).
# Run it after changing a flag or the help text; Tests/GatewatchTests/DocsTests checks they are current.
#
#   Tools/make-docs.sh            view: man -l docs/gatewatch.1
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${GATEWATCH_SCRATCH:-.build}
swift build --scratch-path "$scratch" --product gatewatch >/dev/null
binary=$(swift build --scratch-path "$scratch" --show-bin-path)/gatewatch
swift package --scratch-path "$scratch" --allow-writing-to-package-directory \
    generate-manual --date 2026-11-22 --configuration debug >/dev/null
mkdir -p docs/completions
# The plugin writes "subcommand" into the synopsis of a command that has none; drop it.
grep -v '^\.Ar subcommand$' "$scratch/plugins/GenerateManual/outputs/gatewatch/gatewatch.1" > docs/gatewatch.1
for shell in bash zsh fish; do
    "$binary" --generate-completion-script "$shell" > "docs/completions/gatewatch.$shell"
done
echo "wrote docs/gatewatch.1 and docs/completions/gatewatch.{bash,zsh,fish}"
