#!/usr/bin/env bash
# The GPU check, one command on the GPU machine (no Java, no network there; bench/gpu/pack.sh prepared .gpu/):
#   1. the machine: nvidia-smi, PyTorch, ./nas doctor
#   2. a real campaign on the torch backend (bench/gpu/campaign.yaml: 64 AnyNet candidates, 5 epochs × 50,000)
#   3. its best candidate retrained: ./nas train --epochs 30 --augment --backend torch
#   4. throughput: the product's workers against a standalone PyTorch loop at 1, 2, 4, 8 trials per GPU
#   5. the worker's tests on the GPU (pytest)
#   6. backend dl4j-cuda refused on this GPU with one line
# Each step has its own time limit and the script goes on after a failed step; the report is written as it
# goes to $OUT/gpu-report.md (and the logs beside it).
#   bench/gpu/verify.sh                      # on the GPU machine
#   bench/gpu/verify.sh --device cpu --quick # the same path, small, on a machine without a GPU
#   bench/gpu/verify.sh --steps throughput,pytest,dl4j-cuda-refusal   # what the 2026-11-26 run left out
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
device=cuda
quick=0
budget=590
steps=campaign,final-train,throughput,pytest,dl4j-cuda-refusal
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --budget) budget="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    *) echo "usage: $0 [--device cuda|cpu] [--quick] [--budget SECONDS] [--steps campaign,final-train,throughput,pytest,dl4j-cuda-refusal]" >&2; exit 2 ;;
  esac
done
out="${OUT:-/tmp/anynas-gpu-out}"
work="$(mktemp -d /tmp/anynas-gpu.XXXXXX)"
mkdir -p "$out"
report="$out/gpu-report.md"
start=$(date +%s)
export ANYNAS_CACHE="$work/cache"
export PYTHONUNBUFFERED=1
# the interpreter with PyTorch: $PYTHON, else the first of python3 and /usr/bin/python3 that has it (as the engine's
# torch.python default chooses), else python3
python="${PYTHON:-}"
if [ -z "$python" ]; then
  python=python3
  for p in python3 /usr/bin/python3; do
    if "$p" -c "import torch" >/dev/null 2>&1; then python="$p"; break; fi
  done
fi

left() { echo $((budget - ($(date +%s) - start))); }
say() { echo "$*" | tee -a "$report"; }
# runs a step with a time limit (never more than what is left); its output goes to the terminal and a log
step() {
  local name="$1" limit="$2"; shift 2
  case ",$steps," in *",$name,"*) ;; *) say "- $name: not asked for (--steps)"; return 1 ;; esac
  local l; l=$(left)
  [ "$limit" -gt "$l" ] && limit=$l
  if [ "$limit" -lt 20 ]; then say "- $name: skipped, ${l}s left"; return 1; fi
  local t0; t0=$(date +%s)
  timeout --kill-after=5 "$limit" "$@" > >(tee "$out/$name.log") 2>&1
  local rc=$?
  say "- $name: exit $rc after $(( $(date +%s) - t0 ))s (limit ${limit}s)"
  return $rc
}

# --- runtime, jars, data -------------------------------------------------------------------------------
# Python's lzma and tarfile rather than xz(1), which the GPU machine may lack
unxz() { "$python" -c "import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], 'wb'))" "$1" "$2"; }
if [ -f .gpu/jre.tar.xz ]; then
  "$python" -c "import tarfile, sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" .gpu/jre.tar.xz "$work"
  java="$work/jre/bin/java"
else
  java="$(command -v java)"
fi
cp="$root/.gpu/lib/*"
[ -d .gpu/lib ] || cp="$root/cli/target/anynas-cli.jar:$root/cli/target/lib/*"
data="$work/fashion-mnist"
mkdir -p "$data"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  if [ -f ".gpu/data/$f.xz" ]; then unxz ".gpu/data/$f.xz" "$data/$f"
  else cp "/usr/share/datasets/fashion-mnist/$f.gz" "$data/"; fi
done
# a script, not a function, so that timeout can run it
printf '#!/usr/bin/env bash\nexec "%s" -Xmx8g -cp "%s" org.anynas.cli.Main "$@"\n' "$java" "$cp" > "$work/nas"
chmod +x "$work/nas"
nas() { "$work/nas" "$@"; }

echo "# GPU check, $(date -u +%Y-%m-%d\ %H:%M) UTC" > "$report"
say ""
say '```'
{ nvidia-smi --query-gpu=index,name,memory.total,compute_cap,driver_version --format=csv 2>&1 || echo "no nvidia-smi"
  "$python" -c "import torch, sys; print('python', sys.version.split()[0], 'torch', torch.__version__, 'cuda', torch.version.cuda, 'gpus', torch.cuda.device_count())"
  "$java" -version 2>&1 | head -1
  nas doctor; } 2>&1 | tee -a "$report"
say '```'
say ""
say "## Steps"

# --- 2. campaign -----------------------------------------------------------------------------------------
db="$work/runs/gpu-anynet"
yaml="$work/campaign.yaml"
if [ $quick = 1 ]; then
  sed -e 's/max_evaluations: 64/max_evaluations: 6/' -e 's/epochs: 5/epochs: 1/' -e 's/train_size: 50000/train_size: 2000/' \
      -e 's/val_size: 10000/val_size: 1000/' -e 's/population: 16/population: 4/' -e 's/batch_size: 512/batch_size: 128/' \
      -e "s/device: cuda/device: $device/" bench/gpu/campaign.yaml > "$yaml"
else
  sed -e "s/device: cuda/device: $device/" bench/gpu/campaign.yaml > "$yaml"
fi
printf 'data_dir: "%s"\ndb: "%s"\n' "$data" "$db" >> "$yaml"
step campaign 330 "$work/nas" search "$yaml" --top 10
nas db sql --db "$db" "SELECT COUNT(*) AS candidates, MIN(e.device) AS device, MIN(e.trainer) AS trainer FROM candidate c JOIN evaluation e ON e.id = c.evaluation_id" >> "$out/campaign.log" 2>&1
best=$(nas db top --db "$db" -k 1 --format csv 2>/dev/null | awk -F, 'NR==2 {print $2}')

# --- 3. final training of the best candidate -------------------------------------------------------------
if [ -n "$best" ]; then
  epochs=30; [ $quick = 1 ] && epochs=1
  extra=(); [ $quick = 1 ] && extra=(--train-size 2000)
  step final-train 120 "$work/nas" train --candidate "$best" --db "$db" --epochs $epochs --augment --backend torch \
      --torch-device "$device" --out "$work/final" "${extra[@]}"
  cp "$work/final/summary.txt" "$out/final-summary.txt" 2>/dev/null
else
  say "- final-train: skipped, the campaign has no best candidate"
fi

# --- 4. throughput ---------------------------------------------------------------------------------------
q=(); [ $quick = 1 ] && q=(--quick)
mkdir -p "$out/graphs"  # the reference networks as the op graphs the worker builds from
for a in bench/architectures/*.json; do "$work/nas" arch graph "$a" > "$out/graphs/$(basename "$a")"; done
step throughput 150 "$python" bench/gpu/throughput.py --idx "$data" --graphs "$out/graphs" --device "$device" --out "$out/throughput.json" "${q[@]}"

# --- 5. the worker's tests on this device ----------------------------------------------------------------
step pytest 120 env ANYNAS_TEST_DEVICE="$device" "$python" -m pytest -q -p no:cacheprovider torch/src/test/python

# --- 6. ND4J CUDA refused before it loads --------------------------------------------------------------------
sed -e 's/^backend: torch/backend: dl4j-cuda/' -e 's/^name: gpu-anynet/name: gpu-dl4j-cuda/' "$yaml" > "$work/dl4j-cuda.yaml"
step dl4j-cuda-refusal 30 "$work/nas" search "$work/dl4j-cuda.yaml"

# --- the report --------------------------------------------------------------------------------------------
{
  echo ""
  echo "## Campaign"
  echo '```'
  grep -E "^backend|^note|^Campaign|^Slot|^gen |rank|^ +[0-9]+ +[0-9]+ |candidates|----" "$out/campaign.log" | head -40
  echo '```'
  echo "## Final training"
  echo '```'
  grep -E "^backend|^Training|^epoch +(1|5|10|15|20|25|30)/|^Best|^Saved" "$out/final-train.log" 2>/dev/null
  echo '```'
  echo "## Throughput"
  grep -E "^\||^##" "$out/throughput.log" 2>/dev/null
  echo ""
  echo "## pytest"
  echo '```'
  tail -3 "$out/pytest.log" 2>/dev/null
  echo '```'
  echo "## dl4j-cuda"
  echo '```'
  grep -E "error" "$out/dl4j-cuda-refusal.log" 2>/dev/null
  echo '```'
  echo "total $(( $(date +%s) - start )) s"
} >> "$report"
tail -60 "$report"
rm -rf "$work"
