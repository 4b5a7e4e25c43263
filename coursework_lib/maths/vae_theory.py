"""The maths of a variational autoencoder in NumPy: reparameterisation, the KL term, the loss.

Notation: an encoder maps an image ``X`` to the mean ``mu`` and the log-variance ``log_var`` of a
diagonal Gaussian q(z | x) = N(mu, diag(exp(log_var))); the reparameterisation draws
``z = mu + exp(log_var / 2) * eps`` with ``eps ~ N(0, I)``; a decoder maps ``z`` back to an image.

The loss is the weighted form

    loss = alpha * reconstruction + KL(q(z | x) || N(0, I)),

with ``reconstruction`` either each image's per-pixel mean squared error (the Gaussian-likelihood form,
which the ELBO gives) or its square root, the RMSE, which is what the source report trains on
("alpha * RMSE + KL"), and the KL term in closed form

    KL = 1/2 * sum_j (mu_j^2 + sigma_j^2 - 1 - log sigma_j^2)  >= 0.

The source wrote ``1/2 * sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)`` and called it the KL: that is
*minus* the KL (:func:`source_kl_term`), a quantity that is never positive. Minimising it would push the
posterior *away* from the prior; the source's code subtracted it, which is the same as adding the KL.

These functions are the reference maths (and the exercises' answers); the Keras layer and model that
train with the same formulas are in :mod:`coursework_lib.models.vae`.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int


def _mu_log_var(mu, log_var):
    mu = as_float_array(mu, "mu", ndim=(1, 2))
    log_var = as_float_array(log_var, "log_var", ndim=(1, 2))
    if mu.shape != log_var.shape:
        raise ValueError(f"mu and log_var must have the same shape, got {mu.shape} and {log_var.shape}")
    return mu, log_var


def reparameterize(mu, log_var, eps):
    """z = mu + exp(log_var / 2) * eps.

    mu, log_var, eps: (batch, latent_dim) or (latent_dim,) float -> z of the same shape, float.
    """
    mu, log_var = _mu_log_var(mu, log_var)
    eps = as_float_array(eps, "eps", shape=mu.shape)
    return mu + np.exp(0.5 * log_var) * eps


def reparameterization_gradients(mu, log_var, eps, dz):
    """Backward pass of the sampling layer: given dL/dz, return (dL/dmu, dL/dlog_var).

    From z = mu + exp(log_var / 2) * eps: dz/dmu = 1 and dz/dlog_var = exp(log_var / 2) * eps / 2.
    All arguments (batch, latent_dim) float -> a tuple of two arrays of that shape.
    """
    mu, log_var = _mu_log_var(mu, log_var)
    eps = as_float_array(eps, "eps", shape=mu.shape)
    dz = as_float_array(dz, "dz", shape=mu.shape)
    return dz.copy(), dz * 0.5 * np.exp(0.5 * log_var) * eps


def kl_divergence(mu, log_var):
    """KL(N(mu, diag(exp(log_var))) || N(0, I)) in closed form, one value per row.

    mu, log_var: (batch, latent_dim) -> (batch,) float, every value >= 0; a 1-D input -> a float.
    This is the book's one NumPy formula of the KL term (``models.vae.kl_divergence_keras`` is the
    same formula on tensors, for gradients).
    """
    mu, log_var = _mu_log_var(mu, log_var)
    kl = 0.5 * np.sum(mu**2 + np.exp(log_var) - 1.0 - log_var, axis=-1)
    return kl if kl.ndim else float(kl)


def source_kl_term(mu, log_var):
    """The source's expression 1/2 * sum(1 + log_var - mu^2 - exp(log_var)), which is -KL (never positive).

    Same shapes as :func:`kl_divergence`; kept to show the sign error, not for training.
    """
    return -kl_divergence(mu, log_var)


def gaussian_log_density(z, mu, log_var):
    """log N(z; mu, diag(exp(log_var))), summed over the last axis. Shapes broadcast; -> (...,)."""
    z = np.asarray(z, dtype=float)
    return -0.5 * np.sum(np.log(2 * np.pi) + log_var + (z - mu) ** 2 / np.exp(log_var), axis=-1)


def kl_monte_carlo(mu, log_var, num_samples: int = 100_000, seed: int = 0):
    """Monte-Carlo estimate of the same KL: the mean of log q(z) - log p(z) over z ~ q.

    mu, log_var: (latent_dim,) -> (estimate, standard_error), two floats. Independent of the closed
    form (it only evaluates two Gaussian densities), so it checks :func:`kl_divergence`.
    """
    mu, log_var = _mu_log_var(mu, log_var)
    if mu.ndim != 1:
        raise ValueError(f"mu must have shape (latent_dim,), got {mu.shape}")
    num_samples = check_positive_int(num_samples, "num_samples")
    eps = np.random.default_rng(seed).standard_normal((num_samples, mu.size))
    z = mu + np.exp(0.5 * log_var) * eps
    log_ratio = gaussian_log_density(z, mu, log_var) - gaussian_log_density(z, 0.0, np.zeros_like(mu))
    return float(log_ratio.mean()), float(log_ratio.std(ddof=1) / np.sqrt(num_samples))


def kl_estimates(mu, log_var, num_samples: int = 20_000, seed: int = 0) -> dict:
    """The KL of each one-dimensional Gaussian N(mu_i, exp(log_var_i)) from N(0, 1), three ways.

    mu, log_var: (n,) float, one coordinate per entry -> a dict of (n,) float arrays: ``closed``
    (:func:`kl_divergence`), ``monte_carlo`` and ``standard_error`` (:func:`kl_monte_carlo`, each
    with ``num_samples`` draws from ``seed``) and ``source`` (:func:`source_kl_term`).
    """
    mu = as_float_array(mu, "mu", ndim=1)
    log_var = as_float_array(log_var, "log_var", shape=mu.shape)
    pairs = [(np.array([m]), np.array([v])) for m, v in zip(mu, log_var)]
    mc = np.array([kl_monte_carlo(m, v, num_samples=num_samples, seed=seed) for m, v in pairs])
    return {
        "closed": np.array([kl_divergence(m, v) for m, v in pairs]),
        "monte_carlo": mc[:, 0],
        "standard_error": mc[:, 1],
        "source": np.array([source_kl_term(m, v) for m, v in pairs]),
    }


def vae_loss(X, X_hat, mu, log_var, alpha: float, reconstruction: str = "mse"):
    """The weighted loss alpha * mean_i(R_i) + mean_i(KL_i), i over the batch.

    X, X_hat: (batch, ...) float of one shape; mu, log_var: (batch, latent_dim) -> float.
    reconstruction: ``"mse"`` (R_i = MSE_i, image i's per-pixel mean squared error, as
    ``evaluation.image_quality.mse_per_image``, which this layer may not import) or ``"rmse"``
    (R_i = sqrt(MSE_i), the source report's loss).
    """
    alpha = check_finite_number(alpha, "alpha", positive=True)
    if reconstruction not in ("mse", "rmse"):
        raise ValueError(f"reconstruction must be 'mse' or 'rmse', got {reconstruction!r}")
    mu, log_var = _mu_log_var(mu, log_var)
    X = as_float_array(X, "X")
    X_hat = as_float_array(X_hat, "X_hat", shape=X.shape)
    if X.ndim < 2:
        raise ValueError(f"X must have a batch axis and at least one more, got shape {X.shape}")
    mse = np.mean((X.astype(np.float64) - X_hat) ** 2, axis=tuple(range(1, X.ndim)))
    term = mse if reconstruction == "mse" else np.sqrt(mse)
    return float(alpha * np.mean(term) + np.mean(kl_divergence(mu, log_var)))
