#!/usr/bin/env bash
# The serving data plane in one run, every server alone on the machine in turn (issue #20):
#   1. candidate HTTP stacks answering a hello-world POST: Vert.x 5, Jetty 12 core handler, JDK HttpServer with
#      virtual threads, Javalin 7 (the server's stack today);
#   2. the prediction server (3-feature linear test model): OIP REST one row, gRPC ModelInfer one row, 100-row
#      requests over both (rows/s), latency at a fixed 1,000 req/s over both;
#   3. adaptive batching off vs on under 64 concurrent one-row clients, on scikit-learn's ridge regressor in ONNX
#      (onnxruntime: a model whose call costs more than a row), over REST and gRPC.
#   flywheel-bench/wrk/dataplane-bench.sh [seconds per measurement, default 10]    (WARM=seconds of warm-up, default 5)
# Needs wrk (apt-get install -y wrk). Takes about 6 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
WARM=${WARM:-5}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
WRK_DIR=flywheel-bench/wrk
TMP=$(mktemp -d)
trap 'for p in $(cat "$TMP"/pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

mvn -o -q -B -pl flywheel-serving,flywheel-bench -am package -DskipTests >/dev/null
mvn -o -q -B -DskipTests -pl flywheel-serving -am package dependency:build-classpath -Dmdep.outputFile="$TMP/cp" -Dmdep.includeScope=test >/dev/null
SERVING_CP="flywheel-serving/target/test-classes:flywheel-serving/target/classes:$(cat "$TMP/cp")"
BENCH_CP="flywheel-bench/target/classes:flywheel-bench/target/lib/*"
JOPTS=(-Xmx512m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

await_port() { for _ in $(seq 1 600); do [ -s "$TMP/port" ] && break; sleep 0.1; done; cat "$TMP/port"; rm -f "$TMP/port"; }
serving() { # BenchServerMain options... -> REST port (gRPC port in $TMP/grpc)
  "$JAVA" "${JOPTS[@]}" -cp "$SERVING_CP" dev.flywheel.serving.BenchServerMain "$@" "$TMP/port" >"$TMP/server.log" 2>&1 &
  echo $! >>"$TMP/pids"; local port; port=$(await_port)
  [ -f "$TMP/port.grpc" ] && mv "$TMP/port.grpc" "$TMP/grpc"; echo "$port"
}
stack() { # vertx|jetty|jdk -> port
  "$JAVA" "${JOPTS[@]}" -cp "$BENCH_CP" dev.flywheel.bench.serving.HelloStacks "$1" "$TMP/port" >"$TMP/server.log" 2>&1 &
  echo $! >>"$TMP/pids"; await_port
}
stop_all() { for p in $(cat "$TMP"/pids); do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; : >"$TMP/pids"; }
load() { cut -d' ' -f1 /proc/loadavg; }
wrk_run() { # label url lua connections [body-file]
  BODY_FILE=${5:-} wrk -t1 -c8 -d"${WARM}s" -s "$3" "$2" >/dev/null
  local before out; before=$(load)
  out=$(BODY_FILE=${5:-} wrk -t1 -c"$4" -d"${DURATION}s" --latency -s "$3" "$2")
  printf '%-44s %10s req/s  p50 %8s  p99 %8s  non-2xx %s  (load %s/%s)\n' "$1" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(echo "$out" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0)" "$before" "$(load)"
}
grpc_run() { # label port model tensor columns rows concurrency [rate]
  "$JAVA" -Xmx256m -cp "$BENCH_CP" dev.flywheel.bench.serving.GrpcLoad "$2" "$3" "$4" "$5" "$6" "$WARM" "$7" ${8:-} >/dev/null
  printf '%-44s %s  (load %s)\n' "$1" "$("$JAVA" -Xmx256m -cp "$BENCH_CP" dev.flywheel.bench.serving.GrpcLoad "$2" "$3" "$4" "$5" "$6" "$DURATION" "$7" ${8:-})" "$(load)"
}
rows_body() { # rows columns tensor -> file
  local f="$TMP/body-$1-$2.json"
  /usr/bin/python3 -c "import json,sys; r,c,t=int(sys.argv[1]),int(sys.argv[2]),sys.argv[3]; print(json.dumps({'inputs':[{'name':t,'shape':[r,c],'datatype':'FP32','data':[[round((i*c+j)%17*0.25,2) for j in range(c)] for i in range(r)]}]}))" "$1" "$2" "$3" >"$f"
  echo "$f"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024)" MiB"}' /proc/meminfo), load $(load); java $("$JAVA" -version 2>&1 | head -1)"
echo "== 1. HTTP stacks: hello-world POST, wrk -t1 -c16"
for s in vertx jetty jdk; do PORT=$(stack "$s"); wrk_run "hello $s" "http://127.0.0.1:$PORT/hello" "$WRK_DIR/hello.lua" 16; stop_all; done
PORT=$(serving hello); wrk_run "hello javalin (the server's stack)" "http://127.0.0.1:$PORT/hello" "$WRK_DIR/hello.lua" 16; stop_all

echo "== 2. prediction server, linear model (3 features)"
PORT=$(serving serving grpc); GRPC=$(cat "$TMP/grpc")
wrk_run "OIP REST infer, 1 row, c16" "http://127.0.0.1:$PORT/v2/models/bike/infer" "$WRK_DIR/oip-infer.lua" 16
grpc_run "gRPC ModelInfer, 1 row, 16 in flight" "$GRPC" bike x 3 1 16
B100=$(rows_body 100 3 x)
wrk_run "OIP REST infer, 100 rows, c16 (x100 = rows/s)" "http://127.0.0.1:$PORT/v2/models/bike/infer" "$WRK_DIR/body-file.lua" 16 "$B100"
grpc_run "gRPC ModelInfer raw, 100 rows, 16 in flight" "$GRPC" bike x 3 100 16
printf '%s' '{"inputs":[{"name":"temp","shape":[1],"datatype":"FP32","data":[12.5]},{"name":"hum","shape":[1],"datatype":"FP32","data":[0.61]},{"name":"wind","shape":[1],"datatype":"FP32","data":[3.2]}]}' >"$TMP/one.json"
echo "OIP REST at a fixed 1000 req/s (8 connections, latency from due time):"
"$JAVA" flywheel-bench/src/main/java/dev/flywheel/bench/FixedRateLoad.java "http://127.0.0.1:$PORT/v2/models/bike/infer" "$TMP/one.json" 1000 "$DURATION" 8 | sed 's/^/   /'
grpc_run "gRPC at a fixed 1000 calls/s (latency from due)" "$GRPC" bike x 3 1 64 1000
stop_all

echo "== 3. adaptive batching, ONNX ridge regressor (12 features), 64 concurrent one-row clients"
B1=$(rows_body 1 12 features)
for mode in off on; do
  if [ "$mode" = on ]; then PORT=$(serving serving grpc onnx 64 batch=64:500); else PORT=$(serving serving grpc onnx 64); fi
  GRPC=$(cat "$TMP/grpc")
  wrk_run "batching $mode: OIP REST 1 row, c64" "http://127.0.0.1:$PORT/v2/models/ridge/infer" "$WRK_DIR/body-file.lua" 64 "$B1"
  grpc_run "batching $mode: gRPC 1 row, 64 in flight" "$GRPC" ridge features 12 1 64
  curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^flywheel_serving_model_call_rows_(count|sum)/ {printf "   %s %s\n", $1, $2}'
  stop_all
done
