"""How big and how costly a Keras model is: its parameter count and its multiply-adds per image."""

from __future__ import annotations

import numpy as np


def count_parameters(model) -> int:
    """Number of weights of a built Keras model, trainable and not."""
    return int(sum(np.prod(w.shape) for w in model.weights))


def multiply_adds_per_image(model) -> int:
    """Multiply-adds of one forward pass of a model made of Dense / Conv2D / Conv2DTranspose layers (the
    other layers are elementwise and cheap): a cost measure that does not depend on the machine."""
    total = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Dense":
            total += int(np.prod(layer.kernel.shape))
        elif kind in ("Conv2D", "Conv2DTranspose"):
            kh, kw, c_a, c_b = layer.kernel.shape  # Conv2DTranspose: (kh, kw, out, in)
            out_h, out_w = layer.output.shape[1:3]
            in_h, in_w = layer.input.shape[1:3]
            positions = out_h * out_w if kind == "Conv2D" else in_h * in_w
            total += int(kh * kw * c_a * c_b * positions)
    return total
