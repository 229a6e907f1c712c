#!/usr/bin/env bash
# Benchmarks the prediction server on loopback against a hello-world Javalin server on the same stack.
#   flywheel-bench/wrk/serve-bench.sh [seconds per wrk run, default 10]
# Takes about 3 minutes. Needs wrk (apt-get install -y wrk) and a built flywheel-serving (mvn -o -pl flywheel-serving -am test-compile).
# The served model is the 3-feature linear test model from flywheel-serving's test sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}   # WARM=seconds of warm-up per endpoint (default 10)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
WRK_DIR=flywheel-bench/wrk
TMP=$(mktemp -d)
trap 'for p in $(cat "$TMP"/pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

mvn -o -q -B -pl flywheel-serving -am test-compile dependency:build-classpath -Dmdep.outputFile="$TMP/cp" -Dmdep.includeScope=test >/dev/null
CP="flywheel-serving/target/test-classes:flywheel-serving/target/classes:$(cat "$TMP/cp")"

start() { # kind [virtual] -> port
  "$JAVA" -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
      dev.flywheel.serving.BenchServerMain "$@" "$TMP/port" >"$TMP/server.log" 2>&1 &
  echo $! >>"$TMP/pids"
  for _ in $(seq 1 200); do [ -s "$TMP/port" ] && break; sleep 0.1; done
  cat "$TMP/port"; rm -f "$TMP/port"
}
stop_all() { for p in $(cat "$TMP"/pids); do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; : >"$TMP/pids"; }
rps() { awk '/Requests\/sec/ {print $2}'; }

WARM=${WARM:-10}
# JIT warm-up, not recorded: on a busy 2-core box C2 needs tens of seconds, and a cold JVM measures 3-5x slower.
warm() { wrk -t1 -c8 -d"${WARM}s" -s "$2" "$1" >/dev/null; }
bench() { # label url lua
  warm "$2" "$3"
  local out load_before; load_before=$(cut -d' ' -f1 /proc/loadavg); out=$(wrk -t1 -c32 -d"${DURATION}s" --latency -s "$3" "$2")
  echo "== $1"; echo "$out" | grep -E "Latency|Req/Sec|50%|99%|Requests/sec|Non-2xx|Socket errors" | sed 's/^/   /'
  echo "   load average before/after: $load_before / $(cut -d' ' -f1 /proc/loadavg)"
  echo "$out" | rps >"$TMP/$1.rps"
}

PORT=$(start hello)
bench hello "http://127.0.0.1:$PORT/hello" "$WRK_DIR/hello.lua"
stop_all

PORT=$(start serving)
warm "http://127.0.0.1:$PORT/invocations" "$WRK_DIR/invocations.lua" # both paths JIT-compiled before either is measured
bench oip-infer "http://127.0.0.1:$PORT/v2/models/bike/infer" "$WRK_DIR/oip-infer.lua"
bench invocations "http://127.0.0.1:$PORT/invocations" "$WRK_DIR/invocations.lua"
printf '%s' '{"inputs":[{"name":"temp","shape":[1],"datatype":"FP32","data":[12.5]},{"name":"hum","shape":[1],"datatype":"FP32","data":[0.61]},{"name":"wind","shape":[1],"datatype":"FP32","data":[3.2]}]}' >"$TMP/body.json"
echo "== fixed rate 1000 req/s, OIP v2 infer (latency from due time, 8 keep-alive connections)"
"$JAVA" flywheel-bench/src/main/java/dev/flywheel/bench/FixedRateLoad.java \
    "http://127.0.0.1:$PORT/v2/models/bike/infer" "$TMP/body.json" 1000 "$DURATION" 8 | sed 's/^/   /'
stop_all

PORT=$(start serving virtual)
warm "http://127.0.0.1:$PORT/invocations" "$WRK_DIR/invocations.lua"
bench oip-infer-virtual-threads "http://127.0.0.1:$PORT/v2/models/bike/infer" "$WRK_DIR/oip-infer.lua"
bench invocations-virtual-threads "http://127.0.0.1:$PORT/invocations" "$WRK_DIR/invocations.lua"
stop_all

hello=$(cat "$TMP/hello.rps"); oip=$(cat "$TMP/oip-infer.rps"); inv=$(cat "$TMP/invocations.rps")
echo "== ratio to hello-world: oip-infer $(awk "BEGIN {printf \"%.2f\", $oip/$hello}")  invocations $(awk "BEGIN {printf \"%.2f\", $inv/$hello}")"
