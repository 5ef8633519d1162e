#!/usr/bin/env bash
# Installs (or upgrades) the BYOT runner on a Linux machine that has a Docker engine:
#   - a system user `byot-runner` in the `docker` group (the runner talks to the engine through its socket)
#   - the self-contained executable in /opt/byot-runner
#   - its settings in /etc/byot-runner/runner.env (mode 0640, root:byot-runner), written from the arguments
#   - gVisor registered with the engine when the runsc package is installed (register-gvisor.sh)
#   - the systemd unit byot-runner.service, enabled and (re)started
# Run it on as many machines as you like: runners compete for work on the same queue.
#
# Usage: sudo deploy/runner/install.sh --database 'Host=...;Password=...' --storage 'DefaultEndpointsProtocol=...' [options]
#   --binary PATH        the published Byot.Runner (default: Byot.Runner beside this script, then ./Byot.Runner)
#   --database VALUE     Byot__Database__ConnectionString (Npgsql connection string)
#   --storage VALUE      Byot__Storage__ConnectionString (Azure Storage connection string)
#   --id ID              Byot__Runner__Id; stable and unique per machine (default: the host name)
#   --max-concurrent N   Byot__Runner__MaxConcurrentRuns
#   --set KEY=VALUE      any other setting in environment form, repeatable, for example
#                        --set Byot__Runner__Runtimes__node__Image=node:22-alpine
#   --keep-env           upgrade: keep the existing runner.env (other settings arguments are then refused)
#   --root DIR           install below DIR instead of / and touch nothing else: no user, no systemctl
#                        (for packaging and tests)
#   --no-start           enable the unit but do not (re)start it
# Values are written single-quoted; a value may not contain a single quote or a line break.
set -euo pipefail

SELF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVICE=byot-runner
USER_NAME=byot-runner

die() { echo "install.sh: $*" >&2; exit 2; }
log() { echo "install.sh: $*" >&2; }

binary=""; root=""; keep_env=0; start=1; id=""
declare -a settings=()
add_setting() {
  local key="${1%%=*}" value="${1#*=}"
  [[ "$1" == *=* ]] || die "setting '$1' is not KEY=VALUE"
  [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "setting name '$key' is not an environment variable name"
  [[ "$value" != *"'"* && "$value" != *$'\n'* ]] || die "the value of $key may not contain a single quote or a line break"
  settings+=("$key=$value")
}

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --database) add_setting "Byot__Database__ConnectionString=${2:?--database needs a value}"; shift 2 ;;
    --storage) add_setting "Byot__Storage__ConnectionString=${2:?--storage needs a value}"; shift 2 ;;
    --id) id="${2:?--id needs a value}"; shift 2 ;;
    --max-concurrent) add_setting "Byot__Runner__MaxConcurrentRuns=${2:?--max-concurrent needs a number}"; shift 2 ;;
    --set) add_setting "${2:?--set needs KEY=VALUE}"; shift 2 ;;
    --keep-env) keep_env=1; shift ;;
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --no-start) start=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

if [ -z "$binary" ]; then
  for candidate in "$SELF_DIR/Byot.Runner" "$PWD/Byot.Runner"; do
    if [ -f "$candidate" ]; then binary="$candidate"; break; fi
  done
fi
[ -n "$binary" ] && [ -f "$binary" ] || die "no runner executable: publish it (docs/deploy.md) and pass --binary PATH"
binary_dir="$(cd "$(dirname "$binary")" && pwd)"

prefix="${root%/}"
opt_dir="$prefix/opt/$SERVICE"
etc_dir="$prefix/etc/$SERVICE"
env_file="$etc_dir/runner.env"
unit_file="$prefix/etc/systemd/system/$SERVICE.service"

if [ -z "$root" ]; then
  [ "$(id -u)" = 0 ] || die "run as root (sudo), or pass --root DIR to stage an installation"
  getent group docker >/dev/null || die "no 'docker' group: install the Docker engine first"
fi

if [ "$keep_env" = 1 ]; then
  [ -f "$env_file" ] || die "--keep-env: $env_file does not exist yet"
  [ ${#settings[@]} -eq 0 ] && [ -z "$id" ] || die "--keep-env takes no settings arguments"
else
  # No `printf | grep -q` here: grep quits at the first match, printf then dies of SIGPIPE and pipefail fails the check.
  has_setting() { local s; for s in "${settings[@]}"; do [[ $s == "$1"* ]] && return 0; done; return 1; }
  has_setting 'Byot__Database__ConnectionString=' || die "--database is required"
  has_setting 'Byot__Storage__ConnectionString=' || die "--storage is required"
fi

# 1. The service account: a system user without a login, in the docker group.
if [ -z "$root" ]; then
  if ! id -u "$USER_NAME" >/dev/null 2>&1; then
    log "creating system user $USER_NAME"
    useradd --system --user-group --home-dir "/var/lib/$SERVICE" --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
  fi
  usermod -a -G docker "$USER_NAME"
fi
owner_group="$USER_NAME"; [ -n "$root" ] && owner_group="$(id -g)"

# 2. The executable (and the default appsettings.json published beside it), replaced atomically.
install -d -m 0755 "$opt_dir"
install -m 0755 "$binary" "$opt_dir/Byot.Runner.new"
mv -f "$opt_dir/Byot.Runner.new" "$opt_dir/Byot.Runner"
if [ -f "$binary_dir/appsettings.json" ]; then install -m 0644 "$binary_dir/appsettings.json" "$opt_dir/appsettings.json"; fi

# 3. The settings, readable by root and the service account only.
if [ "$keep_env" = 0 ]; then
  install -d -m 0750 "$etc_dir"
  [ -z "$root" ] && chown "root:$owner_group" "$etc_dir"
  tmp="$(mktemp "$etc_dir/.runner.env.XXXXXX")"
  {
    echo "# Written by deploy/runner/install.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Settings: docs/deploy.md."
    echo "Byot__Runner__Id='${id:-$(hostname -s)}'"
    for setting in "${settings[@]}"; do echo "${setting%%=*}='${setting#*=}'"; done
  } > "$tmp"
  chmod 0640 "$tmp"
  [ -z "$root" ] && chown "root:$owner_group" "$tmp"
  mv -f "$tmp" "$env_file"
  log "wrote $env_file"
fi

# 4. gVisor, when the runsc package is there: registered with the engine so Byot__Runner__Isolation can use it.
if [ -z "$root" ]; then "$SELF_DIR/register-gvisor.sh" || log "gVisor could not be registered; Runners keep runc"; fi

# 5. The unit.
install -d -m 0755 "$(dirname "$unit_file")"
install -m 0644 "$SELF_DIR/$SERVICE.service" "$unit_file"

if [ -n "$root" ]; then
  log "staged under $root (no user created, systemd untouched)"
  exit 0
fi

# 5. The egress network and its iptables rules for network-enabled tests (the runner re-installs and verifies them
#    at every start through the unit's capabilities; without them it starts no network-enabled test).
if (set -a; . "$env_file"; set +a; "$opt_dir/Byot.Runner" --install-egress); then
  log "egress rules for network-enabled tests are in place"
else
  log "warning: egress rules could not be installed; network-enabled tests will end infra_error until they are"
fi

systemctl daemon-reload
systemctl enable "$SERVICE.service" >/dev/null
if [ "$start" = 1 ]; then
  systemctl restart "$SERVICE.service"
  log "started; follow it with: journalctl -u $SERVICE -f"
else
  log "enabled; start it with: systemctl start $SERVICE"
fi
