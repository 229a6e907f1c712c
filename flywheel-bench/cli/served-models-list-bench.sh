#!/usr/bin/env bash
# Benchmark: `flywheel served-models list` with a few running services, each from a cold JVM, timed with hyperfine
# side by side with a baseline launcher (another checkout's ./flywheel, for example one of the commit before).
# Usage: flywheel-bench/cli/served-models-list-bench.sh [SERVICES] [BASELINE_LAUNCHER]
#   (needs hyperfine: apt-get install hyperfine). Goal: <= 300 ms with 4 services.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
SERVICES="${1:-4}"
BASELINE="${2:-}"
WORK="$(mktemp -d)"
FLYWHEEL="$ROOT/flywheel"
cleanup() {
  for id in $(cd "$WORK" && "$FLYWHEEL" served-models list --json | grep -o '"uuid" : "[^"]*"' | cut -d'"' -f4); do
    (cd "$WORK" && "$FLYWHEEL" served-models delete "$id" -y >/dev/null) || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$WORK"
"$FLYWHEEL" init --example >/dev/null
"$FLYWHEEL" run demand_forecast >/dev/null 2>&1          # registers model demand v1
for i in $(seq 1 "$SERVICES"); do
  "$FLYWHEEL" models deploy demand 1 --new --as "demand-$i" >/dev/null   # a server of its own each time
done
"$FLYWHEEL" served-models list
COMMANDS=(-n "served-models list ($SERVICES services)" "$FLYWHEEL served-models list" -n "runs list (reference)" "$FLYWHEEL runs list")
if [ -n "$BASELINE" ]; then
  "$BASELINE" --version >/dev/null
  COMMANDS=(-n "baseline served-models list" "$BASELINE served-models list" "${COMMANDS[@]}")
fi
hyperfine -N --warmup 3 --runs 20 --export-markdown "$WORK/result.md" "${COMMANDS[@]}"
cat "$WORK/result.md"
