#!/bin/bash
# `berth run hello-world` on a freshly installed machine (make quickstart runs it after `make deps install`).
#
# Docker Hub reachable: runs Docker Hub's hello-world. Not reachable (this script probes it with a short timeout):
# says so and runs the same flow offline — starts Debian's docker-registry on 127.0.0.1 at a free port with a
# temporary storage dir, builds a hello-world image itself (a gcc -static program, packed with umoci, pushed with
# skopeo; nothing is downloaded), and runs `berth run --rm 127.0.0.1:PORT/hello-world`.
#
# berthd: an already running daemon is used as it is. Otherwise the script starts one and stops it (by PID) at the
# end, unless --keep-daemon is given. The registry, the temp dirs and the offline image are removed on every exit.
#
# Usage: scripts/quickstart.sh [--bin DIR] [--keep-daemon] [--offline]
#   --bin DIR       where berth and berthd are (default: the directory of `berth` on PATH, else /usr/local/bin)
#   --keep-daemon   leave a berthd this script started running
#   --offline       skip the Docker Hub probe and use the local registry
set -euo pipefail

BIN=
KEEP_DAEMON=0
FORCE_OFFLINE=0
while (($#)); do
  case $1 in
    --bin) BIN=$2; shift 2 ;;
    --keep-daemon) KEEP_DAEMON=1; shift ;;
    --offline) FORCE_OFFLINE=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "quickstart: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOCKET=/run/berth/berth.sock
HUB=registry-1.docker.io

say() { echo "quickstart: $*" >&2; }
die() { say "$*"; exit 1; }

[[ $EUID -eq 0 ]] || die "run as root (berthd creates namespaces, cgroups and mounts)"
if [[ -z $BIN ]]; then
  if command -v berth >/dev/null; then BIN=$(dirname "$(command -v berth)"); else BIN=/usr/local/bin; fi
fi
BERTH=$BIN/berth
BERTHD=$BIN/berthd
for binary in "$BERTH" "$BERTHD" "$BIN/berth-runtime"; do
  [[ -x $binary ]] || die "$binary is missing (make install PREFIX=... installs berth, berthd and berth-runtime)"
done
# The daemon this script talks to is the local one on the default socket, whatever the environment points at, and
# a berthd it starts uses the berth-runtime installed next to it.
unset BERTH_HOST DOCKER_HOST BERTH_RUNTIME

WORK=$(mktemp -d /tmp/berth-quickstart-XXXXXX)
REGISTRY_PID=
DAEMON_PID=
IMAGE=

stop_pid() { # pid name seconds: SIGTERM, then wait for it to exit (SIGKILL after the grace period)
  local pid=$1 name=$2 grace=$3 waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= grace * 10)); then
      say "$name (pid $pid) did not stop within ${grace} s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  set +e
  if [[ -n $IMAGE ]] && daemon_answers && ! "$BERTH" rmi "$IMAGE" >/dev/null 2>&1; then
    say "could not remove $IMAGE (berth rmi $IMAGE removes it)"
  fi
  if [[ -n $DAEMON_PID ]]; then
    if ((KEEP_DAEMON)); then
      say "berthd keeps running (pid $DAEMON_PID, log $BERTHD_LOG); stop it with: kill $DAEMON_PID"
    else
      say "stopping the berthd it started (pid $DAEMON_PID)"
      stop_pid "$DAEMON_PID" berthd 30
    fi
  fi
  [[ -n $REGISTRY_PID ]] && stop_pid "$REGISTRY_PID" docker-registry 10
  if ((status != 0)); then
    for log in "$WORK"/*.log; do
      [[ -s $log ]] && { say "--- $(basename "$log") (last lines)"; tail -n 20 "$log" >&2; }
    done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The socket exists and the daemon answers on it (berth version fails when it does not; with the socket present
# the CLI does not try to start a daemon itself).
daemon_answers() { [[ -S $SOCKET ]] && "$BERTH" version >/dev/null 2>&1; }

hub_reachable() {
  if command -v curl >/dev/null; then
    # Any HTTP answer (Docker Hub's /v2/ says 401) means the registry is reachable.
    curl -sS -o /dev/null --connect-timeout 3 --max-time 5 "https://$HUB/v2/" 2>/dev/null
  else
    timeout 5 bash -c "exec 3<>/dev/tcp/$HUB/443" 2>/dev/null
  fi
}

free_port() { # a loopback port nobody listens on
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free loopback port found"
}

wait_until() { # seconds description command...: polls every 0.1 s
  local seconds=$1 what=$2; shift 2
  local tries=$((seconds * 10))
  while ((tries-- > 0)); do
    "$@" && return 0
    sleep 0.1
  done
  die "$what did not come up within $seconds s"
}

registry_answers() { curl -s -o /dev/null --max-time 1 "http://$1/v2/"; }

start_registry() { # -> REGISTRY (host:port), REGISTRY_PID
  command -v docker-registry >/dev/null || die "docker-registry is missing (make deps installs it)"
  local port; port=$(free_port)
  REGISTRY=127.0.0.1:$port
  mkdir -p "$WORK/registry"
  cat > "$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry/data
http:
  addr: $REGISTRY
EOF
  docker-registry serve "$WORK/registry/config.yml" > "$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  wait_until 20 "docker-registry on $REGISTRY" registry_answers "$REGISTRY"
  kill -0 "$REGISTRY_PID" 2>/dev/null || die "docker-registry exited (port $port taken?)"
  say "started docker-registry on $REGISTRY (pid $REGISTRY_PID, storage in $WORK/registry)"
}

push_hello_world() { # builds the image from scripts/hello-world/hello.c and pushes REGISTRY/hello-world:latest
  for tool in gcc umoci skopeo; do command -v $tool >/dev/null || die "$tool is missing (make deps installs it)"; done
  local layout=$WORK/image/layout bundle=$WORK/image/bundle
  mkdir -p "$WORK/image"
  gcc -static -Os -s -o "$WORK/image/hello" "$REPO_ROOT/scripts/hello-world/hello.c"
  umoci init --layout "$layout"
  umoci new --image "$layout:latest"
  umoci unpack --image "$layout:latest" "$bundle" > /dev/null
  install -m 0755 "$WORK/image/hello" "$bundle/rootfs/hello"
  umoci repack --image "$layout:latest" "$bundle"
  umoci config --image "$layout:latest" --config.cmd /hello \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  skopeo copy --quiet "oci:$layout:latest" "docker://$REGISTRY/hello-world:latest" --dest-tls-verify=false
  say "built hello-world ($(stat -c %s "$WORK/image/hello") byte static program) and pushed it to $REGISTRY/hello-world:latest"
}

start_daemon() { # args: extra berthd flags
  BERTHD_LOG=$WORK/berthd.log
  ((KEEP_DAEMON)) && BERTHD_LOG=/run/berth-quickstart-berthd.log
  say "starting $BERTHD $*"
  "$BERTHD" "$@" > "$BERTHD_LOG" 2>&1 < /dev/null &
  DAEMON_PID=$!
  wait_until 30 "berthd on $SOCKET" daemon_answers
}

if ((FORCE_OFFLINE)); then
  ONLINE=0
elif hub_reachable; then
  ONLINE=1
else
  ONLINE=0
  say "Docker Hub ($HUB) cannot be reached from here: running the same flow against a local registry instead,"
  say "with a hello-world image built on this machine (nothing is downloaded)"
fi

if ((ONLINE)); then
  REFERENCE=hello-world
  DAEMON_FLAGS=()
else
  start_registry
  push_hello_world
  REFERENCE=$REGISTRY/hello-world
  # Loopback registries are plain HTTP anyway; the flag says so explicitly, as dockerd users would write it.
  DAEMON_FLAGS=(--insecure-registry "$REGISTRY")
fi

if daemon_answers; then
  say "using the berthd already running on $SOCKET"
else
  start_daemon "${DAEMON_FLAGS[@]}"
fi

((ONLINE)) || IMAGE=$REFERENCE
say "\$ berth run --rm $REFERENCE"
set +e
"$BERTH" run --rm "$REFERENCE"
status=$?
set -e
if ((status == 0)); then say "done: berth run hello-world works on this machine"; else say "berth run exited with status $status"; fi
exit "$status"
