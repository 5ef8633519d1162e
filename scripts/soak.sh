#!/usr/bin/env bash
# The chaos soak (issue 8): 3 runner processes, 20 tests on 10-second schedules, runners SIGKILLed and restarted, the
# soak's own Postgres and Azurite restarted, duplicate queue messages; ends with a `BENCH soak …` line.
# Usage: scripts/soak.sh [minutes=10] [seed=8]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
dotnet build Byot.sln -c Release -nologo -v q >/dev/null
exec dotnet run -c Release --no-build --project bench/Byot.Bench -- soak "${1:-10}" "${2:-8}"
