"""Helper of GroupedTrainingParityTest: trains an op graph a few steps with the PyTorch worker's own code.

    python3 train_check.py DIR   (PYTHONPATH: the worker's sources)

Reads DIR/graph.json (OpGraphJson), DIR/recipe.json (TrainingRecipe.toJson), DIR/x.npy [steps·batch, C, H, W]
float32 and DIR/y.npy [steps·batch] class indices, builds the network as the worker does (training.build), writes
its initial arrays as DIR/init.npz (training.node_arrays), then takes one optimizer step per consecutive batch with
the worker's Trainer and writes DIR/losses.npy (each step's mean data loss, float64) and DIR/final.npz.
"""

import json
import os
import sys

import numpy as np
import torch

from anynas_torch import training


def main(d):
    torch.set_num_threads(1)
    torch.manual_seed(1)
    with open(os.path.join(d, "graph.json")) as f:
        graph = json.load(f)
    with open(os.path.join(d, "recipe.json")) as f:
        recipe = training.Recipe({"recipe": json.load(f)})
    x = torch.tensor(np.load(os.path.join(d, "x.npy")))
    y = torch.tensor(np.load(os.path.join(d, "y.npy"))).long()
    batch = int(np.load(os.path.join(d, "batch.npy")))
    settings = training.Settings("cpu")
    model = training.build(graph, settings, recipe)
    np.savez(os.path.join(d, "init.npz"), **training.node_arrays(model))
    steps = x.shape[0] // batch
    trainer = training.Trainer(model, recipe, settings, steps, None)
    model.train()
    losses = [float(trainer.step(x[s * batch:(s + 1) * batch], y[s * batch:(s + 1) * batch])) / batch for s in range(steps)]
    np.save(os.path.join(d, "losses.npy"), np.array(losses, dtype=np.float64))
    np.savez(os.path.join(d, "final.npz"), **training.node_arrays(model))
    print("ok", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
