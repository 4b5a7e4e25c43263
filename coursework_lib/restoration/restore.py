"""One call per degradation: degrade images, then restore them with the generator prior or a baseline.

The front end of chapter 8's all-digits section, its widget and its static figure. It sits above the
solvers it picks from: :func:`~coursework_lib.restoration.batched_inversion.invert_batch` for the
generator prior, and zero fill, pixel replication or
:func:`~coursework_lib.restoration.compressed_sensing.lasso_recover` for the baselines.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_unit_images, check_choice, check_positive_int
from coursework_lib.maths import measurements as ms
from coursework_lib.restoration.batched_inversion import invert_batch
from coursework_lib.restoration.compressed_sensing import lasso_recover


def restore_images(
    G,
    X,
    problem: str,
    level: int,
    *,
    noise_std: float = 0.05,
    method: str = "generator",
    lam: float = 0.1,
    num_restarts: int = 5,
    num_steps: int = 300,
    lr: float = 0.1,
    seed=0,
):
    """Degrade images, then restore them. X: (k, 784) rows in [0, 1], column-major pixels.

    problem: "inpainting" (keep the first ``level`` pixels), "super-resolution" (``level`` x
    ``level`` block means, level divides 28) or "compressed-sensing" (``level`` Gaussian measurements).
    method:  "generator" (invert G, best of restarts) or "baseline" (zero fill, pixel replication,
             or Lasso with alpha 1e-4, respectively).
    Returns (observed (k, 784) a picture of what was measured, restored (k, 784)).
    """
    check_choice(problem, "problem", {"inpainting", "super-resolution", "compressed-sensing"})
    check_choice(method, "method", {"generator", "baseline"})
    X = as_unit_images(X, "X", ndim=2, dtype=np.float64)
    if X.shape[1] != 784:
        raise ValueError(f"X must have shape (k, 784), got {X.shape}")
    level = check_positive_int(level, "level")
    rng = np.random.default_rng(seed)
    kwargs = dict(cost="squared", lam=lam, num_restarts=num_restarts, num_steps=num_steps, lr=lr, seed=seed)
    if problem == "inpainting":
        observed = np.arange(min(level, 784))
        Y = X[:, observed] + noise_std * rng.standard_normal((len(X), len(observed)))
        shown = ms.pad_first_pixels(Y.T).T
        if method == "baseline":
            return shown, shown
        return shown, invert_batch(G, Y, observed=observed, **kwargs)["X"]
    if problem == "super-resolution":
        T = ms.average_pooling_matrix(28, level)
        Y = X @ T.T + noise_std * rng.standard_normal((len(X), T.shape[0]))
        shown = ms.upsample_replicate(Y.T, level).T
        if method == "baseline":
            return shown, shown
        return shown, invert_batch(G, Y, T=T, **kwargs)["X"]
    A = ms.gaussian_measurement_matrix(level, seed=seed)
    Y = X @ A.T + noise_std * rng.standard_normal((len(X), level))
    shown = np.clip(Y @ A, 0.0, 1.0)  # back-projection A^T y
    if method == "baseline":
        return shown, lasso_recover(A, Y, 1e-4)
    return shown, invert_batch(G, Y, T=A, **kwargs)["X"]


def restoration_panel(G, X, settings, noise_std: float = 0.05, seed: int = 0) -> list:
    """What the static twin of the restoration widget shows, computed: one block per setting.

    G: SourceGenerator or DenseGenerator; X: (k, 784) rows in [0, 1]; settings: (problem, level) pairs
    as in :func:`restore_images`. The generator inverts with 3 restarts of 200 steps.
    Returns a list of (label, observed (k, 784), baseline (k, 784), generator (k, 784)) for
    :func:`coursework_lib.viz.restoration.plot_restoration_panel`.
    """
    blocks = []
    for problem, level in settings:
        shown, generator = restore_images(
            G, X, problem, level, noise_std=noise_std, method="generator", num_restarts=3, num_steps=200, seed=seed
        )
        _, baseline = restore_images(G, X, problem, level, noise_std=noise_std, method="baseline", seed=seed)
        blocks.append((f"{problem} {level}", shown, baseline, generator))
    return blocks
