#!/usr/bin/env bash
# The quickstart's wall time and best validation accuracy at two commits (issue 17's "before and after"): each
# commit on its own fresh clone, built first (not timed), then `./nas quickstart` alternating between the two,
# ROUNDS times each. Run it on an otherwise idle machine: ~10 min per quickstart on 2 cores.
#   bench/quickstart-before-after.sh BEFORE AFTER [ROUNDS] [OUT_DIR]
set -u
if [ $# -lt 2 ]; then
  echo "usage: bench/quickstart-before-after.sh BEFORE AFTER [ROUNDS] [OUT_DIR]   (two commits of this repository)" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${3:-2}"
out="${4:-/tmp/anynas-quickstart-before-after}"
mkdir -p "$out"
summary="$out/summary.md"
declare -A clone
for rev in "$1" "$2"; do
  short=$(git -C "$root" rev-parse --short "$rev") || { echo "error: $rev is not a commit here" >&2; exit 2; }
  clone[$rev]="$out/clone-$short"
  rm -rf "${clone[$rev]}" && git clone -q "$root" "${clone[$rev]}" && git -C "${clone[$rev]}" checkout -q "$short"
  (cd "${clone[$rev]}" && ./nas --help > /dev/null 2> "$out/build-$short.log") || { echo "error: $rev does not build; see $out/build-$short.log" >&2; exit 1; }
done
{
  echo "# Quickstart before and after: $1 vs $2"
  echo
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores; start $(date -u +%FT%TZ)"
  echo "- command: \`bench/quickstart-before-after.sh $1 $2 $rounds\`"
  echo
  echo "|round|commit|wall s|best val_acc|candidates|sum of train_seconds|load before|"
  echo "|---:|---|---:|---:|---:|---:|---|"
} > "$summary"
for i in $(seq 1 "$rounds"); do
  for rev in "$1" "$2"; do
    dir="${clone[$rev]}"
    short=$(git -C "$dir" rev-parse --short HEAD)
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    s=$(date +%s%N)
    (cd "$dir" && ./nas quickstart > "$out/quickstart-$short-$i.log" 2>&1)
    rc=$?
    wall=$(( ($(date +%s%N) - s) / 1000000000 ))
    campaign=$(grep -m1 -o 'campaign quickstart-[0-9-]*' "$out/quickstart-$short-$i.log" | cut -d' ' -f2)
    stats=$(cd "$dir" && ./nas db sql --format csv "SELECT MAX(val_acc), COUNT(*), SUM(train_seconds) FROM results WHERE campaign = '$campaign'" 2>/dev/null | tail -1)
    IFS=, read -r best n train <<< "$stats"
    printf '|%d|%s%s|%d|%s|%s|%.0f|%s|\n' "$i" "$short" "$([ $rc -eq 0 ] || echo " (exit $rc)")" "$wall" "$best" "$n" "${train:-0}" "$load" >> "$summary"
  done
done
echo >> "$summary"
echo "end $(date -u +%FT%TZ); logs in $out" >> "$summary"
cat "$summary"
