#!/bin/bash
# Aggregates xunit v3 xml results: prints ONE line "N passed, N failed, N skipped" over all projects and exits
# non-zero if any test failed, or a project crashed (no xml, unreadable xml, or a non-zero exit without failures).
# Usage: scripts/test-summary.sh RESULTS_DIR PROJECT...
set -uo pipefail
results=$1; shift
passed=0 failed=0 skipped=0 crashed=()

attr() { # xml-line attribute
  sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p" <<< "$1"
}

for name in "$@"; do
  xml="$results/$name.xml"
  status=$(cat "$results/$name.status" 2>/dev/null || echo 1)
  line=$(grep -o '<assembly [^>]*>' "$xml" 2>/dev/null | head -1)
  if [[ -z $line ]]; then
    crashed+=("$name (exit $status, no result xml)")
    continue
  fi
  p=$(attr "$line" passed) f=$(attr "$line" failed) s=$(attr "$line" skipped) e=$(attr "$line" errors)
  passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) skipped=$((skipped + ${s:-0}))
  if [[ ${e:-0} != 0 ]] || { [[ $status != 0 ]] && [[ ${f:-0} == 0 ]]; }; then
    crashed+=("$name (exit $status, ${e:-0} errors)")
  fi
done

for c in "${crashed[@]}"; do echo "CRASHED: $c"; done
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0 && ${#crashed[@]} == 0))
