#!/usr/bin/env bash
# berthd + berth vs Debian dockerd 20.10 (docker CLI 28) vs podman 4.3 (runc), image cached, interleaved in one run:
#   1. warm `run --rm IMAGE true` (docker and podman with --network none), RUNS each, medians and ratios;
#   2. 20 concurrent `run -d IMAGE sleep 60`, from launch until all 20 report running, CONC_RUNS rounds, then rm -f
#      (each client exec'd straight from its forked shell, for every engine: see launch);
#   3. idle daemon RSS (berthd vs dockerd + containerd, after startup and one `version`; again after the bench);
#   4. per-container RSS: the shim's VmRSS with one running container (berth-runtime shim, containerd-shim-runc-v2,
#      conmon) — found as the parent of the container's init (State.Pid);
#   5. `version` round trip (berth vs docker CLI) and the bare `/_ping` with curl --unix-socket.
# The image is a busybox built with umoci, pushed with skopeo to a docker-registry on loopback and pulled once by
# each engine before anything is timed. A "docker CLI -> berthd" series runs the same warm run through the docker
# CLI against berthd (separates the server from our CLI).
#   bench/run.sh          (root; env RUNS (>= 20, default 20), CONC (20), CONC_RUNS (5: a median of
#                          3 moved by one slow round), SETTLE (s between concurrent
#                          rounds, default 2), BERTH_BIN_DIR
#                          (default artifacts/publish: berth, berthd, berth-runtime), RUN_TIMEOUT (s, per client
#                          call, default 30), WARM_TIMEOUT (s, per warm run, default 10; a run over it counts as failed))
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO_ROOT/bench/lib.sh"

RUNS=${RUNS:-20}
CONC=${CONC:-20}
CONC_RUNS=${CONC_RUNS:-5}
SETTLE=${SETTLE:-2}
RUN_TIMEOUT=${RUN_TIMEOUT:-30}
WARM_TIMEOUT=${WARM_TIMEOUT:-10}
BIN=${BERTH_BIN_DIR:-$REPO_ROOT/artifacts/publish}
DOCKER_CLI=${DOCKER_CLI:-/usr/local/bin/docker}
((RUNS >= 20)) || { echo "RUNS must be >= 20" >&2; exit 2; }
for b in berth berthd berth-runtime; do
  [[ -x $BIN/$b ]] || { echo "missing $BIN/$b: make publish (or set BERTH_BIN_DIR)" >&2; exit 1; }
done
for t in "$DOCKER_CLI" dockerd containerd podman docker-registry skopeo umoci curl; do
  command -v "$t" >/dev/null || { echo "missing $t (make deps)" >&2; exit 1; }
done

bench_init run
start_registry
IMAGE=$(push_busybox busybox)
echo "image $IMAGE" >&2

# --- the engines and their clients -------------------------------------------------------------------------------
start_berthd "$BIN"
start_dockerd
setup_podman
berth() { BERTH_HOST=$BD_HOST timeout "$RUN_TIMEOUT" "$BIN/berth" "$@"; }
docker() { DOCKER_HOST=$DK_HOST DOCKER_CONFIG=$DK_CONFIG timeout "$RUN_TIMEOUT" "$DOCKER_CLI" "$@"; }
docker_on_berthd() { DOCKER_HOST=$BD_HOST DOCKER_CONFIG=$DK_CONFIG timeout "$RUN_TIMEOUT" "$DOCKER_CLI" "$@"; }
podman() { timeout "$RUN_TIMEOUT" "${PODMAN[@]}" "$@"; }
PODMAN_RUN=(run --cgroup-parent "/$BENCH_CGROUP")

remove_all() {
  berth rm -f $(berth ps -aq) || true
  docker rm -f $(docker ps -aq) || true
  podman rm -af -t 0 || true
}
BENCH_CLEANUPS+=(remove_all)

# Idle RSS: right after startup and one `version`, before any image or container.
berth version >/dev/null
docker version >/dev/null
IDLE_BERTHD=$(vm_rss_kib "$BERTHD_PID")
IDLE_DOCKERD=$(vm_rss_kib "$DOCKERD_PID")
IDLE_CONTAINERD=$(vm_rss_kib "$CONTAINERD_PID")

berth pull -q "$IMAGE" >/dev/null
docker pull -q "$IMAGE" >/dev/null
podman pull -q "$IMAGE" >/dev/null

# --- timing helpers ----------------------------------------------------------------------------------------------
declare -A times failures
# time_one SERIES COMMAND...: runs it (stdin /dev/null, output discarded), appends its ms to the series.
time_one() {
  local series=$1 t0 t1 rc=0; shift
  now_ns t0
  "$@" </dev/null >/dev/null 2>"$WORK/err" || rc=$?
  now_ns t1
  if ((rc == 0)); then
    times[$series]+="$(( (t1 - t0) / 1000 ))"$'\n'
  else
    failures[$series]=$(( ${failures[$series]:-0} + 1 ))
    echo "$series failed (exit $rc$( ((rc == 124)) && echo ", timed out")): $(head -c 300 "$WORK/err")" >&2
  fi
}
median_ms() { printf '%s' "${times[$1]:-}" | grep . | median | awk '{if ($1 != "") printf "%.1f", $1 / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.3f", a / b }'; }

# --- 1. warm run --rm --------------------------------------------------------------------------------------------
echo "warm run --rm: $RUNS rounds (berth, docker, podman, docker CLI -> berthd), one warm-up round" >&2
BERTH_RUN=(run --rm)
BERTH_RUN_NOTE=""
warm_round() {
  RUN_TIMEOUT=$WARM_TIMEOUT time_one run_berth berth "${BERTH_RUN[@]}" "$IMAGE" true
  RUN_TIMEOUT=$WARM_TIMEOUT time_one run_docker docker run --rm --network none "$IMAGE" true
  RUN_TIMEOUT=$WARM_TIMEOUT time_one run_podman podman "${PODMAN_RUN[@]}" --rm --network none "$IMAGE" true
  RUN_TIMEOUT=$WARM_TIMEOUT time_one run_dcb docker_on_berthd run --rm "$IMAGE" true
}
warm_round
# When a plain `berth run` cannot finish (a berthd that ends the attach stream only after the client half-closes
# it), time `berth run -i` with stdin at EOF instead, which half-closes, and say so.
if [[ -n ${failures[run_berth]:-} ]]; then
  BERTH_RUN=(run -i --rm)
  BERTH_RUN_NOTE="plain \`berth run --rm\` failed its warm-up run (error above); the berth row times \`berth run -i --rm\` (stdin at EOF)"
  echo "$BERTH_RUN_NOTE" >&2
  RUN_TIMEOUT=$WARM_TIMEOUT time_one run_berth berth "${BERTH_RUN[@]}" "$IMAGE" true
fi
times=() failures=()
for ((i = 0; i < RUNS; i++)); do warm_round; done

# --- 2. concurrent run -d ----------------------------------------------------------------------------------------
# launch ENGINE: one `run -d IMAGE sleep 60` by the engine's own client, exec'd straight from the shell forked for it.
# Not through the `timeout`/`env` wrappers of the helpers above: they cost about 1.3 ms of CPU per launch (a tenth of
# berth's round, a hundredth of docker's) that is no engine's; the round's watchdog stands in for `timeout`.
launch() {
  case $1 in
    berth) BERTH_HOST=$BD_HOST exec "$BIN/berth" run -d "$IMAGE" sleep 60 ;;
    docker) DOCKER_HOST=$DK_HOST DOCKER_CONFIG=$DK_CONFIG exec "$DOCKER_CLI" run --network none -d "$IMAGE" sleep 60 ;;
    podman) export "${PODMAN_ENV[@]}"; exec "${PODMAN[@]:$((1 + ${#PODMAN_ENV[@]}))}" "${PODMAN_RUN[@]}" --network none -d "$IMAGE" sleep 60 ;;
  esac
}
# conc_round ENGINE CLI...: launches CONC clients at once, waits until `CLI ps` counts CONC running; records seconds.
running_count() { "$@" ps -q --filter status=running 2>/dev/null | grep -c . || true; }
conc_round() {
  local engine=$1 t0 t1 i deadline watchdog; shift
  local -a cli=("$@") clients=()
  now_ns t0
  for ((i = 0; i < CONC; i++)); do
    launch "$engine" </dev/null >/dev/null 2>>"$WORK/conc-$engine.err" &
    clients+=($!)
  done
  # A client stuck past RUN_TIMEOUT is killed, as `timeout` would (the watchdog ends its own sleep when dismissed).
  ( sleep "$RUN_TIMEOUT" & s=$!; trap 'kill $s; exit 0' TERM; wait $s; kill "${clients[@]}" 2>/dev/null ) &
  watchdog=$!
  wait "${clients[@]}" || true
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  deadline=$((SECONDS + 120))
  until (( $(running_count "${cli[@]}") >= CONC )); do
    ((SECONDS < deadline)) || { echo "$engine: not all $CONC running after 120 s ($(head -c 300 "$WORK/conc-$engine.err"))" >&2; break; }
    sleep 0.02
  done
  now_ns t1
  (( $(running_count "${cli[@]}") >= CONC )) && times[conc_$engine]+="$(( (t1 - t0) / 1000 ))"$'\n'
  case $engine in
    podman) podman rm -af -t 0 >/dev/null ;;
    *) "${cli[@]}" rm -f $("${cli[@]}" ps -aq) >/dev/null ;;
  esac
  # The kernel tears the 20 network namespaces down in its own workers after the removal returns (and engines finish
  # removing files in the background): let that settle, so the next engine's round does not pay for this one's.
  sleep "$SETTLE"
}
echo "concurrent: $CONC_RUNS rounds of $CONC x run -d (berth, docker, podman)" >&2
for ((i = 0; i < CONC_RUNS; i++)); do
  conc_round berth berth
  conc_round docker docker
  conc_round podman podman
done

# --- 4. per-container RSS (the shim) -----------------------------------------------------------------------------
# shim_rss ENGINE CLI...: one `run -d sleep`, the parent of its init; prints "KiB name anon-KiB file-KiB".
shim_rss() {
  local id pid ppid; local -a cli=("${@:2}")
  case $1 in
    berth) id=$(berth run -d "$IMAGE" sleep 60) ;;
    docker) id=$(docker run -d --network none "$IMAGE" sleep 60) ;;
    podman) id=$(podman "${PODMAN_RUN[@]}" -d --network none "$IMAGE" sleep 60) ;;
  esac
  sleep 1
  pid=$("${cli[@]}" inspect -f '{{.State.Pid}}' "$id")
  ppid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")
  echo "$(vm_rss_kib "$ppid") $(cat "/proc/$ppid/comm") $(awk '/^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} END {print a, f}' "/proc/$ppid/status")"
  case $1 in
    podman) podman rm -f -t 0 "$id" >/dev/null ;;
    *) "${cli[@]}" rm -f "$id" >/dev/null ;;
  esac
}
SHIM_BERTH=$(shim_rss berth berth || echo "n/a ?")
SHIM_DOCKER=$(shim_rss docker docker || echo "n/a ?")
SHIM_PODMAN=$(shim_rss podman podman || echo "n/a ?")

# --- 5. version round trip and /_ping ----------------------------------------------------------------------------
echo "version and /_ping: $RUNS rounds" >&2
ping_berth() { curl -sf --unix-socket "$BD/berth.sock" http://berth/_ping; }
ping_docker() { curl -sf --unix-socket "$DK/docker.sock" http://docker/_ping; }
for ((i = 0; i <= RUNS; i++)); do
  time_one version_berth berth version
  time_one version_docker docker version
  time_one ping_berth ping_berth
  time_one ping_docker ping_docker
  if ((i == 0)); then times[version_berth]="" times[version_docker]="" times[ping_berth]="" times[ping_docker]=""; fi
done

# --- 3 (again). daemon RSS after all of the above ----------------------------------------------------------------
AFTER_BERTHD=$(vm_rss_kib "$BERTHD_PID")
AFTER_DOCKERD=$(vm_rss_kib "$DOCKERD_PID")
AFTER_CONTAINERD=$(vm_rss_kib "$CONTAINERD_PID")

# --- summary -----------------------------------------------------------------------------------------------------
mib() { awk -v k="$1" 'BEGIN { if (k == "" || k == "n/a") print "n/a"; else printf "%.1f MiB", k / 1024 }'; }
conc_s() { local m; m=$(median_ms "conc_$1"); [[ -n $m ]] && awk -v m="$m" 'BEGIN {printf "%.2f s", m / 1000}' || echo "n/a"; }
ms_or_na() { local m; m=$(median_ms "$1"); if [[ -n $m ]]; then echo "$m ms"; else echo "n/a"; fi; }
fails() { local f="" s; for s in "$@"; do [[ -n ${failures[$s]:-} ]] && f+=" $s:${failures[$s]}"; done; echo "${f:+ (failed runs:$f)}"; }

rb=$(median_ms run_berth) rd=$(median_ms run_docker) rp=$(median_ms run_podman) rdcb=$(median_ms run_dcb)
cb=$(median_ms conc_berth) cd=$(median_ms conc_docker) cp=$(median_ms conc_podman)
vb=$(median_ms version_berth) vd=$(median_ms version_docker)
pb=$(median_ms ping_berth) pd=$(median_ms ping_docker)
read -r shim_b shim_b_name shim_b_anon shim_b_file <<< "$SHIM_BERTH"
read -r shim_d shim_d_name shim_d_anon shim_d_file <<< "$SHIM_DOCKER"
read -r shim_p shim_p_name shim_p_anon shim_p_file <<< "$SHIM_PODMAN"
idle_dk=$((IDLE_DOCKERD + IDLE_CONTAINERD)) after_dk=$((AFTER_DOCKERD + AFTER_CONTAINERD))

echo
echo "bench/run.sh: $RUNS interleaved rounds, image $IMAGE (cached); load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
{
  echo "measure|berth|docker 20.10|podman 4.3|berth/docker|berth/podman|target"
  echo "warm run --rm true (median)$([[ -z $BERTH_RUN_NOTE ]] || echo ' *')|$(ms_or_na run_berth)|$(ms_or_na run_docker)|$(ms_or_na run_podman)|$(ratio "$rb" "$rd")|$(ratio "$rb" "$rp")|<= 0.100 of docker"
  echo "  same, docker CLI -> berthd|$(ms_or_na run_dcb)|||$(ratio "$rdcb" "$rd")|$(ratio "$rdcb" "$rp")|"
  echo "$CONC x run -d until running (median of $CONC_RUNS)|$(conc_s berth)|$(conc_s docker)|$(conc_s podman)|$(ratio "$cb" "$cd")|$(ratio "$cb" "$cp")|<= 0.100 of docker"
  echo "idle daemon RSS (startup + version)|$(mib "$IDLE_BERTHD")|$(mib "$idle_dk") (dockerd $(mib "$IDLE_DOCKERD") + containerd $(mib "$IDLE_CONTAINERD"))||$(ratio "$IDLE_BERTHD" "$idle_dk")||berthd <= 30 MiB"
  echo "daemon RSS after the bench|$(mib "$AFTER_BERTHD")|$(mib "$after_dk") (dockerd $(mib "$AFTER_DOCKERD") + containerd $(mib "$AFTER_CONTAINERD"))||$(ratio "$AFTER_BERTHD" "$after_dk")||"
  echo "shim RSS, 1 running container|$(mib "$shim_b") ($shim_b_name)|$(mib "$shim_d") ($shim_d_name)|$(mib "$shim_p") ($shim_p_name)|$(ratio "$shim_b" "$shim_d")|$(ratio "$shim_b" "$shim_p")|<= 5 MiB"
  echo "  of which anon / file-backed|$(mib "${shim_b_anon:-}") / $(mib "${shim_b_file:-}")|$(mib "${shim_d_anon:-}") / $(mib "${shim_d_file:-}")|$(mib "${shim_p_anon:-}") / $(mib "${shim_p_file:-}")|||"
  echo "version round trip (CLI)|$(ms_or_na version_berth)|$(ms_or_na version_docker)||$(ratio "$vb" "$vd")||"
  echo "/_ping (curl --unix-socket)|$(ms_or_na ping_berth)|$(ms_or_na ping_docker)||$(ratio "$pb" "$pd")||"
} | column -t -s '|'
f=$(fails run_berth run_docker run_podman run_dcb version_berth version_docker ping_berth ping_docker)
[[ -z $f ]] || echo "note:$f"
[[ -z $BERTH_RUN_NOTE ]] || echo "note: $BERTH_RUN_NOTE"
for e in berth docker podman; do
  [[ -s $WORK/conc-$e.err ]] && echo "note: $e run -d errors: $(head -c 300 "$WORK/conc-$e.err")"
done
exit 0
