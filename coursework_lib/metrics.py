"""Image-quality and task metrics for restoration (chapter 5 onwards).

* :func:`psnr` — peak signal-to-noise ratio per image, ``10 log10(max_val² / MSE)``, and
  :func:`mean_psnr`, its average over a batch.
* :func:`ssim` — structural similarity per image (``tf.image.ssim``: 11×11 Gaussian window, σ = 1.5,
  K1 = 0.01, K2 = 0.03, the window kept inside the image).
* :func:`predict_labels`, :func:`accuracy` and :func:`denoised_accuracy` — the "denoise, then let a
  classifier trained on clean images judge" score.

Images are (n, h, w) or (n, h, w, c) float in [0, max_val]; both arguments of a metric have one shape.
"""

from __future__ import annotations

import numpy as np

from .autoencoders import denoise, reshape_for_model
from .validation import as_float_array, check_finite_number, check_positive_int


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
        return 10.0 * np.log10(max_val ** 2 / mse_per_image(X, Y))


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


def predict_labels(classifier, X, batch_size: int = 1000) -> np.ndarray:
    """Arg-max class of a classifier (logits or probabilities) on images reshaped to its input: (n,) int64."""
    X = reshape_for_model(classifier, X)
    scores = classifier.predict(X, batch_size=check_positive_int(batch_size, "batch_size"), verbose=0)
    return np.argmax(np.asarray(scores), axis=1)


def accuracy(classifier, X, y, batch_size: int = 1000) -> float:
    """Fraction of images X whose predicted class equals the integer label y (n,)."""
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"y must have shape ({len(X)},), got {y.shape}")
    return float(np.mean(predict_labels(classifier, X, batch_size) == y))


def denoised_accuracy(classifier, denoiser, X_noisy, y, batch_size: int = 1000) -> float:
    """Accuracy of ``classifier`` on ``denoiser``'s output for X_noisy: denoise first, then classify."""
    return accuracy(classifier, denoise(denoiser, X_noisy, batch_size), y, batch_size)


def quality_row(X_clean, X_estimate) -> dict:
    """Mean PSNR (dB) and mean SSIM of estimates against clean images, as ``{"psnr": ..., "ssim": ...}``."""
    X_clean = np.asarray(X_clean, dtype=np.float32).reshape(np.shape(X_estimate))
    return {"psnr": mean_psnr(X_clean, X_estimate), "ssim": float(np.mean(ssim(X_clean, X_estimate)))}


def evaluate_denoiser(denoiser, classifier, X_clean, X_noisy, y, batch_size: int = 1000) -> dict:
    """Denoise X_noisy once and score it: {"accuracy": the classifier's accuracy on the output,
    "psnr": mean dB, "ssim": mean SSIM, both against X_clean}. ``denoiser=None`` scores the noisy input."""
    estimate = np.asarray(X_noisy, dtype=np.float32).reshape(len(X_noisy), 28, 28, 1) if denoiser is None \
        else denoise(denoiser, X_noisy, batch_size)
    return {"accuracy": accuracy(classifier, estimate, y, batch_size), **quality_row(X_clean, estimate)}
