"""Tests of coursework_lib.maths.vae_theory against independent references: Monte Carlo and numerical
integration for the KL term, the source's printed expression written out by hand, TensorFlow autodiff for
the reparameterisation gradient, and explicit loops for the loss, the grid and the sweep."""

import numpy as np
import pytest
from scipy import integrate, stats

from coursework_lib.maths import vae_theory as T

RNG = np.random.default_rng(0)


# ---------------------------------------------------------------- KL term


def test_kl_closed_form_matches_monte_carlo():
    mu = np.array([0.5, -1.2, 0.0, 2.0])
    log_var = np.array([-0.7, 0.4, 0.0, -2.0])
    estimate, standard_error = T.kl_monte_carlo(mu, log_var, num_samples=200_000, seed=1)
    closed = T.kl_divergence(mu, log_var)
    assert abs(estimate - closed) < 5 * standard_error
    assert standard_error < 0.02


def test_kl_closed_form_matches_numerical_integration_in_one_dimension():
    for m, lv in ((0.3, -0.5), (-2.0, 1.0), (0.0, 0.0)):
        q = stats.norm(m, np.exp(0.5 * lv))
        integrand = lambda z: q.pdf(z) * (q.logpdf(z) - stats.norm.logpdf(z))  # noqa: E731
        reference, _ = integrate.quad(integrand, -30, 30, limit=200)
        assert T.kl_divergence(np.array([m]), np.array([lv])) == pytest.approx(reference, abs=1e-8)


def test_kl_is_zero_only_at_the_prior_and_positive_elsewhere():
    assert T.kl_divergence(np.zeros((3, 5)), np.zeros((3, 5))) == pytest.approx(np.zeros(3))
    mu, log_var = RNG.normal(size=(100, 8)), RNG.normal(size=(100, 8))
    assert np.all(T.kl_divergence(mu, log_var) > 0)


def test_source_expression_is_minus_the_kl():
    mu, log_var = RNG.normal(size=(6, 4)), RNG.normal(size=(6, 4))
    # the expression as the source printed it, 1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)
    printed = 0.5 * np.sum(1.0 + log_var - mu**2 - np.exp(log_var), axis=1)
    assert np.allclose(T.source_kl_term(mu, log_var), printed)
    assert np.allclose(T.source_kl_term(mu, log_var), -T.kl_divergence(mu, log_var))
    assert np.all(T.source_kl_term(mu, log_var) <= 0)
    assert isinstance(T.source_kl_term(np.zeros(3), np.zeros(3)), float)


def test_gaussian_log_density_matches_scipy():
    z, mu, log_var = RNG.normal(size=(5, 3)), RNG.normal(size=3), RNG.normal(size=3)
    reference = stats.multivariate_normal(mu, np.diag(np.exp(log_var))).logpdf(z)
    assert np.allclose(T.gaussian_log_density(z, mu, log_var), reference)


def test_kl_estimates_sweep_one_coordinate_at_a_time():
    mu, log_var = np.array([0.0, 1.5, -2.0]), np.array([0.0, -1.0, 0.5])
    kl = T.kl_estimates(mu, log_var, num_samples=50_000, seed=3)
    assert set(kl) == {"closed", "monte_carlo", "standard_error", "source"}
    by_hand = 0.5 * (mu**2 + np.exp(log_var) - 1 - log_var)  # one coordinate each
    assert np.allclose(kl["closed"], by_hand) and np.allclose(kl["source"], -by_hand)
    assert kl["monte_carlo"][0] == pytest.approx(0.0, abs=1e-12)  # q = p: log q - log p = 0 for every z
    assert np.all(np.abs(kl["monte_carlo"] - by_hand) <= 5 * kl["standard_error"] + 1e-12)
    with pytest.raises(ValueError, match="log_var"):
        T.kl_estimates(np.zeros(3), np.zeros(2))


# ---------------------------------------------------------------- reparameterisation


def test_reparameterization_gradients_match_tensorflow():
    import tensorflow as tf

    mu, log_var, eps = (RNG.normal(size=(4, 6)) for _ in range(3))
    weights = RNG.normal(size=(4, 6))  # L = sum(weights * z), so dL/dz = weights
    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        z = mu_t + tf.exp(0.5 * lv_t) * eps
        loss = tf.reduce_sum(weights * z)
    d_mu_tf, d_lv_tf = tape.gradient(loss, [mu_t, lv_t])
    d_mu, d_lv = T.reparameterization_gradients(mu, log_var, eps, weights)
    assert np.allclose(z.numpy(), T.reparameterize(mu, log_var, eps))
    assert np.allclose(d_mu, d_mu_tf.numpy()) and np.allclose(d_lv, d_lv_tf.numpy())


def test_reparameterize_validates_shapes():
    with pytest.raises(ValueError, match="mu and log_var"):
        T.reparameterize(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="eps"):
        T.reparameterize(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(TypeError, match="mu"):
        T.kl_divergence("a", np.zeros(3))


# ---------------------------------------------------------------- the loss and the latent grids


def test_vae_loss_is_alpha_mse_plus_kl():
    X, X_hat = RNG.uniform(size=(4, 2, 2, 1)), RNG.uniform(size=(4, 2, 2, 1))
    mu, log_var = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    by_hand = np.mean(
        [
            100 * np.mean((x - y) ** 2) + 0.5 * np.sum(m**2 + np.exp(v) - 1 - v)
            for x, y, m, v in zip(X, X_hat, mu, log_var)
        ]
    )
    assert T.vae_loss(X, X_hat, mu, log_var, alpha=100) == pytest.approx(by_hand)
    with pytest.raises(ValueError, match="X_hat"):
        T.vae_loss(X, X_hat[:, :1], mu, log_var, alpha=100)
    with pytest.raises(ValueError, match="alpha"):
        T.vae_loss(X, X_hat, mu, log_var, alpha=0)


def test_vae_loss_with_the_sources_rmse():
    X, X_hat = RNG.uniform(size=(3, 2, 3, 2)), RNG.uniform(size=(3, 2, 3, 2))
    mu, log_var = RNG.normal(size=(3, 2)), RNG.normal(size=(3, 2))
    by_hand = np.mean(
        [
            50 * np.sqrt(np.sum((x - y) ** 2) / x.size) + 0.5 * np.sum(m**2 + np.exp(v) - 1 - v)
            for x, y, m, v in zip(X, X_hat, mu, log_var)
        ]
    )
    assert T.vae_loss(X, X_hat, mu, log_var, alpha=50, reconstruction="rmse") == pytest.approx(by_hand)
    with pytest.raises(ValueError, match="reconstruction"):
        T.vae_loss(X, X_hat, mu, log_var, alpha=50, reconstruction="l1")
