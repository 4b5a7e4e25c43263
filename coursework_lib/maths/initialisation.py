"""Weight initialisation (chapter 2): why the scale of the first random weights matters.

A dense layer ``Z = A_prev @ W + b`` with weights drawn i.i.d. with mean 0 and variance ``s**2`` has
``Var(Z_j) = fan_in * s**2 * E[A_prev**2]``. Keeping that variance equal from layer to layer gives

- Xavier/Glorot (tanh, sigmoid, linear): ``s**2 = 2 / (fan_in + fan_out)``, the compromise between
  ``1/fan_in`` (forward pass) and ``1/fan_out`` (backward pass);
- He (ReLU): ``s**2 = 2 / fan_in``, because ReLU zeroes half of a symmetric input, halving ``E[A**2]``.

``mlp.init_mlp_params`` uses He's rule, since the book's NumPy MLPs have ReLU hidden layers.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import check_choice, check_finite_number, check_positive_int

SCHEMES = ("he", "xavier")


def xavier_std(fan_in: int, fan_out: int) -> float:
    """Standard deviation ``sqrt(2 / (fan_in + fan_out))`` of Xavier/Glorot normal initialisation."""
    fan_in = check_positive_int(fan_in, "fan_in")
    fan_out = check_positive_int(fan_out, "fan_out")
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


def he_std(fan_in: int) -> float:
    """Standard deviation ``sqrt(2 / fan_in)`` of He (Kaiming) normal initialisation."""
    fan_in = check_positive_int(fan_in, "fan_in")
    return float(np.sqrt(2.0 / fan_in))


def init_params(layer_sizes, scheme: str = "he", *, gain: float = 1.0, seed: int = 0):
    """Normal weights for layer sizes [d_0, ..., d_L] with std ``gain * xavier_std`` or ``gain * he_std``.

    Returns a list of L pairs ``(W_l (d_{l-1}, d_l), b_l (d_l,) zeros)``, float64. ``gain`` > 1 makes the
    weights too large on purpose (exploding signals); ``scheme="he", gain=1`` draws the same numbers as
    ``mlp.init_mlp_params`` for the same seed.
    """
    scheme = check_choice(scheme, "scheme", SCHEMES)
    gain = check_finite_number(gain, "gain", positive=True)
    sizes = [check_positive_int(s, "layer_sizes[i]") for s in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size, got {layer_sizes!r}")
    rng = np.random.default_rng(seed)
    params = []
    for d_in, d_out in zip(sizes[:-1], sizes[1:]):
        std = he_std(d_in) if scheme == "he" else xavier_std(d_in, d_out)
        params.append((rng.normal(0.0, gain * std, size=(d_in, d_out)), np.zeros(d_out)))
    return params


def constant_params(layer_sizes, value: float = 0.1):
    """Every weight equal to ``value``, biases zero: the symmetric start that backprop cannot break.

    Returns a list of L pairs ``(W_l (d_{l-1}, d_l), b_l (d_l,))``, float64.
    """
    value = check_finite_number(value, "value")
    sizes = [check_positive_int(s, "layer_sizes[i]") for s in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size, got {layer_sizes!r}")
    return [(np.full((d_in, d_out), value), np.zeros(d_out)) for d_in, d_out in zip(sizes[:-1], sizes[1:])]
