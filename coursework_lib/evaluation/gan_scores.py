"""Scoring a generator of digits with chapter 3's classifier (chapter 7), instead of eyeballing samples.

* confident fraction: the share of samples the classifier labels with softmax confidence >= 0.9;
* class coverage: how many samples it puts in each digit class, and the ratio of the most to the least
  frequent class (1 for a perfectly balanced generator, infinite when a digit is never produced);
* for a conditional generator, label agreement: the share of samples the classifier assigns to the
  digit the generator was asked to draw;
* a Fréchet distance between Gaussians fitted to the classifier's 128 penultimate-layer features of
  generated and of real images (the FID recipe, with the book's classifier in place of Inception)::

      d² = |mu_1 - mu_2|² + tr(S_1 + S_2 - 2 (S_1^{1/2} S_2 S_1^{1/2})^{1/2})

  The trace term is computed from the eigenvalues of the symmetric matrix S_1^{1/2} S_2 S_1^{1/2}, which
  has the same trace of square root as the (non-symmetric) S_1 S_2 of the usual formula.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_positive_int
from coursework_lib.evaluation import classification
from coursework_lib.maths.mlp import accuracy as label_accuracy
from coursework_lib.models import gan

CONFIDENCE_THRESHOLD = 0.9
NUM_SAMPLES = 10_000


def _probabilities(probabilities) -> np.ndarray:
    p = as_float_array(probabilities, "probabilities", ndim=2)
    if p.shape[0] == 0 or (p < 0).any() or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(
            f"probabilities must be a non-empty (n, classes) array of rows that sum to 1, got shape {p.shape}"
        )
    return p


def confident_fraction(probabilities, threshold: float = CONFIDENCE_THRESHOLD) -> float:
    """Fraction of rows of (n, classes) softmax probabilities whose largest entry is >= threshold."""
    if not 0.0 < float(threshold) <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    return float(np.mean(_probabilities(probabilities).max(axis=1) >= threshold))


def confident_fraction_per_grid(probabilities, grid_size: int, threshold: float = CONFIDENCE_THRESHOLD) -> np.ndarray:
    """The confident fraction of each consecutive group of ``grid_size`` samples, as one small figure of
    samples would show it: (n, classes) probabilities with n a multiple of grid_size -> (n // grid_size,)
    float64, each a multiple of 1 / grid_size."""
    p = _probabilities(probabilities)
    grid_size = check_positive_int(grid_size, "grid_size")
    if len(p) % grid_size:
        raise ValueError(f"the number of samples ({len(p)}) must be a multiple of grid_size ({grid_size})")
    if not 0.0 < float(threshold) <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    return (p.max(axis=1) >= threshold).reshape(-1, grid_size).mean(axis=1)


def predicted_class_counts(probabilities) -> np.ndarray:
    """(n, classes) probabilities -> (classes,) int64 number of samples whose arg-max is each class."""
    p = _probabilities(probabilities)
    return np.bincount(p.argmax(axis=1), minlength=p.shape[1]).astype(np.int64)


def class_ratio(counts) -> float:
    """Most over least frequent class in (classes,) counts; inf if some class never appears."""
    counts = as_float_array(counts, "counts", ndim=1)
    if counts.size == 0 or (counts < 0).any() or counts.sum() == 0:
        raise ValueError(f"counts must be non-negative with a positive total, got {counts}")
    return float("inf") if counts.min() == 0 else float(counts.max() / counts.min())


def label_agreement(probabilities, labels) -> float:
    """Fraction of rows of (n, classes) probabilities whose arg-max equals ``labels`` (n,) integers."""
    p = _probabilities(probabilities)
    labels = np.asarray(labels)
    if labels.shape != (p.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be ({p.shape[0]},) integers, got shape {labels.shape}, dtype {labels.dtype}")
    return label_accuracy(p.argmax(axis=1), labels)


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """(n, d) features -> mean (d,) and covariance (d, d), float64 (unbiased, n >= 2)."""
    features = as_float_array(features, "features", ndim=2).astype(np.float64)
    if features.shape[0] < 2:
        raise ValueError(f"features needs at least 2 rows, got {features.shape[0]}")
    return features.mean(axis=0), np.cov(features, rowvar=False).reshape(features.shape[1], features.shape[1])


def _psd_sqrt(S: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix (tiny negative eigenvalues -> 0)."""
    values, vectors = np.linalg.eigh((S + S.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """Squared Fréchet (2-Wasserstein) distance between N(mu1, sigma1) and N(mu2, sigma2).
    mu: (d,), sigma: (d, d) symmetric positive semi-definite."""
    mu1, mu2 = as_float_array(mu1, "mu1", ndim=1), as_float_array(mu2, "mu2", ndim=1)
    d = mu1.shape[0]
    sigma1 = as_float_array(sigma1, "sigma1", shape=(d, d))
    sigma2 = as_float_array(sigma2, "sigma2", shape=(d, d))
    if mu2.shape != (d,):
        raise ValueError(f"mu2 must have shape ({d},), got {mu2.shape}")
    root1 = _psd_sqrt(sigma1)
    middle = np.linalg.eigvalsh(root1 @ sigma2 @ root1)
    trace_sqrt = np.sqrt(np.clip(middle, 0.0, None)).sum()
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(sigma1) + np.trace(sigma2) - 2.0 * trace_sqrt)


def classifier_statistics(classifier, images) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of the classifier's penultimate features of (n, 28, 28) images in [0, 1]."""
    return feature_statistics(classification.classifier_features(classifier, images))


def frechet_floor(classifier, real_a, real_b) -> float:
    """The distance between two sets of real images (e.g. MNIST train and test): what a perfect
    generator would score, since the feature statistics of finite samples differ a little."""
    return frechet_distance(*classifier_statistics(classifier, real_a), *classifier_statistics(classifier, real_b))


def score_images(images, classifier, reference_statistics, labels=None) -> dict:
    """Judge (n, 28, 28) images in [0, 1]: confident fraction, class counts and ratio, and the Fréchet
    distance of their features to ``reference_statistics`` (mean, covariance) of real images; with the
    labels (n,) the images were drawn for, also the label agreement.
    The classifier runs once: its last layer turns the features into the logits."""
    features = classification.classifier_features(classifier, images)
    p = classification.probabilities_from_logits(classifier.layers[-1](features))
    counts = predicted_class_counts(p)
    scores = {
        "confident_fraction": confident_fraction(p),
        "class_counts": counts.tolist(),
        "class_ratio": class_ratio(counts),
        "fid_cnn": frechet_distance(*feature_statistics(features), *reference_statistics),
    }
    if labels is not None:
        scores["label_agreement"] = label_agreement(p, labels)
    return scores


def score_generator(
    generator, classifier, reference_statistics, num_samples: int = NUM_SAMPLES, seed: int = 0, class_frequencies=None
) -> dict:
    """:func:`score_images` on ``num_samples`` images drawn from ``generator`` with a fixed seed.

    A generator conditioned on digits is asked for every digit equally often, and its label agreement
    is scored. One conditioned on clusters needs ``class_frequencies`` (k,), the clusters' shares of
    the training set: its labels are drawn from them, and no label agreement is scored (a cluster is
    not a digit)."""
    z, labels = gan.sample_inputs(
        generator, check_positive_int(num_samples, "num_samples"), seed=seed, class_frequencies=class_frequencies
    )
    digits = labels if class_frequencies is None else None
    return score_images(gan.generate(generator, z, labels), classifier, reference_statistics, digits)
