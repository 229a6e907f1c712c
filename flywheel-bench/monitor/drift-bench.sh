#!/usr/bin/env bash
# Drift of 1,000,000 rows x 20 columns against a 100,000-row reference (issue 16: under 1 s), DriftEngine with its
# defaults and with one thread, beside SciPy/NumPy doing Evidently's formulas on the same data, in one run.
#   flywheel-bench/monitor/drift-bench.sh [measured rounds, default 7]
# About 3 minutes (most of it SciPy; it is skipped when /usr/bin/python3 lacks NumPy or SciPy). Builds the bench
# module offline first. Prints each variant's median and minimum wall time and its median process CPU time, with
# the load average: on a busy machine trust the CPU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-7}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
mvn -o -q -B -pl flywheel-bench -am package -DskipTests >/dev/null
exec "$JAVA_HOME/bin/java" -Xmx8g -cp "flywheel-bench/target/classes:flywheel-bench/target/lib/*" \
    dev.flywheel.bench.monitor.DriftBenchmark "$ROUNDS"
