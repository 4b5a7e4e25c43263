"""Chapter 2 exercises: the backward pass of a dense layer, the softmax cross-entropy gradient, a
gradient check by central differences, Xavier's standard deviation, the sigmoid chain bound, and the
floats stored for backpropagation."""

import numpy as np

from coursework_lib.maths.autodiff_cost import stored_activation_floats
from coursework_lib.maths.gradient_flow import sigmoid_chain_bound
from coursework_lib.maths.initialisation import xavier_std
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
    """Three random cases, then logits of large magnitude (rows shifted by several hundred, up and down):
    exp overflows beyond about 710, so the exercise's hint (subtract each row's maximum) is tested."""
    cases = [(rng.normal(0, 3, size=(n, k)), rng.integers(0, k, size=n)) for n, k in ((1, 3), (6, 10), (4, 2))]
    Z = rng.normal(0, 3, size=(4, 5)) + (rng.permutation([-1.0, -1.0, 1.0, 1.0]) * rng.uniform(720, 900, 4))[:, None]
    cases.append((Z, rng.integers(0, 5, size=4)))
    return cases


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


def _fan_inputs(rng):
    return [tuple(int(v) for v in rng.integers(1, 5000, size=2)) for _ in range(4)]


register(Exercise(id="ch02-xavier-std", graded="xavier_std", reference=xavier_std, cases=_fan_inputs))


def _chain_inputs(rng):
    return [(int(rng.integers(1, 13)), float(rng.uniform(0.5, 8.0))) for _ in range(4)]


register(
    Exercise(
        id="ch02-sigmoid-chain-bound",
        graded="sigmoid_chain_bound",
        reference=sigmoid_chain_bound,
        cases=_chain_inputs,
        atol=0.0,
    )
)


def _stored_inputs(rng):
    cases = []
    for depth in (2, 3, 5):
        cases.append((rng.integers(1, 1000, size=depth), int(rng.integers(1, 512))))
    return cases


register(
    Exercise(
        id="ch02-stored-floats",
        graded="stored_activation_floats",
        reference=stored_activation_floats,
        cases=_stored_inputs,
    )
)
