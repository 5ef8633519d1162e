#!/usr/bin/env bash
# Installs what the deployment checks (tests/Byot.Tests/Deploy) need, idempotently: Debian's docker-compose (v1) to
# validate deploy/docker-compose.full.yml with `docker-compose config`, and systemd's systemd-analyze to verify the
# runner's unit, and Debian's psycopg to run deploy/azure/postgres-roles.sh against the local server. The Bicep CLI comes from NuGet through the test project's restore (PackageDownload
# Azure.Bicep.CommandLine.linux-x64); Docker, gcc and the local images come from scripts/services.sh and
# scripts/build-images.sh.
set -euo pipefail
SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
python3 -c 'import psycopg' >/dev/null 2>&1 || missing+=(python3-psycopg)
if [ ${#missing[@]} -gt 0 ]; then
  echo "deploy-prereqs: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
