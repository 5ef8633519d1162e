#!/usr/bin/env bash
# Builds the local runtime images BYOT's tests and local runs use. Nothing is pulled:
#   byot-local/busybox:1  FROM scratch + Debian's static busybox   (runtimes go/binary, shell)
#   byot-local/node:1     FROM scratch + the host's node + its shared libraries + busybox (runtime node)
#   byot-local/python:1   FROM scratch + Debian's python3 + its standard library + shared libraries + busybox (runtime python)
# Idempotent: an image that exists with the same content label is kept.
set -euo pipefail

DOCKER="${DOCKER:-/usr/bin/docker}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
log() { echo "images: $*" >&2; }

passwd_files() {
  mkdir -p "$1/etc" "$1/tmp" "$1/app" "$1/artifacts"
  printf 'root:x:0:0:root:/root:/bin/sh\nbyot:x:65532:65532:byot:/tmp:/bin/sh\n' > "$1/etc/passwd"
  printf 'root:x:0:\nbyot:x:65532:\n' > "$1/etc/group"
  chmod 1777 "$1/tmp"
}

busybox_tree() {
  mkdir -p "$1/bin"
  cp /bin/busybox "$1/bin/busybox"
  for app in sh echo cat sleep true false ls env printf head yes dd seq sha256sum base64 id touch mkdir rm wc; do
    ln -sf busybox "$1/bin/$app"
  done
}

build() {
  local tag="$1" dir="$2"
  local sum; sum="$(cd "$dir" && find . -type f -o -type l | sort | xargs -d '\n' sha256sum 2>/dev/null | sha256sum | cut -c1-16)"
  if [ "$("$DOCKER" image inspect -f '{{ index .Config.Labels "byot.content" }}' "$tag" 2>/dev/null || true)" = "$sum" ]; then
    log "$tag up to date"; return 0
  fi
  cat > "$dir/Dockerfile" <<DOCKERFILE
FROM scratch
COPY . /
ENV PATH=/usr/local/bin:/usr/bin:/bin
LABEL byot.content="$sum"
USER 65532:65532
WORKDIR /app
DOCKERFILE
  printf 'Dockerfile\n' > "$dir/.dockerignore"
  DOCKER_BUILDKIT=0 "$DOCKER" build -q -t "$tag" "$dir" >/dev/null
  log "built $tag"
}

# busybox
B="$WORK/busybox"; passwd_files "$B"; busybox_tree "$B"
build byot-local/busybox:1 "$B"

# node: the host's binary with exactly the libraries it links
N="$WORK/node"; passwd_files "$N"; busybox_tree "$N"
NODE="$(readlink -f "$(command -v node)")"
mkdir -p "$N/usr/bin"; cp "$NODE" "$N/usr/bin/node"
ldd "$NODE" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
  [ -n "$lib" ] && [ -e "$lib" ] || continue
  mkdir -p "$N$(dirname "$lib")"; cp -L "$lib" "$N$lib"
done
build byot-local/node:1 "$N"

copy_libs() { # copy_libs ROOT BINARY...: the shared libraries the binaries link, at their own paths
  local root="$1"; shift
  ldd "$@" 2>/dev/null | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | sort -u | while read -r lib; do
    [ -n "$lib" ] && [ -e "$lib" ] || continue
    mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
  done
}

# python: Debian's interpreter with its standard library (tests and idle caches left out) and the libraries its
# extension modules link; about 60 MB. Skipped where Debian's python3 is missing.
PYBIN="$(readlink -f /usr/bin/python3 2>/dev/null || true)"
if [ -x "$PYBIN" ]; then
  P="$WORK/python"; passwd_files "$P"; busybox_tree "$P"
  PYVER="$(basename "$PYBIN")"   # python3.11
  mkdir -p "$P/usr/bin" "$P/usr/lib"
  cp "$PYBIN" "$P/usr/bin/$PYVER"; ln -sf "$PYVER" "$P/usr/bin/python3"; ln -sf "$PYVER" "$P/usr/bin/python"
  (cd /usr/lib && tar --exclude="$PYVER/test" --exclude="$PYVER/idlelib" --exclude="$PYVER/tkinter" \
     --exclude="$PYVER/ensurepip" --exclude='__pycache__' --exclude="$PYVER/config-*" -cf - "$PYVER") | tar -xf - -C "$P/usr/lib"
  copy_libs "$P" "$PYBIN" "$P/usr/lib/$PYVER"/lib-dynload/*.so
  build byot-local/python:1 "$P"
else
  log "no Debian python3 on this machine; byot-local/python:1 not built"
fi
