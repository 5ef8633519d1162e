#!/usr/bin/env bash
# Makes sure a .NET 10 SDK is on PATH: the distribution's package where it has one, Microsoft's install script
# otherwise (that one needs internet access to Microsoft's servers).
set -euo pipefail
if command -v dotnet >/dev/null && dotnet --list-sdks | grep -q '^10\.'; then exit 0; fi
SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
if apt-cache show dotnet-sdk-10.0 >/dev/null 2>&1; then
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dotnet-sdk-10.0 >/dev/null
else
  curl -fsSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0 --install-dir "$HOME/.dotnet"
  echo "dotnet: installed to $HOME/.dotnet; add it to PATH" >&2
  export PATH="$HOME/.dotnet:$PATH"
fi
dotnet --version >/dev/null
