"""A persistent PyTorch training worker: one process per trial slot, driven over stdin/stdout.

    python3 -m anynas_torch.worker --data DIR --device cuda|cpu [--gpu-index N] [--precision fp32|bf16]
        [--channels-last] [--threads N]

Protocol 3 (JSON Lines, UTF-8, one object per line; stdout carries nothing else, logs go to stderr):

  worker → engine, once at start:   {"event": "ready", "protocol": 3, "device": "...", "torch": "...", "cuda": bool}
  engine → worker:                  {"id": 7, "op": "proxy", "graph": {...}, "fidelity": {...}, "recipe": {...},
                                     "time_limit_s": 600, "measure_inference": true,
                                     "from_epoch": 0, "to_epoch": 3, "resume": "/run/c.pt", "checkpoint": "/run/d.pt"}
                                    {"id": 8, "op": "final", "graph": {...}, "fidelity": {...}, "recipe": {...},
                                     "save": "/path/model.pt",
                                     "save_arrays": "/path/model.npz", "reference_images": 256,
                                     "resume": "/out/seed-1.resume", "resume_key": "..."}
                                    ("resume", optional: after each epoch the whole training state (weights,
                                     optimizer, step, EMA, the augmentation and noise generators, best epoch,
                                     history) is written there, to a temporary file then renamed; a request
                                     whose file holds the state of the same "resume_key" goes on after its
                                     last epoch, first sending the earlier epochs' events with "resumed": true.
                                     On the CPU the result equals one uninterrupted run)
                                    ("graph": the candidate's op graph as org.anynas.space.OpGraphJson writes it:
                                     input shape and nodes in order, each with name, op, inputs, output shape,
                                     parameter count and the op's attributes; graph.py builds the network from
                                     it, one submodule per node named as the node, and refuses a node whose
                                     parameter count differs (status "failed").
                                     "save": the state_dict, keyed <node>.weight|bias|running_mean|running_var;
                                     "save_arrays", optional: the same as an .npz of float32 arrays, plus
                                     "reference.probabilities", the fp32 softmax of the first reference_images
                                     test images, from which the engine writes and checks model.zip/model.onnx)
                                    {"id": 9, "op": "describe", "graph": {...}, "fidelity": {...}, "recipe": {...},
                                     "at_steps": [0, 10, 20]}   (trains nothing: replies with the optimizer, learning
                                     rates, weight decay and batch norms a proxy request would train with; with
                                     "loss_probe": {"logits": [[...]], "labels": [...]} also the mean training "loss"
                                     of those logits, and with "ema_probe": {"shadow": [...], "values": [...]} the
                                     "ema" after one EMA step: RecipeParityTest compares them with DL4J's)
                                    {"op": "interrupt"}   (ends the training in flight as "interrupted")
                                    ("recipe": how to train, as org.anynas.trainer.TrainingRecipe.toJson writes it;
                                     every key is required, the worker has no defaults:
                                     {"optimizer": {"kind": "adam", "beta1", "beta2", "epsilon"}
                                                 | {"kind": "sgd", "momentum", "nesterov"},
                                      "schedule": {"kind": "cosine"|"constant", "learning_rate", "epochs", "warmup_epochs"}
                                        (cosine: lr·(step + 1)/W for step < W = warmup_epochs·batches per epoch, then
                                        lr·(1 + cos(π·min(1, (step − W) / (T − W))))/2, T = epochs·batches per epoch,
                                        step from 0),
                                      "weight_decay": {"coefficient", "mode": "decoupled" (w -= lr·coefficient·w after
                                        each step), "applies_to": ["conv_weight", "dense_weight", "bias", "bn_gamma",
                                        "bn_beta": the kinds it decays]},
                                      "batch_norm": {"epsilon", "momentum"},
                                      "seeds": {"init", "order", "noise"} (weights drawn after torch.manual_seed(init);
                                        epoch e's batch order from a generator seeded order + e, its dropout noise
                                        after torch.manual_seed(noise + e)),
                                      "std_floor": the least per-channel std of the standardisation,
                                      "augmentation": {"padding", "flip", "erasing": {"p", "scale": [lo, hi],
                                        "ratio": [lo, hi]}} (final training only; training.augment and .erase),
                                      "label_smoothing": ε of the training loss,
                                      "ema": {"decay"} (0: none; else the average is validated, kept and saved)})
  worker → engine, per final epoch: {"id": 8, "event": "epoch", "epoch": 1, "epochs": 30, "train_loss": ..., "val_acc": ...,
                                     "val_loss": ..., "seconds": ..., "best": <beat every earlier epoch: the kept one so far>}
  worker → engine, while a proxy request with "progress": true trains (at most every 0.25 s, and after each
                                    epoch's last batch; for a live display):
                                    {"id": 7, "event": "step", "epoch": 1, "epochs": 3, "batch": 40, "batches": 59,
                                     "loss": <mean data loss of the epoch so far>, "img_s": <this epoch so far>}
  worker → engine, per request:     {"id": 7, "status": "ok", "device": "...", <metrics>}
                                    {"id": 7, "status": "oom"|"diverged"|"timeout"|"invalid"|"failed"|"interrupted",
                                     "message": "...", "train_loss": [...]}

A proxy request may train one leg of a run (a fidelity rung): the learning-rate schedule is planned for
fidelity.epochs, the leg trains epochs from_epoch+1 … to_epoch (default 0 … fidelity.epochs), starting from the
checkpoint file "resume" when from_epoch > 0 (weights, optimizer state and step count, as written by an
earlier leg), and writes such a checkpoint to "checkpoint" after its last epoch when the key is present (to a
temporary file first, then renamed, so a killed worker leaves no half-written checkpoint). train_loss and
val_curve cover the leg's epochs only. On the CPU a run continued from a checkpoint equals one run.

A request is answered with exactly one reply; requests are handled one at a time, in order. The worker exits
when its stdin closes or its parent dies, so a killed engine leaves no process holding the GPU.
"""

import argparse
import ctypes
import json
import os
import queue
import signal
import sys
import threading
import time
import traceback

import torch

from . import training
from .data import SplitData

PROTOCOL = 3  # 2: a request carries the op graph, not the architecture and its parameter count; 3: and the recipe


def die_with_parent():
    """Linux: SIGKILL this process when the engine that started it dies (even by kill -9)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    parent = os.getppid()

    def watch():  # also covers a parent that died before prctl took effect
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(1)

    threading.Thread(target=watch, daemon=True).start()


class Channel:
    """stdin reader thread (so "interrupt" arrives while a training runs) and locked stdout writer."""

    def __init__(self):
        self.requests = queue.Queue()
        self.interrupted = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError as e:
                self.send({"status": "failed", "message": "unreadable request: %s" % e})
                continue
            if msg.get("op") == "interrupt":
                self.interrupted.set()
            else:
                self.requests.put(msg)
        os._exit(0)  # stdin closed: the engine is gone or done with us

    def send(self, msg):
        line = json.dumps(msg, allow_nan=True)
        with self.lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def describe(device, gpu_index):
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        return "cuda:%s %s, torch %s" % (gpu_index, name, torch.__version__)
    return "cpu (%d threads), torch %s" % (torch.get_num_threads(), torch.__version__)


def is_oom(e):
    if hasattr(torch.cuda, "OutOfMemoryError") and isinstance(e, torch.cuda.OutOfMemoryError):
        return True
    m = str(e).lower()
    return "out of memory" in m or "not enough memory" in m or "failed to allocate" in m


class Faults:
    """Test hook: ANYNAS_TORCH_FAULT="crash@2,hang@3" crashes or hangs this process at its n-th request."""

    def __init__(self, spec):
        self.at = {}
        for part in filter(None, (spec or "").split(",")):
            kind, n = part.split("@")
            self.at[int(n)] = kind
        self.count = 0

    def next(self):
        self.count += 1
        kind = self.at.get(self.count)
        if kind == "crash":
            os._exit(3)
        if kind == "hang":
            while True:
                time.sleep(60)


def main(argv=None):
    p = argparse.ArgumentParser(description="AnyNAS PyTorch training worker (protocol %d)" % PROTOCOL)
    p.add_argument("--data", required=True, help="split folder written by the engine (meta.json + .u8 parts)")
    p.add_argument("--device", choices=("cpu", "cuda"), required=True)
    p.add_argument("--gpu-index", default="0", help="the physical GPU this worker is pinned to, for reports")
    p.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0 = PyTorch's default)")
    a = p.parse_args(argv)

    die_with_parent()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    if a.device == "cuda":
        if not torch.cuda.is_available():
            print("error: CUDA is not available to this PyTorch (%s)" % torch.__version__, file=sys.stderr)
            return 2
        torch.backends.cudnn.benchmark = True  # each candidate's shapes are fixed for its whole run
    device = torch.device("cuda:0" if a.device == "cuda" else "cpu")
    settings = training.Settings(device, a.precision, a.channels_last)
    data = SplitData(a.data, device)
    label = describe(device, a.gpu_index)
    channel = Channel()
    faults = Faults(os.environ.get("ANYNAS_TORCH_FAULT"))
    channel.send({"event": "ready", "protocol": PROTOCOL, "device": label, "torch": torch.__version__,
                  "cuda": device.type == "cuda", "precision": a.precision, "channels_last": a.channels_last})
    while True:
        request = channel.requests.get()
        rid = request.get("id")
        faults.next()
        try:
            op = request.get("op")
            if op == "proxy":
                reply = training.proxy(request, data, settings, channel.interrupted.is_set,
                                       lambda e: channel.send(dict(e, id=rid)))
            elif op == "describe":
                reply = training.describe(request, settings)
            elif op == "final":
                reply = training.final(request, data, settings, channel.interrupted.is_set,
                                       lambda e: channel.send(dict(e, id=rid, event="epoch")))
            else:
                raise training.Failure("failed", "unknown op %r" % op)
            reply.update(id=rid, status="ok", device=label)
        except training.Failure as f:
            reply = {"id": rid, "status": f.status, "message": str(f), "train_loss": f.train_loss, "device": label}
        except Exception as e:  # a candidate's failure must not end the worker
            status = "oom" if is_oom(e) else "failed"
            if status == "failed":
                traceback.print_exc(file=sys.stderr)
            reply = {"id": rid, "status": status, "message": "%s: %s" % (type(e).__name__, str(e).split("\n")[0]),
                     "train_loss": [], "device": label}
        if device.type == "cuda" and reply["status"] != "ok":
            torch.cuda.empty_cache()
        channel.send(reply)
        channel.interrupted.clear()  # an interrupt sent before this request began still ended it


if __name__ == "__main__":
    sys.exit(main())
