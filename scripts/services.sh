#!/usr/bin/env bash
# Installs what is missing and starts Postgres, Azurite, an S3-protocol server (moto's) and dockerd on 127.0.0.1,
# idempotently.
# Usage: scripts/services.sh [start|stop|status|restart-postgres|restart-azurite|restart-s3|restart-docker]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${BYOT_STATE_DIR:-/var/tmp/byot-services}"
PG_PORT="${BYOT_PG_PORT:-5432}"
PG_DATA="$STATE/pgdata"
AZURITE_VERSION="3.35.0"
AZURITE_DIR="$STATE/azurite-$AZURITE_VERSION"
AZURITE_DATA="$STATE/azurite-data"
DOCKER_SOCK="/var/run/docker.sock"
# The S3 backend's tests run against moto's standalone server (multipart, presigned PUT, ranged GET, listing with
# prefix and start-after, conditional PUT): in memory, so a restart empties it.
MOTO_VERSION="5.2.1"
S3_PORT="${BYOT_S3_PORT:-10020}"

log() { echo "services: $*" >&2; }
SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
# initdb and pg_ctl refuse to run as root.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
# The newest installed server (15 on Debian 12, 16 on Ubuntu 24.04).
pg_bin() { echo "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/$1"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing() {
  apt_install postgresql docker.io busybox-static ca-certificates gcc libc6-dev runsc python3
  command -v node >/dev/null || apt_install nodejs npm
  if [ ! -x "$AZURITE_DIR/node_modules/.bin/azurite" ]; then
    log "installing azurite@$AZURITE_VERSION"
    mkdir -p "$AZURITE_DIR"
    npm install --silent --no-audit --no-fund --prefix "$AZURITE_DIR" "azurite@$AZURITE_VERSION" >/dev/null
  fi
  if [ "$(moto_version)" != "$MOTO_VERSION" ]; then
    log "installing moto[server]==$MOTO_VERSION"
    python3 -m pip install --quiet "moto[server]==$MOTO_VERSION" >/dev/null 2>&1 \
      || python3 -m pip install --quiet --break-system-packages "moto[server]==$MOTO_VERSION" >/dev/null \
      || log "moto $MOTO_VERSION could not be installed: the S3 tests will fail to reach 127.0.0.1:$S3_PORT"
  fi
}

moto_version() { python3 -c 'import importlib.metadata as m, moto.server, flask_cors; print(m.version("moto"))' 2>/dev/null || true; }

start_postgres() {
  $SUDO mkdir -p "$STATE"; $SUDO chmod 1777 "$STATE"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"; chown postgres:postgres "$PG_DATA"
    as_postgres "$(pg_bin initdb)" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  if as_postgres "$(pg_bin pg_isready)" -h 127.0.0.1 -p "$PG_PORT" -q; then return 0; fi
  as_postgres "$(pg_bin pg_ctl)" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start >/dev/null
  as_postgres "$(pg_bin psql)" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
  # The database the local Functions app and Runner use; tests make their own.
  if [ -z "$(as_postgres "$(pg_bin psql)" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'byot'")" ]; then
    as_postgres "$(pg_bin createdb)" -h 127.0.0.1 -p "$PG_PORT" -U postgres byot
  fi
  log "postgres up on 127.0.0.1:$PG_PORT"
}

stop_postgres() { [ -s "$PG_DATA/PG_VERSION" ] && as_postgres "$(pg_bin pg_ctl)" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; }

azurite_up() { (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/10001) 2>/dev/null; }

start_azurite() {
  if azurite_up; then return 0; fi
  mkdir -p "$AZURITE_DATA"
  nohup "$AZURITE_DIR/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --location "$AZURITE_DATA" >"$STATE/azurite.log" 2>&1 &
  echo $! > "$STATE/azurite.pid"
  for _ in $(seq 1 100); do azurite_up && { log "azurite up on 127.0.0.1:10000/10001"; return 0; }; sleep 0.2; done
  log "azurite did not start; see $STATE/azurite.log"; return 1
}

stop_azurite() {
  if [ -f "$STATE/azurite.pid" ]; then kill "$(cat "$STATE/azurite.pid")" 2>/dev/null || true; rm -f "$STATE/azurite.pid"; fi
  pkill -f "azurite-$AZURITE_VERSION/node_modules" 2>/dev/null || true
  for _ in $(seq 1 50); do azurite_up || return 0; sleep 0.1; done
}

s3_up() { (exec 3<>/dev/tcp/127.0.0.1/$S3_PORT) 2>/dev/null; }

start_s3() {
  if s3_up; then return 0; fi
  [ -n "$(moto_version)" ] || { log "moto is not installed; S3 not started"; return 1; }
  nohup python3 -m moto.server -H 127.0.0.1 -p "$S3_PORT" >"$STATE/s3.log" 2>&1 &
  echo $! > "$STATE/s3.pid"
  for _ in $(seq 1 100); do s3_up && { log "s3 (moto $MOTO_VERSION) up on 127.0.0.1:$S3_PORT"; return 0; }; sleep 0.2; done
  log "the S3 server did not start; see $STATE/s3.log"; return 1
}

stop_s3() {
  if [ -f "$STATE/s3.pid" ]; then kill "$(cat "$STATE/s3.pid")" 2>/dev/null || true; rm -f "$STATE/s3.pid"; fi
  for _ in $(seq 1 50); do s3_up || return 0; sleep 0.1; done
}

docker_up() { /usr/bin/docker -H "unix://$DOCKER_SOCK" version >/dev/null 2>&1; }

start_docker() {
  # gVisor as the engine runtimes byot-gvisor / byot-gvisor-net (a running engine reloads; containers untouched).
  $SUDO "$ROOT/deploy/runner/register-gvisor.sh"
  if docker_up; then return 0; fi
  pgrep -x containerd >/dev/null || { nohup $SUDO containerd >"$STATE/containerd.log" 2>&1 & }
  nohup $SUDO dockerd --host "unix://$DOCKER_SOCK" --containerd /run/containerd/containerd.sock >"$STATE/dockerd.log" 2>&1 &
  echo $! > "$STATE/dockerd.pid"
  for _ in $(seq 1 150); do docker_up && { log "dockerd up on $DOCKER_SOCK"; return 0; }; sleep 0.2; done
  log "dockerd did not start; see $STATE/dockerd.log"; return 1
}

stop_docker() {
  if [ -f "$STATE/dockerd.pid" ]; then kill "$(cat "$STATE/dockerd.pid")" 2>/dev/null || true; fi
  for _ in $(seq 1 100); do docker_up || { rm -f "$STATE/dockerd.pid"; return 0; }; sleep 0.2; done
}

case "${1:-start}" in
  start) install_missing; start_postgres; start_azurite; start_s3; start_docker ;;
  stop) stop_azurite; stop_s3; stop_postgres; stop_docker ;;
  restart-postgres) stop_postgres; start_postgres ;;
  restart-azurite) stop_azurite; start_azurite ;;
  restart-s3) stop_s3; start_s3 ;;
  restart-docker) stop_docker; start_docker ;;
  status) docker_up && echo "docker: up" || echo "docker: down"; azurite_up && echo "azurite: up" || echo "azurite: down"
          s3_up && echo "s3: up" || echo "s3: down"
          as_postgres "$(pg_bin pg_isready)" -h 127.0.0.1 -p "$PG_PORT" -q && echo "postgres: up" || echo "postgres: down" ;;
  *) echo "usage: $0 [start|stop|status|restart-postgres|restart-azurite|restart-s3|restart-docker]"; exit 2 ;;
esac
