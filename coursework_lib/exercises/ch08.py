"""Chapter 8 exercises: the pooling operator T, the report's hand-derived gradient, an Adam step on z."""

import numpy as np

from ..inversion import adam_step, report_gradient
from ..measurements import average_pooling_matrix
from .core import Exercise, register

register(Exercise(id="ch08-pooling-matrix", graded="average_pooling_matrix", reference=average_pooling_matrix,
                  cases=lambda rng: [(28, 4), (12, 3), (8, 2), (6, 6)]))


def _gradient_inputs(rng):
    cases = []
    for latent, hidden, n, N in ((3, 5, 8, 4), (10, 16, 20, 20), (4, 7, 12, 6)):
        T = np.eye(N, n) if N != 20 else rng.normal(size=(N, n)) / np.sqrt(N)
        cases.append((rng.normal(size=latent), rng.normal(0, 0.7, (hidden, latent)), rng.normal(0, 0.2, (hidden, 1)),
                      rng.normal(0, 0.5, (n, hidden)), rng.normal(0, 0.2, (n, 1)), T, rng.random(N)))
    return cases


register(Exercise(id="ch08-report-gradient", graded="report_gradient", reference=report_gradient,
                  cases=_gradient_inputs, rtol=1e-6, atol=1e-8))


def _adam_inputs(rng):
    cases = []
    for d, t, lr, b2 in ((10, 1, 0.01, 0.85), (5, 7, 0.1, 0.999), (20, 100, 0.001, 0.9)):
        cases.append((rng.normal(size=d), rng.normal(size=d), rng.normal(0, 0.1, d), rng.random(d) * 0.01,
                      t, lr, 0.9, b2))
    return cases


register(Exercise(id="ch08-adam-step", graded="adam_step", reference=adam_step, cases=_adam_inputs))
