"""Chapter 7's scores: the Fréchet distance against closed forms and SciPy, the feature statistics
against NumPy, and the class scores against hand counts and a separate Keras pass."""

import numpy as np
import pytest
import scipy.linalg

from coursework_lib.evaluation import gan_scores


def test_frechet_distance_closed_forms():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.1, 2, 6), rng.uniform(0.1, 2, 6)
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)  # diagonal covariances
    assert gan_scores.frechet_distance(mu1, np.diag(a), mu2, np.diag(b)) == pytest.approx(expected, rel=1e-10)
    A = rng.normal(size=(6, 6))
    S = A @ A.T
    assert gan_scores.frechet_distance(mu1, S, mu1, S) == pytest.approx(0.0, abs=1e-8)


def test_frechet_distance_matches_scipy_sqrtm():
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(8, 8)), rng.normal(size=(8, 8))
    S1, S2 = A @ A.T, B @ B.T + 0.1 * np.eye(8)
    mu1, mu2 = rng.normal(size=8), rng.normal(size=8)
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(S1 + S2 - 2 * np.real(scipy.linalg.sqrtm(S1 @ S2)))
    assert gan_scores.frechet_distance(mu1, S1, mu2, S2) == pytest.approx(expected, rel=1e-8)
    with pytest.raises(ValueError, match=r"sigma2 must have shape \(8, 8\)"):
        gan_scores.frechet_distance(mu1, S1, mu2, S2[:4, :4])


def test_feature_statistics_match_numpy():
    x = np.random.default_rng(2).normal(size=(50, 3))
    mu, S = gan_scores.feature_statistics(x)
    np.testing.assert_allclose(mu, x.mean(0))
    np.testing.assert_allclose(S, np.cov(x.T))


def test_class_scores():
    p = np.array([[0.95, 0.05], [0.5, 0.5], [0.05, 0.95], [0.1, 0.9]])
    assert gan_scores.confident_fraction(p) == 0.75  # 0.9 itself counts as confident
    np.testing.assert_array_equal(gan_scores.predicted_class_counts(p), [2, 2])
    assert gan_scores.class_ratio([30, 10, 20]) == 3.0
    assert gan_scores.class_ratio([5, 0, 5]) == float("inf")
    with pytest.raises(ValueError, match="rows that sum to 1"):
        gan_scores.confident_fraction(np.ones((2, 2)))
    with pytest.raises(ValueError, match="threshold"):
        gan_scores.confident_fraction(p, threshold=0)


def test_label_agreement():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]])
    assert gan_scores.label_agreement(p, [0, 1, 2, 0]) == 0.75
    with pytest.raises(ValueError, match=r"labels must be \(4,\) integers"):
        gan_scores.label_agreement(p, [0, 1, 2])
    with pytest.raises(ValueError, match=r"labels must be \(4,\) integers"):
        gan_scores.label_agreement(p, [0.0, 1.0, 2.0, 0.0])


def test_score_images_equals_separate_probability_and_feature_passes():
    import keras

    keras.utils.set_random_seed(3)
    classifier = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(4, 3, strides=2),
            keras.layers.Flatten(),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    images = np.random.default_rng(4).random((64, 28, 28), dtype=np.float32)
    reference = gan_scores.feature_statistics(np.random.default_rng(5).normal(size=(100, 8)))
    labels = np.arange(64) % 10
    scores = gan_scores.score_images(images, classifier, reference, labels)
    logits = classifier.predict(images[..., None], verbose=0).astype(np.float64)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    assert scores["class_counts"] == np.bincount(p.argmax(axis=1), minlength=10).tolist()
    assert scores["label_agreement"] == pytest.approx(np.mean(p.argmax(axis=1) == labels))
    assert scores["confident_fraction"] == pytest.approx(np.mean(p.max(axis=1) >= 0.9))
    features = keras.Model(classifier.inputs, classifier.layers[-2].output).predict(images[..., None], verbose=0)
    expected = gan_scores.frechet_distance(features.mean(0), np.cov(features.T.astype(np.float64)), *reference)
    assert scores["fid_cnn"] == pytest.approx(expected, rel=1e-5)


def test_confident_fraction_per_grid_counts_each_group_of_samples():
    sure, unsure = [0.95, 0.05], [0.6, 0.4]
    p = np.array([sure, unsure, unsure, unsure, sure, sure, sure, unsure])
    # grids of four: 1 of 4 confident, then 3 of 4
    np.testing.assert_allclose(gan_scores.confident_fraction_per_grid(p, 4), [0.25, 0.75])
    np.testing.assert_allclose(gan_scores.confident_fraction_per_grid(p, 8), [0.5])
    with pytest.raises(ValueError, match="multiple of grid_size"):
        gan_scores.confident_fraction_per_grid(p, 3)
