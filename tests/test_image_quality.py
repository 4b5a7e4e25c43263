"""PSNR against its closed form, SSIM against scikit-image, accuracies against NumPy arithmetic."""

import numpy as np
import pytest
from skimage.metrics import structural_similarity

from coursework_lib.evaluation import classification, denoising
from coursework_lib.evaluation import image_quality as metrics


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    X = rng.random((6, 28, 28)).astype(np.float32)
    Y = np.clip(X + rng.normal(0, [[[0.02]], [[0.05]], [[0.1]], [[0.2]], [[0.4]], [[0.8]]], X.shape), 0, 1)
    return X, Y.astype(np.float32)


def test_psnr_is_ten_log10_of_one_over_mse(pair):
    X, Y = pair
    mse = np.mean((X.astype(np.float64) - Y) ** 2, axis=(1, 2))
    np.testing.assert_allclose(metrics.psnr(X, Y), 10 * np.log10(1.0 / mse), rtol=1e-12)
    np.testing.assert_allclose(
        metrics.psnr(255 * X[..., None], 255 * Y[..., None], max_val=255.0), 10 * np.log10(1.0 / mse), rtol=1e-6
    )
    assert metrics.psnr(X, Y).shape == (6,)
    assert metrics.psnr(X, X)[0] == np.inf


def test_psnr_matches_tensorflow(pair):
    import tensorflow as tf

    X, Y = pair
    np.testing.assert_allclose(metrics.psnr(X, Y), tf.image.psnr(X[..., None], Y[..., None], max_val=1.0), rtol=1e-5)


def test_mean_psnr_matches_scikit_image():
    from skimage.metrics import peak_signal_noise_ratio

    rng = np.random.default_rng(1)
    X = rng.uniform(size=(3, 8, 8, 3))
    X_hat = np.clip(X + rng.normal(0, 0.05, size=X.shape), 0, 1)
    reference = np.mean([peak_signal_noise_ratio(x, y, data_range=1.0) for x, y in zip(X, X_hat)])
    assert metrics.mean_psnr(X, X_hat) == pytest.approx(reference, rel=1e-6)


def test_ssim_matches_scikit_image(pair):
    X, Y = pair
    reference = [
        structural_similarity(
            x, y, data_range=1.0, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, win_size=11
        )
        for x, y in zip(X, Y)
    ]
    np.testing.assert_allclose(metrics.ssim(X, Y), reference, atol=2e-4)
    np.testing.assert_allclose(metrics.ssim(X, X), 1.0, atol=1e-6)


@pytest.mark.parametrize(
    "X, Y, error, match",
    [
        (np.zeros((2, 28, 28)), np.zeros((2, 28, 27)), ValueError, "same shape"),
        (np.zeros((28, 28)), np.zeros((28, 28)), ValueError, "3 or 4 dimensions"),
        (np.zeros((1, 8, 8)), np.zeros((1, 8, 8)), ValueError, "11×11"),
        (np.full((1, 28, 28), np.nan), np.zeros((1, 28, 28)), ValueError, "NaN"),
    ],
)
def test_metrics_reject_bad_images(X, Y, error, match):
    with pytest.raises(error, match=match):
        metrics.ssim(X, Y)
    if match != "11×11":
        with pytest.raises(error, match=match):
            metrics.psnr(X, Y)


def test_quality_row_averages_per_image_scores(pair):
    X, Y = pair
    row = metrics.quality_row(X, Y[..., None])
    mse = np.mean((X.astype(np.float64) - Y) ** 2, axis=(1, 2))
    assert row["psnr"] == pytest.approx(np.mean(10 * np.log10(1 / mse)), rel=1e-4)
    assert -1 <= row["ssim"] <= 1


def linear_classifier(rng):
    import keras

    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    W, b = rng.normal(size=(784, 10)).astype(np.float32), rng.normal(size=10).astype(np.float32)
    model.set_weights([W, b])
    return model, W, b


def test_accuracy_and_denoised_accuracy_match_numpy():
    import keras

    rng = np.random.default_rng(2)
    model, W, b = linear_classifier(rng)
    X = rng.random((50, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, size=50)
    predicted = np.argmax(X.reshape(50, 784) @ W + b, axis=1)
    assert classification.accuracy(model, X, y) == pytest.approx(np.mean(predicted == y))
    halve = keras.Sequential([keras.Input((784,)), keras.layers.Rescaling(0.5)])  # a "denoiser"
    halved = np.argmax(0.5 * X.reshape(50, 784) @ W + b, axis=1)
    assert denoising.denoised_accuracy(model, halve, X, y) == pytest.approx(np.mean(halved == y))
    with pytest.raises(ValueError, match="y must have shape"):
        classification.accuracy(model, X, y[:10])


def test_colourfulness_of_a_two_pixel_image_computed_by_hand():
    # pixels (255, 0, 0) and (0, 0, 255) on the 0-255 scale: rg = 255 and 0, yb = 127.5 and -255.
    # std(rg) = 127.5, std(yb) = 191.25, mean(rg) = 127.5, mean(yb) = -63.75 (population statistics)
    # M = sqrt(127.5^2 + 191.25^2) + 0.3 sqrt(127.5^2 + 63.75^2) = 229.854 + 42.765 = 272.619
    X = np.array([[[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]]])
    by_hand = np.hypot(127.5, 191.25) + 0.3 * np.hypot(127.5, 63.75)
    assert by_hand == pytest.approx(272.619, abs=1e-3)
    np.testing.assert_allclose(metrics.colourfulness(X), [by_hand], rtol=1e-12)
    np.testing.assert_allclose(metrics.colourfulness(255 * X, max_val=255.0), [by_hand], rtol=1e-12)


def test_colourfulness_is_zero_for_grey_and_grows_with_saturation():
    rng = np.random.default_rng(0)
    grey = np.repeat(rng.random((3, 8, 8, 1)), 3, axis=-1)
    np.testing.assert_allclose(metrics.colourfulness(grey), 0.0, atol=1e-9)
    colour = rng.random((3, 8, 8, 3))
    mean = colour.mean(axis=-1, keepdims=True)
    half = mean + 0.5 * (colour - mean)  # half the chroma: every term halves
    np.testing.assert_allclose(metrics.colourfulness(half), 0.5 * metrics.colourfulness(colour), rtol=1e-12)


def test_colourfulness_validates_its_input():
    with pytest.raises(ValueError, match="n, h, w, 3"):
        metrics.colourfulness(np.zeros((2, 4, 4, 1)))
    with pytest.raises(ValueError):
        metrics.colourfulness(np.zeros((4, 4, 3)))
