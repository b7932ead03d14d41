"""Helper of GroupedConvolutionTest: PyTorch's grouped convolution on the arrays the Java side sends.

    python3 grouped_conv.py check DIR OUT.npz
        DIR holds x.npy [N, C, H, W], w.npy [K, C/g, kH, kW], b.npy [K] (absent: no bias), dy.npy [N, K, oH, oW]
        and attrs.npy [stride, padding, groups], float64; OUT gets y, dx, dw, db of torch's conv2d(groups=g).
    python3 grouped_conv.py bench N C H W K k groups reps
        prints the median milliseconds of one forward + backward (input, weight gradients) of torch's
        conv2d(groups=g) in float32, after two warm-up runs, on as many threads as the process may use (ND4J's
        default; Debian's torch 1.13 would otherwise take one thread on a 2-vCPU machine).
"""

import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def check(src, dst):
    def load(name):
        path = os.path.join(src, name + ".npy")
        return np.load(path) if os.path.exists(path) else None
    stride, padding, groups = (int(v) for v in load("attrs"))
    x = torch.tensor(load("x"), requires_grad=True)
    w = torch.tensor(load("w"), requires_grad=True)
    b = torch.tensor(load("b"), requires_grad=True) if load("b") is not None else None
    y = F.conv2d(x, w, b, stride=stride, padding=padding, groups=groups)
    y.backward(torch.tensor(load("dy")))
    out = {"y": y.detach().numpy(), "dx": x.grad.numpy(), "dw": w.grad.numpy()}
    out["db"] = b.grad.numpy() if b is not None else np.zeros(0)
    np.savez(dst, **out)


def bench(n, c, h, w, k, kernel, groups, reps):
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    torch.manual_seed(0)
    x = torch.randn(n, c, h, w, requires_grad=True)
    conv = torch.nn.Conv2d(c, k, kernel, padding=kernel // 2, groups=groups, bias=False)
    times = []
    for i in range(reps + 2):
        t = time.perf_counter()
        y = conv(x)
        y.backward(torch.ones_like(y))
        if i >= 2:
            times.append((time.perf_counter() - t) * 1000)
        x.grad = None
        conv.weight.grad = None
    print("%.3f" % float(np.median(times)), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        bench(*(int(v) for v in sys.argv[2:10]))
