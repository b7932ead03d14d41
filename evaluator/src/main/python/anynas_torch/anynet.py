"""The AnyNAS design space in PyTorch: builds the network an architecture JSON (schema 1) describes.

One builder for the product's torch backend and the benchmarks. It mirrors the Java space one to one
(Architecture.graph/stage, BlockType, GraphWriter): every conv, BN, activation, pool and dense layer the space
lists exists here too, with the same trainable parameter count; modules that stand for a space node carry
its name in ``.node``. The Java side sends the space's parameter count with every request and refuses a
mismatch, so the space stays the single source of truth.
"""

import math

import torch
from torch import nn

SCHEMA = 1


# ---------------------------------------------------------------------------------------------- ops

def java_round(x):
    """Java's Math.round (half up), not Python's round (half to even): 0.5 → 1, 2.5 → 3."""
    return int(math.floor(x + 0.5))


def inner_width(width, multiplier):
    """BlockType.innerWidth."""
    return max(1, java_round(width * multiplier))


def node(module, name):
    """Tags a module with the name of the space node it stands for (for shape checks against the summary)."""
    module.node = name
    return module


def activation(key):
    # DL4J: LEAKYRELU has alpha 0.01, ELU alpha 1, SWISH is x·sigmoid(x)
    if key == "relu":
        return nn.ReLU()
    if key == "leaky_relu":
        return nn.LeakyReLU(0.01)
    if key == "elu":
        return nn.ELU(1.0)
    if key == "silu":
        return nn.SiLU()
    if key == "sigmoid":
        return nn.Sigmoid()
    raise ValueError("unknown activation '%s'" % key)


class Net:
    """Plays GraphWriter's part: knows the network's activation and makes the named units blocks use."""

    def __init__(self, act):
        self.act_key = act

    def act(self, name):
        return node(activation(self.act_key), name + "_" + self.act_key)

    def conv_bn(self, name, cin, filters, kernel, stride, groups):
        """conv (no bias, padding kernel/2) → BN, the unit every block is made of."""
        conv = nn.Conv2d(cin, filters, kernel, stride=stride, padding=kernel // 2, groups=groups, bias=False)
        # DL4J BatchNormalization defaults: eps 1e-5, decay 0.9 (= torch momentum 0.1)
        bn = nn.BatchNorm2d(filters, eps=1e-5, momentum=0.1)
        return nn.Sequential(node(conv, name + "_conv"), node(bn, name + "_bn"))

    def conv_bn_act(self, name, cin, filters, kernel, stride, groups):
        return nn.Sequential(*self.conv_bn(name, cin, filters, kernel, stride, groups), self.act(name))

    def se(self, name, channels, ratio):
        return SqueezeExcite(self, name, channels, ratio)


class GlobalAvgPool(nn.Module):
    """Feature map [N, C, H, W] → vector [N, C]."""

    def forward(self, x):
        return x.mean(dim=(2, 3))


def pool(kind, kernel, stride, padding, name):
    layer = nn.MaxPool2d(kernel, stride, padding) if kind == "max" else nn.AvgPool2d(kernel, stride, padding)
    return node(layer, name)


class SqueezeExcite(nn.Module):
    """GraphWriter.se: GAP → Dense(round(C·r)) → act → Dense(C) → sigmoid → channel-wise scale."""

    def __init__(self, net, name, channels, ratio):
        super().__init__()
        hidden = max(1, java_round(channels * ratio))
        self.pool = node(GlobalAvgPool(), name + "_se_pool")
        self.reduce = node(nn.Linear(channels, hidden), name + "_se_reduce")
        self.act = node(activation(net.act_key), name + "_se_" + net.act_key)
        self.expand = node(nn.Linear(hidden, channels), name + "_se_expand")
        self.gate = node(nn.Sigmoid(), name + "_se_sigmoid")

    def forward(self, x):
        g = self.gate(self.expand(self.act(self.reduce(self.pool(x)))))
        return x * g[:, :, None, None]


# ------------------------------------------------------------------------------------------ blocks
# One class per BlockType constant; each takes (net, name, cin, stage, stride) like BlockType.build and
# exposes out_channels so the next block can size itself (GraphWriter.channels).

class Plain(nn.Module):
    """conv → BN → act [→ SE]."""

    def __init__(self, net, name, cin, s, stride):
        super().__init__()
        self.a = net.conv_bn_act(name + "_a", cin, s["width"], s["kernel"], stride, 1)
        self.se = net.se(name, s["width"], s["se"]) if s["se"] > 0 else nn.Identity()
        self.out_channels = s["width"]

    def forward(self, x):
        return self.se(self.a(x))


def shortcut(net, name, cin, width, stride):
    """BlockType.shortcut: identity when the shape is kept, else a 1×1 conv → BN projection."""
    if stride == 1 and cin == width:
        return nn.Identity()
    return net.conv_bn(name + "_proj", cin, width, 1, stride, 1)


class Residual(nn.Module):
    """Two k×k convs (the first strided), [SE], add the shortcut, then act."""

    def __init__(self, net, name, cin, s, stride):
        super().__init__()
        w, k = s["width"], s["kernel"]
        self.a = net.conv_bn_act(name + "_a", cin, w, k, stride, 1)
        self.b = net.conv_bn(name + "_b", w, w, k, 1, 1)
        self.se = net.se(name, w, s["se"]) if s["se"] > 0 else nn.Identity()
        self.shortcut = shortcut(net, name, cin, w, stride)
        self.out = net.act(name + "_out")
        self.out_channels = w

    def forward(self, x):
        return self.out(self.se(self.b(self.a(x))) + self.shortcut(x))


class Bottleneck(nn.Module):
    """1×1 reduce → k×k (full or depthwise, strided) → 1×1 expand, [SE], add the shortcut, then act."""

    def __init__(self, net, name, cin, s, stride):
        super().__init__()
        w = s["width"]
        inner = inner_width(w, s["bottleneck"])
        self.a = net.conv_bn_act(name + "_a", cin, inner, 1, 1, 1)
        self.b = net.conv_bn_act(name + "_b", inner, inner, s["kernel"], stride, inner if s["depthwise"] else 1)
        self.c = net.conv_bn(name + "_c", inner, w, 1, 1, 1)
        self.se = net.se(name, w, s["se"]) if s["se"] > 0 else nn.Identity()
        self.shortcut = shortcut(net, name, cin, w, stride)
        self.out = net.act(name + "_out")
        self.out_channels = w

    def forward(self, x):
        return self.out(self.se(self.c(self.b(self.a(x)))) + self.shortcut(x))


class Inverted(nn.Module):
    """MobileNetV2: [1×1 expand] → depthwise k×k → [SE] → 1×1 project; residual (no act) when shapes match.

    The expansion is relative to the block's input channels, and the expand conv is left out whenever the
    rounded expanded width equals them (bottleneck 1), exactly as in the space.
    """

    def __init__(self, net, name, cin, s, stride):
        super().__init__()
        w = s["width"]
        expanded = inner_width(cin, s["bottleneck"])
        self.expand = nn.Identity() if expanded == cin else net.conv_bn_act(name + "_expand", cin, expanded, 1, 1, 1)
        self.dw = net.conv_bn_act(name + "_dw", expanded, expanded, s["kernel"], stride, expanded)
        self.se = net.se(name, expanded, s["se"]) if s["se"] > 0 else nn.Identity()
        self.project = net.conv_bn(name + "_project", expanded, w, 1, 1, 1)
        self.residual = stride == 1 and cin == w
        self.out_channels = w

    def forward(self, x):
        y = self.project(self.se(self.dw(self.expand(x))))
        return y + x if self.residual else y


class Dense(nn.Module):
    """DenseNet layer: conv → BN → act making `width` new channels, [SE], concatenated after its input.

    A strided (first) block starts with a transition, 1×1 conv → BN → act to `width` channels then a 2×2
    pool, because the stage leaves downsampling to this block. The pool is max only for max_pool; the
    'stride' downsample gets an average pool too.
    """

    def __init__(self, net, name, cin, s, stride, downsample):
        super().__init__()
        w = s["width"]
        if stride != 1:
            kind = "max" if downsample == "max_pool" else "avg"
            self.transition = nn.Sequential(net.conv_bn_act(name + "_transition", cin, w, 1, 1, 1),
                                            pool(kind, 2, 2, 0, name + "_transition_pool"))
            cin = w
        else:
            self.transition = nn.Identity()
        self.a = net.conv_bn_act(name + "_a", cin, w, s["kernel"], 1, 1)
        self.se = net.se(name, w, s["se"]) if s["se"] > 0 else nn.Identity()
        self.out_channels = cin + w

    def forward(self, x):
        x = self.transition(x)
        return torch.cat([x, self.se(self.a(x))], dim=1)


class Inception(nn.Module):
    """Parallel 1×1 | 1×1→k×k | 1×1→k×k→k×k | 3×3 max pool→1×1 branches (each strided), concatenated, [SE].

    Branches 2–4 get width/4 channels each, branch 1 the rest (at least 1 each).
    """

    def __init__(self, net, name, cin, s, stride):
        super().__init__()
        w, k = s["width"], s["kernel"]
        quarter = max(1, w // 4)
        first = max(1, w - 3 * quarter)
        self.b1 = net.conv_bn_act(name + "_b1", cin, first, 1, stride, 1)
        self.b2 = nn.Sequential(net.conv_bn_act(name + "_b2a", cin, quarter, 1, 1, 1),
                                net.conv_bn_act(name + "_b2b", quarter, quarter, k, stride, 1))
        self.b3 = nn.Sequential(net.conv_bn_act(name + "_b3a", cin, quarter, 1, 1, 1),
                                net.conv_bn_act(name + "_b3b", quarter, quarter, k, 1, 1),
                                net.conv_bn_act(name + "_b3c", quarter, quarter, k, stride, 1))
        self.b4 = nn.Sequential(pool("max", 3, stride, 1, name + "_b4_pool"),
                                net.conv_bn_act(name + "_b4", cin, quarter, 1, 1, 1))
        self.out_channels = first + 3 * quarter
        self.se = net.se(name, self.out_channels, s["se"]) if s["se"] > 0 else nn.Identity()

    def forward(self, x):
        return self.se(torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], dim=1))


def block(net, name, cin, s, stride):
    kind = s["block"]
    if kind == "plain":
        return Plain(net, name, cin, s, stride)
    if kind == "residual":
        return Residual(net, name, cin, s, stride)
    if kind == "bottleneck":
        return Bottleneck(net, name, cin, s, stride)
    if kind == "inverted":
        return Inverted(net, name, cin, s, stride)
    if kind == "dense":
        return Dense(net, name, cin, s, stride, s["downsample"])
    if kind == "inception":
        return Inception(net, name, cin, s, stride)
    raise ValueError("unknown block type '%s'" % kind)


# ------------------------------------------------------------------------------------------- network

def stage(net, name, cin, s):
    """Architecture.stage: the stage's downsampling, then `depth` blocks; returns (layers, out channels)."""
    layers = []
    stride = 1
    down = s["downsample"]
    if down == "stride":
        stride = 2
    elif down in ("max_pool", "avg_pool"):
        if s["block"] == "dense":
            stride = 2  # the dense block downsamples itself (transition), see Dense
        else:
            layers.append(pool("max" if down == "max_pool" else "avg", 2, 2, 0, name + "_pool"))
    elif down != "none":
        raise ValueError("unknown downsample '%s'" % down)
    for b in range(s["depth"]):
        blk = block(net, "%sb%d" % (name, b + 1), cin, s, stride if b == 0 else 1)
        layers.append(blk)
        cin = blk.out_channels
    return layers, cin


class AnyNet(nn.Module):
    """stem → stages → head (global average pool, hidden dense layers, classifier); outputs logits."""

    def __init__(self, arch):
        super().__init__()
        if arch.get("schema") != SCHEMA:
            raise ValueError("architecture schema is %r, this script reads schema %d" % (arch.get("schema"), SCHEMA))
        act = arch["activation"]
        if act == "sigmoid":
            raise ValueError("activation sigmoid is reserved for SE gates")
        net = Net(act)
        inp, stem, head = arch["input"], arch["stem"], arch["head"]
        if inp.get("flat", False):
            raise ValueError("the input must be an image (input.flat is true)")
        self.input_shape = (inp["channels"], inp["height"], inp["width"])

        self.stem = net.conv_bn_act("stem", inp["channels"], stem["width"], stem["kernel"], stem["stride"], 1)
        c = stem["width"]
        body = []
        for i, s in enumerate(arch["stages"]):
            layers, c = stage(net, "s%d" % (i + 1), c, s)
            body.extend(layers)
        self.stages = nn.Sequential(*body)

        layers = [node(GlobalAvgPool(), "head_pool")]
        for i, units in enumerate(head["hidden"]):
            fc = "head_fc%d" % (i + 1)
            layers += [node(nn.Linear(c, units), fc), net.act(fc)]
            if head["dropout"] > 0:
                layers.append(node(nn.Dropout(head["dropout"]), fc + "_dropout"))
            c = units
        if not head["hidden"] and head["dropout"] > 0:
            layers.append(node(nn.Dropout(head["dropout"]), "head_dropout"))
        # softmax is left to CrossEntropyLoss (= DL4J's softmax output layer with MCXENT)
        layers.append(node(nn.Linear(c, arch["classes"]), "classifier"))
        self.head = nn.Sequential(*layers)
        init_weights(self)

    def forward(self, x):
        return self.head(self.stages(self.stem(x)))


def init_weights(model):
    """What the DL4J side starts from: WeightInit.RELU (He normal, std sqrt(2/fan_in)) everywhere, Xavier
    normal for the classifier; zero biases, BN gamma 1 and beta 0."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            if getattr(m, "node", None) == "classifier":
                nn.init.xavier_normal_(m.weight)
            else:
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


def build(arch):
    """The network an AnyNAS architecture (parsed JSON, schema 1) describes."""
    return AnyNet(arch)


def count_params(model):
    # trainable parameters only; BN running mean/var are buffers, as the space leaves them out too
    return sum(p.numel() for p in model.parameters())
