"""Proxy and final training of one candidate: the same work as the DL4J trainer.

Every training constant comes from the request's "recipe" (org.anynas.trainer.TrainingRecipe, sent by the engine;
worker.py documents it): the optimizer and its hyper-parameters, the learning rate per step, decoupled weight decay
and the parameter kinds it applies to, batch-norm epsilon and momentum, the seeds, the standardisation's std floor
and final training's augmentation. Nothing here has a default for them: a missing key is a failed request.
The fidelity gives only the sizes (epochs, images, batch). On the CPU a run is deterministic; on CUDA cuDNN's
algorithm choice and atomics make the last digits vary between runs.
"""

import copy
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

from . import graph as opgraph


class Failure(Exception):
    """A candidate's own failure, reported as a result with this status (never a worker crash)."""

    def __init__(self, status, message, train_loss=()):
        super().__init__(message)
        self.status = status
        self.train_loss = list(train_loss)


class Settings:
    """How this worker trains, fixed for its lifetime: part of the trainer's identity in the score cache."""

    def __init__(self, device, precision="fp32", channels_last=False):
        if precision not in ("fp32", "bf16"):
            raise ValueError("precision must be fp32 or bf16, got %r" % precision)
        self.device = torch.device(device)
        self.precision = precision
        self.channels_last = channels_last

    def autocast(self):
        if self.precision == "bf16":
            return torch.autocast(device_type=self.device.type, dtype=torch.bfloat16)
        return torch.autocast(device_type=self.device.type, enabled=False)

    def layout(self, x):
        return x.contiguous(memory_format=torch.channels_last) if self.channels_last else x

    def sync(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)


class Recipe:
    """The request's training recipe; reading a key it lacks fails the request (the engine's recipe is the only source)."""

    def __init__(self, request):
        if "recipe" not in request:
            raise Failure("failed", "the request has no training recipe (protocol 3 sends one with every request)")
        self.tree = request["recipe"]

    def __call__(self, *path):
        node = self.tree
        for key in path:
            if not isinstance(node, dict) or key not in node:
                raise Failure("failed", "the request's recipe has no %s" % ".".join(path))
            node = node[key]
        return node


# how each module's parameters map to the recipe's parameter kinds (TrainingRecipe.ParamKind)
PARAM_KINDS = ((nn.Conv2d, {"weight": "conv_weight", "bias": "bias"}),
               (nn.Linear, {"weight": "dense_weight", "bias": "bias"}),
               (nn.BatchNorm2d, {"weight": "bn_gamma", "bias": "bn_beta"}))


def param_kinds(model):
    """[(name, parameter, kind)] of every trainable parameter, in the model's order."""
    out = []
    for module_name, m in model.named_modules():
        own = list(m.named_parameters(recurse=False))
        if not own:
            continue
        kinds = next((k for cls, k in PARAM_KINDS if isinstance(m, cls)), None)
        if kinds is None or any(n not in kinds for n, _ in own):
            raise Failure("failed", "no recipe parameter kind for the parameters of %s (%s)" % (module_name, type(m).__name__))
        out.extend(("%s.%s" % (module_name, n), p, kinds[n]) for n, p in own)
    return out


def build(graph, settings, recipe):
    """The request's op graph as a module on the device; each node's parameter count is checked against the graph."""
    try:
        model = opgraph.build(graph)
    except (KeyError, ValueError, TypeError) as e:  # the engine and this worker disagree: a bug, not the candidate's
        raise Failure("failed", "PyTorch cannot build the op graph: %s" % e)
    eps, momentum = recipe("batch_norm", "epsilon"), recipe("batch_norm", "momentum")
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eps, m.momentum = eps, momentum
    model = model.to(settings.device)
    if settings.channels_last:
        model = model.to(memory_format=torch.channels_last)
    return model


def optimizer(model, recipe):
    """The recipe's optimizer over every parameter, and the parameters its weight decay applies to."""
    lr = recipe("schedule", "learning_rate")
    params = list(model.parameters())
    kind = recipe("optimizer", "kind")
    if kind == "adam":
        # the fused CUDA kernel updates every tensor in one launch (small nets are launch-bound on a GPU)
        fused = {"fused": True} if params and params[0].is_cuda else {}
        opt = torch.optim.Adam(params, lr=lr, betas=(recipe("optimizer", "beta1"), recipe("optimizer", "beta2")),
                               eps=recipe("optimizer", "epsilon"), **fused)
    elif kind == "sgd":
        opt = torch.optim.SGD(params, lr=lr, momentum=recipe("optimizer", "momentum"),
                              nesterov=recipe("optimizer", "nesterov"))
    else:
        raise Failure("failed", "unknown optimizer %r in the recipe" % kind)
    if recipe("weight_decay", "mode") != "decoupled":
        raise Failure("failed", "unknown weight decay mode %r in the recipe" % recipe("weight_decay", "mode"))
    applies = set(recipe("weight_decay", "applies_to"))
    decayed = [p for _, p, k in param_kinds(model) if k in applies]
    return opt, decayed


def learning_rate(recipe, iteration, steps_per_epoch):
    """The learning rate of optimizer step `iteration` (from 0): constant, or cosine to 0 over the run's steps after
    a linear warm-up lr·(step + 1)/warmup over the first warmup_epochs' steps (as the engine's CosineSchedule)."""
    lr, kind = recipe("schedule", "learning_rate"), recipe("schedule", "kind")
    if kind == "cosine":
        total = recipe("schedule", "epochs") * steps_per_epoch
        warmup = recipe("schedule", "warmup_epochs") * steps_per_epoch
        if iteration < warmup:
            return lr * (iteration + 1) / warmup
        return lr * 0.5 * (1 + math.cos(math.pi * min(1.0, (iteration - warmup) / max(1, total - warmup))))
    if kind == "constant":
        return lr
    raise Failure("failed", "unknown schedule %r in the recipe" % kind)


class Trainer:
    """Trains one model step by step on standardised tensors already on the device."""

    def __init__(self, model, recipe, settings, steps_per_epoch, deadline):
        self.model = model
        self.recipe = recipe
        self.settings = settings
        self.opt, self.decayed = optimizer(model, recipe)
        self.wd = recipe("weight_decay", "coefficient")
        self.steps_per_epoch = steps_per_epoch
        self.iteration = 0
        self.deadline = deadline
        # label smoothing ε: cross-entropy against (1 − ε)·one-hot + ε/K, as the engine's smoothed labels in DL4J
        self.loss_fn = nn.CrossEntropyLoss(reduction="sum", label_smoothing=recipe("label_smoothing"))
        self.ema = Ema(model, recipe("ema", "decay")) if recipe("ema", "decay") > 0 else None

    def learning_rate(self, iteration):
        return learning_rate(self.recipe, iteration, self.steps_per_epoch)

    def step(self, xb, yb):
        lr = self.learning_rate(self.iteration)
        for group in self.opt.param_groups:
            group["lr"] = lr
        self.opt.zero_grad(set_to_none=True)
        with self.settings.autocast():
            loss = self.loss_fn(self.model(self.settings.layout(xb)).float(), yb)
        (loss / xb.shape[0]).backward()
        self.opt.step()
        if self.wd > 0:
            with torch.no_grad():
                torch._foreach_mul_(self.decayed, 1.0 - lr * self.wd)
        if self.ema is not None:
            self.ema.update(self.model)
        self.iteration += 1
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise Failure("timeout", "over the time limit in step %d" % self.iteration)
        return loss.detach()  # summed data loss of the batch, left on the device (no sync per step)

    def epoch(self, x, y, batch, seed, on_batch=None):
        """Mean data loss of one epoch; on_batch(batch, batches, images, loss_sum), when given, after each batch."""
        n = x.shape[0]
        gen = torch.Generator().manual_seed(seed)
        order = torch.randperm(n, generator=gen).to(x.device)
        self.model.train()
        total = torch.zeros((), device=x.device, dtype=torch.float64)
        batches = (n + batch - 1) // batch
        for b, start in enumerate(range(0, n, batch)):
            idx = order[start:start + batch]
            total += self.step(x[idx], y[idx])
            if on_batch is not None:
                on_batch(b + 1, batches, min(n, start + batch), total)
        return float(total) / n  # one sync per epoch


def ema_update(shadow, values, decay):
    """The recipe's EMA step on float tensors: shadow ← shadow·d + value·(1 − d), each product rounded before the sum
    (the engine's Dl4jRecipe.emaUpdate; RecipeParityTest compares them to the bit)."""
    torch._foreach_mul_(shadow, decay)
    torch._foreach_add_(shadow, torch._foreach_mul(values, 1 - decay))


class Ema:
    """An exponential moving average of the whole model state, as timm's ModelEmaV2: weights and the batch norms'
    running statistics alike (the step counter is copied), starting from the initial model."""

    def __init__(self, model, decay):
        self.decay = decay
        self.model = copy.deepcopy(model)
        self.model.requires_grad_(False)

    def update(self, model):
        with torch.no_grad():
            pairs = [(e, m) for e, m in zip(self.model.state_dict().values(), model.state_dict().values())]
            floats = [(e, m) for e, m in pairs if e.is_floating_point()]
            ema_update([e for e, _ in floats], [m for _, m in floats], self.decay)
            for e, m in pairs:
                if not e.is_floating_point():
                    e.copy_(m)


class Progress:
    """Batch progress events for a live display, at most every `interval` seconds and after an epoch's last
    batch: reading the loss waits for the GPU, so it is read only when an event goes out."""

    def __init__(self, send, epochs, interval=0.25):
        self.send, self.epochs, self.interval = send, epochs, interval
        self.last = 0.0

    def epoch(self, epoch):
        started = time.perf_counter()

        def on_batch(batch, batches, images, loss_sum):
            now = time.perf_counter()
            if batch < batches and now - self.last < self.interval:
                return
            self.last = now
            self.send({"event": "step", "epoch": epoch + 1, "epochs": self.epochs, "batch": batch,
                       "batches": batches, "loss": float(loss_sum) / images,
                       "img_s": images / max(now - started, 1e-9)})
        return on_batch


def evaluate(model, x, y, settings, batch=1000):
    """(accuracy, mean cross-entropy, balanced accuracy) of the model on x, y in inference mode; balanced accuracy
    is the mean recall of the classes that have examples, as the engine's Confusion computes it."""
    model.eval()
    correct = torch.zeros((), device=x.device, dtype=torch.int64)
    loss = torch.zeros((), device=x.device, dtype=torch.float64)
    support = hits = None
    with torch.inference_mode(), settings.autocast():
        for start in range(0, x.shape[0], batch):
            logits = model(settings.layout(x[start:start + batch])).float()
            yb = y[start:start + batch]
            right = logits.argmax(1) == yb
            correct += right.sum()
            loss += nn.functional.cross_entropy(logits, yb, reduction="sum").double()
            k = logits.shape[1]
            s, h = torch.bincount(yb, minlength=k), torch.bincount(yb[right], minlength=k)
            support, hits = (s, h) if support is None else (support + s, hits + h)
    n = x.shape[0]
    present = support > 0
    balanced = float((hits[present].double() / support[present].double()).mean())
    return int(correct) / n, float(loss) / n, balanced


def inference_speed(model, x, settings):
    """(ms per image at batch 1, images/s at batch up to 256), after warm-up, synchronised timing."""
    model.eval()
    one = settings.layout(x[:1])
    big = settings.layout(x[:min(256, x.shape[0])])
    with torch.inference_mode(), settings.autocast():
        for _ in range(5):
            model(one)
        settings.sync()
        reps = 30
        t0 = time.perf_counter()
        for _ in range(reps):
            model(one)
            settings.sync()
        latency = (time.perf_counter() - t0) * 1000 / reps
        model(big)
        settings.sync()
        big_reps = 10
        t1 = time.perf_counter()
        for _ in range(big_reps):
            model(big)
        settings.sync()
        per_sec = big.shape[0] * big_reps / (time.perf_counter() - t1)
    return latency, per_sec


def save_checkpoint(trainer, path):
    """Weights, optimizer state and step count, written to a temporary file and renamed over `path`."""
    tmp = path + ".tmp"
    torch.save({"model": trainer.model.state_dict(), "optimizer": trainer.opt.state_dict(),
                "iteration": trainer.iteration}, tmp)
    os.replace(tmp, path)


def load_checkpoint(trainer, path, device):
    try:
        state = torch.load(path, map_location=device)
    except (OSError, RuntimeError, EOFError) as e:
        raise Failure("failed", "cannot continue from checkpoint %s: %s" % (path, e))
    trainer.model.load_state_dict(state["model"])
    trainer.opt.load_state_dict(state["optimizer"])
    trainer.iteration = state["iteration"]


def rng_state(device):
    """The global generators' states that dropout noise draws from: the CPU's, and the worker's own GPU's."""
    return {"cpu": torch.get_rng_state(), "cuda": torch.cuda.get_rng_state(device) if device.type == "cuda" else None}


def set_rng_state(state, device):
    torch.set_rng_state(state["cpu"])
    if device.type == "cuda" and state["cuda"] is not None:
        torch.cuda.set_rng_state(state["cuda"], device)


def save_epoch_state(path, key, trainer, gen, best, best_state, history, seconds):
    """Everything a final training needs to go on after its last finished epoch as if it had not stopped: weights,
    optimizer, step count, EMA, the augmentation and noise generators, the best epoch so far and the history;
    written to a temporary file and renamed over `path`, so a kill leaves the previous epoch's state. A state that
    cannot be written (a full disk) costs the resumability, not the training: a line on stderr."""
    tmp = path + ".tmp"
    try:
        torch.save({"key": key, "model": trainer.model.state_dict(), "optimizer": trainer.opt.state_dict(),
                    "iteration": trainer.iteration,
                    "ema": trainer.ema.model.state_dict() if trainer.ema is not None else None,
                    "augment_rng": gen.get_state(), "rng": rng_state(trainer.settings.device), "best": best,
                    "best_state": best_state, "history": history, "seconds": seconds}, tmp)
        os.replace(tmp, path)
    except OSError as e:
        print("anynas_torch: cannot write the training state %s: %s" % (path, e), file=sys.stderr)


def load_epoch_state(path, key):
    """The state save_epoch_state wrote for the same training (`key`), else None: no file, another training's, or
    unreadable (a run starts from epoch 1 and writes over it)."""
    if not os.path.isfile(path):
        return None
    try:
        state = torch.load(path, map_location="cpu")  # the generators' states stay on the CPU; load_state_dict moves the rest
    except Exception as e:  # a torn or foreign file: train from the start
        print("anynas_torch: not continuing from %s: %s" % (path, e), file=sys.stderr)
        return None
    if not isinstance(state, dict) or state.get("key") != key:
        print("anynas_torch: %s belongs to another training; starting from epoch 1" % path, file=sys.stderr)
        return None
    return state


def describe(request, settings):
    """What a proxy request would train with, read back from the built objects (RecipeParityTest compares it with
    the recipe and with DL4J): the optimizer's class and hyper-parameters, the learning rate at request["at_steps"],
    the weight decay and the parameters it applies to, every batch norm's eps and momentum. Trains nothing."""
    f, recipe = request["fidelity"], Recipe(request)
    torch.manual_seed(recipe("seeds", "init"))
    model = build(request["graph"], settings, recipe)
    steps = (f["train_size"] + f["batch_size"] - 1) // f["batch_size"]
    trainer = Trainer(model, recipe, settings, steps, None)
    group = trainer.opt.param_groups[0]
    opt = {"class": type(trainer.opt).__name__}
    opt.update({k: group[k] for k in ("betas", "eps", "momentum", "nesterov") if k in group})
    decayed = {id(p) for p in trainer.decayed}
    params = param_kinds(model)
    probes = {}
    if "loss_probe" in request:  # the mean training loss of given logits and labels, as a step computes it
        logits = torch.tensor(request["loss_probe"]["logits"], dtype=torch.float32)
        labels = torch.tensor(request["loss_probe"]["labels"], dtype=torch.int64)
        probes["loss"] = float(trainer.loss_fn(logits, labels)) / logits.shape[0]
    if "ema_probe" in request:  # one EMA step of given float32 values with the recipe's decay
        shadow = [torch.tensor(request["ema_probe"]["shadow"], dtype=torch.float32)]
        ema_update(shadow, [torch.tensor(request["ema_probe"]["values"], dtype=torch.float32)], recipe("ema", "decay"))
        probes["ema"] = shadow[0].tolist()
    return {**probes, "optimizer": opt, "groups": len(trainer.opt.param_groups), "steps_per_epoch": steps,
            "learning_rates": [trainer.learning_rate(s) for s in request["at_steps"]],
            "weight_decay": trainer.wd, "params": sorted(n for n, _, _ in params),
            "decayed": sorted(n for n, p, _ in params if id(p) in decayed),
            "batch_norm": {n: {"eps": m.eps, "momentum": m.momentum} for n, m in model.named_modules()
                           if isinstance(m, nn.BatchNorm2d)}}


def proxy(request, data, settings, stop, send=None):
    """Proxy training of one leg of a run at a fidelity; returns the reply's metrics or raises Failure.
    With "progress": true in the request, batch events go to send (see Progress)."""
    f, recipe = request["fidelity"], Recipe(request)
    limit = request.get("time_limit_s")
    deadline = time.monotonic() + limit if limit else None
    first, last = request.get("from_epoch", 0), request.get("to_epoch", f["epochs"])
    if not 0 <= first < last <= f["epochs"] or (first > 0 and not request.get("resume")):
        raise Failure("invalid", "a leg trains epochs %d < e <= %d of %d, from a checkpoint when it starts past 0"
                      % (first, last, f["epochs"]))
    torch.manual_seed(recipe("seeds", "init"))
    model = build(request["graph"], settings, recipe)
    train_size, val_size, batch = f["train_size"], f["val_size"], f["batch_size"]
    if train_size > len(data.part("train")) or val_size > len(data.part("val")):
        raise Failure("invalid", "the fidelity needs %d/%d images, the split has %d/%d"
                      % (train_size, val_size, len(data.part("train")), len(data.part("val"))))
    floor = recipe("std_floor")
    x, y = data.standardised("train", train_size, train_size, floor)
    vx, vy = data.standardised("val", val_size, train_size, floor)
    steps = (train_size + batch - 1) // batch
    trainer = Trainer(model, recipe, settings, steps, deadline)
    if first > 0:
        load_checkpoint(trainer, request["resume"], settings.device)
    losses, curve = [], []
    progress = Progress(send, f["epochs"]) if send is not None and request.get("progress") else None
    settings.sync()
    start = time.perf_counter()
    for epoch in range(first, last):
        torch.manual_seed(recipe("seeds", "noise") + epoch)  # per epoch: a continued run draws the same dropout noise
        loss = trainer.epoch(x, y, batch, recipe("seeds", "order") + epoch, progress.epoch(epoch) if progress else None)
        losses.append(loss)
        if not math.isfinite(loss):
            raise Failure("diverged", "training loss became %s in epoch %d" % (loss, epoch + 1), losses)
        if stop():
            raise Failure("interrupted", "stopped by the user in epoch %d" % (epoch + 1), losses)
        if epoch < last - 1:
            curve.append(evaluate(model, vx, vy, settings)[0])
    settings.sync()
    seconds = time.perf_counter() - start
    if request.get("checkpoint"):
        save_checkpoint(trainer, request["checkpoint"])
    acc, val_loss, balanced = evaluate(model, vx, vy, settings)
    curve.append(acc)
    if not math.isfinite(val_loss):
        raise Failure("diverged", "validation loss is %s" % val_loss, losses)
    latency, per_sec = (inference_speed(model, vx, settings) if request.get("measure_inference", True)
                        else (float("nan"), float("nan")))
    return {"val_acc": acc, "val_loss": val_loss, "val_bal_acc": balanced, "train_loss": losses, "val_curve": curve,
            "train_seconds": seconds, "train_img_s": train_size * (last - first) / seconds,
            "latency_ms": latency, "infer_img_s": per_sec}


def node_arrays(model):
    """Parameters and BN statistics as float32 arrays named by op-graph node, like the ONNX initializers
    (``s1b1_a_conv.weight``, ``stem_bn.running_var``, ...: the state_dict's keys), for the Java side to load into DL4J."""
    return {key: t.detach().to(torch.float32).cpu().numpy() for key, t in model.state_dict().items()
            if not key.endswith(".num_batches_tracked")}


def reference_probabilities(model, data, train_size, std_floor, settings, count):
    """Softmax outputs for the first `count` test (else validation) images, in plain fp32 (no autocast, no TF32): what the exported
    DL4J and ONNX files must reproduce."""
    part = "test" if "test" in data.parts else "val"  # the engine checks exports on val when there is no test split
    x, _ = data.standardised(part, min(count, len(data.part(part))), train_size, std_floor)
    tf32 = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        model.eval()
        with torch.no_grad():
            return torch.softmax(model(settings.layout(x)).float(), dim=1).cpu().numpy()
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = tf32


def augment(raw, padding, flip, gen):
    """Random crop of the image padded with black (pixel 0) by `padding`, and a left-right flip with p = 1/2.

    Works on uint8 batches before standardisation, so the border is black as in the DL4J trainer."""
    n, c, h, w = raw.shape
    out = raw
    if padding > 0:
        padded = nn.functional.pad(raw, (padding, padding, padding, padding))
        dy = torch.randint(0, 2 * padding + 1, (n,), generator=gen).to(raw.device)
        dx = torch.randint(0, 2 * padding + 1, (n,), generator=gen).to(raw.device)
        rows = (dy[:, None] + torch.arange(h, device=raw.device)[None, :])  # [n, h]
        cols = (dx[:, None] + torch.arange(w, device=raw.device)[None, :])  # [n, w]
        out = padded[torch.arange(n, device=raw.device)[:, None, None, None],
                     torch.arange(c, device=raw.device)[None, :, None, None],
                     rows[:, None, :, None], cols[:, None, None, :]]
    if flip:
        mirror = (torch.rand(n, generator=gen) < 0.5).to(raw.device)
        out = torch.where(mirror[:, None, None, None], out.flip(3), out)
    return out


def erase(x, p, scale, ratio, gen):
    """Random erasing of standardised images x [n, c, h, w] (Zhong et al.; torchvision's RandomErasing rule with
    value 0): with probability p an image gets the first of 10 tried rectangles that fits strictly inside it, of
    area U(scale)·h·w, log aspect ratio U(log ratio), height round(√(area·ratio)), width round(√(area/ratio)), placed
    uniformly, set to 0 in every channel. The engine's Augmentation.erase follows the same rule with its own random
    stream (the draws are equally distributed, not the same numbers); here all draws are made for the whole batch."""
    n, c, h, w = x.shape
    hit = torch.rand(n, generator=gen, dtype=torch.float64) < p
    area = h * w * (scale[0] + (scale[1] - scale[0]) * torch.rand(n, 10, generator=gen, dtype=torch.float64))
    low, high = math.log(ratio[0]), math.log(ratio[1])
    aspect = torch.exp(low + (high - low) * torch.rand(n, 10, generator=gen, dtype=torch.float64))
    eh, ew = torch.round(torch.sqrt(area * aspect)).long(), torch.round(torch.sqrt(area / aspect)).long()
    fits = (eh < h) & (ew < w)
    first = fits.to(torch.int8).argmax(1, keepdim=True)  # the first attempt that fits
    hit &= fits.any(1)
    eh, ew = eh.gather(1, first).squeeze(1), ew.gather(1, first).squeeze(1)
    top = (torch.rand(n, generator=gen, dtype=torch.float64) * (h - eh + 1)).long()
    left = (torch.rand(n, generator=gen, dtype=torch.float64) * (w - ew + 1)).long()
    rows, cols = torch.arange(h)[None, :], torch.arange(w)[None, :]
    in_rows = (rows >= top[:, None]) & (rows < (top + eh)[:, None])  # [n, h]
    in_cols = (cols >= left[:, None]) & (cols < (left + ew)[:, None])  # [n, w]
    mask = (hit[:, None, None] & in_rows[:, :, None] & in_cols[:, None, :]).to(x.device)
    return x.masked_fill(mask[:, None, :, :], 0.0)


def final(request, data, settings, stop, progress):
    """Final training: every epoch validated, the best epoch's weights kept, the test set measured once."""
    f, recipe = request["fidelity"], Recipe(request)
    torch.manual_seed(recipe("seeds", "init"))
    model = build(request["graph"], settings, recipe)
    train = data.part("train")
    n = min(f["train_size"], len(train))
    floor = recipe("std_floor")
    vx, vy = data.standardised("val", len(data.part("val")), n, floor)
    mean, std = data.mean_std(n, floor)
    padding, flip = recipe("augmentation", "padding"), recipe("augmentation", "flip")
    erasing = recipe("augmentation", "erasing", "p")
    scale, ratio = recipe("augmentation", "erasing", "scale"), recipe("augmentation", "erasing", "ratio")
    batch, epochs = f["batch_size"], f["epochs"]
    steps = (n + batch - 1) // batch
    trainer = Trainer(model, recipe, settings, steps, None)
    # one augmentation stream for the whole run, seeded with the init seed, and batch orders numbered from epoch 0
    # (DL4J's FinalTrainer seeds a stream per epoch and numbers from 1): kept so final runs reproduce
    gen = torch.Generator().manual_seed(recipe("seeds", "init"))
    best, best_state, history, before = None, None, [], 0.0
    resume, key = request.get("resume"), request.get("resume_key")
    state = load_epoch_state(resume, key) if resume else None
    if state is not None:
        model.load_state_dict(state["model"])
        trainer.opt.load_state_dict(state["optimizer"])
        trainer.iteration = state["iteration"]
        if trainer.ema is not None:
            trainer.ema.model.load_state_dict(state["ema"])
        gen.set_state(state["augment_rng"])
        set_rng_state(state["rng"], settings.device)
        best, best_state, history, before = state["best"], state["best_state"], state["history"], state["seconds"]
        for entry in history:  # the epochs an earlier run trained, so the display shows the whole curve
            progress(dict(entry, resumed=True))
    started = time.perf_counter()
    for epoch in range(len(history), epochs):
        t0 = time.perf_counter()
        model.train()
        order = torch.randperm(n, generator=torch.Generator().manual_seed(recipe("seeds", "order") + epoch)).to(train.pixels.device)
        total = torch.zeros((), device=train.pixels.device, dtype=torch.float64)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            raw = augment(train.pixels[idx], padding, flip, gen) if (padding or flip) else train.pixels[idx]
            xb = (raw.to(torch.float32) / 255.0 - mean[None, :, None, None]) / std[None, :, None, None]
            if erasing > 0:
                xb = erase(xb, erasing, scale, ratio, gen)
            total += trainer.step(xb, train.labels[idx])
        loss = float(total) / n
        if not math.isfinite(loss):
            raise Failure("diverged", "training loss became %s in epoch %d" % (loss, epoch + 1),
                          [h["train_loss"] for h in history] + [loss])
        kept = trainer.ema.model if trainer.ema is not None else model  # with an EMA, the average is validated and kept
        acc, val_loss, _ = evaluate(kept, vx, vy, settings)
        # the first epoch of the highest val_acc is kept; "best" tells the display which epochs were best so far
        improved = best is None or acc > best["val_acc"]
        entry = {"epoch": epoch + 1, "epochs": epochs, "train_loss": loss, "val_acc": acc, "val_loss": val_loss,
                 "seconds": time.perf_counter() - t0, "best": improved}
        history.append(entry)
        progress(entry)
        if improved:
            best = entry
            best_state = copy.deepcopy(kept.state_dict())
        if resume:
            save_epoch_state(resume, key, trainer, gen, best, best_state, history,
                             before + time.perf_counter() - started)
        if stop():
            break
    seconds = before + time.perf_counter() - started
    model.load_state_dict(best_state)
    test_acc = test_loss = float("nan")  # a folder without a test split
    if "test" in data.parts:
        tx, ty = data.standardised("test", len(data.part("test")), n, floor)
        test_acc, test_loss, _ = evaluate(model, tx, ty, settings)
    if request.get("save"):
        torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, request["save"])
    if request.get("save_arrays"):
        arrays = node_arrays(model)
        arrays["reference.probabilities"] = reference_probabilities(model, data, n, floor, settings,
                                                                    request.get("reference_images", 256))
        with open(request["save_arrays"], "wb") as out:
            np.savez(out, **arrays)
    latency, per_sec = inference_speed(model, vx, settings)
    return {"best_epoch": best["epoch"], "val_acc": best["val_acc"], "val_loss": best["val_loss"],
            "test_acc": test_acc, "test_loss": test_loss, "train_loss": [h["train_loss"] for h in history],
            "val_curve": [h["val_acc"] for h in history], "train_seconds": seconds,
            "train_img_s": n * len(history) / seconds, "latency_ms": latency, "infer_img_s": per_sec,
            "epochs_run": len(history), "params": opgraph.count_params(model)}
