#!/bin/bash
# Installs, from Debian's packages, what the tests and NativeAOT publishing need. Idempotent: only missing
# packages are installed, and no service is started (policy-rc.d answers 101 while apt runs).
set -euo pipefail

PACKAGES=(
  runc crun busybox-static          # reference runtimes and the test rootfs
  gcc zlib1g-dev binutils           # NativeAOT native link
  libc6-dev                         # gcc -static of the syscall probe run in test containers (tests/payload)
  hyperfine procps iproute2         # benchmarks, ps/pgrep, ip
  skopeo umoci docker-registry      # images without an engine, a local registry
  podman conmon                     # engines that drive berth-runtime (tests/Berth.Integration.Tests/Engines)
  docker.io containerd              #   dockerd + containerd, started by the tests with their own state dirs
  tmux                              # pty-driven tests (podman run -it, TerminalTests: run with a terminal)
  apache2-utils                     # htpasswd for the Basic-auth registry in the pull and push tests
  curl                              # registry probes in scripts/quickstart.sh and bench/
)

missing=()
for p in "${PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [[ $EUID -ne 0 ]]; then
  echo "deps: missing ${missing[*]}; run as root" >&2
  exit 1
fi

created_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { if ((created_policy)); then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
