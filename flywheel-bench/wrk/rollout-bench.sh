#!/usr/bin/env bash
# Progressive delivery's cost, in one run on one server process (small XGBoost model, one-row OIP v2 requests, wrk
# -t1 -c32): throughput and p50/p99 with a single version, with a 50/50 canary (requests carry no client key, so each
# takes a random bucket), and with a shadow mirroring every request; then the time of the abort switch (all traffic
# back on the champion), measured by the admin call's own round trip, 20 times.
#   flywheel-bench/wrk/rollout-bench.sh [seconds per run, default 10]
# Needs wrk and curl; builds what it needs with Maven. About 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/jdk.sh
JDK="$(find_jdk)"; JAVA="$JDK/bin/java"
DURATION=${1:-10}; WARM=${WARM:-10}
TMP=$(mktemp -d)
trap 'for p in $(cat "$TMP"/pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT

JAVA_HOME="$JDK" mvn -o -q -B -DskipTests -pl flywheel-bench -am package >/dev/null 2>&1
JAVA_HOME="$JDK" mvn -o -q -B -DskipTests -pl flywheel-serving -am package dependency:build-classpath \
    -Dmdep.outputFile="$TMP/cp" -Dmdep.includeScope=test >/dev/null 2>&1
BENCH_CP="flywheel-bench/target/classes:flywheel-bench/target/lib/*"
SERVE_CP="flywheel-serving/target/test-classes:flywheel-serving/target/classes:$(cat "$TMP/cp")"
"$JAVA" -cp "$BENCH_CP" dev.flywheel.bench.serving.BenchModel ../shared/data/bike-sharing/hour.csv "$TMP/model"
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [=[%s]=]\n' "$(cat "$TMP/model/oip-body.json")" >"$TMP/oip.lua"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TMP/token"; TOKEN=$(cat "$TMP/token")

"$JAVA" -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$SERVE_CP" dev.flywheel.serving.ServerMain \
  --model-name bike --model-version 1 --format xgboost --model-file "$TMP/model/model.ubj" \
  --signature-file "$TMP/model/signature.json" --port 0 --ready-file "$TMP/ready" --admin-token-file "$TMP/token" >"$TMP/server.log" 2>&1 &
echo $! >>"$TMP/pids"
for _ in $(seq 1 300); do [ -s "$TMP/ready" ] && break; sleep 0.1; done
BASE="http://127.0.0.1:$(cat "$TMP/ready")"

traffic() { # json body -> POST /admin/traffic, prints the time of the call in ms
  curl -sf -o "$TMP/traffic.json" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary "$1" "$BASE/admin/traffic" | awk '{printf "%.2f", $1 * 1000}'
}
split() { # mode weight
  python3 - "$1" "$2" "$TMP/model" <<'PY'
import json, sys
mode, weight, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
print(json.dumps({"action": "split", "mode": mode, "weight": weight, "challenger": {"modelName": "bike", "version": 2,
      "format": "xgboost", "modelFile": d + "/model.ubj", "signature": json.load(open(d + "/signature.json"))}}))
PY
}
bench() { # label
  wrk -t1 -c8 -d"${WARM}s" -s "$TMP/oip.lua" "$BASE/v2/models/bike/infer" >/dev/null
  local out; out=$(wrk -t1 -c32 -d"${DURATION}s" --latency -s "$TMP/oip.lua" "$BASE/v2/models/bike/infer")
  local rps p50 p99; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}'); p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  echo "$rps" >"$TMP/$1.rps"
  printf '%-10s %10s req/s   p50 %8s   p99 %8s   non-2xx %s   (load average %s)\n' "$1" "$rps" "$p50" "$p99" \
    "$(echo "$out" | awk '/Non-2xx/ {print $4}' | grep . || echo 0)" "$(cut -d' ' -f1 /proc/loadavg)"
}

# The JIT warms up on the champion first (twice the warm-up), so the single-version run is not the cold one.
wrk -t1 -c8 -d"$((2 * WARM))s" -s "$TMP/oip.lua" "$BASE/v2/models/bike/infer" >/dev/null
bench single
traffic "$(split canary 50)" >/dev/null; bench canary-50
traffic "$(split shadow 100)" >/dev/null; bench shadow
curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/admin/traffic" | python3 -c 'import json,sys; s=json.load(sys.stdin)["shadow"]; print("shadow: %d mirrored, %d dropped (queue full), %d rows compared" % (s["mirrored"], s["dropped"], s["compared"]))'
single=$(cat "$TMP/single.rps")
echo "cost: canary $(awk "BEGIN {printf \"%.1f\", 100 * (1 - $(cat "$TMP/canary-50.rps") / $single)}")%, shadow $(awk "BEGIN {printf \"%.1f\", 100 * (1 - $(cat "$TMP/shadow.rps") / $single)}")% of single-version throughput"
times=""
for _ in $(seq 1 20); do
  traffic "$(split canary 50)" >/dev/null
  times="$times $(traffic '{"action": "abort"}')"
done
echo "abort switch (admin call round trip, ms, 20 runs): $(echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {printf "min %s  median %s  max %s", a[1], a[int((NR+1)/2)], a[NR]}')"
