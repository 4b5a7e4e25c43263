"""Activation functions and their derivatives, vectorised over NumPy arrays.

Each function takes ``Z`` (any shape, real) and returns an array of the same shape, float64 unless
``Z`` is already float32. ``softmax`` works along the last axis; its derivative is a Jacobian.
"""

from __future__ import annotations

import math

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number


def _float(Z, name="Z"):
    return as_float_array(Z, name)


def linear(Z):
    """f(z) = z."""
    return _float(Z).copy()


def linear_derivative(Z):
    """f'(z) = 1."""
    return np.ones_like(_float(Z))


def sigmoid(Z):
    """f(z) = 1 / (1 + e^-z), without overflow for large |z|.

    Mathematically this is ``1/(1+e^-z)`` for z >= 0 and ``e^z/(1+e^z)`` for z < 0, so that ``exp`` only
    sees non-positive numbers (exercise 1.1 asks you to write exactly that). Here SciPy's ``expit``
    evaluates the same formula in one compiled loop, about twice as fast as the NumPy expression.
    """
    from scipy.special import expit

    return expit(_float(Z))


def sigmoid_derivative(Z):
    """f'(z) = f(z) (1 - f(z))."""
    S = sigmoid(Z)
    return S * (1.0 - S)


def tanh(Z):
    """f(z) = (e^z - e^-z) / (e^z + e^-z)."""
    return np.tanh(_float(Z))


def tanh_derivative(Z):
    """f'(z) = 1 - tanh(z)^2."""
    return 1.0 - np.tanh(_float(Z)) ** 2


def relu(Z):
    """f(z) = max(z, 0)."""
    return np.maximum(_float(Z), 0.0)


def relu_derivative(Z):
    """f'(z) = 1 for z > 0, else 0 (we choose 0 at the kink z = 0)."""
    Z = _float(Z)
    return (Z > 0).astype(Z.dtype)


def leaky_relu(Z, alpha: float = 0.01):
    """f(z) = z for z > 0, alpha * z otherwise."""
    Z = _float(Z)
    alpha = check_finite_number(alpha, "alpha")
    return np.where(Z > 0, Z, alpha * Z)


def leaky_relu_derivative(Z, alpha: float = 0.01):
    """f'(z) = 1 for z > 0, alpha otherwise."""
    Z = _float(Z)
    alpha = check_finite_number(alpha, "alpha")
    return np.where(Z > 0, 1.0, alpha).astype(Z.dtype)


def softmax(Z):
    """softmax(z)_i = e^{z_i} / sum_j e^{z_j} along the last axis (shifted by the max for stability)."""
    Z = as_float_array(Z, "Z", ndim=(1, 2))
    shifted = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def softmax_jacobian(z):
    """z: (k,) -> J (k, k) with J_ij = d softmax_i / d z_j = s_i (delta_ij - s_j)."""
    z = as_float_array(z, "z", ndim=1)
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


# Elementwise activations by name: (function, derivative). Softmax is not elementwise.
ACTIVATIONS = {
    "linear": (linear, linear_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
}


def get_activation(name: str):
    """Return ``(f, f_prime)`` for an elementwise activation name; raise listing the valid names."""
    if name not in ACTIVATIONS:
        raise ValueError(f"name must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


# One-number versions written the way a first Python program would: used only to time a plain loop.
SCALAR_ACTIVATIONS = {
    "linear": lambda x: x,
    "sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)),
    "tanh": math.tanh,
    "relu": lambda x: x if x > 0 else 0.0,
}
