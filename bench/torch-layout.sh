#!/usr/bin/env bash
# NCHW against NHWC for the PyTorch worker on the CPU (bench/torch_layout.py), on the reference networks of
# bench/architectures and the baselines of examples/architectures; prints a markdown table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
graphs="$(mktemp -d)"
trap 'rm -rf "$graphs"' EXIT
for f in "$root"/bench/architectures/*.json "$root"/examples/architectures/*.json; do
  "$root/nas" arch graph "$f" > "$graphs/$(basename "$f")"
done
export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-1000}"
exec /usr/bin/python3 "$root/bench/torch_layout.py" --data-dir "${DATA_DIR:-/usr/share/datasets/fashion-mnist}" --graphs "$graphs" "$@"
