#!/usr/bin/env bash
# Issue 15's check: on a fresh clone, with Debian's dataset-fashion-mnist removed, `./nas quickstart` then
# `mvn -B verify`, three times in a row (nothing installed by hand: the quickstart installs the dataset itself).
# Needs root (it removes the package); run it on an otherwise idle machine: ~55 min on 2 cores.
#   bench/fresh-machine.sh [PASSES] [OUT_DIR]
set -u
passes="${1:-3}"
out="${2:-/tmp/anynas-fresh-machine}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rev=$(git -C "$root" rev-parse --short HEAD)
mkdir -p "$out"
summary="$out/summary.txt"
echo "commit $rev, start $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" > "$summary"
for i in $(seq 1 "$passes"); do
  apt-get remove -y dataset-fashion-mnist > "$out/remove-$i.log" 2>&1
  [ -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && echo "pass $i: the dataset is still installed" >> "$summary"
  clone="$out/clone-$i"
  rm -rf "$clone" && git clone -q "$root" "$clone" && git -C "$clone" checkout -q "$rev"
  cd "$clone" || exit 1
  s=$(date +%s); ./nas quickstart > "$out/quickstart-$i.log" 2>&1; rc=$?
  echo "pass $i: quickstart exit $rc after $(( $(date +%s) - s )) s, load $(cut -d' ' -f1-3 /proc/loadavg);" \
       "$(grep -c "Installing Debian's dataset" "$out/quickstart-$i.log") dataset install line(s)" >> "$summary"
  s=$(date +%s); mvn -B verify > "$out/verify-$i.log" 2>&1; rc=$?
  echo "pass $i: mvn -B verify exit $rc after $(( $(date +%s) - s )) s; $(grep -E '^\[(INFO|ERROR)\] Tests run:' "$out/verify-$i.log" \
       | grep -v ' in ' | awk -F'[:,]' '{t+=$2; f+=$4; e+=$6; k+=$8} END {print t" tests, "f" failures, "e" errors, "k" skipped"}')" >> "$summary"
done
echo "end $(date -u +%FT%TZ)" >> "$summary"
cat "$summary"
