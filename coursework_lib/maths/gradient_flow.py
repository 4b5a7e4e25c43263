"""How signals and gradients change size from layer to layer of a deep MLP (chapter 2).

Backpropagation multiplies the gradient by ``W_l^T`` and by ``f'(Z_l)`` at every layer. When the
product of those factors is below one the gradient vanishes towards the input; above one it explodes.
Shapes follow ``mlp``: X (n, d_0), Z_l and A_l (n, d_l), W_l (d_{l-1}, d_l).
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import check_finite_number, check_positive_int
from coursework_lib.maths.activations import get_activation
from coursework_lib.maths.mlp import (
    dense_backward,
    mlp_logits,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)


def layer_gradient_norms(X, y, params, hidden_activation: str = "relu"):
    """Size of the backpropagated gradient at every layer, for softmax cross-entropy.

    X: (n, d_0), y: (n,) int labels, params: L pairs (W_l, b_l).
    Returns a dict of float64 arrays of length L, index 0 = first layer:
    ``"dZ"``: Frobenius norms of dL/dZ_l (n, d_l); ``"dW"``: Frobenius norms of dL/dW_l; and
    ``"loss"``: the loss (float).
    """
    _, f_prime = get_activation(hidden_activation)
    Zs, As = mlp_logits(X, params, hidden_activation)
    dZ = softmax_cross_entropy_gradient(Zs[-1], y)
    dZ_norms, dW_norms = np.zeros(len(params)), np.zeros(len(params))
    for layer in range(len(params) - 1, -1, -1):
        dZ_norms[layer] = np.linalg.norm(dZ)
        dA_prev, dW, _ = dense_backward(dZ, As[layer], params[layer][0])
        dW_norms[layer] = np.linalg.norm(dW)
        if layer > 0:
            dZ = dA_prev * f_prime(Zs[layer - 1])
    return {"dZ": dZ_norms, "dW": dW_norms, "loss": softmax_cross_entropy(Zs[-1], y)}


def preactivation_variances(X, params, hidden_activation: str = "relu") -> np.ndarray:
    """Variance of every layer's pre-activations Z_l over all its entries: array (L,), index 0 = Z_1.

    X: (n, d_0); params: L pairs (W_l, b_l).
    """
    Zs, _ = mlp_logits(X, params, hidden_activation)
    return np.array([Z.var() for Z in Zs])


def mean_derivative_per_layer(X, params, hidden_activation: str = "sigmoid") -> np.ndarray:
    """Mean of f'(Z_l) over each hidden layer's entries: array (L - 1,), index 0 = layer 1.

    The factor by which the activation alone scales the backward signal at that layer.
    """
    _, f_prime = get_activation(hidden_activation)
    Zs, _ = mlp_logits(X, params, hidden_activation)
    return np.array([f_prime(Z).mean() for Z in Zs[:-1]])


def sigmoid_chain_bound(depth: int, weight_bound: float) -> float:
    """Largest |d a_depth / d a_0| along a chain ``a_k = sigmoid(w_k a_{k-1})`` with every |w_k| <= weight_bound.

    Each link contributes ``|w_k| sigmoid'(.) <= weight_bound / 4``, so the bound is ``(weight_bound/4)**depth``.
    """
    depth = check_positive_int(depth, "depth")
    weight_bound = check_finite_number(weight_bound, "weight_bound", positive=True)
    return float((weight_bound / 4.0) ** depth)
