#!/usr/bin/env bash
# Serving throughput with the prediction log off and on, in one run (issue 16: at most 5 % lower with it on).
#   flywheel-bench/wrk/prediction-log-bench.sh [seconds per wrk run, default 10] [rounds, default 2]
# About 2 minutes with the defaults. Needs wrk (apt-get install -y wrk). Each round starts a server without and one
# with the log (every request logged, the default rate), warms it up, then measures OIP v2 infer with
# `wrk -t1 -c32` and one-row bodies; rounds alternate so that drift in the machine's load hits both alike.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
ROUNDS=${2:-2}
WARM=${WARM:-10}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
WRK_DIR=flywheel-bench/wrk
TMP=$(mktemp -d)
trap 'for p in $(cat "$TMP"/pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

mvn -o -q -B -pl flywheel-serving -am test-compile dependency:build-classpath -Dmdep.outputFile="$TMP/cp" -Dmdep.includeScope=test >/dev/null
CP="flywheel-serving/target/test-classes:flywheel-serving/target/classes:$(cat "$TMP/cp")"

start() { # kind -> port
  "$JAVA" -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
      dev.flywheel.serving.BenchServerMain "$1" "$TMP/port" 2>>"$TMP/server.err" >/dev/null &
  echo $! >"$TMP/pids"
  for _ in $(seq 1 200); do [ -s "$TMP/port" ] && break; sleep 0.1; done
  cat "$TMP/port"; rm -f "$TMP/port"
}
stop() { local p; p=$(cat "$TMP/pids"); kill "$p"; wait "$p" 2>/dev/null || true; : >"$TMP/pids"; }

run() { # kind round
  local port out rps
  port=$(start "$1")
  wrk -t1 -c8 -d"${WARM}s" -s "$WRK_DIR/oip-infer.lua" "http://127.0.0.1:$port/v2/models/bike/infer" >/dev/null
  out=$(wrk -t1 -c32 -d"${DURATION}s" --latency -s "$WRK_DIR/oip-infer.lua" "http://127.0.0.1:$port/v2/models/bike/infer")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "== round $2 $1: $rps req/s, p50 $(echo "$out" | awk '$1=="50%" {print $2}'), p99 $(echo "$out" | awk '$1=="99%" {print $2}'), load $(cut -d' ' -f1 /proc/loadavg)"
  echo "$rps" >>"$TMP/$1.rps"
  stop
}

for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then run serving "$r"; run serving-logged "$r"; else run serving-logged "$r"; run serving "$r"; fi
done
grep "prediction log:" "$TMP/server.err" | sed 's/^/   /' || true
off=$(awk '{s+=$1} END {print s/NR}' "$TMP/serving.rps"); on=$(awk '{s+=$1} END {print s/NR}' "$TMP/serving-logged.rps")
echo "== mean off $off req/s, on $on req/s: logging costs $(awk "BEGIN {printf \"%.1f\", 100*(1-$on/$off)}") %"
