#!/usr/bin/env bash
# The long form of the kill -9 stress test: KILLS (default 40) SIGKILLs of a real campaign process with a reader
# polling its database; writes the record to bench/results/durability-<date>.md. Takes about 10 s per kill.
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS="${1:-40}"
OUT="bench/results/durability-$(date +%F).md"
mvn -B -q -pl cli -am test -Dtest=KillStressTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Danynas.stress.kills="$KILLS" -Danynas.stress.record="$PWD/$OUT"
cat "$OUT"
