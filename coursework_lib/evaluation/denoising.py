"""Scoring a denoiser the way chapter 5 does: denoise, then let a classifier trained on clean digits judge."""

from __future__ import annotations

import numpy as np

from coursework_lib.core.images import as_images
from coursework_lib.core.noise import add_gaussian_noise
from coursework_lib.evaluation.classification import accuracy, classifier_probabilities
from coursework_lib.evaluation.image_quality import quality_row
from coursework_lib.models.autoencoders import denoise

# issue #5's goals for the denoised-then-classified accuracy, by noise level σ
DENOISING_TARGETS = {0.2: 0.992, 0.6: 0.985, 0.9: 0.95, 1.0: 0.96}


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
