#!/usr/bin/env bash
# Documented check of the live training bars (issue 13): a tiny search runs inside tmux, so stdout is a terminal;
# mid-run the pane must show a bar per slot with epoch, batch, loss and img/s, and at the end no bar may be left
# over the finished lines. Then the same search with stdout in a file must contain no control characters.
# Run from the repository root after building (./nas builds): cli/checks/terminal-bars.sh [dl4j|torch]
# (torch: the PyTorch backend on the CPU, whose workers send thinned-out batch events; needs python3 with torch)
set -euo pipefail
backend="${1:-dl4j}"
case "$backend" in
  dl4j) backend_yaml="backend: dl4j" ;;
  torch) backend_yaml=$'backend: torch\ntorch: {device: cpu}' ;;
  *) echo "usage: $0 [dl4j|torch]" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/cli/target/anynas-cli.jar"
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install tmux)"; exit 2; }
work="$(mktemp -d)"
trap 'tmux kill-session -t anynas-bars 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/c.yaml" <<YAML
name: bars
dataset: synthetic
validation_size: 500
space: chain
strategy: random
workers: 2
budget: {max_params: 20000, max_macs: 1000000}
stop: {max_evaluations: 4}
fidelity: {epochs: 3, train_size: 1200, val_size: 100, batch_size: 20}
db: "$work/runs/bars"
$(printf '%b' "$backend_yaml")
YAML
tmux new-session -d -s anynas-bars -x 160 -y 40 "java -jar '$jar' search '$work/c.yaml'; echo SEARCH-ENDED; sleep 60"
seen=""
for _ in $(seq 1 240); do
  pane="$(tmux capture-pane -p -t anynas-bars)"
  if grep -q 'slot 1' <<<"$pane" && grep -q 'img/s' <<<"$pane" && grep -qE 'epoch [0-9]+/3 batch [0-9]+/60 loss [0-9.]+' <<<"$pane"; then
    seen="$pane"
  fi
  grep -q SEARCH-ENDED <<<"$pane" && break
  sleep 0.5
done
final="$(tmux capture-pane -p -t anynas-bars)"
[ -n "$seen" ] || { echo "FAIL: no live bar seen"; echo "$final"; exit 1; }
echo "--- a bar mid-run:"; grep -E 'slot [0-9]' <<<"$seen" | head -2
grep -q SEARCH-ENDED <<<"$final" || { echo "FAIL: the search did not end in time"; exit 1; }
if grep -qE 'slot [0-9].*img/s' <<<"$final"; then echo "FAIL: a bar is left on the screen"; echo "$final"; exit 1; fi
grep -q '4/4' <<<"$final" || { echo "FAIL: the finished lines are missing"; echo "$final"; exit 1; }
java -jar "$jar" search "$work/c.yaml" > "$work/plain.txt" 2>&1 <<<"" || true
if grep -q $'\033' "$work/plain.txt"; then echo "FAIL: control characters in redirected output"; exit 1; fi
echo "OK ($backend): live bars on a terminal, none left at the end, none in redirected output"
