#!/usr/bin/env bash
# Normal requests while 40 connections trickle a body at 1 byte/s (issue 11 item 4): the server (ServerMain with the
# small XGBoost model, default 32 workers) takes 500 one-row OIP requests/s for SECONDS on 8 keep-alive connections,
# measured from each request's due time (FixedRateLoad), first alone (the baseline), then beside SlowClients.
#   flywheel-bench/wrk/slow-clients-bench.sh [seconds per run, default 20]
# Builds what it needs with Maven. About 1 minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/jdk.sh
JDK="$(find_jdk)"; JAVA="$JDK/bin/java"
DURATION=${1:-20}
TMP=$(mktemp -d)
trap 'for p in $(cat "$TMP"/pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

JAVA_HOME="$JDK" mvn -o -q -B -DskipTests -pl flywheel-bench -am package >/dev/null 2>&1
JAVA_HOME="$JDK" mvn -o -q -B -DskipTests -pl flywheel-serving -am package dependency:build-classpath \
    -Dmdep.outputFile="$TMP/cp" >/dev/null 2>&1
BENCH_CP="flywheel-bench/target/classes:flywheel-bench/target/lib/*"
SERVE_CP="flywheel-serving/target/classes:$(cat "$TMP/cp")"
"$JAVA" -cp "$BENCH_CP" dev.flywheel.bench.serving.BenchModel ../shared/data/bike-sharing/hour.csv "$TMP/model"

"$JAVA" -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$SERVE_CP" dev.flywheel.serving.ServerMain \
  --model-name bike --model-version 1 --format xgboost --model-file "$TMP/model/model.ubj" \
  --signature-file "$TMP/model/signature.json" --port 0 --ready-file "$TMP/ready" >"$TMP/server.log" 2>&1 &
echo $! >>"$TMP/pids"
for _ in $(seq 1 300); do [ -s "$TMP/ready" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$TMP/ready")/v2/models/bike/infer"
LOAD="flywheel-bench/src/main/java/dev/flywheel/bench/FixedRateLoad.java"

"$JAVA" "$LOAD" "$URL" "$TMP/model/oip-body.json" 500 5 8 >/dev/null   # warm-up
echo "== baseline: 500 req/s, no slow clients (load average $(cut -d' ' -f1 /proc/loadavg))"
"$JAVA" "$LOAD" "$URL" "$TMP/model/oip-body.json" 500 "$DURATION" 8 | sed 's/^/   /'
echo "== 500 req/s beside 40 connections trickling 1 byte/s (load average $(cut -d' ' -f1 /proc/loadavg))"
"$JAVA" flywheel-bench/src/main/java/dev/flywheel/bench/SlowClients.java "$URL" 40 $((DURATION + 5)) | sed 's/^/   /' &
ATTACK=$!
sleep 2
"$JAVA" "$LOAD" "$URL" "$TMP/model/oip-body.json" 500 "$DURATION" 8 | sed 's/^/   /'
wait "$ATTACK"
