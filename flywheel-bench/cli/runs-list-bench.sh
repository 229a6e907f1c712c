#!/usr/bin/env bash
# Benchmark (d): `flywheel runs list` on a store with 10,000 runs, each from a cold JVM, timed with hyperfine.
# Usage: flywheel-bench/cli/runs-list-bench.sh [RUNS]   (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$ROOT/scripts/lib/jdk.sh"
JDK="$(find_jdk)"
RUNS="${1:-10000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$ROOT/flywheel" --version >/dev/null            # builds the CLI if needed
(cd "$ROOT" && JAVA_HOME="$JDK" mvn -q -B -o -DskipTests package -pl flywheel-bench -am >/dev/null)
"$JDK/bin/java" -cp "$ROOT/flywheel-bench/target/lib/*:$ROOT/flywheel-bench/target/classes" \
  dev.flywheel.bench.engine.SeedRuns "$WORK/.flywheel" "$RUNS"

export FLYWHEEL_HOME="$WORK/.flywheel"
"$ROOT/flywheel" runs list >/dev/null              # first call creates the class-data-sharing archive
hyperfine --warmup 3 --runs 20 --export-markdown "$WORK/result.md" \
  "$ROOT/flywheel runs list" \
  "$ROOT/flywheel runs list --limit 1000" \
  "$ROOT/flywheel runs list --json"
cat "$WORK/result.md"
