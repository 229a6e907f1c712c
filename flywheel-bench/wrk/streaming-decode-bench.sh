#!/usr/bin/env bash
# Streaming vs tree request decoding on the REST prediction path, side by side on one server in one run (issue #20):
# the same requests with their fields in the order clients send them (read by the streaming readers, straight into
# the model's float buffer) and with the data before the header (left by the stream at its first value and read as a
# JsonNode tree, the reader every request used before). The tree side thus pays a few extra tokens of streaming
# before it falls back: an upper bound on the tree's cost by that much.
#   flywheel-bench/wrk/streaming-decode-bench.sh [seconds per measurement, default 10]    (WARM=seconds, default 5)
# Needs wrk. About 2.5 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
WARM=${WARM:-5}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
TMP=$(mktemp -d)
trap '[ -f "$TMP/pid" ] && kill "$(cat "$TMP/pid")" 2>/dev/null; rm -rf "$TMP"' EXIT

mvn -o -q -B -DskipTests -pl flywheel-serving -am package dependency:build-classpath -Dmdep.outputFile="$TMP/cp" -Dmdep.includeScope=test >/dev/null
"$JAVA_HOME/bin/java" -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "flywheel-serving/target/test-classes:flywheel-serving/target/classes:$(cat "$TMP/cp")" \
  dev.flywheel.serving.BenchServerMain serving "$TMP/port" >"$TMP/server.log" 2>&1 &
echo $! >"$TMP/pid"
for _ in $(seq 1 600); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port")

# Bodies for the 3-feature linear model ("bike"): one [N,3] matrix; /invocations as dataframe_split.
/usr/bin/python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
for n in (1, 100):
    rows = [[round((i * 3 + j) % 17 * 0.25, 2) for j in range(3)] for i in range(n)]
    header = [("name", "x"), ("shape", [n, 3]), ("datatype", "FP32")]
    streamed = {"inputs": [dict(header + [("data", rows)])]}
    tree = {"inputs": [dict([("data", rows)] + header)]}
    json.dump(streamed, open(f"{tmp}/oip-{n}-stream.json", "w"))
    json.dump(tree, open(f"{tmp}/oip-{n}-tree.json", "w"))
    cols = ["temp", "hum", "wind"]
    json.dump({"dataframe_split": {"columns": cols, "data": rows}}, open(f"{tmp}/mlflow-{n}-stream.json", "w"))
    json.dump({"dataframe_split": {"data": rows, "columns": cols}}, open(f"{tmp}/mlflow-{n}-tree.json", "w"))
PY

load() { cut -d' ' -f1 /proc/loadavg; }
run() { # label path body-file
  local url="http://127.0.0.1:$PORT$2" before out
  BODY_FILE=$3 wrk -t1 -c8 -d"${WARM}s" -s flywheel-bench/wrk/body-file.lua "$url" >/dev/null
  before=$(load)
  out=$(BODY_FILE=$3 wrk -t1 -c16 -d"${DURATION}s" --latency -s flywheel-bench/wrk/body-file.lua "$url")
  printf '%-40s %10s req/s  p50 %8s  p99 %8s  non-2xx %s  (load %s/%s)\n' "$1" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(echo "$out" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0)" "$before" "$(load)"
}
echo "machine: $(nproc) cores, load $(load); wrk -t1 -c16 -d${DURATION}s after ${WARM}s warm-up, one server"
for n in 1 100; do
  for side in stream tree; do
    run "OIP infer, $n row(s), $side" /v2/models/bike/infer "$TMP/oip-$n-$side.json"
  done
  for side in stream tree; do
    run "/invocations split, $n row(s), $side" /invocations "$TMP/mlflow-$n-$side.json"
  done
done
