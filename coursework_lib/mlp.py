"""A multilayer perceptron in NumPy, written in the book's matrix notation (batch first).

A dense layer maps ``A_prev`` (n, d_in) to ``Z = A_prev @ W + b`` (n, d_out), then ``A = f(Z)``.
"""

from __future__ import annotations

import numpy as np

from .activations import get_activation, softmax
from .validation import as_float_array, check_positive_int


def dense_forward(A_prev, W, b):
    """Affine map of one layer.

    A_prev: (n, d_in), W: (d_in, d_out), b: (d_out,)  ->  Z: (n, d_out) = A_prev @ W + b.
    """
    A_prev = as_float_array(A_prev, "A_prev", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if W.shape[0] != A_prev.shape[1]:
        raise ValueError(f"W must have shape ({A_prev.shape[1]}, d_out) to match A_prev {A_prev.shape}, "
                         f"got {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},) to match W {W.shape}, got {b.shape}")
    return A_prev @ W + b


def init_mlp_params(layer_sizes, seed=0):
    """He-initialised weights for layer sizes [d_0, d_1, ..., d_L].

    Returns a list of L pairs ``(W_l (d_{l-1}, d_l), b_l (d_l,))``, float64.
    """
    sizes = [check_positive_int(s, "layer_sizes[i]") for s in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size, got {layer_sizes!r}")
    rng = np.random.default_rng(seed)
    return [(rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_out)), np.zeros(d_out))
            for d_in, d_out in zip(sizes[:-1], sizes[1:])]


def mlp_forward(X, params, hidden_activation: str = "relu", output: str = "softmax"):
    """Forward propagation through every layer.

    X: (n, d_0); params: list of (W_l, b_l). Hidden layers use ``hidden_activation``; the last
    layer applies ``output`` ("softmax", "linear", or any elementwise activation name).
    Returns the list of activations ``[A_0 = X, A_1, ..., A_L]``; ``A_L`` is the network's output.
    """
    A = as_float_array(X, "X", ndim=2)
    f, _ = get_activation(hidden_activation)
    activations = [A]
    for layer, (W, b) in enumerate(params):
        Z = dense_forward(A, W, b)
        if layer < len(params) - 1:
            A = f(Z)
        else:
            A = softmax(Z) if output == "softmax" else get_activation(output)[0](Z)
        activations.append(A)
    return activations
