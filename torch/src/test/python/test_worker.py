"""The PyTorch worker and its line protocol, on the device in ANYNAS_TEST_DEVICE (cpu by default, cuda on a GPU).

    ANYNAS_TEST_DEVICE=cuda python3 -m pytest -q torch/src/test/python

Synthetic images (class = which quadrant is bright) make a split folder as the engine writes it.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "..", "..", "main", "python")
GRAPHS = os.path.join(HERE, "graphs")  # written by the engine (PythonTestGraphsTest keeps them current)
DEVICE = os.environ.get("ANYNAS_TEST_DEVICE", "cpu")
with open(os.path.join(GRAPHS, "jobs.json")) as f:
    JOBS = json.load(f)  # fidelities and the recipes the engine sends with them (PythonTestGraphsTest keeps them current)
FIDELITY = JOBS["e2"]["fidelity"]


def job(name="e2"):
    """A request's "fidelity" and "recipe" for a fidelity of jobs.json."""
    return {"fidelity": JOBS[name]["fidelity"], "recipe": JOBS[name]["recipe"]}


def images(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, n).astype(np.uint8)
    x = rng.integers(0, 60, (n, 1, 28, 28)).astype(np.uint8)
    for i, c in enumerate(labels):
        r, q = divmod(int(c), 2)
        x[i, 0, r * 14:(r + 1) * 14, q * 14:(q + 1) * 14] += 150
    return x, labels


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    d = tmp_path_factory.mktemp("split")
    parts = {"train": images(1024, 1), "val": images(256, 2), "test": images(256, 3)}
    for name, (x, y) in parts.items():
        x.tofile(d / (name + ".u8"))
        y.tofile(d / (name + "-labels.u8"))
    (d / "meta.json").write_text(json.dumps({"name": "quadrants", "shape": [1, 28, 28], "classes": 4,
                                             "parts": {k: len(v[1]) for k, v in parts.items()}}))
    return str(d)


def graph(name="plain"):
    """The op graph of a bench reference network with 4 classes, as the engine sends it."""
    with open(os.path.join(GRAPHS, name + ".json")) as f:
        return json.load(f)


class Worker:
    def __init__(self, split, env=None):
        e = dict(os.environ, PYTHONPATH=SOURCES, PYTHONUNBUFFERED="1", **(env or {}))
        self.p = subprocess.Popen([sys.executable, "-m", "anynas_torch.worker", "--data", split, "--device", DEVICE,
                                   "--threads", "2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=e)
        self.hello = self.read()

    def send(self, msg):
        self.p.stdin.write(json.dumps(msg) + "\n")
        self.p.stdin.flush()

    def read(self):
        line = self.p.stdout.readline()
        assert line, "worker exited with %s" % self.p.wait(timeout=10)
        return json.loads(line)

    def reply(self):
        while True:
            m = self.read()
            if "event" not in m:
                return m

    def close(self):
        self.p.stdin.close()
        assert self.p.wait(timeout=30) == 0  # stdin closed: the worker exits by itself


def test_ready_then_one_reply_per_request_with_every_metric(split):
    w = Worker(split)
    assert w.hello["event"] == "ready" and w.hello["protocol"] == 3
    assert w.hello["device"].startswith("cuda:" if DEVICE == "cuda" else "cpu")
    w.send({"id": 1, "op": "proxy", "graph": graph(), **job()})
    r = w.reply()
    assert r["id"] == 1 and r["status"] == "ok", r
    assert r["val_acc"] > 0.5  # four bright quadrants are easy
    assert len(r["train_loss"]) == 2 and len(r["val_curve"]) == 2 and r["val_curve"][-1] == r["val_acc"]
    for key in ("val_loss", "train_seconds", "train_img_s", "latency_ms", "infer_img_s"):
        assert r[key] > 0, key
    w.close()


def test_progress_events_only_when_asked_and_the_last_batch_of_every_epoch_among_them(split):
    w = Worker(split)
    w.send({"id": 1, "op": "proxy", "graph": graph(), **job()})
    steps = []
    m = w.read()
    assert "event" not in m and m["status"] == "ok"  # not asked: the reply is the only line
    w.send({"id": 2, "op": "proxy", "graph": graph(), **job(), "progress": True})
    while "event" in (m := w.read()):
        assert m["event"] == "step" and m["id"] == 2
        steps.append(m)
    assert m["status"] == "ok"
    batches = FIDELITY["train_size"] // FIDELITY["batch_size"]
    ends = [(s["epoch"], s["batch"]) for s in steps if s["batch"] == s["batches"]]
    assert ends == [(1, batches), (2, batches)] and all(s["epochs"] == 2 for s in steps)
    # the event after an epoch's last batch carries that epoch's mean data loss, as the reply does
    last = [s for s in steps if s["batch"] == s["batches"]]
    assert [round(s["loss"], 6) for s in last] == [round(x, 6) for x in m["train_loss"]]
    assert all(s["img_s"] > 0 for s in steps)
    w.close()


def test_a_node_whose_parameter_count_differs_is_a_failed_result_and_the_worker_goes_on(split):
    w = Worker(split)
    bad = graph()
    conv = next(n for n in bad["nodes"] if n["op"] == "conv")
    conv["params"] += 1
    w.send({"id": 1, "op": "proxy", "graph": bad, **job()})
    r = w.reply()
    assert r["status"] == "failed" and conv["name"] in r["message"] and str(conv["params"]) in r["message"]
    w.send({"id": 2, "op": "proxy", "graph": graph("residual"), **job("e1")})
    assert w.reply()["status"] == "ok"
    w.close()


def test_an_op_the_worker_does_not_know_is_a_failed_result(split):
    w = Worker(split)
    bad = graph()
    bad["nodes"][1]["op"] = "layer_norm"
    w.send({"id": 1, "op": "proxy", "graph": bad, **job()})
    r = w.reply()
    assert r["status"] == "failed" and "layer_norm" in r["message"]
    w.close()


def test_interrupt_ends_the_training_in_flight(split):
    w = Worker(split)
    w.send({"id": 1, "op": "proxy", "graph": graph(), **job("e200")})
    w.send({"op": "interrupt"})
    r = w.reply()
    assert r["status"] == "interrupted" and len(r["train_loss"]) < 200
    w.close()


def test_final_training_reports_epochs_keeps_the_best_and_saves_weights(split, tmp_path):
    import torch
    w = Worker(split)
    save = str(tmp_path / "model.pt")
    w.send({"id": 5, "op": "final", "graph": graph(), **job("final"), "save": save})
    epochs = []
    while True:
        m = w.read()
        if m.get("event") == "epoch":
            epochs.append(m)
            continue
        break
    assert m["status"] == "ok", m
    assert [e["epoch"] for e in epochs] == [1, 2, 3]
    assert m["val_acc"] == max(e["val_acc"] for e in epochs)
    # "best" marks each epoch that beat every earlier one; the last so marked is the kept epoch
    assert [e["best"] for e in epochs] == [e["val_acc"] > max([-1.0] + [p["val_acc"] for p in epochs[:i]])
                                           for i, e in enumerate(epochs)]
    assert max(e["epoch"] for e in epochs if e["best"]) == m["best_epoch"]
    assert 0 <= m["test_acc"] <= 1
    state = torch.load(save)
    assert sum(v.numel() for k, v in state.items() if "running" not in k and "num_batches" not in k) == m["params"]
    w.close()


def final_run(w, rid, request, interrupt_after=None):
    """(epoch events, reply) of a final request; with interrupt_after=k, an interrupt is sent once epoch k is reported
    (the worker ends after the epoch it is training then)."""
    w.send(dict(request, id=rid))
    epochs = []
    while True:
        m = w.read()
        if m.get("event") != "epoch":
            return epochs, m
        epochs.append(m)
        if interrupt_after is not None and m["epoch"] == interrupt_after and not m.get("resumed"):
            w.send({"op": "interrupt"})


@pytest.mark.skipif(DEVICE != "cpu", reason="bit-exact repeatability holds on the CPU only")
def test_a_final_training_stopped_and_continued_from_its_epoch_state_equals_one_uninterrupted_run(split, tmp_path):
    """Every ingredient that carries state across epochs: augmentation and erasing draws, dropout noise, the EMA."""
    import torch
    j = job("final")
    recipe = json.loads(json.dumps(j["recipe"]))
    recipe["augmentation"]["erasing"]["p"] = 0.5
    recipe["ema"]["decay"] = 0.9
    base = {"op": "final", "graph": graph("residual-dropout"), "fidelity": dict(j["fidelity"], epochs=4),
            "recipe": dict(recipe, schedule=dict(recipe["schedule"], epochs=4))}
    w = Worker(split)
    _, whole = final_run(w, 1, dict(base, save=str(tmp_path / "whole.pt")))
    state = str(tmp_path / "seed-1.resume")
    resumable = dict(base, resume=state, resume_key="training 1")
    first_epochs, first = final_run(w, 2, dict(resumable, save=str(tmp_path / "first.pt")), interrupt_after=1)
    w.close()
    w = Worker(split)  # a new process, as after a kill
    rest_epochs, rest = final_run(w, 3, dict(resumable, save=str(tmp_path / "rest.pt")))
    _, other = final_run(w, 4, dict(base, resume=state, resume_key="another training", save=str(tmp_path / "other.pt")))
    w.close()
    assert whole["status"] == first["status"] == rest["status"] == other["status"] == "ok", (whole, first, rest, other)
    done = first["epochs_run"]
    assert 1 <= done < 4 and [e["epoch"] for e in first_epochs] == list(range(1, done + 1))
    assert [e["epoch"] for e in rest_epochs] == [1, 2, 3, 4]
    assert [e.get("resumed", False) for e in rest_epochs] == [True] * done + [False] * (4 - done)
    for k in ("train_loss", "val_curve", "best_epoch", "val_acc", "test_acc", "test_loss", "epochs_run"):
        assert rest[k] == whole[k], k
    a, b = torch.load(str(tmp_path / "whole.pt")), torch.load(str(tmp_path / "rest.pt"))
    assert all(torch.equal(a[k], b[k]) for k in a)
    # a state of another training is not used: that run trains all four epochs itself, as the whole one did
    assert other["train_loss"] == whole["train_loss"] and other["test_acc"] == whole["test_acc"]
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_a_crash_ends_the_process_so_the_engine_sees_eof(split):
    w = Worker(split, {"ANYNAS_TORCH_FAULT": "crash@2"})
    w.send({"id": 1, "op": "proxy", "graph": graph(), **job("e1")})
    assert w.reply()["status"] == "ok"
    w.send({"id": 2, "op": "proxy", "graph": graph(), **job("e1")})
    assert w.p.stdout.readline() == ""
    assert w.p.wait(timeout=10) == 3


@pytest.mark.skipif(DEVICE != "cpu", reason="bit-exact repeatability holds on the CPU only")
def test_cpu_training_is_deterministic(split):
    w = Worker(split)
    for i in (1, 2):
        w.send({"id": i, "op": "proxy", "graph": graph("residual"), **job(), "measure_inference": False})
    a, b = w.reply(), w.reply()
    assert a["val_acc"] == b["val_acc"] and a["train_loss"] == b["train_loss"]
    w.close()


@pytest.mark.skipif(DEVICE != "cpu", reason="bit-exact repeatability holds on the CPU only")
def test_a_leg_continued_from_its_checkpoint_equals_one_uninterrupted_run(split, tmp_path):
    """A rung promotion: epoch 1, checkpoint, epochs 2-3 from it = 3 epochs in one go (one cosine schedule)."""
    a = graph("residual-dropout")  # dropout: the noise must continue too
    w = Worker(split)
    base = {"op": "proxy", "graph": a, **job("e3"), "measure_inference": False}
    w.send(dict(base, id=1, checkpoint=str(tmp_path / "whole.pt")))
    whole = w.reply()
    w.send(dict(base, id=2, to_epoch=1, checkpoint=str(tmp_path / "rung0.pt")))
    first = w.reply()
    w.send(dict(base, id=3, from_epoch=1, to_epoch=3, resume=str(tmp_path / "rung0.pt"), checkpoint=str(tmp_path / "rung1.pt")))
    rest = w.reply()
    w.send(dict(base, id=4, from_epoch=1, to_epoch=3, resume=str(tmp_path / "missing.pt")))
    missing = w.reply()
    w.close()
    assert whole["status"] == first["status"] == rest["status"] == "ok", (whole, first, rest)
    assert len(first["train_loss"]) == 1 and len(rest["train_loss"]) == 2 and len(rest["val_curve"]) == 2
    assert first["train_loss"] + rest["train_loss"] == whole["train_loss"]
    assert rest["val_acc"] == whole["val_acc"] and rest["val_loss"] == whole["val_loss"]
    import torch
    x, y = torch.load(str(tmp_path / "whole.pt")), torch.load(str(tmp_path / "rung1.pt"))
    assert x["iteration"] == y["iteration"] > 0
    for k in x["model"]:
        assert torch.equal(x["model"][k], y["model"][k]), k
    early = torch.load(str(tmp_path / "rung0.pt"))["model"]
    assert any(not torch.equal(early[k], x["model"][k]) for k in x["model"])  # the first leg really stopped early
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    assert missing["status"] == "failed" and "missing.pt" in missing["message"]


def test_a_request_without_its_recipe_or_with_a_key_missing_fails_and_names_what_is_missing(split):
    w = Worker(split)
    w.send({"id": 1, "op": "proxy", "graph": graph(), "fidelity": FIDELITY})
    r = w.reply()
    assert r["status"] == "failed" and "recipe" in r["message"], r
    recipe = json.loads(json.dumps(JOBS["e2"]["recipe"]))
    del recipe["batch_norm"]["momentum"]
    w.send({"id": 2, "op": "proxy", "graph": graph(), "fidelity": FIDELITY, "recipe": recipe})
    r = w.reply()
    assert r["status"] == "failed" and "batch_norm.momentum" in r["message"], r
    w.close()


@pytest.mark.parametrize("name", ["e2", "sgd"])
def test_describe_reports_what_the_recipe_says(split, name):
    recipe = JOBS[name]["recipe"]
    w = Worker(split)
    w.send({"id": 1, "op": "describe", "graph": graph("residual-dropout"), **job(name), "at_steps": [0, 8, 15, 16]})
    r = w.reply()
    w.close()
    assert r["status"] == "ok", r
    opt = recipe["optimizer"]
    if opt["kind"] == "adam":
        assert r["optimizer"] == {"class": "Adam", "betas": [opt["beta1"], opt["beta2"]], "eps": opt["epsilon"]}
    else:
        assert r["optimizer"] == {"class": "SGD", "momentum": opt["momentum"], "nesterov": opt["nesterov"]}
    lr = recipe["schedule"]["learning_rate"]
    if recipe["schedule"]["kind"] == "cosine":  # 8 batches per epoch, 2 epochs: half-way at step 8, 0 from 16 on
        assert r["learning_rates"][0] == lr and abs(r["learning_rates"][1] - lr / 2) < 1e-15 and r["learning_rates"][3] == 0
    else:
        assert r["learning_rates"] == [lr] * 4
    assert r["weight_decay"] == recipe["weight_decay"]["coefficient"]
    assert r["decayed"] and all(n.endswith(".weight") and "bn" not in n for n in r["decayed"])
    assert all({"eps": recipe["batch_norm"]["epsilon"], "momentum": recipe["batch_norm"]["momentum"]} == b
               for b in r["batch_norm"].values()) and r["batch_norm"]
