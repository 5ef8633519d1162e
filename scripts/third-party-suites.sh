#!/usr/bin/env bash
# Fetches the third-party test suites BYOT's runtime tests run in real containers (tests/Byot.Tests/Runtimes):
#   Ruby: minitest's own test suite, shipped by Debian's libruby3.1 (Ruby's bundled gems keep their tests)
#   Deno: @fastify/error's own node:test suite, from its npm package, run by `deno test`
#   Cases (tests/Byot.Tests/CaseRuns): the same suite as TAP under node; go-cmp's own tests (Debian's
#   golang-github-google-go-cmp-dev) compiled offline as a test binary; websocket-client's own pytest suite (Debian's
#   python3-websocket) with Debian's python3-pytest
# Idempotent; the npm package lands in ${BYOT_SUITES_DIR:-/var/tmp/byot-suites}.
set -euo pipefail
SUITES="${BYOT_SUITES_DIR:-/var/tmp/byot-suites}"
FASTIFY_ERROR_VERSION="4.3.0"
log() { echo "suites: $*" >&2; }
SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

MISSING=""
for pkg in libruby3.1 golang-go golang-github-google-go-cmp-dev python3-pytest python3-websocket; do
  dpkg -s "$pkg" >/dev/null 2>&1 || MISSING="$MISSING $pkg"
done
if [ -n "$MISSING" ]; then
  log "installing$MISSING"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $MISSING >/dev/null
fi

mkdir -p "$SUITES"
if [ ! -f "$SUITES/fastify-error-$FASTIFY_ERROR_VERSION.tgz" ]; then
  (cd "$SUITES" && npm pack --silent "@fastify/error@$FASTIFY_ERROR_VERSION" >/dev/null)
  log "fetched @fastify/error@$FASTIFY_ERROR_VERSION"
fi

# GOPATH mode from Debian's Go tree: no module download. Static (no cgo), so it runs in the busybox image.
if [ ! -f "$SUITES/go-cmp.test" ]; then
  GOPATH=/usr/share/gocode GO111MODULE=off CGO_ENABLED=0 GOFLAGS= GOCACHE="$SUITES/.gocache" \
    go test -c -o "$SUITES/go-cmp.test" github.com/google/go-cmp/cmp
  log "compiled go-cmp's tests"
fi
