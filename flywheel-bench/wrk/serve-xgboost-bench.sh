#!/usr/bin/env bash
# The prediction server with a small XGBoost model (100 trees, depth 6, 12 features, bike-sharing data), one-row
# requests, on loopback: wrk throughput for OIP v2 infer and MLflow /invocations, p50/p99 at a fixed 1,000 req/s,
# and the ratio to a hello-world Javalin server on the same stack and thread pool.
#   flywheel-bench/wrk/serve-xgboost-bench.sh [seconds per run, default 10]
# Needs wrk (apt-get install -y wrk); builds what it needs with Maven. About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/jdk.sh
JDK="$(find_jdk)"; JAVA="$JDK/bin/java"
DURATION=${1:-10}; WARM=${WARM:-15}
TMP=$(mktemp -d)
trap 'for p in $(cat "$TMP"/pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

JAVA_HOME="$JDK" mvn -o -q -B -DskipTests -pl flywheel-bench -am package >/dev/null 2>&1
JAVA_HOME="$JDK" mvn -o -q -B -DskipTests -pl flywheel-serving -am package dependency:build-classpath \
    -Dmdep.outputFile="$TMP/cp" -Dmdep.includeScope=test >/dev/null 2>&1
BENCH_CP="flywheel-bench/target/classes:flywheel-bench/target/lib/*"
SERVE_CP="flywheel-serving/target/test-classes:flywheel-serving/target/classes:$(cat "$TMP/cp")"
"$JAVA" -cp "$BENCH_CP" dev.flywheel.bench.serving.BenchModel ../shared/data/bike-sharing/hour.csv "$TMP/model"

lua() { # body-file -> lua script
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [=[%s]=]\n' "$(cat "$1")" >"$1.lua"; echo "$1.lua"; }
OIP_LUA=$(lua "$TMP/model/oip-body.json"); MLFLOW_LUA=$(lua "$TMP/model/mlflow-body.json")

serve() { # extra JVM options...
  rm -f "$TMP/ready"
  "$JAVA" -Xmx512m -XX:+UseParallelGC "$@" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$SERVE_CP" dev.flywheel.serving.ServerMain \
    --model-name bike --model-version 1 --format xgboost --model-file "$TMP/model/model.ubj" \
    --signature-file "$TMP/model/signature.json" --port 0 --ready-file "$TMP/ready" >"$TMP/server.log" 2>&1 &
  echo $! >>"$TMP/pids"
  for _ in $(seq 1 300); do [ -s "$TMP/ready" ] && break; sleep 0.1; done
  cat "$TMP/ready"
}
hello() {
  rm -f "$TMP/port"
  "$JAVA" -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$SERVE_CP" dev.flywheel.serving.BenchServerMain hello "$TMP/port" >"$TMP/hello.log" 2>&1 &
  echo $! >>"$TMP/pids"
  for _ in $(seq 1 300); do [ -s "$TMP/port" ] && break; sleep 0.1; done
  cat "$TMP/port"
}
stop_all() { for p in $(cat "$TMP"/pids); do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; : >"$TMP/pids"; }
bench() { # label url lua
  wrk -t1 -c8 -d"${WARM}s" -s "$3" "$2" >/dev/null
  local out; out=$(wrk -t1 -c32 -d"${DURATION}s" --latency -s "$3" "$2")
  echo "== $1 (load average $(cut -d' ' -f1 /proc/loadavg))"; echo "$out" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx|Socket errors" | sed 's/^/   /'
  echo "$out" | awk '/Requests\/sec/ {print $2}' >"$TMP/$1.rps"
}

PORT=$(hello); bench hello "http://127.0.0.1:$PORT/hello" flywheel-bench/wrk/hello.lua; stop_all
PORT=$(serve)
bench oip-infer "http://127.0.0.1:$PORT/v2/models/bike/infer" "$OIP_LUA"
bench invocations "http://127.0.0.1:$PORT/invocations" "$MLFLOW_LUA"
echo "== fixed rate 1000 req/s, OIP v2 infer (latency from each request's due time, 8 keep-alive connections)"
"$JAVA" flywheel-bench/src/main/java/dev/flywheel/bench/FixedRateLoad.java "http://127.0.0.1:$PORT/v2/models/bike/infer" \
    "$TMP/model/oip-body.json" 1000 "$DURATION" 8 | sed 's/^/   /'
stop_all
hello_rps=$(cat "$TMP/hello.rps"); oip=$(cat "$TMP/oip-infer.rps"); inv=$(cat "$TMP/invocations.rps")
echo "== ratio to hello-world: oip-infer $(awk "BEGIN {printf \"%.2f\", $oip/$hello_rps}")  invocations $(awk "BEGIN {printf \"%.2f\", $inv/$hello_rps}")"
