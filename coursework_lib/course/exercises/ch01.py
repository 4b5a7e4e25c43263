"""Chapter 1 exercises: activations and a dense layer."""

import numpy as np

from coursework_lib.maths.activations import relu_derivative, sigmoid
from coursework_lib.maths.mlp import dense_forward

from .core import Exercise, register


def _activation_inputs(rng):
    """Two random arrays, then zero, moderate values and one very large value of each sign: exp overflows
    beyond about 710, so the exercise's hint (exp must only see non-positive numbers) is tested every time."""
    signs = rng.choice([-1.0, 1.0], size=2)
    extremes = np.concatenate([[0.0], signs * rng.uniform(20, 40, 2), [-1.0, 1.0] * rng.uniform(720, 900, 2)])
    return [(rng.normal(0, 3, size=(5,)),), (rng.normal(0, 5, size=(4, 3)),), (rng.permutation(extremes),)]


register(Exercise(id="ch01-sigmoid", graded="sigmoid", reference=sigmoid, cases=_activation_inputs))

register(
    Exercise(
        id="ch01-relu-derivative",
        graded="relu_derivative",
        reference=relu_derivative,
        cases=lambda rng: [
            (rng.normal(size=(6,)),),
            (rng.normal(size=(3, 4)),),
            (rng.permutation([0.0, -rng.uniform(0.1, 2), rng.uniform(0.1, 2)]),),
        ],
    )
)


def _dense_inputs(rng):
    cases = []
    for n, d_in, d_out in ((1, 3, 2), (4, 5, 3), (7, 2, 6)):
        cases.append((rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=(d_out,))))
    return cases


register(Exercise(id="ch01-dense-forward", graded="dense_forward", reference=dense_forward, cases=_dense_inputs))
