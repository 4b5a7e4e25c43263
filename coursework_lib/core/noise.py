"""The noise model of the three denoising sources: ``clip(x + sigma * N(0, 1), 0, 1)`` for pixels in [0, 1]."""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_unit_images, check_finite_number


def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def add_gaussian_noise(X, sigma: float, seed=None, clip: bool = True) -> np.ndarray:
    """``clip(X + sigma * N(0, 1), 0, 1)``, the source reports' noise model.

    X: any shape, float in [0, 1]. sigma: the noise standard deviation, >= 0.
    seed: an int, None or a numpy Generator. clip=False leaves out the clipping (values may leave
    [0, 1]; source 4 shows the clip for its training set only). Returns float32 of X's shape.
    """
    X = as_unit_images(X, "X")
    sigma = check_finite_number(sigma, "sigma")
    if sigma < 0:
        raise ValueError(f"sigma must be >= 0, got {sigma!r}")
    Z = _rng(seed).standard_normal(X.shape, dtype=np.float32)
    noisy = X + np.float32(sigma) * Z
    return np.clip(noisy, 0.0, 1.0) if clip else noisy


def add_uniform_noise(X, scale: float, seed=None, clip: bool = True) -> np.ndarray:
    """``clip(X + scale * U[0, 1), 0, 1)``: a reading of source 4's "random values between 0 and 1".

    X: any shape, float in [0, 1]. scale: >= 0 (source 4: 0.9). The noise is never negative, so it
    brightens the whole image by scale/2 on average. seed: an int, None or a numpy Generator.
    clip=False leaves out the clipping. Returns float32 of X's shape.
    """
    X = as_unit_images(X, "X")
    scale = check_finite_number(scale, "scale")
    if scale < 0:
        raise ValueError(f"scale must be >= 0, got {scale!r}")
    U = _rng(seed).random(X.shape, dtype=np.float32)
    noisy = X + np.float32(scale) * U
    return np.clip(noisy, 0.0, 1.0) if clip else noisy


def noisy_test_sets(X_test, sigmas) -> dict:
    """Chapter 5's fixed noisy test sets: {σ: add_gaussian_noise(X_test, σ, seed=100 + int(10σ))}.

    One seed per σ, so the notebook, the training scripts and the benchmarks judge every model on the
    same noisy images. X_test: (n, ...) in [0, 1]; sigmas: an iterable of σ >= 0.
    """
    return {s: add_gaussian_noise(X_test, s, seed=100 + int(10 * s)) for s in sigmas}


def noisy_pairs(X, sigmas, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Noisy copies of X, one noise level per image drawn uniformly from ``sigmas`` = (low, high).

    Used to train a blind denoiser. X: (n, ...) in [0, 1]. Returns (X_noisy float32, sigma (n,) float32).
    """
    X = as_unit_images(X, "X")
    low, high = (check_finite_number(s, "sigmas") for s in sigmas)
    if not 0 <= low <= high:
        raise ValueError(f"sigmas must be (low, high) with 0 <= low <= high, got {sigmas!r}")
    rng = _rng(seed)
    sigma = rng.uniform(low, high, size=len(X)).astype(np.float32)
    Z = rng.standard_normal(X.shape, dtype=np.float32)
    scale = sigma.reshape((-1,) + (1,) * (X.ndim - 1))
    return np.clip(X + scale * Z, 0.0, 1.0), sigma
