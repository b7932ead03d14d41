"""The PyTorch network of an AnyNAS op graph: an interpreter of the graph the engine sends (OpGraphJson, format 1).

The engine lowers every architecture to a small vocabulary of ops (conv, bn, act, pool, gap, add, concat,
se_scale, dense, dropout, classifier); this module translates each op to torch, as GraphTranslator (DL4J) and
OnnxWriter (ONNX) do, and knows nothing of blocks. Every node but add, concat and se_scale (computed inline) is a
submodule named after the node, so the state_dict keys are the ONNX initializer names (``s1b1_a_conv.weight``,
``stem_bn.running_var``) and the worker's arrays load into DL4J by name. Every node's parameter count is checked
against the engine's.
"""

import torch
from torch import nn

FORMAT, VERSION = "anynas-op-graph", 1


class GraphError(ValueError):
    """The graph cannot be built: unknown op or format, or a node whose parameters differ from the engine's."""


def activation(function):
    # DL4J: LEAKYRELU has alpha 0.01, ELU alpha 1, SWISH is x·sigmoid(x)
    if function == "relu":
        return nn.ReLU()
    if function == "leaky_relu":
        return nn.LeakyReLU(0.01)
    if function == "elu":
        return nn.ELU(1.0)
    if function == "silu":
        return nn.SiLU()
    if function == "sigmoid":
        return nn.Sigmoid()
    raise GraphError("unknown activation '%s'" % function)


class GlobalAvgPool(nn.Module):
    """Feature map [N, C, H, W] → vector [N, C]."""

    def forward(self, x):
        return x.mean(dim=(2, 3))


class Dense(nn.Linear):
    """A fully connected layer; a feature-map input is flattened in C·H·W order, as DL4J and the ONNX export do."""

    def forward(self, x):
        return super().forward(torch.flatten(x, 1))  # a vector is returned as it is


def module(node, inputs):
    """The torch module of one node, given its input shapes; None for the ops computed inline (add, concat, se_scale)."""
    op = node["op"]
    channels = inputs[0][0]
    if op == "conv":
        return nn.Conv2d(channels, node["filters"], node["kernel"], stride=node["stride"], padding=node["padding"],
                         groups=node["groups"], bias=node["bias"])
    if op == "bn":
        return nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1)  # DL4J's defaults: eps 1e-5, decay 0.9
    if op == "act":
        return activation(node["function"])
    if op == "pool":
        kind = {"max": nn.MaxPool2d, "avg": nn.AvgPool2d}.get(node["type"])
        if kind is None:
            raise GraphError("unknown pool type '%s'" % node["type"])
        return kind(node["kernel"], node["stride"], node["padding"])
    if op == "gap":
        return GlobalAvgPool()
    if op in ("dense", "classifier"):
        features = 1
        for d in inputs[0]:
            features *= d
        # the classifier outputs logits: softmax is left to CrossEntropyLoss (= DL4J's softmax layer with MCXENT)
        return Dense(features, node["units"] if op == "dense" else node["classes"],
                     bias=node["bias"] if op == "dense" else True)
    if op == "dropout":
        return nn.Dropout(node["rate"])
    if op in ("add", "concat", "se_scale"):
        return None
    raise GraphError("unknown op '%s' (node %s)" % (op, node["name"]))


class GraphNet(nn.Module):
    """Runs the graph's nodes in order; outputs the last node's logits."""

    def __init__(self, graph):
        super().__init__()
        if graph.get("format") != FORMAT or graph.get("version") != VERSION:
            raise GraphError("expected an op graph of format %s version %d, got %r version %r"
                             % (FORMAT, VERSION, graph.get("format"), graph.get("version")))
        self.input_shape = tuple(graph["input"])
        self.nodes = [(n["name"], n["op"], tuple(n["inputs"])) for n in graph["nodes"]]
        shapes = {"input": self.input_shape}
        # built in graph order: PyTorch draws initial weights in construction order, so a graph always starts alike
        for n in graph["nodes"]:
            m = module(n, [shapes[i] for i in n["inputs"]])
            if m is not None:
                if hasattr(self, n["name"]):
                    raise GraphError("node name '%s' is taken by torch.nn.Module" % n["name"])
                self.add_module(n["name"], m)
            params = sum(p.numel() for p in m.parameters()) if m is not None else 0
            if params != n["params"]:
                raise GraphError("node %s: the PyTorch %s has %d parameters, the engine's graph says %d"
                                 % (n["name"], n["op"], params, n["params"]))
            shapes[n["name"]] = tuple(n["shape"])
        init_weights(self, graph["nodes"])

    def forward(self, x):
        values = {"input": x}
        for name, op, inputs in self.nodes:
            xs = [values[i] for i in inputs]
            if op == "add":
                y = xs[0]
                for other in xs[1:]:
                    y = y + other
            elif op == "concat":
                y = torch.cat(xs, dim=1)
            elif op == "se_scale":
                y = xs[0] * xs[1][:, :, None, None]
            else:
                y = getattr(self, name)(xs[0])
            values[name] = y
        return y


def init_weights(model, nodes):
    """What the DL4J side starts from: WeightInit.RELU (He normal, std sqrt(2/fan_in)) everywhere, Xavier
    normal for the classifier; zero biases, BN gamma 1 and beta 0. In graph order (the random draws' order)."""
    for n in nodes:
        m = getattr(model, n["name"], None)
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            if n["op"] == "classifier":
                nn.init.xavier_normal_(m.weight)
            else:
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


def build(graph):
    """The network an op graph (parsed OpGraphJson) describes."""
    return GraphNet(graph)


def count_params(model):
    # trainable parameters only; BN running mean/var are buffers, as the space leaves them out too
    return sum(p.numel() for p in model.parameters())
