#!/usr/bin/env bash
# The spark-submit path end to end, as a user runs it: a Spark "distribution" made of Spark's own jars from Maven
# (SPARK_HOME/jars, log4j2 binding included), a standalone master and worker started from it, and
# `SparkSubmit --class org.anynas.spark.SparkMain anynas-spark.jar search campaign.yaml` with the classpath
# settings docs/spark.md gives. Prints the campaign's output and where the logs went. About 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d /tmp/anynas-submit.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
# One reactor build: the spark module and the modules it needs, packaged from this checkout, and the spark module's
# class path (Spark's provided jars included) written in the same session, so nothing is taken from (or has to be
# installed into) the local Maven repository but third-party jars. Each module writes target/classpath.txt.
mvn -B -q -pl spark -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp spark/target/classpath.txt "$WORK/spark.cp"
mkdir -p "$WORK/spark-home/jars"
# Spark and the libraries it shares with us, as a distribution's jars/ holds them: not our jars or class folders,
# not logback (a distribution logs through log4j2, and our quiet logback config would hide the daemons' start lines)
tr ':' '\n' < "$WORK/spark.cp" | grep -v -E '/(anynas-[^/]*|logback-[^/]*)\.jar$' | grep -v -F "$ROOT/" \
  | xargs -I{} ln -s {} "$WORK/spark-home/jars/"
# A distribution's log4j2 SLF4J binding, which the spark module excludes: fetched (or found in ~/.m2) at the version
# of log4j-core on Spark's class path
LOG4J="$(tr ':' '\n' < "$WORK/spark.cp" | sed -n 's|.*/log4j-core-\([0-9][^/]*\)\.jar$|\1|p' | head -1)"
[ -n "$LOG4J" ] || { echo "no log4j-core on the spark module's class path"; exit 1; }
mvn -B -q -N dependency:copy -Dartifact="org.apache.logging.log4j:log4j-slf4j2-impl:$LOG4J" \
  -DoutputDirectory="$WORK/spark-home/jars"
export SPARK_HOME="$WORK/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
PORT=$((20000 + RANDOM % 20000))
java -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port $PORT --webui-port 0 > "$WORK/master.log" 2>&1 &
# bounded waits: a master or worker that never comes up ends the check with its log
await() { for _ in $(seq 1 240); do grep -q "$1" "$2" && return 0; sleep 0.5; done; echo "no '$1' in $2:"; tail -20 "$2"; exit 1; }
await "elected leader" "$WORK/master.log"
java -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 --memory 4g --webui-port 0 \
  --work-dir "$WORK/work" spark://127.0.0.1:$PORT > "$WORK/worker.log" 2>&1 &
await "registered with master" "$WORK/worker.log"
cat > "$WORK/campaign.yaml" <<YAML
name: submit
dataset: synthetic
validation_size: 500
space: chain
population: 4
tournament: 2
in_flight: 4
executor: spark
budget: {max_params: 20000, max_macs: 1000000}
stop: {max_evaluations: 6}
fidelity: {epochs: 1, train_size: 400, val_size: 200, batch_size: 50}
db: "$WORK/runs/submit"
YAML
# what bin/spark-submit does in client mode: --driver-class-path goes first on the driver's classpath
set +e
# (-Dslf4j.provider: our logback, named, so SLF4J does not warn about Spark's log4j2 binding beside it)
java -Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider -cp "$ROOT/spark/target/lib/*:$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master spark://127.0.0.1:$PORT --class org.anynas.spark.SparkMain \
  --conf spark.executor.extraClassPath="$ROOT/spark/target/anynas-spark.jar:$ROOT/spark/target/lib/*" \
  --conf spark.executor.memory=1g --conf spark.cores.max=2 --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
  "$ROOT/spark/target/anynas-spark.jar" search "$WORK/campaign.yaml" > "$WORK/stdout" 2> "$WORK/stderr"
CODE=$?
set -e
echo "exit code $CODE"; echo "--- stdout"; cat "$WORK/stdout"; echo "--- stderr ($(wc -l < "$WORK/stderr") lines)"; head -20 "$WORK/stderr"
echo "--- run log: $(grep -c spark "$WORK/runs/submit.log" || true) lines mention spark ($WORK/runs/submit.log)"
