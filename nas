#!/usr/bin/env bash
# AnyNAS launcher: builds the CLI when it is missing or older than the sources, then runs it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$root/cli/target/anynas-cli.jar"

stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/main -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

if stale; then
  echo "Building AnyNAS (first run or sources changed; about a minute)..." >&2
  log="$(mktemp -t anynas-build.XXXXXX.log)"
  if ! (cd "$root" && mvn -B -q -DskipTests package >"$log" 2>&1); then
    echo "error: the build failed; see $log" >&2
    exit 1
  fi
  rm -f "$log"
  # the jar plugin rewrites the jar only when the CLI's own classes change; its lib/ is fresh, so mark the jar current,
  # or a change elsewhere would rebuild on every call
  touch "$jar"
fi

# few glibc malloc arenas: native memory freed by one candidate is reused by the next instead of piling up per thread
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# libnd4j's OpenMP threads spin for a long while after each op by default, taking a core from the Java kernels
# and DL4J's own work between ops; a short spin made DL4J training 3-6% (plain) to 25-45% (inverted-se) faster
# (bench/results/throughput-changes.md). ANYNAS_SPINCOUNT tells the PyTorch peer of the benchmark to run as set up.
if [ -z "${GOMP_SPINCOUNT:-}" ]; then
  export GOMP_SPINCOUNT=1000 ANYNAS_SPINCOUNT=launcher
fi
# the product is the CLI jar and its lib/; the benchmarks (./nas bench) are a command plugin beside it in the checkout
cp="$jar"
bench="$root/bench/target/anynas-bench.jar"
[ -f "$bench" ] && cp="$cp:$bench"
exec java ${ANYNAS_JAVA_OPTS:--Xmx6g} -cp "$cp" org.anynas.cli.Main "$@"
