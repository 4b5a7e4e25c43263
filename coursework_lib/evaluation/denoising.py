"""Scoring a denoiser the way chapter 5 does: denoise, then let a classifier trained on clean digits judge."""

from __future__ import annotations

import numpy as np

from coursework_lib.core.images import as_images, reshape_for_model
from coursework_lib.core.noise import add_gaussian_noise, add_uniform_noise
from coursework_lib.core.validation import check_positive_int
from coursework_lib.evaluation.classification import accuracy, classifier_probabilities
from coursework_lib.evaluation.image_quality import quality_row
from coursework_lib.models.autoencoders import denoise


def unchecked_accuracy(model, X, y, batch_size: int = 1000) -> float:
    """Fraction of ``argmax(model(X)) == y`` for inputs that may leave [0, 1].

    Source 4's notes clip the noisy training digits but show no clip for the test digits; one of its
    readings feeds the unclipped x + noise to the classifier, which :func:`accuracy` (that checks
    pixels are in [0, 1]) would refuse. X: (n, ...) finite floats reshaped to the model's input;
    y: (n,) integer labels. Returns a float in [0, 1].
    """
    X = reshape_for_model(model, X)
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite")
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},), got {y.shape}")
    outputs = np.asarray(model.predict(X, batch_size=check_positive_int(batch_size, "batch_size"), verbose=0))
    return float(np.mean(np.argmax(outputs, axis=1) == y))


def source_protocol_summary(val_accuracy) -> dict:
    """Report 3's way of stating a CNN's accuracy on reconstructions: the mean over the epochs and the
    best epoch. val_accuracy: a sequence of per-epoch accuracies (epoch 1 first).
    Returns {"mean": float, "max": float, "best_epoch": int (1-based, the first maximum)}."""
    values = np.asarray(val_accuracy, dtype=float)
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError("val_accuracy must be a non-empty 1-D sequence of finite numbers")
    return {"mean": float(values.mean()), "max": float(values.max()), "best_epoch": int(np.argmax(values)) + 1}


def denoised_accuracy(classifier, denoiser, X_noisy, y, batch_size: int = 1000) -> float:
    """Accuracy of ``classifier`` on ``denoiser``'s output for X_noisy: denoise first, then classify."""
    return accuracy(classifier, denoise(denoiser, X_noisy, batch_size), y, batch_size)


def evaluate_denoiser(denoiser, classifier, X_clean, X_noisy, y, batch_size: int = 1000) -> dict:
    """Denoise X_noisy once and score it: {"accuracy": the classifier's accuracy on the output,
    "psnr": mean dB, "ssim": mean SSIM, both against X_clean}. ``denoiser=None`` scores the noisy input."""
    estimate = (
        np.asarray(X_noisy, dtype=np.float32).reshape(len(X_noisy), 28, 28, 1)
        if denoiser is None
        else denoise(denoiser, X_noisy, batch_size)
    )
    return {"accuracy": accuracy(classifier, estimate, y, batch_size), **quality_row(X_clean, estimate)}


def denoise_and_judge(denoiser, classifier, images, sigma: float, seed=None) -> dict:
    """Add noise of level ``sigma`` to clean images, denoise them, and let ``classifier`` (logits) judge.

    images: (n, 28, 28[, 1]) in [0, 1]. Returns {"noisy", "denoised": (n, 28, 28, 1) float32,
    "label": (n,) int64 predicted class, "confidence": (n,) float32 its softmax probability}.
    """
    X = as_images(images)
    noisy = add_gaussian_noise(X, sigma, seed=seed)
    denoised = denoise(denoiser, noisy)
    probabilities = classifier_probabilities(classifier, denoised)
    label = np.argmax(probabilities, axis=1)
    return {
        "noisy": noisy,
        "denoised": denoised,
        "label": label,
        "confidence": probabilities[np.arange(len(label)), label],
    }


def dense_source_readings(classifier, autoencoders, X_test, y, scale: float = 0.9, seed: int = 109) -> dict:
    """Source 4's experiment under each reading of its notes: noise kind × test set clipped or not.

    classifier: a model of (n, 784) inputs (source 4's dense classifier). autoencoders: {"Gaussian":
    model, "uniform": model}, each trained on that kind of noise. X_test: (n, 28, 28[, 1]) clean digits
    in [0, 1]; y: (n,) labels. The test noise is ``scale`` times N(0, 1) or U[0, 1), one draw per kind
    from ``seed`` (the clipped Gaussian draw with seed 109 is chapter 5's σ = 0.9 test set), clipped to
    [0, 1] or not. Returns {(kind, "clipped" | "not clipped"): {"noisy": accuracy on the noisy digits,
    "denoised": accuracy after that kind's autoencoder}}.
    """
    adders = {"Gaussian": add_gaussian_noise, "uniform": add_uniform_noise}
    if set(autoencoders) != set(adders):
        raise ValueError(f"autoencoders must have the keys {sorted(adders)}, got {sorted(autoencoders)}")
    X = as_images(X_test).reshape(len(X_test), -1)
    results = {}
    for kind, add in adders.items():
        for clip in (True, False):
            noisy = add(X, scale, seed=seed, clip=clip)
            results[(kind, "clipped" if clip else "not clipped")] = {
                "noisy": unchecked_accuracy(classifier, noisy, y),
                "denoised": unchecked_accuracy(classifier, denoise(autoencoders[kind], noisy), y),
            }
    return results
