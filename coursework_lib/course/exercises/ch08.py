"""Chapter 8 exercises: the pooling operator T, the source's hand-derived gradient, an Adam step on z."""

import numpy as np

from coursework_lib.maths import optimizers
from coursework_lib.maths.measurements import average_pooling_matrix
from coursework_lib.restoration.source_inversion import source_gradient

from .core import Exercise, register


def _pooling_inputs(rng):
    """(size, factor) with size a multiple of factor: three random sizes and one block as large as the image."""
    cases = []
    for factor in (int(rng.integers(2, 5)), int(rng.integers(2, 5)), int(rng.integers(2, 4))):
        cases.append((factor * int(rng.integers(2, 28 // factor + 1)), factor))
    factor = int(rng.integers(2, 7))
    cases.append((factor, factor))
    return cases


register(
    Exercise(
        id="ch08-pooling-matrix",
        graded="average_pooling_matrix",
        reference=average_pooling_matrix,
        cases=_pooling_inputs,
    )
)


def _gradient_inputs(rng):
    cases = []
    for latent, hidden, n, N in ((3, 5, 8, 4), (10, 16, 20, 20), (4, 7, 12, 6)):
        T = np.eye(N, n) if N != 20 else rng.normal(size=(N, n)) / np.sqrt(N)
        cases.append(
            (
                rng.normal(size=latent),
                rng.normal(0, 0.7, (hidden, latent)),
                rng.normal(0, 0.2, (hidden, 1)),
                rng.normal(0, 0.5, (n, hidden)),
                rng.normal(0, 0.2, (n, 1)),
                T,
                rng.random(N),
            )
        )
    return cases


register(
    Exercise(
        id="ch08-source-gradient",
        graded="source_gradient",
        reference=source_gradient,
        cases=_gradient_inputs,
        rtol=1e-6,
        atol=1e-8,
    )
)


def adam_step_on_z(z, grad, m, v, t, lr, beta1, beta2, eps=1e-8):
    """The reference answer of exercise ch08-adam-step: a thin adapter over chapter 4's
    :func:`coursework_lib.maths.optimizers.adam_step` in its textbook form (eps added to sqrt(v_hat)).

    The signatures differ on purpose: the student's exercise passes the moments ``m``, ``v`` and the
    1-based step number ``t`` as plain arguments and returns them, where chapter 4's function keeps
    them in a state dict. z, grad, m, v: arrays of one shape. Returns (z_new, m_new, v_new).
    """
    state = {"m": m, "v": v, "t": int(t) - 1}
    z_new, state = optimizers.adam_step(
        z, grad, state, lr=lr, beta_1=beta1, beta_2=beta2, epsilon=eps, textbook_epsilon=True
    )
    return z_new, state["m"], state["v"]


def _adam_inputs(rng):
    cases = []
    for d, t, lr, b2 in ((10, 1, 0.01, 0.85), (5, 7, 0.1, 0.999), (20, 100, 0.001, 0.9)):
        cases.append(
            (rng.normal(size=d), rng.normal(size=d), rng.normal(0, 0.1, d), rng.random(d) * 0.01, t, lr, 0.9, b2)
        )
    return cases


register(Exercise(id="ch08-adam-step", graded="adam_step", reference=adam_step_on_z, cases=_adam_inputs))
