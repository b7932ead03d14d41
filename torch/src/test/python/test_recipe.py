"""The final-training ingredients of training.py on their own: random erasing's rule, warm-up, the EMA step.

    python3 -m pytest -q torch/src/test/python/test_recipe.py

The engine's side of each is tested in FinalTrainerTest (erasing: the same bounds on the same statistics) and
RecipeParityTest (learning rates, smoothed loss and EMA step against DL4J's, exactly).
"""

import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "main", "python"))
from anynas_torch import training  # noqa: E402


def test_erasing_blanks_one_rectangle_of_torchvisions_sizes_in_about_p_of_the_images():
    x = torch.ones(4000, 1, 16, 16)
    y = training.erase(x, 0.5, (0.02, 0.33), (0.3, 3.3), torch.Generator().manual_seed(2))
    zero = y == 0
    erased = zero.flatten(1).any(1)
    assert 0.47 < float(erased.float().mean()) < 0.53
    fractions = zero.flatten(1).float().mean(1)[erased]
    # U(0.02, 0.33) has mean 0.175; rectangles that do not fit are redrawn, which favours smaller ones
    assert 0.15 < float(fractions.mean()) < 0.19
    assert float(fractions.min()) >= 0.02 * 0.5 and float(fractions.max()) <= 0.33 * 1.3  # rounding of the sides
    for i in torch.nonzero(erased).flatten()[:200].tolist():
        m = zero[i, 0]
        rows, cols = torch.nonzero(m.any(1)).flatten(), torch.nonzero(m.any(0)).flatten()
        box = (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
        assert int(m.sum()) == int(box), "image %d: the erased pixels are no rectangle" % i
    assert torch.equal(y[~erased], x[~erased])


def test_erasing_with_p_zero_changes_nothing():
    x = torch.randn(50, 3, 8, 8)
    assert torch.equal(training.erase(x, 0.0, (0.02, 0.33), (0.3, 3.3), torch.Generator().manual_seed(1)), x)


class Recipe(dict):
    def __call__(self, *path):
        node = self
        for key in path:
            node = node[key]
        return node


def test_warm_up_rises_linearly_then_the_cosine_starts_at_the_peak():
    r = Recipe(schedule={"kind": "cosine", "learning_rate": 0.1, "epochs": 5, "warmup_epochs": 2})
    lrs = [training.learning_rate(r, s, 10) for s in range(51)]
    assert lrs[0] == 0.1 / 20 and lrs[9] == 0.1 * 10 / 20 and lrs[19] == 0.1
    assert lrs[20] == 0.1 and lrs[50] == 0.0
    assert all(a > b for a, b in zip(lrs[20:50], lrs[21:51]))


def test_ema_step_is_two_rounded_products_and_a_sum():
    shadow, values = torch.randn(100), torch.randn(100)
    s = [shadow.clone()]
    training.ema_update(s, [values], 0.999)
    assert torch.equal(s[0], shadow * 0.999 + values * (1 - 0.999))


if __name__ == "__main__":  # without pytest (CI runs this file from PythonRecipeTest)
    for name, test in sorted(globals().items()):
        if name.startswith("test_") and callable(test):
            test()
            print("ok", name)
