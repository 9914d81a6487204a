#!/usr/bin/env bash
# Cold pull of a ~150 MB / 5-layer image from a docker-registry on loopback: berth (tests/Berth.PullProbe, the
# real ImagePuller into a FileContentStore + layer directories), `docker pull` (Debian dockerd 20.10, own data-root,
# no bridge) and `skopeo copy` to an OCI layout (no unpack). Runs interleave; medians and ratios are printed.
#   bench/pull.sh [RUNS]        (default 5; root; needs docker.io, docker-registry, skopeo, umoci)
set -euo pipefail

RUNS=${1:-5}
LAYERS=5
LAYER_MB=30
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO_ROOT/bench/lib.sh"
bench_init pull

echo "building the pull probe (Release)…" >&2
dotnet build -c Release -v q -nologo "$REPO_ROOT/tests/Berth.PullProbe" >/dev/null
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

run_berth() {
  rm -rf "$WORK/berth"
  local t0; t0=$(now)
  "$PROBE" "$WORK/berth" "$REF" >/dev/null
  echo "$(now) - $t0" | bc
}
run_docker() {
  $DOCKER rmi -f "$REF" >/dev/null 2>&1 || true
  local t0; t0=$(now)
  $DOCKER pull -q "$REF" >/dev/null
  echo "$(now) - $t0" | bc
}
run_skopeo() {
  rm -rf "$WORK/skopeo"
  local t0; t0=$(now)
  skopeo copy --quiet --src-tls-verify=false "docker://$REF" "oci:$WORK/skopeo:bench"
  echo "$(now) - $t0" | bc
}

# One warm-up each (page cache, JIT of the registry paths), not counted.
run_berth >/dev/null; run_docker >/dev/null; run_skopeo >/dev/null
: > "$WORK/berth.times"; : > "$WORK/docker.times"; : > "$WORK/skopeo.times"
for i in $(seq 1 "$RUNS"); do
  b=$(run_berth); d=$(run_docker); s=$(run_skopeo)
  echo "$b" >> "$WORK/berth.times"; echo "$d" >> "$WORK/docker.times"; echo "$s" >> "$WORK/skopeo.times"
  printf 'run %d: berth %.3f s  docker %.3f s  skopeo %.3f s\n' "$i" "$b" "$d" "$s"
done

# berthd is a long-running process: the same cold pulls (fresh store each) in one warm process, JIT paid once.
rm -rf "$WORK/warm"
"$PROBE" "$WORK/warm" "$REF" --repeat "$((RUNS + 1))" 2>&1 >/dev/null | awk '/^pull [0-9]+:/ && NR > 1 {print $3}' > "$WORK/warm.times"
W=$(median < "$WORK/warm.times")

B=$(median < "$WORK/berth.times"); D=$(median < "$WORK/docker.times"); S=$(median < "$WORK/skopeo.times")
echo "image: $LAYERS layers x ${LAYER_MB} MB random, gzip (umoci), registry on loopback; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'median  berth %.3f s | docker pull %.3f s | skopeo copy (no unpack) %.3f s\n' "$B" "$D" "$S"
printf 'ratio   berth/docker %.2f (target <= 0.33) | berth/skopeo %.2f (target <= 1.5)\n' \
  "$(echo "$B / $D" | bc -l)" "$(echo "$B / $S" | bc -l)"
printf 'warm process (daemon-like, not interleaved): berth %.3f s | /docker %.2f | /skopeo %.2f\n' \
  "$W" "$(echo "$W / $D" | bc -l)" "$(echo "$W / $S" | bc -l)"
