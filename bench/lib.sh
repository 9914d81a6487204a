# Shared setup for the bench/*.sh scripts (sourced, not run): a work dir and its cleanup, timing helpers, a
# docker-registry on loopback, engine-free images (umoci + skopeo) and a Debian dockerd with its own containerd.
# Everything a script starts lives under $WORK and is stopped by PID on exit (never by name).
#   source "$(dirname "$0")/lib.sh"; bench_init NAME
# shellcheck shell=bash

BENCH_PIDS=()     # servers, stopped in reverse order of start (dockerd before its containerd)
BENCH_CLEANUPS=() # functions run first on exit (e.g. removing containers while their daemon still serves)
BENCH_CGROUP=""   # a cgroup of our own (at the root of every hierarchy) for the peers' containers
BENCH_DIRS=()     # $WORK and any other dir we made (cleanup: processes mentioning it, mounts under it, the tree)

# bench_init NAME: makes $WORK (/tmp/berth-bench-NAME-XXXXXX) and installs the cleanup trap.
bench_init() {
  WORK=$(mktemp -d "/tmp/berth-bench-$1-XXXXXX")
  BENCH_CGROUP="berth-bench-$(basename "$WORK")"
  BENCH_DIRS=("$WORK")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# stop_pid PID: SIGTERM, then SIGKILL after 15 s; waits until it is gone.
stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# bench_short_dir: a second work dir with a short path (/run/bx-XXXXXX) for daemons whose unix sockets live deep
# under it (the 108-byte sun_path limit); cleaned up like $WORK. Sets SHORT_DIR.
bench_short_dir() {
  SHORT_DIR=$(mktemp -d /run/bx-XXXXXX)
  BENCH_DIRS+=("$SHORT_DIR")
}

# PIDs of processes whose command line mentions DIR/ (shims, conmon, containers' leftovers), never ourselves.
pids_mentioning() {
  local f pid
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    { tr '\0' ' ' < "$f"; } 2>/dev/null | grep -qF "$1/" && echo "$pid"
  done
  return 0
}

bench_cleanup() {
  set +e
  local f i pid d
  for f in "${BENCH_CLEANUPS[@]}"; do "$f" >/dev/null 2>&1; done
  for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${BENCH_PIDS[i]}"; done
  for d in "${BENCH_DIRS[@]}"; do
    for pid in $(pids_mentioning "$d"); do kill -KILL "$pid" 2>/dev/null; done
  done
  for d in "${BENCH_DIRS[@]}"; do
    # At or under $d: berthd mounts a tmpfs on an exec-root that is on disk (an engine's own mounts lie under it).
    awk -v d="$d" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  done
  # Only our own cgroup trees, deepest first.
  for d in /sys/fs/cgroup/*/"$BENCH_CGROUP"; do
    [[ -d $d ]] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  rm -rf "${BENCH_DIRS[@]}"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { echo "$EPOCHREALTIME"; }
# now_ns VAR: the wall clock in ns into VAR, read from bash itself (a `date` fork would add ~1 ms to every sample).
now_ns() { local t=${EPOCHREALTIME/./}; printf -v "$1" '%s' "$((10#$t * 1000))"; }
# median of the numbers on stdin, one a line
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# vm_rss_kib PID: the process's VmRSS in KiB
vm_rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# start_server NAME LOG PROGRAM ARGS...: runs it in the background, logs to LOG, remembers its PID (LAST_PID).
start_server() {
  local name=$1 log=$2; shift 2
  "$@" </dev/null >"$log" 2>&1 &
  LAST_PID=$!
  BENCH_PIDS+=("$LAST_PID")
  echo "started $name (pid $LAST_PID)" >&2
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND until it succeeds; fails after SECONDS.
wait_for() {
  local what=$1 deadline=$((SECONDS + $2)); shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 0.1
  done
}

# start_registry: a docker-registry on 127.0.0.1:free port, storage in $WORK/registry. Sets REGISTRY (host:port).
start_registry() {
  local port; port=$(free_port)
  cat > "$WORK/registry.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: 127.0.0.1:$port
YAML
  start_server docker-registry "$WORK/registry.log" docker-registry serve "$WORK/registry.yml"
  REGISTRY=127.0.0.1:$port
  wait_for "the registry" 30 curl -sf "http://$REGISTRY/v2/"
}

# push_busybox NAME: a busybox image built without an engine (busybox-static, one symlink per applet, passwd/group,
# cmd sh), pushed to $REGISTRY as NAME:latest. Prints the reference.
push_busybox() {
  local name=$1 layout=$WORK/image-$1 bundle=$WORK/image-$1-bundle applet
  umoci init --layout "$layout"
  umoci new --image "$layout:latest"
  umoci unpack --image "$layout:latest" "$bundle" >/dev/null
  local rootfs=$bundle/rootfs
  mkdir -p "$rootfs"/{bin,etc,tmp,root,proc,sys,dev}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ $applet == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
  umoci repack --image "$layout:latest" "$bundle"
  umoci config --image "$layout:latest" --config.cmd sh \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  rm -rf "$bundle"
  skopeo copy --quiet "oci:$layout:latest" "docker://$REGISTRY/$name:latest" --dest-tls-verify=false
  echo "$REGISTRY/$name:latest"
}

# start_dockerd: containerd with its own config/root/state/socket, then Debian's dockerd 20.10 with its own
# data-root, exec-root, pidfile, socket and cgroup parent, no bridge/iptables, $REGISTRY insecure. Sets DK (its dir),
# DK_HOST (unix://…), DK_CONFIG (a DOCKER_CONFIG dir), CONTAINERD_PID, DOCKERD_PID.
start_dockerd() {
  DK=$WORK/dk
  mkdir -p "$DK/docker-config"
  echo '{"auths":{}}' > "$DK/docker-config/config.json"
  cat > "$DK/containerd.toml" <<TOML
version = 2
root = "$DK/containerd-root"
state = "$DK/containerd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$DK/containerd.sock"
[ttrpc]
  address = "$DK/containerd.sock.ttrpc"
TOML
  start_server containerd "$DK/containerd.log" containerd --config "$DK/containerd.toml"
  CONTAINERD_PID=$LAST_PID
  wait_for containerd 30 test -S "$DK/containerd.sock"
  echo "{\"deprecated-key-path\": \"$DK/key.json\"}" > "$DK/daemon.json"
  start_server dockerd "$DK/dockerd.log" dockerd --config-file "$DK/daemon.json" --containerd "$DK/containerd.sock" \
    --data-root "$DK/data" --exec-root "$DK/exec" --pidfile "$DK/dockerd.pid" -H "unix://$DK/docker.sock" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$BENCH_CGROUP" --insecure-registry "$REGISTRY"
  DOCKERD_PID=$LAST_PID
  DK_HOST=unix://$DK/docker.sock
  DK_CONFIG=$DK/docker-config
  wait_for dockerd 60 curl -sf --unix-socket "$DK/docker.sock" http://docker/_ping
}

# setup_podman: podman with everything of its own under $WORK/podman (PEERS.md): containers.conf (ulimits within
# this machine's hard limits, cgroupfs, file events, no network, runc), storage.conf (overlay), registries.conf
# ($REGISTRY insecure), an empty DOCKER_CONFIG. Sets PODMAN (an array: the command with its global options) and
# PODMAN_ENV (env assignments for `env`).
setup_podman() {
  local dir=$WORK/podman d
  for d in root runroot tmp xdg networks docker-config libpod-tmp; do mkdir -p "$dir/$d"; done
  cat > "$dir/containers.conf" <<TOML
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
tmp_dir = "$dir/libpod-tmp"
runtime = "runc"
[network]
network_config_dir = "$dir/networks"
TOML
  cat > "$dir/storage.conf" <<TOML
[storage]
driver = "overlay"
graphroot = "$dir/root"
runroot = "$dir/runroot"
TOML
  cat > "$dir/registries.conf" <<TOML
unqualified-search-registries = []
[[registry]]
location = "$REGISTRY"
insecure = true
TOML
  echo '{"auths":{}}' > "$dir/docker-config/config.json"
  PODMAN_ENV=(CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf"
    CONTAINERS_REGISTRIES_CONF="$dir/registries.conf" DOCKER_CONFIG="$dir/docker-config"
    TMPDIR="$dir/tmp" XDG_RUNTIME_DIR="$dir/xdg")
  PODMAN=(env "${PODMAN_ENV[@]}" podman --root "$dir/root" --runroot "$dir/runroot")
}

# start_berthd BIN_DIR: berthd (BIN_DIR/berthd) with its own socket, config file, data-root, exec-root and pid file,
# $REGISTRY insecure, BERTH_RUNTIME=BIN_DIR/berth-runtime. Sets BD (its dir), BD_HOST (unix://…), BERTHD_PID.
# The exec-root holds s/<16 hex digits>/shim.sock: it gets a short dir of its own (bench_short_dir).
start_berthd() {
  BD=$WORK/bd
  mkdir -p "$BD"
  bench_short_dir
  BD_EXEC=$SHORT_DIR
  echo '{}' > "$BD/daemon.json"
  BD_HOST=unix://$BD/berth.sock
  start_server berthd "$BD/berthd.log" env BERTH_RUNTIME="$1/berth-runtime" "$1/berthd" -H "$BD_HOST" \
    --config-file "$BD/daemon.json" --data-root "$BD/data" --exec-root "$BD_EXEC" -p "$BD/berthd.pid" \
    --insecure-registry "$REGISTRY"
  BERTHD_PID=$LAST_PID
  wait_for berthd 60 curl -sf --unix-socket "$BD/berth.sock" http://berth/_ping
}
