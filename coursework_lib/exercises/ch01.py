"""Chapter 1 exercises: activations and a dense layer."""

import numpy as np

from ..activations import relu_derivative, sigmoid
from ..mlp import dense_forward
from .core import Exercise, register


def _activation_inputs(rng):
    return [(rng.normal(0, 3, size=(5,)),), (rng.normal(0, 5, size=(4, 3)),),
            (np.array([-800.0, -30.0, 0.0, 30.0, 800.0]),)]


register(Exercise(id="ch01-sigmoid", graded="sigmoid", reference=sigmoid, cases=_activation_inputs))

register(Exercise(id="ch01-relu-derivative", graded="relu_derivative", reference=relu_derivative,
                  cases=lambda rng: [(rng.normal(size=(6,)),), (rng.normal(size=(3, 4)),),
                                     (np.array([-1.0, 0.0, 1.0]),)]))


def _dense_inputs(rng):
    cases = []
    for n, d_in, d_out in ((1, 3, 2), (4, 5, 3), (7, 2, 6)):
        cases.append((rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=(d_out,))))
    return cases


register(Exercise(id="ch01-dense-forward", graded="dense_forward", reference=dense_forward,
                  cases=_dense_inputs))
