"""The images a worker trains on, exactly as the engine split them.

The engine (Java) decides the dataset, its seeded train/validation split and the test set, and writes each
part once as raw bytes: ``<part>.u8`` (N×C×H×W unsigned pixels) and ``<part>-labels.u8`` (N labels), with
``meta.json`` = {"name", "shape": [C, H, W], "classes", "parts": {part: N}}. The worker loads them once onto
its device as uint8 and standardises a prefix per fidelity, as the DL4J trainer does (per-channel mean and
standard deviation of the first train_size training images, pixels scaled to [0, 1]).
"""

import json
import os

import numpy as np
import torch


class Images:
    """One part of the split on a device: uint8 pixels [N, C, H, W] and int64 labels [N]."""

    def __init__(self, pixels, labels):
        self.pixels = pixels
        self.labels = labels

    def __len__(self):
        return self.labels.shape[0]


class SplitData:
    def __init__(self, directory, device, parts=("train", "val", "test")):
        with open(os.path.join(directory, "meta.json"), encoding="utf-8") as f:
            meta = json.load(f)
        self.name = meta["name"]
        self.shape = tuple(meta["shape"])
        self.classes = meta["classes"]
        self.device = device
        self.parts = {}
        for part in parts:
            n = meta["parts"].get(part, 0)
            if n == 0:
                continue
            px = np.fromfile(os.path.join(directory, part + ".u8"), dtype=np.uint8)
            lb = np.fromfile(os.path.join(directory, part + "-labels.u8"), dtype=np.uint8)
            if px.size != n * int(np.prod(self.shape)) or lb.size != n:
                raise ValueError("%s: %s has %d pixel bytes and %d labels, meta.json says %d images of %s"
                                 % (directory, part, px.size, lb.size, n, self.shape))
            self.parts[part] = Images(torch.from_numpy(px.reshape((n,) + self.shape)).to(device),
                                      torch.from_numpy(lb.astype(np.int64)).to(device))
        self._standard = {}

    def part(self, name):
        if name not in self.parts:
            raise ValueError("the worker has no %s images" % name)
        return self.parts[name]

    def mean_std(self, train_size, std_floor):
        """Per-channel mean and std of the first train_size training images in [0, 1] (std at least std_floor)."""
        key = ("stats", train_size, std_floor)
        if key not in self._standard:
            x = self.part("train").pixels[:train_size].to(torch.float64) / 255.0
            mean = x.mean(dim=(0, 2, 3))
            std = (x.pow(2).mean(dim=(0, 2, 3)) - mean.pow(2)).clamp_min(0).sqrt().clamp_min(std_floor)
            self._standard[key] = (mean.to(torch.float32), std.to(torch.float32))
        return self._standard[key]

    def standardised(self, part, count, train_size, std_floor):
        """The first `count` images of `part` as float32 [count, C, H, W], standardised with train_size's stats."""
        key = (part, count, train_size, std_floor)
        if key not in self._standard:
            mean, std = self.mean_std(train_size, std_floor)
            images = self.part(part)
            x = images.pixels[:count].to(torch.float32) / 255.0
            x = (x - mean[None, :, None, None]) / std[None, :, None, None]
            self._standard[key] = (x.contiguous(), images.labels[:count])
        return self._standard[key]
