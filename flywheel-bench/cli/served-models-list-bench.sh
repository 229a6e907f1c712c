#!/usr/bin/env bash
# Benchmark: `flywheel served-models list` with a few running services, each from a cold JVM, timed with hyperfine
# beside the short commands every user types first (`runs list`, `--help`, `--version`), optionally side by side with
# a baseline launcher (another checkout's ./flywheel, for example one of the commit before).
# Usage: flywheel-bench/cli/served-models-list-bench.sh [SERVICES] [BASELINE_LAUNCHER]
#   (needs hyperfine: apt-get install hyperfine). Goal (issue 10): <= 300 ms with a few services.
# Prints mean, min, user and system CPU per command: on a shared, busy machine wall times inflate with the load;
# user CPU much less so, so it is the fairer comparison there (the load average is printed before and after).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
SERVICES="${1:-3}"
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
COMMANDS=()
add() {  # $1 = label prefix, $2 = launcher
  COMMANDS+=(-n "$1flywheel served-models list ($SERVICES services)" "$2 served-models list"
             -n "$1flywheel runs list" "$2 runs list"
             -n "$1flywheel --help" "$2 --help"
             -n "$1flywheel --version" "$2 --version")
}
if [ -n "$BASELINE" ]; then
  "$BASELINE" --version >/dev/null                        # builds the baseline if needed
  add "baseline " "$BASELINE"
fi
add "" "$FLYWHEEL"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 3 --runs "${HYPERFINE_RUNS:-20}" --export-json "$WORK/result.json" "${COMMANDS[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/result.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["results"]
print("| command | mean | min | user | system |")
print("|---|---:|---:|---:|---:|")
for r in rows:
    ms = lambda s: f"{s * 1000:.0f} ms"
    print(f"| `{r['command']}` | {ms(r['mean'])} ± {r['stddev'] * 1000:.0f} | {ms(r['min'])} | {ms(r['user'])} | {ms(r['system'])} |")
PY
