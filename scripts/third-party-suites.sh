#!/usr/bin/env bash
# Fetches the third-party test suites BYOT's runtime tests run in real containers (tests/Byot.Tests/Runtimes):
#   Ruby: minitest's own test suite, shipped by Debian's libruby3.1 (Ruby's bundled gems keep their tests)
#   Deno: @fastify/error's own node:test suite, from its npm package, run by `deno test`
# Idempotent; the npm package lands in ${BYOT_SUITES_DIR:-/var/tmp/byot-suites}.
set -euo pipefail
SUITES="${BYOT_SUITES_DIR:-/var/tmp/byot-suites}"
FASTIFY_ERROR_VERSION="4.3.0"
log() { echo "suites: $*" >&2; }
SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

if ! dpkg -s libruby3.1 >/dev/null 2>&1; then
  log "installing libruby3.1"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libruby3.1 >/dev/null
fi

mkdir -p "$SUITES"
if [ ! -f "$SUITES/fastify-error-$FASTIFY_ERROR_VERSION.tgz" ]; then
  (cd "$SUITES" && npm pack --silent "@fastify/error@$FASTIFY_ERROR_VERSION" >/dev/null)
  log "fetched @fastify/error@$FASTIFY_ERROR_VERSION"
fi
