#!/usr/bin/env bash
# Builds the local runtime images BYOT's tests and local runs use. Nothing is pulled:
#   byot-local/busybox:1  FROM scratch + Debian's static busybox   (runtimes go/binary, shell)
#   byot-local/node:2     FROM scratch + the host's node and npm + node's shared libraries + busybox (runtime node)
#   byot-local/python:1   FROM scratch + Debian's python3 + its standard library + shared libraries + busybox (runtime python)
#   byot-local/ruby:1     FROM scratch + Debian's ruby, rubygems, bundler and rspec + shared libraries + busybox (runtime ruby)
#   byot-local/deno:1     FROM scratch + the deno binary from its npm package + shared libraries + busybox (runtime deno)
#   byot-local/playwright:1 FROM scratch + the node image's tree + Debian's chromium and fonts + @playwright/test from npm (runtime playwright)
# Each image runs every default command its runtime documents (README, Byot.Runner/appsettings.json), single file
# and bundle alike: tests/Byot.Tests/Runtimes/LocalImageDefaultsTests runs them all.
# Idempotent: an image that exists with the same content label is kept.
set -euo pipefail

DOCKER="${DOCKER:-/usr/bin/docker}"
DENO_VERSION="2.9.6"
CACHE="${BYOT_IMAGE_CACHE:-/var/tmp/byot-images}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
log() { echo "images: $*" >&2; }
SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

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

# Scripts of npm, rspec and bundler start with #!/usr/bin/env; busybox's applets live in /bin.
usr_bin_env() { mkdir -p "$1/usr/bin"; ln -sf ../../bin/busybox "$1/usr/bin/env"; }

build() { # build TAG DIR [NAME=VALUE...]: the image, with those environment variables
  local tag="$1" dir="$2"; shift 2
  local env=""; for kv in "$@"; do env+="ENV $kv"$'\n'; done
  local sum; sum="$( (cd "$dir" && find . -type f -o -type l | sort | xargs -d '\n' sha256sum 2>/dev/null; printf '%s' "$env") | sha256sum | cut -c1-16)"
  if [ "$("$DOCKER" image inspect -f '{{ index .Config.Labels "byot.content" }}' "$tag" 2>/dev/null || true)" = "$sum" ]; then
    log "$tag up to date"; return 0
  fi
  cat > "$dir/Dockerfile" <<DOCKERFILE
FROM scratch
COPY . /
ENV PATH=/usr/local/bin:/usr/bin:/bin
${env}LABEL byot.content="$sum"
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
# npm, for the bundle default `npm test`: the host's own when it is self-contained (NodeSource, nodejs.org), else
# the same version's registry package, which bundles its dependencies (Debian spreads npm's over /usr/share/nodejs).
NPM_VERSION="$(npm --version)"
NPM_HOME="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
if [ ! -d "$NPM_HOME/node_modules/@npmcli/arborist" ]; then
  mkdir -p "$CACHE"
  [ -f "$CACHE/npm-$NPM_VERSION.tgz" ] || (cd "$CACHE" && npm pack --silent "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$WORK/npm"; tar -xzf "$CACHE/npm-$NPM_VERSION.tgz" -C "$WORK/npm"; NPM_HOME="$WORK/npm/package"
fi
mkdir -p "$N/usr/lib/node_modules/npm"
(cd "$NPM_HOME" && tar --exclude=./docs --exclude=./man -cf - .) | tar -xf - -C "$N/usr/lib/node_modules/npm"
usr_bin_env "$N"; ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$N/usr/bin/npm"; ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$N/usr/bin/npx"
# No update check, audit or funding call: a test has no network by default and nothing to gain from them.
mkdir -p "$N/usr/etc"; printf 'update-notifier=false\naudit=false\nfund=false\n' > "$N/usr/etc/npmrc"
build byot-local/node:2 "$N"

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

# ruby: Debian's interpreter with its standard library, rubygems, bundler and rspec (the files of exactly those
# packages, docs left out), and the libraries the interpreter and its extension modules link; about 40 MB.
apt_install ruby ruby-rspec bundler
RUBY_MINOR="$(ruby -e 'print RUBY_VERSION[/\A\d+\.\d+/]')"   # 3.1 on Debian 12
RUBY_PACKAGES="ruby ruby$RUBY_MINOR libruby$RUBY_MINOR ruby-rubygems rubygems-integration ruby-bundler bundler ruby-rspec ruby-rspec-core ruby-rspec-expectations ruby-rspec-mocks ruby-rspec-support ruby-diff-lcs"
R="$WORK/ruby"; passwd_files "$R"; busybox_tree "$R"; usr_bin_env "$R"
ln -sf busybox "$R/bin/diff"  # minitest and rspec show differences with diff -u
# shellcheck disable=SC2086
{ dpkg -L $RUBY_PACKAGES 2>/dev/null || true; } | grep -v -E '^/usr/share/(doc|man|lintian)/' | sort -u \
  | while read -r f; do if [ -f "$f" ] || [ -L "$f" ]; then printf '%s\n' "$f"; fi; done > "$WORK/ruby.files"
tar --no-recursion -cf - -T "$WORK/ruby.files" 2>/dev/null | tar -xf - -C "$R"
find "$R" -xtype l -delete  # rdoc's links to fonts and jquery, left out with docs
copy_libs "$R" "$(readlink -f /usr/bin/ruby)" $(grep -E '\.so(\.|$)' "$WORK/ruby.files" | xargs -r readlink -f | sort -u)
# glibc's C.UTF-8 locale: without it Ruby reads and prints text as US-ASCII.
mkdir -p "$R/usr/lib/locale"; cp -a /usr/lib/locale/C.utf8 "$R/usr/lib/locale/"
build byot-local/ruby:1 "$R" LANG=C.UTF-8

# deno: the binary inside its npm package (@deno/<platform>), the libraries it links and busybox; DENO_DIR falls in
# HOME=/tmp (the run's tmpfs), so the read-only root is no obstacle.
case "$(uname -m)" in x86_64) DENO_PLATFORM="linux-x64-glibc" ;; aarch64) DENO_PLATFORM="linux-arm64-glibc" ;; *) DENO_PLATFORM="" ;; esac
if [ -n "$DENO_PLATFORM" ]; then
  mkdir -p "$CACHE"
  DENO_TGZ="$CACHE/deno-$DENO_PLATFORM-$DENO_VERSION.tgz"
  if [ ! -f "$DENO_TGZ" ]; then
    (cd "$WORK" && npm pack --silent "@deno/$DENO_PLATFORM@$DENO_VERSION" >/dev/null)
    mv "$WORK/deno-$DENO_PLATFORM-$DENO_VERSION.tgz" "$DENO_TGZ"
  fi
  D="$WORK/deno"; passwd_files "$D"; busybox_tree "$D"
  mkdir -p "$D/usr/bin" "$WORK/deno-pkg"; tar -xzf "$DENO_TGZ" -C "$WORK/deno-pkg" package/deno
  install -m 0755 "$WORK/deno-pkg/package/deno" "$D/usr/bin/deno"
  copy_libs "$D" "$D/usr/bin/deno"
  build byot-local/deno:1 "$D"
else
  log "no deno build for $(uname -m); byot-local/deno:1 not built"
fi

# playwright: the node tree above, Debian's chromium (its folder, the libraries it and its modules link, NSS's
# modules it loads at run time), fonts with their fontconfig cache, and @playwright/test from npm, installed with the
# browser download skipped: the image's Chromium is Debian's, named by BYOT_PLAYWRIGHT_CHROMIUM for BYOT's config
# wrapper (Byot.Runner/Playwright/byot.playwright.config.mjs). About 500 MB.
PLAYWRIGHT_VERSION="1.65.1"
apt_install chromium fonts-dejavu-core fonts-liberation fontconfig
W="$WORK/playwright"; mkdir -p "$W"; (cd "$N" && tar -cf - --exclude=./Dockerfile --exclude=./.dockerignore .) | tar -xf - -C "$W"
mkdir -p "$W/usr/lib"; cp -a /usr/lib/chromium "$W/usr/lib/chromium"
NSS_MODULES="$(ls /usr/lib/*-linux-gnu/libsoftokn3.so /usr/lib/*-linux-gnu/libfreeblpriv3.so /usr/lib/*-linux-gnu/libnssckbi.so /usr/lib/*-linux-gnu/nss/*.so 2>/dev/null || true)"
# shellcheck disable=SC2086
copy_libs "$W" /usr/lib/chromium/chromium /usr/lib/chromium/chrome_crashpad_handler /usr/lib/chromium/*.so $NSS_MODULES
for lib in $NSS_MODULES; do mkdir -p "$W$(dirname "$lib")"; cp -L "$lib" "$W$lib"; done
mkdir -p "$W/usr/share/fonts/truetype" "$W/etc" "$W/var/cache"
cp -a /usr/share/fonts/truetype/dejavu /usr/share/fonts/truetype/liberation "$W/usr/share/fonts/truetype/"
cp -a /etc/fonts "$W/etc/fonts"
# The cache is built for these very directories (fontconfig checks their mtimes, kept by cp -a): Chromium finds its
# fonts without writing a cache into the read-only root.
fc-cache -f >/dev/null 2>&1 || true; cp -a /var/cache/fontconfig "$W/var/cache/fontconfig"
mkdir -p "$CACHE/playwright-$PLAYWRIGHT_VERSION"
if [ ! -d "$CACHE/playwright-$PLAYWRIGHT_VERSION/lib/node_modules/@playwright/test" ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --global --no-audit --no-fund \
    --prefix "$CACHE/playwright-$PLAYWRIGHT_VERSION" "@playwright/test@$PLAYWRIGHT_VERSION" >/dev/null
fi
(cd "$CACHE/playwright-$PLAYWRIGHT_VERSION/lib" && tar -cf - node_modules) | tar -xf - -C "$W/usr/lib"
ln -sf ../lib/node_modules/@playwright/test/cli.js "$W/usr/bin/playwright"
build byot-local/playwright:1 "$W" NODE_PATH=/usr/lib/node_modules BYOT_PLAYWRIGHT_CHROMIUM=/usr/lib/chromium/chromium PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
