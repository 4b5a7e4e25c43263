"""Tests of coursework_lib.models.vae: the KL term on tensors against NumPy and calculus, the sampling
layer against the distribution it should draw from, the model's train step, a save/load round trip
through Keras' own file formats, and the shipped weights' loader. (The NumPy maths is tested in
test_vae_theory.py.)"""

import numpy as np
import pytest
from scipy import stats

from coursework_lib.core.artifacts import ArtifactMissing
from coursework_lib.maths import vae_theory
from coursework_lib.models import model_size
from coursework_lib.models import vae as V

RNG = np.random.default_rng(0)


# ---------------------------------------------------------------- the loss terms and the sampling layer


def test_kl_in_keras_ops_and_its_gradient_match_numpy_and_calculus():
    import tensorflow as tf

    mu, log_var = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))
    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        kl = V.kl_divergence_keras(mu_t, lv_t)
        total = tf.reduce_sum(kl)
    d_mu, d_lv = tape.gradient(total, [mu_t, lv_t])
    assert np.allclose(kl.numpy(), vae_theory.kl_divergence(mu, log_var))
    assert np.allclose(d_mu.numpy(), mu)  # dKL/dmu = mu
    assert np.allclose(d_lv.numpy(), 0.5 * (np.exp(log_var) - 1))  # dKL/dlog_var = (sigma^2 - 1) / 2


def test_mse_per_image_in_keras_ops_matches_a_loop():
    X, X_hat = RNG.uniform(size=(3, 4, 4, 2)), RNG.uniform(size=(3, 4, 4, 2))
    by_hand = [np.mean((x - y) ** 2) for x, y in zip(X, X_hat)]
    assert np.allclose(np.asarray(V.mse_per_image_keras(X, X_hat)), by_hand)


def test_sampling_layer_draws_from_the_posterior_and_passes_gradients():
    import tensorflow as tf

    mu = np.tile(np.array([[1.0, -2.0, 0.5]], dtype=np.float32), (20_000, 1))
    log_var = np.tile(np.array([[0.0, -1.0, 1.0]], dtype=np.float32), (20_000, 1))
    layer = V.Sampling(seed=3)
    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        z = layer([mu_t, lv_t])
        total = tf.reduce_sum(z)
    d_mu, d_lv = tape.gradient(total, [mu_t, lv_t])
    z = z.numpy()
    assert np.allclose(z.mean(axis=0), mu[0], atol=0.05)
    assert np.allclose(z.var(axis=0), np.exp(log_var[0]), rtol=0.05)
    assert np.allclose(d_mu.numpy(), 1.0)
    assert np.allclose(d_lv.numpy(), 0.5 * (z - mu), atol=1e-5)  # = exp(log_var / 2) eps / 2
    for j in range(3):  # each coordinate is Gaussian
        assert stats.kstest((z[:, j] - mu[0, j]) / np.exp(0.5 * log_var[0, j]), "norm").pvalue > 1e-3


# ---------------------------------------------------------------- the Keras model


@pytest.fixture(scope="module")
def tiny_vae():
    import keras

    keras.utils.set_random_seed(0)
    vae = V.build_conv_vae((8, 8, 3), 3, latent_dim=4, widths=(4, 4, 4, 4), alpha=100.0, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    return vae


def test_builders_give_the_expected_shapes_and_source_size():
    vae = V.build_conv_vae()
    mu, log_var = vae.encoder(np.zeros((2, 32, 32, 3), np.float32))
    assert mu.shape == (2, V.SCALED_LATENT_DIM) and log_var.shape == mu.shape
    assert vae(np.zeros((2, 32, 32, 3), np.float32)).shape == (2, 32, 32, 3)
    colour = V.build_conv_vae((32, 32, 1), output_channels=3)
    assert colour(np.zeros((1, 32, 32, 1), np.float32)).shape == (1, 32, 32, 3)
    source = V.build_conv_vae(widths=V.SOURCE_WIDTHS, latent_dim=V.SOURCE_LATENT_DIM)
    # the two Dense heads of the source: 2 x (8*8*64 + 1) * 1024, and its decoder's Dense (1024 + 1) * 4096
    assert model_size.count_parameters(source) > 2 * 4097 * 1024 + 1025 * 4096
    assert model_size.count_parameters(vae) < model_size.count_parameters(source) / 20
    dense = V.build_dense_vae(latent_dim=2)
    assert dense(np.zeros((3, 28, 28, 1), np.float32)).shape == (3, 28, 28, 1)
    with pytest.raises(ValueError, match="widths"):
        V.build_conv_vae(widths=(8, 8))
    with pytest.raises(ValueError, match="alpha"):
        V.build_dense_vae(alpha=-1.0)


def test_train_step_reduces_the_loss_and_reports_its_parts(tiny_vae):
    X = np.random.default_rng(1).uniform(size=(64, 8, 8, 3)).astype(np.float32)
    X[:, :4] = 0.9  # a structure worth learning
    history = tiny_vae.fit(X, epochs=8, batch_size=16, verbose=0).history
    assert set(history) == {"loss", "reconstruction_mse", "kl"}
    assert history["loss"][-1] < history["loss"][0]
    # the logged loss is the mean over batches of alpha * MSE + KL (up to float32 rounding)
    assert history["loss"][-1] == pytest.approx(100 * history["reconstruction_mse"][-1] + history["kl"][-1], rel=1e-4)
    pairs = tiny_vae.evaluate(X, X[:, :, ::-1], verbose=0, return_dict=True)  # (input, target) pairs
    assert set(pairs) == {"loss", "reconstruction_mse", "kl"}


def test_save_and_load_round_trip(tiny_vae, tmp_path):
    import keras

    X = np.random.default_rng(2).uniform(size=(5, 8, 8, 3)).astype(np.float32)
    expected = tiny_vae.predict(X, verbose=0)
    tiny_vae.save(tmp_path / "vae.keras")
    loaded = keras.models.load_model(tmp_path / "vae.keras")
    assert isinstance(loaded, V.VAE) and loaded.alpha == tiny_vae.alpha
    assert np.array_equal(loaded.predict(X, verbose=0), expected)
    tiny_vae.save_weights(tmp_path / "vae.weights.h5")
    fresh = V.build_conv_vae((8, 8, 3), 3, latent_dim=4, widths=(4, 4, 4, 4), alpha=100.0)
    assert not np.array_equal(fresh.predict(X, verbose=0), expected)
    fresh.load_weights(tmp_path / "vae.weights.h5")
    assert np.array_equal(fresh.predict(X, verbose=0), expected)
    mu, _ = V.encode(fresh, X)
    assert np.allclose(V.decode(fresh, mu), expected, atol=1e-6)


def test_helpers_validate_inputs(tiny_vae):
    with pytest.raises(ValueError, match="Z must have shape"):
        V.decode(tiny_vae, np.zeros((2, 7)))
    with pytest.raises(ValueError, match="X must have 4 dimensions"):
        V.encode(tiny_vae, np.zeros((8, 8, 3)))
    assert V.sample_prior(tiny_vae, 3, seed=0).shape == (3, 8, 8, 3)
    with pytest.raises(ValueError, match="name must be one of"):
        V.load_pretrained("nope")


def test_load_pretrained_rebuilds_the_shipped_settings_and_names_the_make_target(tmp_path):
    import json

    vae, info = V.load_pretrained("vae_patches_colour")
    assert info["task"] == "colour" and isinstance(vae, V.VAE)
    assert vae.encoder.input_shape == (None, *info["input_shape"]) and vae.latent_dim == info["latent_dim"]
    assert vae.decoder.output_shape == (None, 32, 32, info["output_channels"]) and vae.alpha == info["alpha"]
    with pytest.raises(ArtifactMissing, match="make weights-vae"):
        V.load_pretrained("vae_patches_recon", directory=tmp_path)  # no .json
    (tmp_path / "vae_patches_recon.json").write_text(json.dumps(info))
    with pytest.raises(ArtifactMissing, match="(?s)weights.h5.*make weights-vae"):
        V.load_pretrained("vae_patches_recon", directory=tmp_path)  # a .json but no weights
