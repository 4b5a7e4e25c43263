"""Chapter 2 exercises: the backward pass of a dense layer, the softmax cross-entropy gradient, and a
gradient check by central differences."""

import numpy as np

from coursework_lib.maths.mlp import dense_backward, dense_forward, softmax_cross_entropy_gradient

from .core import Exercise, register


def _dense_backward_inputs(rng):
    return [
        (rng.normal(size=(n, d_out)), rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)))
        for n, d_in, d_out in ((1, 3, 2), (5, 4, 3), (8, 2, 6))
    ]


register(
    Exercise(id="ch02-dense-backward", graded="dense_backward", reference=dense_backward, cases=_dense_backward_inputs)
)


def _ce_inputs(rng):
    return [(rng.normal(0, 3, size=(n, k)), rng.integers(0, k, size=n)) for n, k in ((1, 3), (6, 10), (4, 2))]


register(
    Exercise(
        id="ch02-softmax-ce-gradient",
        graded="softmax_cross_entropy_gradient",
        reference=softmax_cross_entropy_gradient,
        cases=_ce_inputs,
    )
)


def numerical_gradient_W(X, W, b, eps):
    """Central-difference gradient of L(W) = 0.5 * sum(dense_forward(X, W, b) ** 2) w.r.t. W (d_in, d_out)."""
    grad = np.zeros_like(W, dtype=np.float64)
    for idx in np.ndindex(W.shape):
        W_plus, W_minus = W.astype(np.float64).copy(), W.astype(np.float64).copy()
        W_plus[idx] += eps
        W_minus[idx] -= eps
        grad[idx] = (
            0.5 * np.sum(dense_forward(X, W_plus, b) ** 2) - 0.5 * np.sum(dense_forward(X, W_minus, b) ** 2)
        ) / (2 * eps)
    return grad


def _gradient_check_inputs(rng):
    return [
        (rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out), 1e-5)
        for n, d_in, d_out in ((3, 2, 2), (5, 4, 3))
    ]


register(
    Exercise(
        id="ch02-numerical-gradient",
        graded="numerical_gradient_W",
        reference=numerical_gradient_W,
        cases=_gradient_check_inputs,
        rtol=1e-6,
        atol=1e-7,
    )
)
