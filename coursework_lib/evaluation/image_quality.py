"""Image-quality metrics for restoration (chapter 5 onwards).

* :func:`mse_per_image`, :func:`psnr` (``10 log10(max_val² / MSE)`` per image) and :func:`mean_psnr`.
* :func:`ssim` — structural similarity per image (``tf.image.ssim``: 11×11 Gaussian window, σ = 1.5,
  K1 = 0.01, K2 = 0.03, the window kept inside the image).
* :func:`colourfulness` — Hasler and Süsstrunk's colourfulness of each colour image, a no-reference
  measure beside PSNR for colourisation (PSNR rewards a grey image, whose colourfulness is 0).

Images are (n, h, w) or (n, h, w, c) float in [0, max_val]; both arguments of a metric have one shape.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number


def _image_pair(X, Y, name_x: str = "X", name_y: str = "Y") -> tuple[np.ndarray, np.ndarray]:
    X = as_float_array(X, name_x, ndim=(3, 4), dtype=np.float32)
    Y = as_float_array(Y, name_y, ndim=(3, 4), dtype=np.float32)
    if X.shape != Y.shape:
        raise ValueError(f"{name_x} and {name_y} must have the same shape, got {X.shape} and {Y.shape}")
    if X.ndim == 3:
        X, Y = X[..., None], Y[..., None]
    return X, Y


def mse_per_image(X, X_hat) -> np.ndarray:
    """Per-image mean squared error. X, X_hat: (n, ...) of one shape -> (n,) float64."""
    X = as_float_array(X, "X")
    X_hat = as_float_array(X_hat, "X_hat", shape=X.shape)
    if X.ndim < 2:
        raise ValueError(f"X must have a batch axis and at least one more, got shape {X.shape}")
    return np.mean((X.astype(np.float64) - X_hat) ** 2, axis=tuple(range(1, X.ndim)))


def psnr(X, Y, max_val: float = 1.0) -> np.ndarray:
    """Per-image PSNR in dB, 10 log10(max_val² / MSE_i), between reference images X and estimates Y:
    (n, h, w[, c]) -> (n,) float64. Identical images give +inf (MSE = 0)."""
    X, Y = _image_pair(X, Y)
    max_val = check_finite_number(max_val, "max_val", positive=True)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(max_val**2 / mse_per_image(X, Y))


def mean_psnr(X, Y, max_val: float = 1.0) -> float:
    """:func:`psnr` averaged over the images (the figure the book's tables report), in dB."""
    return float(np.mean(psnr(X, Y, max_val)))


def ssim(X, Y, max_val: float = 1.0) -> np.ndarray:
    """Per-image SSIM between X and Y: (n, h, w[, c]) with h, w >= 11 -> (n,) float64 in [-1, 1]."""
    import tensorflow as tf

    X, Y = _image_pair(X, Y)
    if min(X.shape[1:3]) < 11:
        raise ValueError(f"X and Y must be at least 11×11 pixels for the 11×11 SSIM window, got {X.shape}")
    max_val = check_finite_number(max_val, "max_val", positive=True)
    return tf.image.ssim(X, Y, max_val=max_val).numpy().astype(np.float64)


def quality_row(X_clean, X_estimate) -> dict:
    """Mean PSNR (dB) and mean SSIM of estimates against clean images, as ``{"psnr": ..., "ssim": ...}``."""
    X_clean = np.asarray(X_clean, dtype=np.float32).reshape(np.shape(X_estimate))
    return {"psnr": mean_psnr(X_clean, X_estimate), "ssim": float(np.mean(ssim(X_clean, X_estimate)))}


def colourfulness(X, max_val: float = 1.0) -> np.ndarray:
    """Hasler and Süsstrunk's colourfulness M of each RGB image, on the 0-255 scale of their paper.

    X: (n, h, w, 3) float in [0, max_val] -> (n,) float64 >= 0. With rg = R - G and yb = (R + G) / 2 - B
    over an image's pixels (values rescaled to 0-255),
    M = sqrt(std(rg)^2 + std(yb)^2) + 0.3 sqrt(mean(rg)^2 + mean(yb)^2) (population standard deviations).
    A grey image (R = G = B) scores 0; their scale reads 15 "slightly", 33 "moderately", 45 "averagely",
    59 "quite", 82 "highly" and 109 "extremely colourful". (D. Hasler, S. Süsstrunk, "Measuring
    colourfulness in natural images", SPIE Human Vision and Electronic Imaging, 2003.)
    """
    X = as_float_array(X, "X", ndim=4)
    if X.shape[-1] != 3:
        raise ValueError(f"X must have shape (n, h, w, 3), got {X.shape}")
    max_val = check_finite_number(max_val, "max_val", positive=True)
    X = X.astype(np.float64) * (255.0 / max_val)
    rg = (X[..., 0] - X[..., 1]).reshape(len(X), -1)
    yb = (0.5 * (X[..., 0] + X[..., 1]) - X[..., 2]).reshape(len(X), -1)
    spread = np.sqrt(rg.var(axis=1) + yb.var(axis=1))
    offset = np.sqrt(rg.mean(axis=1) ** 2 + yb.mean(axis=1) ** 2)
    return spread + 0.3 * offset
