#!/usr/bin/env python3
"""PyTorch reference peer for ``./nas bench throughput``.

Builds the same network as the AnyNAS space from the same op graph (OpGraphJson, as the engine sends it to the
torch worker), with the product's interpreter (anynas_torch.graph), and times it on the CPU, so DL4J's
training and inference throughput can be compared with PyTorch's on identical work.

    python3 bench/torch_reference.py params --graph G.json
    python3 bench/torch_reference.py time --graph G.json --data-dir DIR --mode train --batch 64 \
        --steps 50 --warmup 5 --threads 2 --seed 1 [--expect-params N]

Each command prints exactly one JSON line on stdout; anything else goes to stderr. Timings assume the
--threads cores are otherwise idle: when another process holds one, libgomp's spin-waiting can make a
2-thread run ~100× slower (OMP_WAIT_POLICY=PASSIVE in the environment avoids that collapse).
"""

import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

# The product's interpreter (torch/src/main/python/anynas_torch/graph.py): one network builder for the
# torch backend and this peer. Run from the repository, it is found beside this file; ./nas bench unpacks it
# and puts it on PYTHONPATH.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(os.path.join(HERE, "..", "torch", "src", "main", "python"))
from anynas_torch.graph import build, count_params  # noqa: E402


# ---------------------------------------------------------------------------------------------- data

def read_idx(path, limit=None):
    """An IDX file (raw or .gz) as a numpy array; reads at most `limit` items along the first axis."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = f.read(4)
        if len(magic) != 4 or magic[0] != 0 or magic[1] != 0 or magic[2] != 0x08:
            raise ValueError("%s is not an unsigned-byte IDX file" % path)
        dims = [int(d) for d in np.frombuffer(f.read(4 * magic[3]), dtype=">i4")]
        if limit is not None:
            dims[0] = min(dims[0], limit)
        count = int(np.prod(dims))
        data = np.frombuffer(f.read(count), dtype=np.uint8)
    if data.size != count:
        raise ValueError("%s is truncated" % path)
    return data.reshape(dims)


def find_idx(data_dir, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(data_dir, name)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("no %s[.gz] in %s" % (stem, data_dir))


def load_batches(data_dir, n):
    """The first n training images (cycled if fewer), standardised, as contiguous [n,1,28,28] / [n] tensors."""
    images = read_idx(find_idx(data_dir, "train-images-idx3-ubyte"), n)
    labels = read_idx(find_idx(data_dir, "train-labels-idx1-ubyte"), n)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError("expected 28×28 images, got %s" % (images.shape[1:],))
    m = min(len(images), len(labels))
    idx = np.arange(n) % m
    x = images[idx].astype(np.float32) / 255.0
    x = (x - x.mean()) / max(float(x.std()), 1e-8)
    x = np.ascontiguousarray(x.reshape(n, 1, 28, 28), dtype=np.float32)
    y = np.ascontiguousarray(labels[idx].astype(np.int64))
    return torch.from_numpy(x), torch.from_numpy(y)


# ------------------------------------------------------------------------------------------- timing

def time_model(model, x, y, mode, batch, steps, warmup, lr, weight_decay):
    """Seconds for `steps` timed batches after `warmup` untimed ones; batch i is rows [i·B, (i+1)·B)."""
    def batches(start, count):
        return [(x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]) for i in range(start, start + count)]

    warm, timed = batches(0, warmup), batches(warmup, steps)
    if mode == "train":
        model.train()
        # DL4J's weight decay is decoupled (applied after the updater), i.e. AdamW; none by default
        opt = (torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay) if weight_decay > 0
               else torch.optim.Adam(model.parameters(), lr=lr))
        loss_fn = nn.CrossEntropyLoss()

        def step(xb, yb):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()

        for xb, yb in warm:
            step(xb, yb)
        start = time.perf_counter()
        for xb, yb in timed:
            step(xb, yb)
        return time.perf_counter() - start

    model.eval()
    with torch.inference_mode():
        for xb, _ in warm:
            model(xb)
        start = time.perf_counter()
        for xb, _ in timed:
            model(xb)
        return time.perf_counter() - start


# ---------------------------------------------------------------------------------------------- CLI

def read_graph(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fail(message, code):
    print("error: " + message, file=sys.stderr)
    sys.exit(code)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    pp = sub.add_parser("params", help="trainable parameter count of the network")
    pp.add_argument("--graph", required=True, help="op graph JSON file")
    pt = sub.add_parser("time", help="training or inference throughput on Fashion-MNIST")
    pt.add_argument("--graph", required=True, help="op graph JSON file")
    pt.add_argument("--data-dir", required=True, help="folder with train-images-idx3-ubyte[.gz] and labels")
    pt.add_argument("--mode", choices=("train", "infer"), required=True)
    pt.add_argument("--batch", type=int, required=True)
    pt.add_argument("--steps", type=int, required=True)
    pt.add_argument("--warmup", type=int, default=0)
    pt.add_argument("--threads", type=int, required=True)
    pt.add_argument("--seed", type=int, default=42)
    pt.add_argument("--expect-params", type=int, help="exit 3 before timing when the network's count differs")
    pt.add_argument("--lr", type=float, default=0.002)
    pt.add_argument("--weight-decay", type=float, default=0.0)
    a = p.parse_args(argv)

    try:
        graph = read_graph(a.graph)
    except (OSError, ValueError) as e:
        fail("cannot read op graph %s: %s" % (a.graph, e), 2)

    if a.command == "params":
        try:
            model = build(graph)
        except (KeyError, ValueError) as e:
            fail("%s: %s" % (a.graph, e), 2)
        print(json.dumps({"params": count_params(model)}))
        return 0

    if a.batch < 1 or a.steps < 1 or a.warmup < 0 or a.threads < 1:
        fail("--batch, --steps and --threads must be >= 1, --warmup >= 0", 2)
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    try:
        model = build(graph)
    except (KeyError, ValueError) as e:
        fail("%s: %s" % (a.graph, e), 2)
    if model.input_shape != (1, 28, 28):
        fail("%s: input is %s, but the Fashion-MNIST benchmark needs 1×28×28"
             % (a.graph, "×".join(map(str, model.input_shape))), 2)
    params = count_params(model)
    if a.expect_params is not None and a.expect_params != params:
        fail("parameter count mismatch: PyTorch network has %d, expected %d (%s)" % (params, a.expect_params, a.graph), 3)
    try:
        x, y = load_batches(a.data_dir, a.batch * (a.steps + a.warmup))
    except (OSError, ValueError) as e:
        fail("cannot load Fashion-MNIST from %s: %s" % (a.data_dir, e), 2)

    seconds = time_model(model, x, y, a.mode, a.batch, a.steps, a.warmup, a.lr, a.weight_decay)
    print(json.dumps({"params": params, "mode": a.mode, "batch": a.batch, "steps": a.steps, "threads": a.threads,
                      "images_per_sec": a.batch * a.steps / seconds, "seconds": seconds,
                      "torch": torch.__version__}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
