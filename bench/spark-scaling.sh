#!/usr/bin/env bash
# Campaign throughput on a loopback Spark cluster with 1, 2, 4 and 8 one-core executors, candidates that sleep
# SLEEP_MS (default 10000), and the per-task round trip; writes bench/results/spark-scaling-<date>.md.
# About 7 minutes with the defaults (four 60 s campaigns plus application and executor starts).
set -euo pipefail
cd "$(dirname "$0")/.."
SLEEP_MS="${1:-10000}"
OUT="bench/results/spark-scaling-$(date +%F).md"
# -am: the reactor's own modules, never stale ones from ~/.m2
mvn -B -q -pl spark -am test -Dtest=SparkScalingBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Danynas.bench.sleepMs="$SLEEP_MS" -Danynas.bench.record="$PWD/$OUT"
cat "$OUT"
