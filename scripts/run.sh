#!/usr/bin/env bash
# Runs BYOT on this machine: installs and starts Postgres, Azurite and the Docker engine, builds the local runtime
# images, starts the Runner, and serves the Functions app under `func start` on http://localhost:7071 when the
# Azure Functions Core Tools can be installed. Ctrl-C stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/ensure-dotnet.sh"
"$ROOT/scripts/services.sh" start
"$ROOT/scripts/build-images.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Byot.sln -c Release -nologo -v quiet

[ -f Byot.Functions/local.settings.json ] || cp local.settings.json.example Byot.Functions/local.settings.json

# The runner uses the locally built images (appsettings.Local.json); on a machine that can pull, drop
# DOTNET_ENVIRONMENT to use the real defaults (alpine, node:22-alpine, ...).
DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Local}" dotnet Byot.Runner/bin/Release/net10.0/Byot.Runner.dll &
RUNNER=$!
trap 'kill $RUNNER 2>/dev/null; wait $RUNNER 2>/dev/null || true' EXIT INT TERM
echo "run: runner started (pid $RUNNER)"

if ! command -v func >/dev/null; then
  npm install -g --silent --unsafe-perm azure-functions-core-tools@4 >/dev/null 2>&1 || true
fi
if command -v func >/dev/null && func --version >/dev/null 2>&1; then
  cd Byot.Functions && func start
else
  echo "run: the Azure Functions Core Tools could not be installed here (their installer downloads the host from Microsoft's CDN); services and the Runner are running, the HTTP API is not."
  wait $RUNNER
fi
