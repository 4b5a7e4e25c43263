"""Measurement operators against independent constructions (reshape-and-mean, slicing, loops)."""

import numpy as np
import pytest

from coursework_lib.maths import measurements as ms


def test_first_pixels_matrix_selects_first_n():
    x = np.random.default_rng(0).random(784)
    T = ms.first_pixels_matrix(300)
    assert T.shape == (300, 784)
    np.testing.assert_array_equal(T @ x, x[:300])
    np.testing.assert_array_equal(ms.pad_first_pixels(T @ x)[:300], x[:300])
    assert not ms.pad_first_pixels(T @ x)[300:].any()


@pytest.mark.parametrize("size,factor", [(28, 4), (28, 2), (12, 3)])
def test_average_pooling_matches_reshape_and_mean(size, factor):
    images = np.random.default_rng(1).random((5, size, size))
    T = ms.average_pooling_matrix(size, factor)
    small = size // factor
    expected = images.reshape(5, small, factor, small, factor).mean(axis=(2, 4))
    np.testing.assert_allclose(T @ images.reshape(5, -1).T, expected.reshape(5, -1).T)
    # the column-major (MATLAB) convention of chapter 8 gives the transposed small image
    cols = images.transpose(0, 2, 1).reshape(5, -1).T
    np.testing.assert_allclose(T @ cols, expected.transpose(0, 2, 1).reshape(5, -1).T)


def test_average_pooling_matches_the_reports_nested_loops():
    T_loops = np.zeros((49, 784))
    for i in range(7):
        for j in range(7):
            for a in range(4):
                for b in range(4):
                    T_loops[i * 7 + j, (4 * i + a) * 28 + 4 * j + b] = 1 / 16
    np.testing.assert_array_equal(ms.average_pooling_matrix(28, 4), T_loops)


def test_pixel_replication_is_scaled_transpose_of_pooling():
    Y = np.random.default_rng(2).random((49, 3))
    T = ms.average_pooling_matrix(28, 4)
    np.testing.assert_allclose(ms.upsample_replicate(Y), 16 * T.T @ Y)
    np.testing.assert_allclose(T @ ms.upsample_replicate(Y), Y)  # replication is a right inverse


def test_gaussian_matrix_statistics_and_seed():
    A = ms.gaussian_measurement_matrix(400, seed=3)
    assert A.shape == (400, 784)
    assert A.var() == pytest.approx(1 / 400, rel=0.02)
    np.testing.assert_array_equal(A, ms.gaussian_measurement_matrix(400, seed=3))
    # E ||A x||^2 = ||x||^2 for N(0, 1/m) entries
    x = np.random.default_rng(4).random(784)
    assert np.sum((A @ x) ** 2) == pytest.approx(np.sum(x**2), rel=0.2)


def test_noise_with_norm_and_measure():
    eta = ms.noise_with_norm((50, 7), 0.1, seed=0)
    np.testing.assert_allclose(np.linalg.norm(eta, axis=0), 0.1)
    T = ms.first_pixels_matrix(10)
    X = np.ones((784, 2))
    np.testing.assert_array_equal(ms.measure(T, X), np.ones((10, 2)))


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="N"):
        ms.first_pixels_matrix(800)
    with pytest.raises(ValueError, match="factor"):
        ms.average_pooling_matrix(28, 5)
    with pytest.raises(ValueError, match="m"):
        ms.gaussian_measurement_matrix(0)
    with pytest.raises(ValueError, match="X"):
        ms.measure(np.eye(3, 784), np.ones(10))
