"""Helper of TorchGraphTest: builds each op graph with the worker's interpreter and saves what the test compares.

    python3 graph_check.py G1.json [G2.json ...]   (PYTHONPATH: the worker's sources)

For G.json it writes G.npz, the worker's arrays by node (anynas_torch.training.node_arrays) plus
"reference.probabilities", PyTorch's softmax of a seeded random batch in inference mode, and G-input.npz holding
that batch as "x"; BN statistics, gains and biases are drawn at random first, so BN is not the identity. Prints one
line per graph: "ok", or "error: <message>" where the interpreter refuses the graph.
"""

import json
import sys

import numpy as np
import torch

from anynas_torch import graph, training


def main(paths):
    torch.set_num_threads(1)
    for path in paths:
        with open(path) as f:
            g = json.load(f)
        torch.manual_seed(1)
        try:
            model = graph.build(g)
        except graph.GraphError as e:
            print("error: %s" % e, flush=True)
            continue
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.5, 0.5)
                    m.running_var.uniform_(0.5, 2.0)
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
                elif isinstance(m, torch.nn.Linear) and m.bias is not None:
                    m.bias.uniform_(-0.2, 0.2)
            model.eval()
            x = torch.randn((4,) + tuple(g["input"]), generator=torch.Generator().manual_seed(2))
            arrays = training.node_arrays(model)
            arrays["reference.probabilities"] = torch.softmax(model(x), dim=1).numpy()
        np.savez(path[:-len(".json")] + ".npz", **arrays)
        np.savez(path[:-len(".json")] + "-input.npz", x=x.numpy())
        print("ok", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
