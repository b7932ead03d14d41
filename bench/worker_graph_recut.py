#!/usr/bin/env python3
"""Issue 26 re-cut check: the op-graph interpreter (anynas_torch.graph) against the hand-written builder it
replaced (anynet.py, taken from git history), on architecture/graph pairs written by the engine.

    git show 14f1300:torch/src/main/python/anynas_torch/anynet.py > /tmp/anynet_old.py
    python3 bench/worker_graph_recut.py --old /tmp/anynet_old.py --pairs pairs.json

pairs.json: [{"space": ..., "line": ..., "arch": <architecture JSON>, "graph": <OpGraphJson>}, ...]. For every
pair, with the same torch seed: the same parameters and BN buffers by op-graph node (names, shapes, values bit
for bit), the same training-mode output, gradients and BN statistics after one backward pass, and the same
inference output. Prints one line per pair and exits 1 on any difference.
"""

import argparse
import importlib.util
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torch", "src", "main", "python"))
from anynas_torch import graph as interpreter  # noqa: E402


def load_old(path):
    spec = importlib.util.spec_from_file_location("anynet_old", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def old_tensors(model, grads=False):
    """The old module's tensors keyed as the op-graph node names (its modules carry them in .node)."""
    out = {}
    for m in model.modules():
        name = getattr(m, "node", None)
        if name is None:
            continue
        for key, t in list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False)):
            out[name + "." + key] = t.grad if grads and t.requires_grad else t
    return out


def new_tensors(model, grads=False):
    named = dict(model.named_parameters())
    named.update(model.named_buffers())
    return {k: (t.grad if grads and t.requires_grad else t) for k, t in named.items()}


def same(a, b):
    if a.keys() != b.keys():
        return "names differ: only old %s, only new %s" % (sorted(a.keys() - b.keys())[:4], sorted(b.keys() - a.keys())[:4])
    for k in a:
        if a[k] is None or b[k] is None:
            if (a[k] is None) != (b[k] is None):
                return "%s: gradient on one side only" % k
            continue
        if a[k].shape != b[k].shape:
            return "%s: shape %s vs %s" % (k, tuple(a[k].shape), tuple(b[k].shape))
        if not torch.equal(a[k], b[k]):
            return "%s: values differ (max %g)" % (k, (a[k].double() - b[k].double()).abs().max())
    return None


def check(old, pair, seed):
    torch.manual_seed(seed)
    a = old.build(pair["arch"])
    torch.manual_seed(seed)
    b = interpreter.build(pair["graph"])
    if list(a.state_dict().keys()) and len(a.state_dict()) != len(b.state_dict()):
        return "state_dict sizes differ: %d vs %d" % (len(a.state_dict()), len(b.state_dict()))
    problem = same(old_tensors(a), new_tensors(b))
    if problem:
        return "initial weights: " + problem
    if [p.shape for p in a.parameters()] != [p.shape for p in b.parameters()]:
        return "parameter order differs"
    gen = torch.Generator().manual_seed(seed + 1)
    x = torch.randn((8,) + tuple(pair["graph"]["input"]), generator=gen)
    y = torch.randint(0, pair["arch"]["classes"], (8,), generator=gen)
    outs = []
    for m in (a, b):
        m.train()
        torch.manual_seed(seed + 2)  # dropout draws
        out = m(x)
        torch.nn.functional.cross_entropy(out, y).backward()
        outs.append(out.detach())
    if not torch.equal(outs[0], outs[1]):
        return "training output differs (max %g)" % (outs[0] - outs[1]).abs().max()
    problem = same(old_tensors(a, grads=True), new_tensors(b, grads=True))
    if problem:
        return "gradients: " + problem
    problem = same(old_tensors(a), new_tensors(b))  # BN running statistics after the training pass
    if problem:
        return "after one step: " + problem
    with torch.no_grad():
        a.eval()
        b.eval()
        if not torch.equal(a(x), b(x)):
            return "inference output differs"
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--old", required=True, help="the old anynet.py")
    p.add_argument("--pairs", required=True)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    torch.set_num_threads(1)
    old = load_old(a.old)
    failed = 0
    pairs = json.load(open(a.pairs))
    for i, pair in enumerate(pairs):
        problem = check(old, pair, a.seed + i)
        failed += problem is not None
        print("%-11s %-4s %s%s" % (pair["space"], "OK" if problem is None else "DIFF", pair["line"],
                                   "" if problem is None else "\n    " + problem))
    print("%d of %d architectures identical" % (len(pairs) - failed, len(pairs)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
