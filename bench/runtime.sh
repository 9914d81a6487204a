#!/bin/bash
# berth-runtime run vs runc run vs crun run of `true` on the same busybox-static OCI bundle.
# Interleaved (berth runc crun berth runc crun ...), RUNS (>= 30) runs each, one warm-up round; prints each
# median and the ratios berth/runc and berth/crun.
# Then `exec` of `true` into a running container (`sleep`), berth-runtime vs runc, each into its own container,
# interleaved the same way; prints both medians and berth/runc (target <= 0.50).
#
# crun refuses this hybrid-cgroup host (the empty cgroup2 mount at /sys/fs/cgroup/unified), so each crun run
# goes through `unshare -m` with that mount unmounted (PEERS.md); the cost of that wrapper alone is measured as
# a fourth series and reported, so crun can be read with or without it.
#
# Env: BERTH_RUNTIME (default artifacts/publish/berth-runtime), RUNC, CRUN, RUNS (default 30).
set -euo pipefail
cd "$(dirname "$0")/.."

BERTH=${BERTH_RUNTIME:-$PWD/artifacts/publish/berth-runtime}
RUNC=${RUNC:-$(command -v runc || echo /usr/sbin/runc)}
CRUN=${CRUN:-$(command -v crun || echo /usr/bin/crun)}
RUNS=${RUNS:-30}
((RUNS >= 30)) || { echo "RUNS must be >= 30" >&2; exit 2; }
for b in "$BERTH" "$RUNC" "$CRUN" /bin/busybox; do
  [[ -x $b ]] || { echo "missing $b (make install / make deps)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/berth-bench.XXXXXX)
cgroup=berth-bench-$$
exec_cgroups=("$cgroup-exec-berth" "$cgroup-exec-runc")
cleanup() {
  for r in berth runc crun; do
    for id in $(ls "$work/root-$r" 2>/dev/null); do
      case $r in
        berth) "$BERTH" --root "$work/root-$r" delete --force "$id" ;;
        runc) "$RUNC" --root "$work/root-$r" delete --force "$id" ;;
        crun) unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh "$CRUN" --root "$work/root-$r" delete --force "$id" ;;
      esac
    done >/dev/null 2>&1 || true
  done
  # Only our own cgroup dirs, if a runtime left one.
  for name in "$cgroup" "${exec_cgroups[@]}"; do
    for d in /sys/fs/cgroup/*/"$name"; do [[ -d $d ]] && rmdir "$d" 2>/dev/null; done
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The bundle: busybox-static rootfs + runc's default spec, edited: no terminal, `true`, writable nothing, and an
# absolute cgroupsPath of our own (never nested under the caller's cgroups).
bundle=$work/bundle
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/sys" "$bundle/rootfs/dev" "$bundle/rootfs/tmp"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for applet in sh true; do ln -s busybox "$bundle/rootfs/bin/$applet"; done
(cd "$bundle" && "$RUNC" spec)
sed -i -e 's/"terminal": true/"terminal": false/' \
       -e 's/^\(\s*\)"sh"$/\1"true"/' \
       -e "s|\"linux\": {|\"linux\": {\n\t\t\"cgroupsPath\": \"/$cgroup\",|" "$bundle/config.json"
grep -q '"true"' "$bundle/config.json" && grep -q "/$cgroup" "$bundle/config.json" || { echo "could not edit config.json" >&2; exit 1; }
mkdir -p "$work/root-berth" "$work/root-runc" "$work/root-crun"

run_berth() { "$BERTH" --root "$work/root-berth" run --bundle "$bundle" "b$1"; }
run_runc()  { "$RUNC" --root "$work/root-runc" run --bundle "$bundle" "r$1"; }
run_crun()  { unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh "$CRUN" --root "$work/root-crun" run --bundle "$bundle" "c$1"; }
run_unshare() { unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh true; }

declare -A times
time_one() { # name iteration
  local t0 t1
  t0=${EPOCHREALTIME/./}
  if ! "run_$1" "$2" </dev/null >/dev/null 2>"$work/err"; then
    echo "$1 run #$2 failed: $(cat "$work/err")" >&2
    exit 1
  fi
  t1=${EPOCHREALTIME/./}
  times[$1]+="$(( 10#$t1 - 10#$t0 )) "  # microseconds, read from bash itself (no `date` fork per sample)
}

for name in berth runc crun unshare; do time_one "$name" warmup; done
times=()
for ((i = 0; i < RUNS; i++)); do
  for name in berth runc crun unshare; do time_one "$name" "$i"; done
done

median_us() { tr ' ' '\n' <<< "${times[$1]}" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.1f ms", u / 1000}'; }

mb=$(median_us berth) mr=$(median_us runc) mc=$(median_us crun) mu=$(median_us unshare)
echo "runs: $RUNS each, interleaved; bundle runs \`true\`"
printf '%-34s %s\n' "berth-runtime run ($BERTH)" "$(ms "$mb")"
printf '%-34s %s\n' "runc run" "$(ms "$mr")"
printf '%-34s %s\n' "crun run (via unshare -m)" "$(ms "$mc")"
printf '%-34s %s\n' "  of which unshare -m wrapper" "$(ms "$mu")"
awk -v b="$mb" -v r="$mr" -v c="$mc" -v u="$mu" 'BEGIN {
  printf "berth/runc = %.2f   (target <= 0.50)\n", b / r
  printf "berth/crun = %.2f   (target <= 1.00; %.2f against crun without the unshare wrapper)\n", b / c, b / (c - u > 0 ? c - u : c)
}'

# --- exec: `true` into a running container -------------------------------------------------------------------
# One long-running container per runtime, from a copy of the config with `sleep` as its process, its own cgroup and
# the same (absolute) rootfs.
ln -s busybox "$bundle/rootfs/bin/sleep"
exec_bundle() { # runtime -> bundle dir
  local dir=$work/bundle-exec-$1
  mkdir -p "$dir"
  sed -e 's/^\(\s*\)"true"$/\1"sleep", "100000"/' \
      -e "s|\"/$cgroup\"|\"/$cgroup-exec-$1\"|" \
      -e "s|\"path\": \"rootfs\"|\"path\": \"$bundle/rootfs\"|" "$bundle/config.json" > "$dir/config.json"
  grep -q '"sleep", "100000"' "$dir/config.json" && grep -q "/$cgroup-exec-$1" "$dir/config.json" && grep -q "\"$bundle/rootfs\"" "$dir/config.json" \
    || { echo "could not edit the exec bundle's config.json" >&2; exit 1; }
  echo "$dir"
}
"$BERTH" --root "$work/root-berth" run --detach --bundle "$(exec_bundle berth)" exec-target </dev/null >/dev/null 2>"$work/err" \
  || { echo "berth-runtime run --detach failed: $(cat "$work/err")" >&2; exit 1; }
"$RUNC" --root "$work/root-runc" run --detach --bundle "$(exec_bundle runc)" exec-target </dev/null >/dev/null 2>"$work/err" \
  || { echo "runc run --detach failed: $(cat "$work/err")" >&2; exit 1; }

run_exec_berth() { "$BERTH" --root "$work/root-berth" exec exec-target true; }
run_exec_runc()  { "$RUNC" --root "$work/root-runc" exec exec-target true; }

for name in exec_berth exec_runc; do time_one "$name" warmup; done
times[exec_berth]="" times[exec_runc]=""
for ((i = 0; i < RUNS; i++)); do
  for name in exec_berth exec_runc; do time_one "$name" "$i"; done
done

eb=$(median_us exec_berth) er=$(median_us exec_runc)
echo
echo "exec: $RUNS each, interleaved; \`exec ID true\` into a running \`sleep\`"
printf '%-34s %s\n' "berth-runtime exec" "$(ms "$eb")"
printf '%-34s %s\n' "runc exec" "$(ms "$er")"
awk -v b="$eb" -v r="$er" 'BEGIN { printf "exec berth/runc = %.2f   (target <= 0.50)\n", b / r }'
