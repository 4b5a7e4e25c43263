"""Chapter 6 exercises: the reparameterisation, the KL term, the sampling layer's backward pass and
the VAE loss."""

from coursework_lib.maths.vae_theory import kl_divergence, reparameterization_gradients, reparameterize, vae_loss

from .core import Exercise, register


def _latents(rng, batch, dim):
    return rng.normal(0, 1.5, size=(batch, dim)), rng.normal(0, 1.0, size=(batch, dim))


def _reparameterize_cases(rng):
    cases = []
    for batch, dim in ((1, 2), (4, 3), (6, 5)):
        mu, log_var = _latents(rng, batch, dim)
        cases.append((mu, log_var, rng.standard_normal((batch, dim))))
    return cases


register(
    Exercise(id="ch06-reparameterize", graded="reparameterize", reference=reparameterize, cases=_reparameterize_cases)
)


def _kl_cases(rng):
    cases = [_latents(rng, batch, dim) for batch, dim in ((1, 1), (5, 2), (3, 8))]
    batch, dim = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    cases.append((rng.normal(0, 1e-3, (batch, dim)), rng.normal(0, 1e-3, (batch, dim))))  # near the prior: KL ~ 0
    return cases


register(Exercise(id="ch06-kl-divergence", graded="kl_divergence", reference=kl_divergence, cases=_kl_cases))


def _sampling_backward_cases(rng):
    cases = []
    for batch, dim in ((1, 2), (4, 3), (3, 6)):
        mu, log_var = _latents(rng, batch, dim)
        cases.append((mu, log_var, rng.standard_normal((batch, dim)), rng.normal(size=(batch, dim))))
    return cases


register(
    Exercise(
        id="ch06-sampling-backward",
        graded="reparameterization_gradients",
        reference=reparameterization_gradients,
        cases=_sampling_backward_cases,
    )
)


def _loss_cases(rng):
    cases = []
    for batch, shape, dim, alpha in ((2, (4, 4, 1), 2, 100.0), (3, (3, 3, 3), 4, 1000.0), (5, (2, 2, 3), 3, 1.0)):
        X, X_hat = rng.uniform(size=(batch, *shape)), rng.uniform(size=(batch, *shape))
        mu, log_var = _latents(rng, batch, dim)
        cases.append((X, X_hat, mu, log_var, alpha))
    return cases


register(Exercise(id="ch06-vae-loss", graded="vae_loss", reference=vae_loss, cases=_loss_cases))
