#!/usr/bin/env bash
# Publishes the runner the way users get it (self-contained single-file linux-x64) into DIR, default
# artifacts-out/runner-linux-x64, from a copy of its sources, so the RID-specific restore and build never touch the
# solution's obj/ folders. scripts/test.sh runs it before the tests and exports BYOT_RUNNER_PUBLISH_DIR=DIR: the
# deploy tests then start this executable instead of publishing one themselves while timing-sensitive tests run.
# Usage: scripts/publish-runner.sh [DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/artifacts-out/runner-linux-x64}"
SRC="$(mktemp -d)"; trap 'rm -rf "$SRC"' EXIT
tar -C "$ROOT" --exclude=bin --exclude=obj -cf - \
  Directory.Build.props Directory.Packages.props global.json .editorconfig Byot.Runner Byot.Shared | tar -C "$SRC" -xf -
rm -rf "$OUT"
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$SRC/Byot.Runner/Byot.Runner.csproj" -c Release \
  -r linux-x64 --self-contained -p:PublishSingleFile=true -o "$OUT" -nologo -v quiet
test -x "$OUT/Byot.Runner"
echo "$OUT"
