"""Compressed-sensing helpers against independent computations (scipy.stats, exact sparse recovery)."""

import numpy as np
import pytest
from scipy import stats

from coursework_lib import compressed_sensing as cs
from coursework_lib import inversion, measurements as ms
from coursework_lib.generators import DenseGenerator


def test_mse_and_standard_error():
    rng = np.random.default_rng(0)
    X, X_hat = rng.random((7, 784)), rng.random((7, 784))
    np.testing.assert_allclose(cs.per_pixel_mse(X_hat, X), [np.mean((a - b) ** 2) for a, b in zip(X_hat, X)])
    values = rng.random(30)
    mean, se = cs.mean_and_stderr(values)
    assert mean == pytest.approx(values.mean()) and se == pytest.approx(stats.sem(values))


def test_measure_rows_noise_has_the_requested_norm():
    A = ms.gaussian_measurement_matrix(50, seed=1)
    X = np.random.default_rng(2).random((4, 784))
    np.testing.assert_allclose(np.linalg.norm(cs.measure_rows(A, X, 0.1, seed=3) - X @ A.T, axis=1), 0.1)


def test_lasso_recovers_a_sparse_image_from_enough_measurements():
    rng = np.random.default_rng(4)
    X = np.zeros((2, 784))
    for row in X:
        row[rng.choice(784, 20, replace=False)] = rng.uniform(0.5, 1.0, 20)
    A = ms.gaussian_measurement_matrix(300, seed=5)
    X_hat = cs.lasso_recover(A, X @ A.T, 1e-5)
    assert cs.per_pixel_mse(X_hat, X).max() < 1e-3
    assert X_hat.min() >= 0 and X_hat.max() <= 1


def test_restore_images_shapes_and_baselines():
    rng = np.random.default_rng(6)
    G = DenseGenerator(((rng.normal(0, 0.3, (20, 32)).astype(np.float32), np.zeros(32, np.float32)),
                        (rng.normal(0, 0.3, (32, 784)).astype(np.float32), np.zeros(784, np.float32))))
    X = rng.random((3, 784))
    shown, restored = inversion.restore_images(G, X, "inpainting", 392, noise_std=0.0, method="baseline")
    np.testing.assert_array_equal(restored[:, :392], X[:, :392])
    assert not restored[:, 392:].any()
    shown, restored = inversion.restore_images(G, X, "super-resolution", 4, noise_std=0.0, method="baseline")
    T = ms.average_pooling_matrix(28, 4)
    np.testing.assert_allclose(restored @ T.T, X @ T.T)
    shown, restored = inversion.restore_images(G, X, "compressed-sensing", 30, method="generator",
                                               num_restarts=2, num_steps=20)
    assert restored.shape == (3, 784) and shown.shape == (3, 784)
    with pytest.raises(ValueError, match="problem"):
        inversion.restore_images(G, X, "deblurring", 3)
