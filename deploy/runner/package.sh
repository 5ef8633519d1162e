#!/usr/bin/env bash
# Publishes the runner as a self-contained single-file Linux executable and packs it with its installer:
#   byot-runner-linux-<arch>.tar.gz = Byot.Runner, appsettings.json, install.sh, byot-runner.service
# Usage: deploy/runner/package.sh [x64|arm64] [output directory, default: artifacts-out]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ARCH="${1:-x64}"
OUT="$(mkdir -p "${2:-$ROOT/artifacts-out}" && cd "${2:-$ROOT/artifacts-out}" && pwd)"
case "$ARCH" in x64|arm64) ;; *) echo "package.sh: architecture must be x64 or arm64" >&2; exit 2 ;; esac

STAGE="$(mktemp -d)"; trap 'rm -rf "$STAGE"' EXIT
dotnet publish "$ROOT/Byot.Runner/Byot.Runner.csproj" -c Release -r "linux-$ARCH" --self-contained \
  -p:PublishSingleFile=true -p:DebugType=none -o "$STAGE/publish" -nologo -v quiet
mkdir -p "$STAGE/pkg"
cp "$STAGE/publish/Byot.Runner" "$STAGE/publish/appsettings.json" "$STAGE/pkg/"
cp "$ROOT/deploy/runner/install.sh" "$ROOT/deploy/runner/byot-runner.service" "$STAGE/pkg/"
tar -czf "$OUT/byot-runner-linux-$ARCH.tar.gz" -C "$STAGE/pkg" .
echo "$OUT/byot-runner-linux-$ARCH.tar.gz"
