"""Tests of coursework_lib.vae against independent references: Monte Carlo and numerical integration for
the KL term, TensorFlow autodiff for the reparameterisation gradient, scikit-image for PSNR, and a
save/load round trip through Keras' own file formats."""

import numpy as np
import pytest
from scipy import integrate, stats

from coursework_lib import vae as V

RNG = np.random.default_rng(0)


# ---------------------------------------------------------------- KL term


def test_kl_closed_form_matches_monte_carlo():
    mu = np.array([0.5, -1.2, 0.0, 2.0])
    log_var = np.array([-0.7, 0.4, 0.0, -2.0])
    estimate, standard_error = V.kl_monte_carlo(mu, log_var, num_samples=200_000, seed=1)
    closed = V.kl_divergence(mu, log_var)
    assert abs(estimate - closed) < 5 * standard_error
    assert standard_error < 0.02


def test_kl_closed_form_matches_numerical_integration_in_one_dimension():
    for m, lv in ((0.3, -0.5), (-2.0, 1.0), (0.0, 0.0)):
        q = stats.norm(m, np.exp(0.5 * lv))
        integrand = lambda z: q.pdf(z) * (q.logpdf(z) - stats.norm.logpdf(z))  # noqa: E731
        reference, _ = integrate.quad(integrand, -30, 30, limit=200)
        assert V.kl_divergence(np.array([m]), np.array([lv])) == pytest.approx(reference, abs=1e-8)


def test_kl_is_zero_only_at_the_prior_and_positive_elsewhere():
    assert V.kl_divergence(np.zeros((3, 5)), np.zeros((3, 5))) == pytest.approx(np.zeros(3))
    mu, log_var = RNG.normal(size=(100, 8)), RNG.normal(size=(100, 8))
    assert np.all(V.kl_divergence(mu, log_var) > 0)


def test_source_expression_is_minus_the_kl():
    mu, log_var = RNG.normal(size=(6, 4)), RNG.normal(size=(6, 4))
    assert np.allclose(V.source_kl_term(mu, log_var), -V.kl_divergence(mu, log_var))
    assert np.all(V.source_kl_term(mu, log_var) <= 0)


def test_kl_in_keras_ops_and_its_gradient_match_numpy_and_calculus():
    import tensorflow as tf

    mu, log_var = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))
    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        kl = V.kl_divergence_ops(mu_t, lv_t)
        total = tf.reduce_sum(kl)
    d_mu, d_lv = tape.gradient(total, [mu_t, lv_t])
    assert np.allclose(kl.numpy(), V.kl_divergence(mu, log_var))
    assert np.allclose(d_mu.numpy(), mu)                           # dKL/dmu = mu
    assert np.allclose(d_lv.numpy(), 0.5 * (np.exp(log_var) - 1))  # dKL/dlog_var = (sigma^2 - 1) / 2


# ---------------------------------------------------------------- reparameterisation


def test_reparameterization_gradients_match_tensorflow():
    import tensorflow as tf

    mu, log_var, eps = (RNG.normal(size=(4, 6)) for _ in range(3))
    weights = RNG.normal(size=(4, 6))                              # L = sum(weights * z), so dL/dz = weights
    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        z = mu_t + tf.exp(0.5 * lv_t) * eps
        loss = tf.reduce_sum(weights * z)
    d_mu_tf, d_lv_tf = tape.gradient(loss, [mu_t, lv_t])
    d_mu, d_lv = V.reparameterization_gradients(mu, log_var, eps, weights)
    assert np.allclose(z.numpy(), V.reparameterize(mu, log_var, eps))
    assert np.allclose(d_mu, d_mu_tf.numpy()) and np.allclose(d_lv, d_lv_tf.numpy())


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
    assert np.allclose(d_lv.numpy(), 0.5 * (z - mu), atol=1e-5)     # = exp(log_var / 2) eps / 2
    for j in range(3):                                              # each coordinate is Gaussian
        assert stats.kstest((z[:, j] - mu[0, j]) / np.exp(0.5 * log_var[0, j]), "norm").pvalue > 1e-3


def test_reparameterize_validates_shapes():
    with pytest.raises(ValueError, match="mu and log_var"):
        V.reparameterize(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="eps"):
        V.reparameterize(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(TypeError, match="mu"):
        V.kl_divergence("a", np.zeros(3))


# ---------------------------------------------------------------- metrics and helpers


def test_vae_loss_is_alpha_mse_plus_kl():
    X, X_hat = RNG.uniform(size=(4, 2, 2, 1)), RNG.uniform(size=(4, 2, 2, 1))
    mu, log_var = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    by_hand = np.mean([100 * np.mean((x - y) ** 2) + 0.5 * np.sum(m ** 2 + np.exp(v) - 1 - v)
                       for x, y, m, v in zip(X, X_hat, mu, log_var)])
    assert V.vae_loss(X, X_hat, mu, log_var, alpha=100) == pytest.approx(by_hand)


def test_interpolation_and_grid():
    path = V.interpolate_latents(np.zeros(3), np.ones(3), num=5)
    assert np.allclose(path[:, 0], [0, 0.25, 0.5, 0.75, 1])
    grid = V.latent_grid(2.0, 3)
    assert grid.shape == (9, 2) and np.allclose(grid[0], [-2, 2]) and np.allclose(grid[-1], [2, -2])


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
    assert V.count_parameters(source) > 2 * 4097 * 1024 + 1025 * 4096
    assert V.count_parameters(vae) < V.count_parameters(source) / 20
    dense = V.build_dense_vae(latent_dim=2)
    assert dense(np.zeros((3, 28, 28, 1), np.float32)).shape == (3, 28, 28, 1)
    with pytest.raises(ValueError, match="widths"):
        V.build_conv_vae(widths=(8, 8))
    with pytest.raises(ValueError, match="alpha"):
        V.build_dense_vae(alpha=-1.0)


def test_train_step_reduces_the_loss_and_reports_its_parts(tiny_vae):
    X = np.random.default_rng(1).uniform(size=(64, 8, 8, 3)).astype(np.float32)
    X[:, :4] = 0.9                                                 # a structure worth learning
    history = tiny_vae.fit(X, epochs=8, batch_size=16, verbose=0).history
    assert set(history) == {"loss", "reconstruction_mse", "kl"}
    assert history["loss"][-1] < history["loss"][0]
    # the logged loss is the mean over batches of alpha * MSE + KL (up to float32 rounding)
    assert history["loss"][-1] == pytest.approx(100 * history["reconstruction_mse"][-1] + history["kl"][-1],
                                                rel=1e-4)
    pairs = tiny_vae.evaluate(X, X[:, :, ::-1], verbose=0, return_dict=True)   # (input, target) pairs
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
