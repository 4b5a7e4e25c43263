"""Chapter 5's autoencoders: the noise model against its closed-form mean, the architectures against
the shapes and parameter counts worked out by hand from the source reports, the composite model against
running its two halves one after the other."""

import numpy as np
import pytest
from scipy.stats import norm

from coursework_lib.core import images, noise
from coursework_lib.models import autoencoders as ae
from coursework_lib.models import classifiers


def clipped_gaussian_mean(x, sigma):
    """E[clip(x + sigma Z, 0, 1)] for Z ~ N(0, 1), by integrating the clipped density (closed form)."""
    a, b = -x / sigma, (1 - x) / sigma  # Z below a clips to 0, above b clips to 1
    inside = x * (norm.cdf(b) - norm.cdf(a)) + sigma * (norm.pdf(a) - norm.pdf(b))
    return inside + (1 - norm.cdf(b))


@pytest.mark.parametrize("x, sigma", [(0.0, 0.3), (0.0, 1.0), (1.0, 0.6), (0.4, 0.9), (0.5, 0.05)])
def test_noise_mean_matches_the_clipped_gaussian_closed_form(x, sigma):
    noisy = noise.add_gaussian_noise(np.full(400_000, x), sigma, seed=1)
    standard_error = sigma / np.sqrt(noisy.size)
    assert abs(noisy.mean() - clipped_gaussian_mean(x, sigma)) < 5 * standard_error


def test_noise_without_clipping_has_standard_deviation_sigma_and_is_reproducible():
    X = np.full((200, 28, 28), 0.5)
    noisy = noise.add_gaussian_noise(X, 0.05, seed=3)
    assert noisy.dtype == np.float32 and noisy.shape == X.shape
    assert np.std(noisy - 0.5) == pytest.approx(0.05, rel=0.01)
    np.testing.assert_array_equal(noisy, noise.add_gaussian_noise(X, 0.05, seed=3))
    assert np.all((noise.add_gaussian_noise(X, 3.0, seed=0) >= 0) & (noise.add_gaussian_noise(X, 3.0, seed=0) <= 1))
    np.testing.assert_array_equal(noise.add_gaussian_noise(X, 0.0, seed=0), X.astype(np.float32))


@pytest.mark.parametrize(
    "X, sigma, error",
    [
        (np.zeros(3), -0.1, ValueError),
        (np.array([np.nan]), 0.1, ValueError),
        ("abc", 0.1, TypeError),
        (np.zeros(3), float("inf"), ValueError),
    ],
)
def test_noise_rejects_bad_arguments(X, sigma, error):
    with pytest.raises(error, match="X|sigma"):
        noise.add_gaussian_noise(X, sigma)


def test_noisy_pairs_draws_one_level_per_image_within_range():
    X = np.full((500, 28, 28, 1), 0.5, dtype=np.float32)
    noisy, sigma = noise.noisy_pairs(X, (0.1, 0.2), seed=0)
    assert noisy.shape == X.shape and sigma.shape == (500,)
    assert sigma.min() >= 0.1 and sigma.max() <= 0.2
    spread = (noisy - 0.5).reshape(500, -1).std(axis=1)  # no clipping at 0.5 ± 5·0.2
    np.testing.assert_allclose(spread, sigma, rtol=0.12)
    with pytest.raises(ValueError, match="sigmas"):
        noise.noisy_pairs(X, (0.5, 0.1))


def n_conv(k, c_in, c_out):
    return k * k * c_in * c_out + c_out


def test_dense_autoencoder_and_classifier_match_the_source_sizes():
    model = ae.build_dense_autoencoder()
    assert model.output_shape == (None, 784)
    assert model.count_params() == (784 * 64 + 64) + (64 * 784 + 784)
    clf = classifiers.build_dense_classifier()
    assert clf.count_params() == (784 * 256 + 256) + (256 * 256 + 256) + (256 * 10 + 10)
    out = clf(np.random.default_rng(0).random((3, 784), dtype=np.float32)).numpy()
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)  # softmax probabilities


def test_pooling_autoencoder_shapes_and_parameters():
    model = ae.build_pooling_autoencoder()
    assert model.output_shape == (None, 28, 28, 1)
    assert ae.encoder_of(model).output_shape == (None, 4, 4, 8)
    expected = (
        n_conv(3, 1, 16)
        + n_conv(3, 16, 8)
        + n_conv(3, 8, 8)  # encoder
        + n_conv(3, 8, 8)
        + n_conv(3, 8, 8)
        + n_conv(3, 8, 16)
        + n_conv(3, 16, 1)
    )
    assert model.count_params() == expected
    sizes = [layer.output.shape[1] for layer in model.layers[1:]]
    assert sizes == [28, 14, 14, 7, 7, 4, 4, 8, 8, 16, 14, 28, 28]  # the valid conv takes 16 to 14
    with pytest.raises(ValueError, match="no layer named"):
        ae.encoder_of(model, "bottleneck")


def test_strided_autoencoder_shapes_and_parameters():
    model = ae.build_strided_autoencoder()
    assert [layer.output.shape[1] for layer in model.layers] == [14, 7, 14, 28, 28]
    # a transposed convolution has as many weights as the convolution it mirrors
    assert model.count_params() == (
        n_conv(3, 1, 16) + n_conv(3, 16, 8) + n_conv(3, 8, 8) + n_conv(3, 8, 16) + n_conv(3, 16, 1)
    )


def test_unet_output_is_an_image_in_the_unit_interval():
    model = ae.build_unet_denoiser(width=4)
    out = model(np.random.default_rng(0).random((2, 28, 28, 1), dtype=np.float32)).numpy()
    assert out.shape == (2, 28, 28, 1) and out.min() >= 0 and out.max() <= 1
    assert ae.encoder_of(model, "code_b").output_shape == (None, 7, 7, 16)


def test_denoise_and_classify_equals_its_halves_in_sequence():
    import keras

    rng = np.random.default_rng(0)
    autoencoder = ae.build_dense_autoencoder()
    cnn = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    composite = ae.denoise_and_classify(autoencoder, cnn)
    X = rng.random((5, 784), dtype=np.float32)
    by_hand = cnn(autoencoder(X).numpy().reshape(5, 28, 28, 1)).numpy()
    np.testing.assert_allclose(composite(X).numpy(), by_hand, rtol=1e-5, atol=1e-6)
    assert composite.name == "denoise_and_classify"


def test_denoise_accepts_any_image_layout_and_returns_nhwc():
    autoencoder = ae.build_dense_autoencoder()
    X = np.random.default_rng(1).random((4, 28, 28), dtype=np.float32)
    out = ae.denoise(autoencoder, X)
    assert out.shape == (4, 28, 28, 1)
    np.testing.assert_allclose(out.reshape(4, 784), autoencoder(X.reshape(4, 784)).numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="784 values per image"):
        images.reshape_for_model(autoencoder, np.zeros((4, 27, 27)))


def test_noisy_test_sets_use_one_fixed_seed_per_sigma():
    X = np.random.default_rng(0).random((3, 4, 4)).astype(np.float32)
    sets = noise.noisy_test_sets(X, (0.2, 0.6, 1.0))
    for sigma, seed in ((0.2, 102), (0.6, 106), (1.0, 110)):
        Z = np.random.default_rng(seed).standard_normal(X.shape, dtype=np.float32)
        np.testing.assert_array_equal(sets[sigma], np.clip(X + np.float32(sigma) * Z, 0, 1))


def test_noise_rejects_uint8_pixels():
    with pytest.raises(ValueError, match="divide by 255"):
        noise.add_gaussian_noise(np.full((2, 28, 28), 255, dtype=np.uint8), 0.5)


def test_strided_autoencoder_ends_in_relu_as_report_3_lists_it():
    keras = pytest.importorskip("keras")
    model = ae.build_strided_autoencoder()
    assert model.layers[-1].get_config()["activation"] == "relu"
    assert ae.build_strided_autoencoder(output_activation="sigmoid").layers[-1].get_config()["activation"] == (
        "sigmoid"
    )
    with pytest.raises(ValueError, match="output_activation"):
        ae.build_strided_autoencoder(output_activation="tanh")
    # a ReLU output is not bounded by 1: a large bias on the last layer passes straight through
    last = model.layers[-1]
    kernel, bias = last.get_weights()
    last.set_weights([np.zeros_like(kernel), np.full_like(bias, 1.5)])
    out = model.predict(np.zeros((1, 28, 28, 1), np.float32), verbose=0)
    np.testing.assert_allclose(out, 1.5)
    assert keras is not None


@pytest.mark.parametrize("x", [0.0, 0.3, 1.0])
def test_uniform_noise_mean_matches_its_closed_form(x):
    # E[min(x + 0.9 U, 1)] for U ~ U[0, 1): integrate by hand. With c = (1 - x) / 0.9 the share below 1,
    # the mean is c (x + 0.45 c) + (1 - c) when c < 1, else x + 0.45.
    c = min((1 - x) / 0.9, 1.0)
    expected = c * (x + 0.45 * c) + (1 - c)
    noisy = noise.add_uniform_noise(np.full((200_000,), x, np.float32), 0.9, seed=3)
    assert noisy.min() >= x - 1e-7 and noisy.max() <= 1.0
    assert abs(noisy.mean() - expected) < 5 * 0.26 / np.sqrt(200_000) + 1e-6


def test_unclipped_noise_keeps_values_outside_the_unit_interval():
    X = np.zeros((50_000,), np.float32)
    gaussian = noise.add_gaussian_noise(X, 0.9, seed=1, clip=False)
    assert gaussian.min() < -1.0 and abs(gaussian.std() - 0.9) < 0.01
    uniform = noise.add_uniform_noise(X + 0.5, 0.9, seed=1, clip=False)
    assert uniform.max() > 1.3 and abs(uniform.mean() - 0.95) < 0.01
    with pytest.raises(ValueError, match="scale"):
        noise.add_uniform_noise(X, -0.1)


def test_unchecked_accuracy_counts_argmax_hits_on_inputs_outside_the_unit_interval():
    keras = pytest.importorskip("keras")
    from coursework_lib.evaluation import denoising

    # a linear "classifier" whose class 1 wins exactly when the pixel sum is positive
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, use_bias=False)])
    model.layers[0].set_weights([np.array([[0.0, 1.0]] * 4, np.float32)])
    X = np.array([[2.0, -1, 0, 0], [-3.0, 0, 0, 0], [0.5, 0.5, 0, 0], [-0.1, 0, 0, 0]], np.float32)
    y = np.array([1, 0, 0, 0])  # hits: rows 0, 1, 3 -> 3 of 4
    assert denoising.unchecked_accuracy(model, X, y) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="y"):
        denoising.unchecked_accuracy(model, X, y[:3])


def test_source_protocol_summary_gives_mean_max_and_first_best_epoch():
    from coursework_lib.evaluation import denoising

    summary = denoising.source_protocol_summary([0.90, 0.95, 0.93, 0.95])
    assert summary == {"mean": pytest.approx(0.9325), "max": 0.95, "best_epoch": 2}
    with pytest.raises(ValueError):
        denoising.source_protocol_summary([])
