#!/usr/bin/env bash
# Cold pull of a ~150 MB / 5-layer image from a docker-registry on loopback, each engine through its long-running
# daemon: `berth pull` against a berthd started once (overlay snapshots, its own data-root), `docker pull` against
# Debian's dockerd 20.10 (own data-root, no bridge), and `skopeo copy` to an OCI layout (no unpack). Before each
# berth and docker pull the image is removed (`rmi`, which garbage-collects blobs and snapshots) and berthd's store
# is checked to be really cold (no blob, no snapshot). A fourth series, tests/Berth.PullProbe, is the same
# ImagePuller in a fresh process each time (JIT and startup included, directory snapshots). Runs interleave; medians
# and ratios are printed.
#   bench/pull.sh [RUNS]        (default 5; root; needs docker.io, docker-registry, skopeo, umoci;
#                                env BERTH_BIN_DIR (default artifacts/publish: berth, berthd), PROBE=0 skips the probe)
set -euo pipefail

RUNS=${1:-5}
LAYERS=5
LAYER_MB=30
PROBE_SERIES=${PROBE:-1}
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BERTH_BIN_DIR:-$REPO_ROOT/artifacts/publish}
for b in berth berthd; do
  [[ -x $BIN/$b ]] || { echo "missing $BIN/$b: make publish (or set BERTH_BIN_DIR)" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
source "$REPO_ROOT/bench/lib.sh"
bench_init pull

if ((PROBE_SERIES)); then
  echo "building the pull probe (Release)…" >&2
  dotnet build -c Release -v q -nologo "$REPO_ROOT/tests/Berth.PullProbe" >/dev/null
fi
PROBE="$REPO_ROOT/tests/Berth.PullProbe/bin/Release/net10.0/Berth.PullProbe"

echo "building a $LAYERS-layer image of ${LAYER_MB} MB random layers with umoci…" >&2
LAYOUT="$WORK/layout"
umoci init --layout "$LAYOUT"
umoci new --image "$LAYOUT:bench"
umoci unpack --image "$LAYOUT:bench" "$WORK/bundle" >/dev/null
for i in $(seq 1 "$LAYERS"); do
  mkdir -p "$WORK/bundle/rootfs/layer$i"
  head -c "$((LAYER_MB * 1024 * 1024))" /dev/urandom > "$WORK/bundle/rootfs/layer$i/data"
  umoci repack --refresh-bundle --image "$LAYOUT:bench" "$WORK/bundle"
done
rm -rf "$WORK/bundle"

start_registry
REF="$REGISTRY/bench:latest"
skopeo copy --quiet "oci:$LAYOUT:bench" "docker://$REF" --dest-tls-verify=false
echo "pushed $REF ($(du -sh "$WORK/registry" | cut -f1))" >&2

echo "starting containerd + dockerd…" >&2
start_dockerd
export DOCKER_HOST="$DK_HOST" DOCKER_CONFIG="$DK_CONFIG"
DOCKER=/usr/bin/docker

echo "starting berthd…" >&2
start_berthd "$BIN"
BERTH() { BERTH_HOST=$BD_HOST "$BIN/berth" "$@"; }

# Fails unless berthd holds no blob, no snapshot and no layer directory (what a cold pull starts from).
assert_berth_cold() {
  local blobs snaps dirs
  blobs=$(find "$BD/data/content/blobs" -type f 2>/dev/null | wc -l)
  snaps=$(find "$BD"/data/snapshots/*/snapshots -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  dirs=$(find "$BD/data/content/ingest" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  if ((blobs + snaps + dirs > 0)); then
    echo "berthd's store is not cold: $blobs blobs, $snaps snapshot dirs, $dirs ingests" >&2
    find "$BD/data" -maxdepth 5 >&2
    exit 1
  fi
}

# cpu_ticks PID...: user + system time of the processes and their reaped children, in clock ticks. The daemons'
# CPU per pull is steadier than wall time on a busy machine (the other engines' clients are not counted either).
cpu_ticks() {
  local pid total=0
  for pid in "$@"; do total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat"))); done
  echo "$total"
}
TCK=$(getconf CLK_TCK)

# Each prints "WALL CPU" (seconds; CPU of the daemons only).
run_berth() {
  BERTH rmi -f "$REF" >/dev/null 2>&1 || true
  assert_berth_cold
  local t0 c0; t0=$(now); c0=$(cpu_ticks "$BERTHD_PID")
  BERTH pull -q "$REF" >/dev/null
  echo "$(echo "$(now) - $t0" | bc) $(echo "($(cpu_ticks "$BERTHD_PID") - $c0) / $TCK" | bc -l)"
}
run_probe() {
  rm -rf "$WORK/probe"
  local t0; t0=$(now)
  "$PROBE" "$WORK/probe" "$REF" --overlay >/dev/null
  echo "$(now) - $t0" | bc
}
run_docker() {
  $DOCKER rmi -f "$REF" >/dev/null 2>&1 || true
  local t0 c0; t0=$(now); c0=$(cpu_ticks "$DOCKERD_PID" "$CONTAINERD_PID")
  $DOCKER pull -q "$REF" >/dev/null
  echo "$(echo "$(now) - $t0" | bc) $(echo "($(cpu_ticks "$DOCKERD_PID" "$CONTAINERD_PID") - $c0) / $TCK" | bc -l)"
}
run_skopeo() {
  rm -rf "$WORK/skopeo"
  local t0; t0=$(now)
  skopeo copy --quiet --src-tls-verify=false "docker://$REF" "oci:$WORK/skopeo:bench"
  echo "$(now) - $t0" | bc
}

# One warm-up each (page cache, the daemons' first pull), not counted.
run_berth >/dev/null; run_docker >/dev/null; run_skopeo >/dev/null
((PROBE_SERIES)) && run_probe >/dev/null
: > "$WORK/berth.times"; : > "$WORK/docker.times"; : > "$WORK/skopeo.times"; : > "$WORK/probe.times"
: > "$WORK/berth.cpu"; : > "$WORK/docker.cpu"
for i in $(seq 1 "$RUNS"); do
  out=$(run_berth); read -r b bc <<< "$out"
  out=$(run_docker); read -r d dc <<< "$out"
  s=$(run_skopeo); p=0
  ((PROBE_SERIES)) && p=$(run_probe)
  echo "$b" >> "$WORK/berth.times"; echo "$d" >> "$WORK/docker.times"; echo "$s" >> "$WORK/skopeo.times"
  echo "$p" >> "$WORK/probe.times"; echo "$bc" >> "$WORK/berth.cpu"; echo "$dc" >> "$WORK/docker.cpu"
  printf 'run %d: berthd %.3f s (cpu %.2f)  docker %.3f s (cpu %.2f)  skopeo %.3f s  probe %.3f s\n' \
    "$i" "$b" "$bc" "$d" "$dc" "$s" "$p"
done
BERTH rmi -f "$REF" >/dev/null 2>&1; assert_berth_cold

B=$(median < "$WORK/berth.times"); D=$(median < "$WORK/docker.times"); S=$(median < "$WORK/skopeo.times")
P=$(median < "$WORK/probe.times"); BC=$(median < "$WORK/berth.cpu"); DC=$(median < "$WORK/docker.cpu")
echo "image: $LAYERS layers x ${LAYER_MB} MB random, gzip (umoci), registry on loopback; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'median  berth pull (berthd) %.3f s | docker pull (dockerd) %.3f s | skopeo copy (no unpack) %.3f s\n' "$B" "$D" "$S"
printf 'ratio   berth/docker %.2f (target <= 0.33) | berth/skopeo %.2f (target <= 1.5)\n' \
  "$(echo "$B / $D" | bc -l)" "$(echo "$B / $S" | bc -l)"
printf 'daemon CPU per pull (median): berthd %.2f s | dockerd + containerd %.2f s | ratio %.2f\n' \
  "$BC" "$DC" "$(echo "$BC / $DC" | bc -l)"
if ((PROBE_SERIES)); then
  printf 'PullProbe (fresh process each pull, JIT, overlay snapshots): %.3f s | /docker %.2f | /skopeo %.2f\n' \
    "$P" "$(echo "$P / $D" | bc -l)" "$(echo "$P / $S" | bc -l)"
fi
