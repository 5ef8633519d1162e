#!/usr/bin/env bash
# Installs what the deployment checks need, idempotently: Debian's docker-compose (v1) to validate
# deploy/docker-compose.full.yml with `docker-compose config`. The Bicep CLI comes from NuGet through the test
# project's restore (PackageDownload Azure.Bicep.CommandLine.linux-x64), so nothing else is needed here.
set -euo pipefail
SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "deploy-prereqs: installing docker-compose" >&2
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi
