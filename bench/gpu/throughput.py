#!/usr/bin/env python3
"""Aggregate training throughput on one GPU: AnyNAS's torch backend against a standalone PyTorch loop.

For each op graph in --graphs (the reference networks, bench/architectures/*.json, as `./nas arch graph` writes them) and k = 1, 2, 4, 8 concurrent processes (each process is started once
per k and trains the networks one after the other, all k on the same network at the same time):
  standalone  k plain PyTorch processes, each training the network with the data already on the GPU
              (the loop of bench/torch_reference.py: Adam, cross-entropy, fixed batches), for the same images;
  product     k `anynas_torch.worker` processes (the product's worker, driven over its documented line
              protocol exactly as the Java engine drives it), each sent one proxy-training request.
Both count training images per second of training time, summed over the k processes, which run the same
work at the same time. A numerics table (fp32/bf16 × NCHW/NHWC, one process) comes last.

    for a in bench/architectures/*.json; do ./nas arch graph "$a" > GRAPHS/"$(basename "$a")"; done
    python3 bench/gpu/throughput.py --data SPLIT_DIR --graphs GRAPHS --device cuda --out results.json [--quick]

SPLIT_DIR is a split folder as the engine writes it (meta.json + .u8 parts); prints a Markdown table.
"""

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "torch", "src", "main", "python"))


def _setup(data_dir, device, images):
    import torch
    from anynas_torch.data import SplitData
    torch.backends.cudnn.benchmark = True
    dev = torch.device("cuda:0" if device == "cuda" else "cpu")
    data = SplitData(data_dir, dev, parts=("train",))
    n = min(images, len(data.part("train")))
    x, y = data.standardised("train", n, n)
    return dev, x, y


def _train_rate(arch, dev, x, y, batch, precision, channels_last, epochs, barrier=None):
    """img/s of `epochs` timed epochs of the standalone loop, after one warm-up epoch."""
    import torch
    from anynas_torch import graph, training
    settings = training.Settings(dev, precision, channels_last)
    torch.manual_seed(1)
    model = graph.build(arch).to(dev)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=0.002)
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    n = x.shape[0]

    def epoch():
        for s in range(0, n, batch):
            opt.zero_grad(set_to_none=True)
            with settings.autocast():
                loss = loss_fn(model(settings.layout(x[s:s + batch])).float(), y[s:s + batch])
            loss.backward()
            opt.step()

    for s in range(0, min(n, 20 * batch), batch):  # warm-up: cuDNN autotuning, allocator
        opt.zero_grad(set_to_none=True)
        with settings.autocast():
            loss_fn(model(settings.layout(x[s:s + batch])).float(), y[s:s + batch]).backward()
        opt.step()
    settings.sync()
    if barrier is not None:
        barrier.wait()  # all k processes time the same network at the same time
    t0 = time.perf_counter()
    for _ in range(epochs):
        epoch()
    settings.sync()
    return n * epochs / (time.perf_counter() - t0)


def numerics(archs, data_dir, device, images, batch):
    """One process, every network × precision × layout, sequentially."""
    dev, x, y = _setup(data_dir, device, images)
    out = {}
    for name, arch in archs.items():
        row = {}
        for precision in ("fp32", "bf16"):
            for cl in (False, True):
                key = "%s %s" % (precision, "NHWC" if cl else "NCHW")
                row[key] = (float("nan") if device == "cpu" and precision == "bf16"
                            else _train_rate(arch, dev, x, y, batch, precision, cl, 1))
        out[name] = row
    return out


def standalone(archs, data_dir, device, images, batch, barrier, queue):
    dev, x, y = _setup(data_dir, device, images)
    for name, arch in archs.items():
        queue.put((name, _train_rate(arch, dev, x, y, batch, "fp32", False, 2, barrier)))


def run_standalone(archs, data_dir, device, k, images, batch):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(k)
    procs = [ctx.Process(target=standalone, args=(archs, data_dir, device, images, batch, barrier, queue))
             for _ in range(k)]
    for p in procs:
        p.start()
    rates = {name: 0.0 for name in archs}
    for _ in range(k * len(archs)):
        name, value = queue.get(timeout=600)
        rates[name] += value
    for p in procs:
        p.join()
    return rates


def run_product(archs, data_dir, device, k, images, batch):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "torch", "src", "main", "python"), PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "anynas_torch.worker", "--data", data_dir, "--device", device]
    workers = [subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env) for _ in range(k)]
    for w in workers:
        hello = json.loads(w.stdout.readline())
        assert hello["event"] == "ready", hello
    fidelity = {"epochs": 2, "train_size": images, "val_size": 1000, "batch_size": batch, "optimizer": "adam",
                "learning_rate": 0.002, "schedule": "cosine", "weight_decay": 5e-5, "seed": 1}
    rates = {}
    rid = 0
    for name, arch in archs.items():
        # a 1-epoch warm-up request (cuDNN autotuning for these shapes), then the timed one, all workers at once
        for f in (dict(fidelity, epochs=1), fidelity):
            rid += 1
            for w in workers:
                w.stdin.write(json.dumps({"id": rid, "op": "proxy", "graph": arch, "fidelity": f,
                                          "measure_inference": False}) + "\n")
                w.stdin.flush()
            replies = [json.loads(w.stdout.readline()) for w in workers]
            for r in replies:
                assert r["status"] == "ok", r
        rates[name] = sum(r["train_img_s"] for r in replies)
    for w in workers:
        w.stdin.close()
        w.wait(timeout=60)
    return rates


def write_split(idx_dir, out):
    import gzip
    import numpy as np

    def read(stem):
        path = os.path.join(idx_dir, stem)
        opener = gzip.open if not os.path.exists(path) else open
        with opener(path if os.path.exists(path) else path + ".gz", "rb") as f:
            raw = f.read()
        dims = raw[3]
        return np.frombuffer(raw[4 + 4 * dims:], dtype=np.uint8)

    x = read("train-images-idx3-ubyte")
    y = read("train-labels-idx1-ubyte")
    os.makedirs(out, exist_ok=True)
    x[:50000 * 784].tofile(os.path.join(out, "train.u8"))
    y[:50000].tofile(os.path.join(out, "train-labels.u8"))
    x[50000 * 784:60000 * 784].tofile(os.path.join(out, "val.u8"))
    y[50000:60000].tofile(os.path.join(out, "val-labels.u8"))
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump({"name": "fashion-mnist", "shape": [1, 28, 28], "classes": 10,
                   "parts": {"train": 50000, "val": 10000}}, f)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", help="a split folder as the engine writes it")
    p.add_argument("--idx", help="or a folder of Fashion-MNIST IDX files (raw or .gz): the first 50,000 training "
                                 "images become the split written to --data")
    p.add_argument("--graphs", required=True, help="a folder of op-graph JSON files, one per network")
    p.add_argument("--device", default="cuda")
    p.add_argument("--out", required=True)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--images", type=int, default=50000)
    p.add_argument("--ks", default="1,2,4,8")
    p.add_argument("--quick", action="store_true", help="CPU smoke run: few images, k = 1, 2")
    a = p.parse_args()
    if a.quick:
        a.images, a.ks, a.batch = 1024, "1,2", 128
    if a.idx:
        a.data = a.data or os.path.join(os.path.dirname(a.out), "split")
        write_split(a.idx, a.data)
    ks = [int(k) for k in a.ks.split(",")]
    archs = {f[:-5]: json.load(open(os.path.join(a.graphs, f))) for f in sorted(os.listdir(a.graphs)) if f.endswith(".json")}
    results = {"batch": a.batch, "images": a.images, "numerics": {}, "scaling": {}}

    print("## Aggregate training img/s, fp32 NCHW, batch %d, %d images\n" % (a.batch, a.images))
    table = {name: {} for name in archs}
    results["scaling"] = table
    print("| k | network | standalone | product | product / standalone |")
    print("|---|---|---|---|---|", flush=True)
    for k in ks:
        s = run_standalone(archs, a.data, a.device, k, a.images, a.batch)
        w = run_product(archs, a.data, a.device, k, a.images, a.batch)
        for name in archs:
            table[name][k] = {"standalone": s[name], "product": w[name]}
            print("| %d | %s | %.0f | %.0f | %.2f |" % (k, name, s[name], w[name], w[name] / s[name]), flush=True)
        print("| %d | all three | %.0f | %.0f | %.2f |" % (k, sum(s.values()), sum(w.values()),
                                                        sum(w.values()) / sum(s.values())), flush=True)
        with open(a.out, "w") as f:  # after every k, so a run stopped at its time limit keeps what it measured
            json.dump(results, f, indent=1)
    print("\n## Numerics (one process, standalone loop, img/s)\n")
    print("| network | fp32 NCHW | fp32 NHWC | bf16 NCHW | bf16 NHWC |")
    print("|---|---|---|---|---|")
    results["numerics"] = numerics(archs, a.data, a.device, a.images, a.batch)
    for name, row in results["numerics"].items():
        print("| %s | %s |" % (name, " | ".join("%.0f" % v for v in row.values())), flush=True)

    with open(a.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
