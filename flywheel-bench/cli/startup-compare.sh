#!/usr/bin/env bash
# `flywheel runs list` on 10,000 runs: this checkout against another checkout (the baseline), side by side in one
# hyperfine run, each command a cold JVM through the real launcher.
# Usage: flywheel-bench/cli/startup-compare.sh BASELINE_CHECKOUT [RUNS]
#   e.g.  git clone -q . /tmp/fw-baseline && git -C /tmp/fw-baseline checkout -q <commit>
#         flywheel-bench/cli/startup-compare.sh /tmp/fw-baseline
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
BASE="$(cd "$1" && pwd)"
RUNS="${2:-10000}"
. "$ROOT/scripts/lib/jdk.sh"
JDK="$(find_jdk)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

for side in "$BASE" "$ROOT"; do
  "$side/flywheel" --version >/dev/null            # builds the CLI if needed
  (cd "$side" && JAVA_HOME="$JDK" mvn -q -B -o -DskipTests package -pl flywheel-bench -am >/dev/null)
done
"$JDK/bin/java" -cp "$BASE/flywheel-bench/target/lib/*:$BASE/flywheel-bench/target/classes" \
  dev.flywheel.bench.engine.SeedRuns "$WORK/base/.flywheel" "$RUNS"
"$JDK/bin/java" -cp "$ROOT/flywheel-bench/target/lib/*:$ROOT/flywheel-bench/target/classes" \
  dev.flywheel.bench.engine.SeedRuns "$WORK/this/.flywheel" "$RUNS"
"$BASE/flywheel" --home "$WORK/base/.flywheel" runs list >/dev/null
"$ROOT/flywheel" --home "$WORK/this/.flywheel" runs list >/dev/null

hyperfine --warmup 3 --runs "${HYPERFINE_RUNS:-20}" --export-markdown "$WORK/result.md" \
  -n "baseline runs list" "$BASE/flywheel --home $WORK/base/.flywheel runs list" \
  -n "this runs list" "$ROOT/flywheel --home $WORK/this/.flywheel runs list" \
  -n "baseline runs list --json" "$BASE/flywheel --home $WORK/base/.flywheel runs list --json" \
  -n "this runs list --json" "$ROOT/flywheel --home $WORK/this/.flywheel runs list --json" \
  -n "this stack describe" "$ROOT/flywheel --home $WORK/this/.flywheel stack describe"
cat "$WORK/result.md"
