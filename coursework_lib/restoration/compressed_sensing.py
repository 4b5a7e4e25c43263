"""Compressed sensing with a generative prior (Bora et al. 2017) against Lasso.

Observations ``y = A x + eta`` with A m x 784 Gaussian (entries N(0, 1/m)) and noise of norm
``noise_norm`` (0.1). The generator estimate minimises ``||A G(z) - y||^2 + lam ||z||^2`` with Adam
from several random z, keeping the restart with the lowest measurement loss ``||A G(z) - y||^2`` (as
Bora et al. do; ``batched_inversion.invert_batch``). With ``sparse_weight`` the estimate may leave the
range by a sparse deviation (Sparse-Gen, Dhar, Grover, Ermon 2018): x = G(z) + nu, with
``sparse_weight ||nu||_1`` added to the cost. The Lasso estimate is
scikit-learn's ``Lasso`` in the pixel basis (MNIST digits are sparse in pixels), its alpha tuned per m
on held-out images, the output clipped to [0, 1]. Images are rows here: X (k, 784). Errors are
per-pixel MSEs per image (:func:`coursework_lib.evaluation.image_quality.mse_per_image`).
"""

from __future__ import annotations

import warnings

import numpy as np

from coursework_lib.core.validation import as_float_array, check_positive_int
from coursework_lib.evaluation.image_quality import mse_per_image
from coursework_lib.maths.measurements import gaussian_measurement_matrix, noise_with_norm
from coursework_lib.restoration.batched_inversion import invert_batch

DEFAULT_ALPHAS = (3e-5, 1e-4, 3e-4, 1e-3, 1e-2)


def stratified_indices(labels, per_class: int, seed, exclude=()) -> np.ndarray:
    """``per_class`` indices of each class of ``labels``, drawn without replacement by ``seed``.

    labels: (n,) integer class labels; exclude: indices never drawn (e.g. an evaluation set, to draw a
    disjoint validation set). Returns the indices sorted within each class, classes in increasing
    order: (num_classes * per_class,) int.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array, got {labels.dtype} {labels.shape}")
    per_class = check_positive_int(per_class, "per_class")
    rng = np.random.default_rng(seed)
    allowed = np.ones(len(labels), bool)
    allowed[np.asarray(exclude, dtype=int)] = False
    chosen = []
    for c in np.unique(labels):
        candidates = np.flatnonzero((labels == c) & allowed)
        if len(candidates) < per_class:
            raise ValueError(f"class {c} has only {len(candidates)} images left, {per_class} asked")
        chosen.append(np.sort(rng.choice(candidates, per_class, replace=False)))
    return np.concatenate(chosen)


def verdict(mean: float, stderr: float, published: float) -> str:
    """ "ahead" when mean < published by more than two standard errors, "behind" when above by more
    than two, else "tie" (lower error is better)."""
    gap = float(mean) - float(published)
    if abs(gap) <= 2.0 * float(stderr):
        return "tie"
    return "ahead" if gap < 0 else "behind"


def mean_and_stderr(values) -> tuple[float, float]:
    """(mean, standard error of the mean) of a 1-D sample: values (k,), k >= 2 -> two floats."""
    values = as_float_array(values, "values", ndim=1)
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values)))


def measure_rows(A, X, noise_norm: float = 0.1, seed=None) -> np.ndarray:
    """Y = X A^T + eta, each row of eta of norm ``noise_norm``. A: (m, n), X: (k, n) -> (k, m)."""
    A = as_float_array(A, "A", ndim=2)
    X = as_float_array(X, "X", shape=(None, A.shape[1]))
    return X @ A.T + noise_with_norm((A.shape[0], len(X)), noise_norm, seed=seed).T


def lasso_recover(A, Y, alpha: float) -> np.ndarray:
    """Lasso estimates clipped to [0, 1]. A: (m, n); Y: (k, m) -> (k, n).

    Each row solves min_x 1/(2m) ||y - A x||^2 + alpha ||x||_1 (scikit-learn's scaling).
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Lasso

    A = as_float_array(A, "A", ndim=2)
    Y = as_float_array(Y, "Y", shape=(None, A.shape[0]))
    model = Lasso(alpha=alpha, fit_intercept=False, max_iter=2000, tol=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        out = model.fit(A, Y.T).coef_.reshape(len(Y), A.shape[1])  # one independent problem per row
    return np.clip(out, 0.0, 1.0)


def tune_lasso_alpha(A, Y_val, X_val, alphas=DEFAULT_ALPHAS) -> tuple[float, dict]:
    """The alpha with the lowest mean per-pixel MSE on held-out images; also {alpha: mse}.

    A: (m, n); Y_val: (k, m) measurements of X_val: (k, n); alphas: candidate floats.
    """
    scores = {float(a): float(mse_per_image(X_val, lasso_recover(A, Y_val, a)).mean()) for a in alphas}
    return min(scores, key=scores.get), scores


def generator_recover(
    G,
    A,
    Y,
    *,
    lam: float = 0.1,
    num_restarts: int = 5,
    num_steps: int = 200,
    lr: float = 0.1,
    select: str = "measurement",
    sparse_weight: float | None = None,
    seed=0,
) -> np.ndarray:
    """argmin_z ||A G(z) - y||^2 + lam ||z||^2 by batched Adam with restarts, for each row y of Y.

    G: SourceGenerator or DenseGenerator; A: (m, 784); Y: (k, m). select: keep the restart with the
    lowest "measurement" loss ||A x - y||^2 (Bora et al.) or the lowest "cost". sparse_weight: None
    (x = G(z)) or w for x = G(z) + nu with w ||nu||_1 added (Sparse-Gen). Returns x (k, 784) float32.
    """
    return invert_batch(
        G,
        Y,
        T=A,
        cost="squared",
        lam=lam,
        num_restarts=num_restarts,
        num_steps=num_steps,
        lr=lr,
        seed=seed,
        select=select,
        sparse_weight=sparse_weight,
    )["X"]


def generator_floor(G, X, *, num_restarts: int = 3, num_steps: int = 300, lr: float = 0.1, seed=0) -> np.ndarray:
    """Per-image min_z ||G(z) - x||^2 / 784: the projection of each clean image onto the range of G
    (estimated by Adam with restarts, no prior term). X: (k, 784) -> (k,)."""
    X_hat = invert_batch(
        G, X, cost="squared", lam=0.0, num_restarts=num_restarts, num_steps=num_steps, lr=lr, seed=seed
    )["X"]
    return mse_per_image(X, X_hat)


def tune_sparse_weight(G, A, Y_val, X_val, weights, **kwargs) -> tuple[float | None, dict]:
    """The Sparse-Gen weight with the lowest mean per-pixel MSE on held-out images; also {w: mse}.

    A: (m, 784); Y_val: (k, m) measurements of X_val: (k, 784); weights: candidates, None meaning no
    deviation (plain generator). kwargs go to :func:`generator_recover`.
    """
    X_val = as_float_array(X_val, "X_val", shape=(None, A.shape[1]))
    scores = {
        w: float(mse_per_image(X_val, generator_recover(G, A, Y_val, sparse_weight=w, **kwargs)).mean())
        for w in weights
    }
    return min(scores, key=scores.get), scores


def compressed_sensing_sweep(
    G,
    X_test,
    X_val,
    m_values,
    *,
    noise_norm: float = 0.1,
    lam: float = 0.1,
    num_restarts: int = 5,
    num_steps: int = 200,
    lr: float = 0.1,
    alphas=DEFAULT_ALPHAS,
    lasso: bool | tuple = True,
    select: str = "measurement",
    sparse_weight=None,
    seed: int = 0,
    verbose: bool = True,
) -> dict:
    """Generator and Lasso recovery for each m on the same A, eta and test images.

    X_test: (k, 784) test images; X_val: (k_val, 784) held-out images for tuning alpha.
    lasso: True (every m), False, or a tuple of the m values to run Lasso for.
    select: which restart to keep ("measurement" loss, as Bora et al., or total "cost").
    sparse_weight: None (plain generator), a float, or {m: float or None} (Sparse-Gen's weight per m).
    Returns {m: {"gen_mse": (k,), "lasso_mse": (k,) or None, "alpha": float or None}}.
    """
    X_test = as_float_array(X_test, "X_test", shape=(None, 784))
    X_val = as_float_array(X_val, "X_val", shape=(None, 784))
    results = {}
    for m in m_values:
        A = gaussian_measurement_matrix(m, seed=seed + m)
        Y = measure_rows(A, X_test, noise_norm, seed=seed + 10_000 + m)
        gen = mse_per_image(
            X_test,
            generator_recover(
                G,
                A,
                Y,
                lam=lam,
                num_restarts=num_restarts,
                num_steps=num_steps,
                lr=lr,
                select=select,
                sparse_weight=sparse_weight.get(m) if isinstance(sparse_weight, dict) else sparse_weight,
                seed=seed + m,
            ),
        )
        entry = {"gen_mse": gen, "lasso_mse": None, "alpha": None}
        if lasso is True or (lasso and m in lasso):
            Y_val = measure_rows(A, X_val, noise_norm, seed=seed + 20_000 + m)
            alpha, _ = tune_lasso_alpha(A, Y_val, X_val, alphas)
            entry["alpha"] = alpha
            entry["lasso_mse"] = mse_per_image(X_test, lasso_recover(A, Y, alpha))
        results[m] = entry
        if verbose:
            lasso_text = (
                f", Lasso {entry['lasso_mse'].mean():.4f} (alpha {alpha:g})" if entry["lasso_mse"] is not None else ""
            )
            print(f"m = {m:3d}: generator {gen.mean():.4f} +- {mean_and_stderr(gen)[1]:.4f}{lasso_text}", flush=True)
    return results


def summarize_sweep(results: dict) -> dict:
    """Mean and standard error per m of a ``compressed_sensing_sweep`` result (what its figure draws).

    results: {m: {"gen_mse": (k,), "lasso_mse": (k,) or None, "alpha": float or None}}.
    Returns {m: {"generator": (mean, se), "lasso": (mean, se) or None, "alpha": float or None}},
    m in increasing order.
    """
    summary = {}
    for m in sorted(results):
        entry = results[m]
        lasso = entry["lasso_mse"]
        summary[m] = {
            "generator": mean_and_stderr(entry["gen_mse"]),
            "lasso": None if lasso is None else mean_and_stderr(lasso),
            "alpha": entry["alpha"],
        }
    return summary
