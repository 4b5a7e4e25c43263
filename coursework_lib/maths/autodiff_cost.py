"""What backpropagation costs (chapter 2): the memory of stored activations, and forward- vs reverse-mode.

For a scalar loss of n inputs, reverse mode (backpropagation) gives the whole gradient in one backward
pass; forward mode gives one directional derivative (a Jacobian-vector product) per pass, so n passes.
Shapes follow ``mlp``: X (n, d_0), Z_l and A_l (n, d_l), W_l (d_{l-1}, d_l).
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_positive_int
from coursework_lib.maths.activations import get_activation, softmax
from coursework_lib.maths.mlp import (
    check_labels,
    dense_backward,
    dense_forward,
    mlp_logits,
    softmax_cross_entropy_gradient,
)


def stored_activation_floats(layer_sizes, batch_size: int) -> int:
    """Floats an MLP keeps from its forward pass for backprop: ``n (d_0 + 2 (d_1 + ... + d_{L-1}) + d_L)``.

    layer_sizes [d_0, ..., d_L]; the backward pass needs each layer's input A_{l-1} (for dW_l) and
    each pre-activation Z_l (for f'(Z_l) and, at the top, the loss gradient) - what ``mlp.mlp_logits`` returns.
    """
    sizes = [check_positive_int(s, "layer_sizes[i]") for s in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size, got {layer_sizes!r}")
    batch_size = check_positive_int(batch_size, "batch_size")
    return batch_size * (sizes[0] + 2 * sum(sizes[1:-1]) + sizes[-1])


def parameter_count(layer_sizes) -> int:
    """Weights and biases of a dense MLP: ``sum_l (d_{l-1} + 1) d_l``."""
    sizes = [check_positive_int(s, "layer_sizes[i]") for s in layer_sizes]
    return sum((d_in + 1) * d_out for d_in, d_out in zip(sizes[:-1], sizes[1:]))


def input_gradient_reverse(X, y, params, hidden_activation: str = "relu") -> np.ndarray:
    """dL/dX (n, d_0) of the mean softmax cross-entropy by one backward pass (reverse mode)."""
    _, f_prime = get_activation(hidden_activation)
    Zs, As = mlp_logits(X, params, hidden_activation)
    dZ = softmax_cross_entropy_gradient(Zs[-1], y)
    for layer in range(len(params) - 1, -1, -1):
        dA_prev, _, _ = dense_backward(dZ, As[layer], params[layer][0])
        if layer > 0:
            dZ = dA_prev * f_prime(Zs[layer - 1])
    return dA_prev


def loss_jvp(X, y, params, V, hidden_activation: str = "relu") -> float:
    """Directional derivative of the loss along V (n, d_0): one forward-mode pass.

    Every value Z_l, A_l travels with its tangent dZ_l = dA_{l-1} W_l, dA_l = f'(Z_l) * dZ_l, and the
    loss's tangent is ``mean_i (softmax(Z_L)_i . dZ_L,i - dZ_L,i[y_i])``. Returns a float.
    """
    f, f_prime = get_activation(hidden_activation)
    A = as_float_array(X, "X", ndim=2)
    dA = as_float_array(V, "V", shape=A.shape)
    for layer, (W, b) in enumerate(params):
        Z = dense_forward(A, W, b)
        dZ = dA @ W
        if layer < len(params) - 1:
            A, dA = f(Z), f_prime(Z) * dZ
    y = check_labels(y, Z.shape[0], Z.shape[1])
    rows = np.arange(Z.shape[0])
    return float(np.mean(np.sum(softmax(Z) * dZ, axis=1) - dZ[rows, y]))


def input_gradient_forward(X, y, params, hidden_activation: str = "relu") -> np.ndarray:
    """dL/dX (n, d_0) by forward mode: one :func:`loss_jvp` per input coordinate (X.size passes)."""
    X = as_float_array(X, "X", ndim=2)
    grad = np.zeros_like(X, dtype=np.float64)
    V = np.zeros_like(X, dtype=np.float64)
    for index in np.ndindex(X.shape):
        V[index] = 1.0
        grad[index] = loss_jvp(X, y, params, V, hidden_activation)
        V[index] = 0.0
    return grad
