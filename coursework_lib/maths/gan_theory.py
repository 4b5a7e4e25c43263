"""The theory of generative adversarial networks (chapter 7) in NumPy: the losses, the optimal
discriminator, and a one-dimensional GAN small enough to differentiate by hand.

Conventions: the discriminator returns **logits** l (any real number), D(x) = sigmoid(l) is its
probability that x is real. The losses, written with softplus(t) = log(1 + e^t) so that no sigmoid is
ever rounded to 0 or 1::

    discriminator:              L_D = mean softplus(-l_real) + mean softplus(l_fake)
    generator (non-saturating): L_G = mean softplus(-l_fake)            = -mean log D(G(z))
    generator (minimax):        L_G = -mean softplus(l_fake)            =  mean log(1 - D(G(z)))

These are binary cross-entropies from logits with labels 1 for real and 0 for fake (the discriminator)
or 1 for fake (the non-saturating generator), which is how the source wrote them with Keras; the Keras
training step is :func:`coursework_lib.training.gan_steps.make_train_step`.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int


# ----------------------------------------------------------------------------------------------------
# the losses (float64)
def softplus(t) -> np.ndarray:
    """log(1 + e^t), elementwise, without overflow for large |t|. Any shape -> same shape, float64."""
    return np.logaddexp(0.0, np.asarray(t, dtype=np.float64))


def _logits(value, name: str) -> np.ndarray:
    logits = as_float_array(value, name, ndim=(1, 2))
    if logits.ndim == 2 and logits.shape[1] != 1:
        raise ValueError(f"{name} must have shape (n,) or (n, 1), got {logits.shape}")
    if logits.size == 0:
        raise ValueError(f"{name} must hold at least one logit")
    return logits.reshape(-1)


def discriminator_loss(real_logits, fake_logits) -> float:
    """L_D = mean softplus(-l_real) + mean softplus(l_fake). Logits (n,) or (n, 1); the two batches
    may differ in size. Equals BCE(1, real) + BCE(0, fake) from logits."""
    real, fake = _logits(real_logits, "real_logits"), _logits(fake_logits, "fake_logits")
    return float(softplus(-real).mean() + softplus(fake).mean())


def generator_loss(fake_logits) -> float:
    """The non-saturating generator loss L_G = mean softplus(-l_fake) = -mean log D(G(z)).
    Logits (n,) or (n, 1). Its gradient stays large while the discriminator wins (l_fake << 0)."""
    return float(softplus(-_logits(fake_logits, "fake_logits")).mean())


def minimax_generator_loss(fake_logits) -> float:
    """The generator's side of the minimax game, mean log(1 - D(G(z))) = -mean softplus(l_fake).
    Logits (n,) or (n, 1). Its gradient vanishes exactly when the generator is losing badly: it saturates."""
    return float(-softplus(_logits(fake_logits, "fake_logits")).mean())


def generator_loss_curves(num_points: int = 400) -> dict:
    """Both generator losses of one fake, and the size of their slopes with respect to its logit l,
    at ``num_points`` values of D(G(z)) evenly spaced in [0.001, 0.999].

    Returns a dict of (num_points,) float64 arrays: ``d`` (the values of D(G(z))), ``minimax``
    (log(1 - d)), ``non_saturating`` (-log d), and ``minimax_slope`` = |d minimax / dl| = sigmoid(l) = d
    and ``non_saturating_slope`` = |d non_saturating / dl| = sigmoid(-l) = 1 - d (the derivative of
    softplus is the sigmoid). The slope with respect to the logit is what is back-propagated into the
    generator: the minimax one vanishes where the discriminator rejects the fakes (d -> 0).
    """
    d = np.linspace(1e-3, 1 - 1e-3, check_positive_int(num_points, "num_points"))
    logits = np.log(d) - np.log1p(-d)
    return {
        "d": d,
        "minimax": -softplus(logits),
        "non_saturating": softplus(-logits),
        "minimax_slope": d.copy(),
        "non_saturating_slope": 1.0 - d,
    }


# ----------------------------------------------------------------------------------------------------
# the best discriminator for a fixed generator
def optimal_discriminator(p_data, p_model) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_model(x)) for densities evaluated at the same points (any
    shape, non-negative, not both zero) -> the same shape, float64."""
    p_data = as_float_array(p_data, "p_data")
    p_model = as_float_array(p_model, "p_model")
    if p_data.shape != p_model.shape:
        raise ValueError(f"p_data and p_model must have the same shape, got {p_data.shape} and {p_model.shape}")
    if (p_data < 0).any() or (p_model < 0).any():
        raise ValueError("densities must be non-negative")
    total = p_data + p_model
    if (total == 0).any():
        raise ValueError("p_data + p_model must be positive at every point")
    return p_data / total


def _normal_pdf(x, mean: float, std: float) -> np.ndarray:
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2 * np.pi))


def optimal_discriminator_example(num_points: int = 500) -> dict:
    """The chapter's picture of D*: a data density with two bumps, 0.5 N(-1, 0.6²) + 0.5 N(2.5, 0.8²),
    a model density with one, N(1, 1.2²), and :func:`optimal_discriminator` of the two, on
    ``num_points`` points evenly spaced in [-4, 6].

    Returns a dict of (num_points,) float64 arrays ``x``, ``p_data``, ``p_model`` and ``d_star``.
    """
    x = np.linspace(-4, 6, check_positive_int(num_points, "num_points"))
    p_data = 0.5 * _normal_pdf(x, -1.0, 0.6) + 0.5 * _normal_pdf(x, 2.5, 0.8)
    p_model = _normal_pdf(x, 1.0, 1.2)
    return {"x": x, "p_data": p_data, "p_model": p_model, "d_star": optimal_discriminator(p_data, p_model)}


# ----------------------------------------------------------------------------------------------------
# a GAN in one dimension: generator x = a z + b, discriminator logit l = w x + c
def linear_gan_gradients(params, real, z) -> np.ndarray:
    """Gradients of the 1-D GAN with generator G(z) = a·z + b and discriminator logit l(x) = w·x + c.

    params: (a, b, w, c); real: (n,) data samples; z: (m,) noise samples. Returns (4,) float64:
    (dL_G/da, dL_G/db, dL_D/dw, dL_D/dc), with L_D the discriminator loss and L_G the non-saturating
    generator loss above. With s = sigmoid::

        dL_D/dw = mean(-s(-l_real)·x_real) + mean(s(l_fake)·x_fake)
        dL_D/dc = mean(-s(-l_real))        + mean(s(l_fake))
        dL_G/da = mean(-s(-l_fake)·w·z),   dL_G/db = mean(-s(-l_fake)·w)
    """
    a, b, w, c = _linear_params(params)
    real = as_float_array(real, "real", ndim=1)
    z = as_float_array(z, "z", ndim=1)
    if real.size == 0 or z.size == 0:
        raise ValueError("real and z must hold at least one sample each")
    fake = a * z + b
    l_real, l_fake = w * real + c, w * fake + c
    s_real = 1.0 / (1.0 + np.exp(np.clip(l_real, -500, 500)))  # s(-l_real)
    s_fake = 1.0 / (1.0 + np.exp(-np.clip(l_fake, -500, 500)))  # s(l_fake)
    dw = np.mean(-s_real * real) + np.mean(s_fake * fake)
    dc = np.mean(-s_real) + np.mean(s_fake)
    dG_dfake = -(1.0 - s_fake) * w  # -s(-l_fake)·w
    return np.array([np.mean(dG_dfake * z), np.mean(dG_dfake), dw, dc])


def linear_gan_step(params, real, z, learning_rate: float = 0.1) -> np.ndarray:
    """One simultaneous gradient-descent step of the 1-D GAN: both players use the gradients at the
    current parameters (as the two-tape training step does). (a, b, w, c) -> new (4,) float64."""
    lr = check_finite_number(learning_rate, "learning_rate", positive=True)
    return _linear_params(params) - lr * linear_gan_gradients(params, real, z)


def _linear_params(params) -> np.ndarray:
    params = as_float_array(params, "params", ndim=1)
    if params.shape != (4,):
        raise ValueError(f"params must be (a, b, w, c), shape (4,), got {params.shape}")
    return params


def linear_gan_trajectory(
    params,
    real_mean: float = 2.0,
    real_std: float = 0.5,
    steps: int = 200,
    batch_size: int = 256,
    learning_rate: float = 0.1,
    seed: int = 0,
) -> np.ndarray:
    """Train the 1-D GAN on N(real_mean, real_std²) data from ``params`` (a, b, w, c); returns
    (steps + 1, 4) float64 params after each step (row 0 is the start). Shows the rotation of
    simultaneous gradient play."""
    steps, batch_size = check_positive_int(steps, "steps"), check_positive_int(batch_size, "batch_size")
    rng = np.random.default_rng(seed)
    history = [_linear_params(params).copy()]
    for _ in range(steps):
        real = rng.normal(real_mean, real_std, batch_size)
        history.append(linear_gan_step(history[-1], real, rng.standard_normal(batch_size), learning_rate))
    return np.stack(history)
