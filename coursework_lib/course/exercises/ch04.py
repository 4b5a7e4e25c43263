"""Chapter 4 exercises: a momentum step, bias correction, and an Adam step (Keras' form)."""

from coursework_lib.maths.optimizers import adam_step, bias_correction, momentum_step

from .core import Exercise, register


def momentum_update(params, grad, velocity, lr, momentum):
    """Reference: ``v ← μ v − lr g``, ``θ ← θ + v``; returns ``(new_params, new_velocity)``."""
    new_params, state = momentum_step(params, grad, {"velocity": velocity}, lr=lr, momentum=momentum)
    return new_params, state["velocity"]


def adam_update(params, grad, m, v, t, lr, beta_1, beta_2, epsilon):
    """Reference: Adam's step number ``t`` (≥ 1) from moments ``m``, ``v`` of step t − 1, in Keras' form
    ``θ ← θ − lr sqrt(1−β2^t)/(1−β1^t) · m / (sqrt(v) + ε)``; returns ``(new_params, new_m, new_v)``."""
    new_params, state = adam_step(
        params, grad, {"m": m, "v": v, "t": int(t) - 1}, lr=lr, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon
    )
    return new_params, state["m"], state["v"]


def _momentum_cases(rng):
    cases = []
    for shape, lr, mu in (((3,), 0.1, 0.9), ((2, 4), 0.01, 0.5), ((5,), 0.3, 0.0)):
        cases.append((rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape), lr, mu))
    return cases


def _bias_cases(rng):
    return [
        (rng.normal(size=(4,)), 0.9, 1),
        (rng.uniform(0, 2, size=(2, 3)), 0.999, 10),
        (rng.normal(size=(3,)), 0.5, 3),
    ]


def _adam_cases(rng):
    cases = []
    for shape, t, lr, b1, b2, eps in (
        ((3,), 1, 0.001, 0.9, 0.999, 1e-7),
        ((2, 3), 5, 0.01, 0.8, 0.99, 1e-2),
        ((4,), 100, 0.1, 0.5, 0.9, 1e-3),
    ):
        m = rng.normal(size=shape) * (t > 1)
        v = rng.uniform(0.1, 2.0, size=shape) * (t > 1)
        cases.append((rng.normal(size=shape), rng.normal(size=shape), m, v, t, lr, b1, b2, eps))
    return cases


register(Exercise(id="ch04-momentum", graded="momentum_update", reference=momentum_update, cases=_momentum_cases))
register(Exercise(id="ch04-bias-correction", graded="bias_correction", reference=bias_correction, cases=_bias_cases))
register(Exercise(id="ch04-adam", graded="adam_update", reference=adam_update, cases=_adam_cases))

__all__ = ["adam_update", "bias_correction", "momentum_update"]
