"""The op-graph interpreter's grouped convolutions (anynas_torch.graph): nn.Conv2d(groups=g) with the engine's
parameter count, He initialisation over one group's fan-in (as DL4J's GroupedConvolution), refused counts."""

import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "main", "python"))
from anynas_torch import graph  # noqa: E402


def conv(name, inputs, shape, filters, groups, params, kernel=3, bias=False):
    return {"name": name, "op": "conv", "inputs": inputs, "shape": shape, "params": params, "filters": filters,
            "kernel": kernel, "stride": 1, "padding": kernel // 2, "groups": groups, "bias": bias}


def grouped_graph(params=8 * 3 * 3 * 2 + 8):
    # 16 → 8 channels in 8 groups of 2: k·k·(C_in/g)·C_out + bias
    return {"format": "anynas-op-graph", "version": 1, "input": [16, 6, 6], "nodes": [
        conv("g", ["input"], [8, 6, 6], 8, 8, params, bias=True),
        {"name": "gap", "op": "gap", "inputs": ["g"], "shape": [8], "params": 0},
        {"name": "out", "op": "classifier", "inputs": ["gap"], "shape": [3], "params": 27, "classes": 3}]}


def test_a_grouped_conv_is_conv2d_with_groups_and_the_engines_parameter_count():
    torch.manual_seed(0)
    net = graph.build(grouped_graph())
    assert net.g.groups == 8
    assert tuple(net.g.weight.shape) == (8, 2, 3, 3)
    # He normal over one group's fan-in, (16/8)·3·3 = 18: std sqrt(2/18)
    assert abs(net.g.weight.std().item() - (2 / 18) ** 0.5) < 0.1
    y = net(torch.randn(2, 16, 6, 6))
    assert tuple(y.shape) == (2, 3)
    # output channel 0 reads input channels 0 and 1 only
    x = torch.zeros(1, 16, 6, 6)
    x[0, 2:] = 1.0
    with torch.no_grad():
        assert torch.all(net.g(x)[0, 0] == net.g.bias[0])


def test_a_grouped_conv_whose_count_differs_is_refused_by_name():
    with pytest.raises(graph.GraphError, match="node g"):
        graph.build(grouped_graph(params=8 * 3 * 3 * 16 + 8))  # the count of a full convolution
