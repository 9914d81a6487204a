#!/bin/bash
# Runs every test project (tests/*.Tests) from its built executable with xunit v3's in-process runner, writing
# one xml result per project into RESULTS_DIR. Unit test projects run in parallel with each other; the
# Integration project (privileged, shares the host) runs alone afterwards. Ends with one summary line for all
# projects and exits non-zero if a test failed or a project crashed.
# Usage: scripts/run-tests.sh [RESULTS_DIR]   (build first: dotnet build Berth.slnx)
set -uo pipefail
cd "$(dirname "$0")/.."
results=${1:-artifacts/test-results}
config=${TEST_CONFIGURATION:-Debug}
mkdir -p "$results"
rm -f "$results"/*.xml "$results"/*.log "$results"/*.status

run_project() { # name
  local name=$1 exe="tests/$1/bin/$config/net10.0/$1"
  if [[ ! -x $exe ]]; then
    echo "missing test executable $exe (build the solution first)" > "$results/$name.log"
    echo 127 > "$results/$name.status"
    return
  fi
  "$exe" -xml "$results/$name.xml" > "$results/$name.log" 2>&1
  echo $? > "$results/$name.status"
}

projects=()
for dir in tests/*.Tests; do projects+=("$(basename "$dir")"); done

pids=()
for name in "${projects[@]}"; do
  [[ $name == Berth.Integration.Tests ]] && continue
  run_project "$name" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

for name in "${projects[@]}"; do
  [[ $name == Berth.Integration.Tests ]] && run_project "$name"
done

for name in "${projects[@]}"; do
  echo "=== $name (exit $(cat "$results/$name.status"))"
  # The runner's own summary plus every failure/skip line; the full log stays in the results dir.
  grep -E '\[FAIL\]|\[SKIP\]|Total:|missing test executable|Unhandled|Exception' "$results/$name.log" | sed 's/\x1b\[[0-9;]*m//g' | head -50
done

# Each failure again with the start of its message and of its stack, last: a CI log that keeps only its tail
# still says why and where.
for name in "${projects[@]}"; do
  grep -q '\[FAIL\]' "$results/$name.log" 2>/dev/null || continue
  echo "=== failures in $name"
  sed 's/\x1b\[[0-9;]*m//g' "$results/$name.log" | awk '/\[FAIL\]/ {n = 10} / Stack Trace:/ {n = 7} n > 0 {print; n--}' | head -80
done

exec scripts/test-summary.sh "$results" "${projects[@]}"
