#!/usr/bin/env bash
# Registers gVisor (Debian's `runsc` package) with the Docker engine as the two OCI runtimes BYOT uses, idempotently:
#   byot-gvisor      runsc --network=none   tests without network
#   byot-gvisor-net  runsc --network=host   network-enabled tests: gVisor hands its sockets to the container's own
#                                            network namespace, so BYOT's bridge and egress rules still apply
# It merges them into the engine's daemon.json (other settings are kept) and asks a running engine to reload
# (SIGHUP: running containers are not touched). Without runsc it says so and changes nothing.
# Usage: register-gvisor.sh [--root DIR] [--runsc PATH]    (--root: write DIR/etc/docker/daemon.json, signal nothing)
set -euo pipefail

root=""; runsc="$(command -v runsc || true)"
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --runsc) runsc="${2:?--runsc needs a path}"; shift 2 ;;
    *) echo "register-gvisor.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
log() { echo "register-gvisor.sh: $*" >&2; }

if [ -z "$runsc" ] || [ ! -x "$runsc" ]; then
  log "runsc is not installed (apt-get install runsc): gVisor not registered; Runners keep runc"
  exit 0
fi

daemon_json="${root%/}/etc/docker/daemon.json"
mkdir -p "$(dirname "$daemon_json")"
changed="$(python3 - "$daemon_json" "$runsc" <<'PY'
import json, os, sys
path, runsc = sys.argv[1], sys.argv[2]
config = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path) as f:
        config = json.load(f)
wanted = {
    "byot-gvisor": {"path": runsc, "runtimeArgs": ["--network=none"]},
    "byot-gvisor-net": {"path": runsc, "runtimeArgs": ["--network=host"]},
}
runtimes = config.setdefault("runtimes", {})
if all(runtimes.get(name) == spec for name, spec in wanted.items()):
    print("no")
else:
    runtimes.update(wanted)
    tmp = path + ".byot-tmp"
    with open(tmp, "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    print("yes")
PY
)"

if [ "$changed" = "no" ]; then
  log "gVisor already registered in $daemon_json (byot-gvisor, byot-gvisor-net)"
else
  log "registered gVisor in $daemon_json (byot-gvisor, byot-gvisor-net)"
fi
if [ -z "$root" ] && [ "$changed" = "yes" ] && pid="$(pgrep -x dockerd | head -1)"; then
  kill -HUP "$pid"
  log "asked the running engine (pid $pid) to reload its configuration"
fi
