#!/usr/bin/env python3
"""Channels-first (NCHW) against channels-last (NHWC) for the PyTorch worker on the CPU: what torch.channels_last
auto rests on. For each op graph, the product's worker (anynas_torch.worker, as the engine starts it) runs one
final-training epoch on the first --train images of Fashion-MNIST with the final recipe (crop + flip, label
smoothing), validating on the next --val, once per layout, the layouts alternating over --rounds; it reports the
worker's own training img/s (its epoch loop: augmentation, steps and validation) and the validation accuracy.

    bench/torch-layout.sh            # the graphs of bench/architectures and examples/architectures, a markdown table

    python3 bench/torch_layout.py --data-dir /usr/share/datasets/fashion-mnist --graphs DIR [--train 8000] \
        [--val 1000] [--threads 2] [--rounds 2]

Timings assume the cores are otherwise idle.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "..", "torch", "src", "main", "python")
sys.path.append(HERE)
from torch_reference import find_idx, read_idx  # noqa: E402

RECIPE = {"optimizer": {"kind": "adam", "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-08},
          "schedule": {"kind": "cosine", "learning_rate": 0.004, "epochs": 1, "warmup_epochs": 0},
          "weight_decay": {"coefficient": 5e-05, "mode": "decoupled", "applies_to": ["conv_weight", "dense_weight"]},
          "batch_norm": {"epsilon": 1e-05, "momentum": 0.1}, "seeds": {"init": 1, "order": 91, "noise": 3000001},
          "std_floor": 0.001, "augmentation": {"padding": 4, "flip": True, "erasing": {"p": 0.0, "scale": [0.02, 0.33],
                                                                                       "ratio": [0.3, 3.3]}},
          "label_smoothing": 0.1, "ema": {"decay": 0.0}}


def split(data_dir, train, val, out):
    """A split folder as the engine writes it (no test part: the test pass is not what is timed)."""
    x = read_idx(find_idx(data_dir, "train-images-idx3-ubyte"), train + val)
    y = read_idx(find_idx(data_dir, "train-labels-idx1-ubyte"), train + val)
    for name, s in (("train", slice(0, train)), ("val", slice(train, train + val))):
        np.ascontiguousarray(x[s]).tofile(os.path.join(out, name + ".u8"))
        np.ascontiguousarray(y[s]).tofile(os.path.join(out, name + "-labels.u8"))
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump({"name": "fashion-mnist", "shape": [1, 28, 28], "classes": 10, "parts": {"train": train, "val": val}}, f)


def epoch(graph, data, train, val, threads, channels_last):
    cmd = [sys.executable, "-m", "anynas_torch.worker", "--data", data, "--device", "cpu", "--threads", str(threads)]
    if channels_last:
        cmd.append("--channels-last")
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                         env=dict(os.environ, PYTHONPATH=SOURCES, PYTHONUNBUFFERED="1"))
    p.stdout.readline()  # ready
    fidelity = {"batch_size": 64, "epochs": 1, "learning_rate": 0.004, "optimizer": "adam", "schedule": "cosine",
                "seed": 1, "train_size": train, "val_size": val, "weight_decay": 5e-05}
    p.stdin.write(json.dumps({"id": 1, "op": "final", "graph": graph, "fidelity": fidelity, "recipe": RECIPE}) + "\n")
    p.stdin.flush()
    while True:
        line = p.stdout.readline()
        if not line:
            raise RuntimeError("the worker exited with %s" % p.wait())
        m = json.loads(line)
        if "event" not in m:
            break
    p.stdin.close()
    p.wait()
    r = m.get("result", m)
    if "train_img_s" not in r:
        raise RuntimeError("the worker failed: %s" % line.strip())
    return r["train_img_s"], r["val_acc"]


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--data-dir", required=True)
    a.add_argument("--graphs", required=True, help="a folder of op graphs (./nas arch graph)")
    a.add_argument("--train", type=int, default=8000)
    a.add_argument("--val", type=int, default=1000)
    a.add_argument("--threads", type=int, default=2)
    a.add_argument("--rounds", type=int, default=2)
    a = a.parse_args()
    with tempfile.TemporaryDirectory() as data:
        split(a.data_dir, a.train, a.val, data)
        print("| network | NCHW img/s | NHWC img/s | NHWC / NCHW | val_acc NCHW / NHWC |")
        print("|---|---:|---:|---:|---|")
        for path in sorted(glob.glob(os.path.join(a.graphs, "*.json"))):
            with open(path) as f:
                graph = json.load(f)
            rates = {False: [], True: []}
            accs = {}
            for _ in range(a.rounds):
                for cl in (False, True):
                    rate, acc = epoch(graph, data, a.train, a.val, a.threads, cl)
                    rates[cl].append(rate)
                    accs[cl] = acc
            first, last = max(rates[False]), max(rates[True])  # the best of the rounds: least disturbed
            print("| %s | %.0f | %.0f | %.2f | %.4f / %.4f |" % (os.path.basename(path)[:-5], first, last, last / first,
                                                               accs[False], accs[True]), flush=True)


if __name__ == "__main__":
    main()
