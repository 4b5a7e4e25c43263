"""Chapter 7 exercises: the discriminator's loss, the non-saturating generator loss, and one
simultaneous training step of the one-dimensional GAN."""

import numpy as np

from coursework_lib.maths.gan_theory import discriminator_loss, generator_loss, linear_gan_step

from .core import Exercise, register


def _logit_pairs(rng):
    n, c = int(rng.integers(2, 8)), rng.normal(0, 2)
    cases = [(np.full(n, c), np.full(n, c))]  # the same logit everywhere: a closed form
    for n_real, n_fake, scale in ((5, 5, 1.0), (8, 3, 4.0), (6, 6, 40.0)):  # 40: sigmoid saturates
        cases.append((rng.normal(0, scale, n_real), rng.normal(0, scale, n_fake)))
    cases.append((rng.normal(0, 2, (7, 1)), rng.normal(0, 2, (7, 1))))  # Keras-shaped (n, 1) logits
    signs = rng.permutation([-1.0, -1.0, 1.0, 1.0])  # logits of about ±800, as the exercise promises
    cases.append((signs * rng.uniform(720, 900, 4), rng.permutation(signs) * rng.uniform(720, 900, 4)))
    return cases


register(
    Exercise(
        id="ch07-discriminator-loss", graded="discriminator_loss", reference=discriminator_loss, cases=_logit_pairs
    )
)


def _fake_logits(rng):
    return [
        (np.full(int(rng.integers(2, 8)), rng.normal(0, 2)),),
        (rng.normal(0, 1, 6),),
        (rng.normal(-30, 5, 5),),
        (rng.normal(0, 3, (4, 1)),),
    ]


register(Exercise(id="ch07-generator-loss", graded="generator_loss", reference=generator_loss, cases=_fake_logits))


def _linear_gan_inputs(rng):
    cases = []
    for n, lr in ((4, 0.1), (16, 0.05), (9, 1.0)):
        params = np.array([rng.uniform(0.5, 1.5), rng.normal(), rng.normal(), rng.normal()])
        cases.append((params, rng.normal(2.0, 0.5, n), rng.standard_normal(n), lr))
    return cases


register(
    Exercise(
        id="ch07-linear-gan-step",
        graded="linear_gan_step",
        reference=linear_gan_step,
        cases=_linear_gan_inputs,
        rtol=1e-7,
        atol=1e-10,
    )
)
