"""Two-dimensional test surfaces for optimizers: values, gradients, and optimizer trajectories.

Three surfaces, each a :class:`Surface` in ``SURFACES``:

- ``"quadratic"``: the ill-conditioned bowl ``f = ½ (x² + κ y²)`` rotated by 30°, condition number κ = 20;
- ``"rosenbrock"``: ``f = (1 − x)² + 100 (y − x²)²``, a curved, flat-bottomed valley, minimum at (1, 1);
- ``"saddle"``: ``f = x² + y⁴/4 − y²/2``, a saddle point at (0, 0) between minima at (0, ±1).

``value(P)`` and ``gradient(P)`` take points ``P`` of shape (..., 2) (a single point (2,), a trajectory
(n, 2) or a grid (h, w, 2)) and return shape (...) and (..., 2), float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from coursework_lib.core.validation import as_float_array, check_choice, check_finite_number
from coursework_lib.maths.optimizers import run_optimizer, select_hyperparameters

CONDITION_NUMBER = 20.0
ROTATION = np.deg2rad(30.0)


def _points(P) -> np.ndarray:
    P = as_float_array(P, "P").astype(np.float64, copy=False)
    if P.ndim == 0 or P.shape[-1] != 2:
        raise ValueError(f"P must have shape (..., 2) (points in the plane), got {P.shape}")
    return P


def quadratic_matrix(condition_number: float = CONDITION_NUMBER, angle: float = ROTATION) -> np.ndarray:
    """``A = R diag(1, κ) Rᵀ`` (2, 2), R the rotation by ``angle`` radians: eigenvalues 1 and κ."""
    kappa = check_finite_number(condition_number, "condition_number", positive=True)
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    return R @ np.diag([1.0, kappa]) @ R.T


def quadratic_value(P, A=None) -> np.ndarray:
    """``f(p) = ½ pᵀ A p`` for points P (..., 2); default A = :func:`quadratic_matrix`."""
    P = _points(P)
    A = quadratic_matrix() if A is None else as_float_array(A, "A", shape=(2, 2))
    return 0.5 * np.einsum("...i,ij,...j->...", P, A, P)


def quadratic_gradient(P, A=None) -> np.ndarray:
    """``∇f(p) = A p`` (A symmetric) for points P (..., 2) -> (..., 2)."""
    P = _points(P)
    A = quadratic_matrix() if A is None else as_float_array(A, "A", shape=(2, 2))
    return P @ A.T


def rosenbrock_value(P, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    """``f(x, y) = (a − x)² + b (y − x²)²`` for points P (..., 2); minimum 0 at (a, a²)."""
    P = _points(P)
    x, y = P[..., 0], P[..., 1]
    return (a - x) ** 2 + b * (y - x**2) ** 2


def rosenbrock_gradient(P, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    """``(−2(a − x) − 4 b x (y − x²), 2 b (y − x²))`` for points P (..., 2) -> (..., 2)."""
    P = _points(P)
    x, y = P[..., 0], P[..., 1]
    return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)


def saddle_value(P) -> np.ndarray:
    """``f(x, y) = x² + y⁴/4 − y²/2``: saddle at (0, 0) (f = 0), minima at (0, ±1) (f = −¼)."""
    P = _points(P)
    x, y = P[..., 0], P[..., 1]
    return x**2 + 0.25 * y**4 - 0.5 * y**2


def saddle_gradient(P) -> np.ndarray:
    """``(2x, y³ − y)`` for points P (..., 2) -> (..., 2)."""
    P = _points(P)
    x, y = P[..., 0], P[..., 1]
    return np.stack([2 * x, y**3 - y], axis=-1)


@dataclass(frozen=True)
class Surface:
    """A test surface with what a plot and a default experiment need.

    start: the default starting point (2,); minima: tuple of global minimisers; xlim/ylim: plot window;
    levels: contour levels for plots (None lets matplotlib choose); log_levels: draw contours of
    log(f - f_min + 1e-3) instead (for surfaces with a huge range, like Rosenbrock).
    """

    name: str
    title: str
    value: Callable
    gradient: Callable
    start: tuple
    minima: tuple
    min_value: float
    xlim: tuple
    ylim: tuple
    log_levels: bool = False
    default_hyper: dict = field(default_factory=dict)


SURFACES = {
    "quadratic": Surface(
        "quadratic",
        f"ill-conditioned quadratic (κ = {CONDITION_NUMBER:g})",
        quadratic_value,
        quadratic_gradient,
        start=(-2.0, 1.5),
        minima=((0.0, 0.0),),
        min_value=0.0,
        xlim=(-2.5, 2.5),
        ylim=(-2.0, 2.0),
        default_hyper={"lr": 0.08, "num_steps": 60},
    ),
    "rosenbrock": Surface(
        "rosenbrock",
        "Rosenbrock valley",
        rosenbrock_value,
        rosenbrock_gradient,
        start=(-1.5, 2.0),
        minima=((1.0, 1.0),),
        min_value=0.0,
        xlim=(-2.0, 2.0),
        ylim=(-1.0, 3.0),
        log_levels=True,
        default_hyper={"lr": 0.001, "num_steps": 400},
    ),
    "saddle": Surface(
        "saddle",
        "saddle point at (0, 0)",
        saddle_value,
        saddle_gradient,
        start=(1.5, 1e-3),
        minima=((0.0, 1.0), (0.0, -1.0)),
        min_value=-0.25,
        xlim=(-2.0, 2.0),
        ylim=(-1.6, 1.6),
        default_hyper={"lr": 0.1, "num_steps": 80},
    ),
}


def get_surface(name: str) -> Surface:
    """The :class:`Surface` called ``name`` (one of ``SURFACES``)."""
    return SURFACES[check_choice(name, "name", SURFACES)]


def trajectory(surface: str, optimizer: str, *, start=None, num_steps: int | None = None, **hyper):
    """Run ``optimizer`` on ``surface`` and return ``(path (n+1, 2), losses (n+1,))``.

    start: default the surface's start; num_steps and lr: default the surface's ``default_hyper``.
    Other keyword arguments (momentum, beta_1, beta_2, rho, ...) go to the optimizer's step; those it
    does not accept are ignored, so one set of slider values can drive every optimizer.
    """
    s = get_surface(surface)
    start = s.start if start is None else start
    num_steps = s.default_hyper["num_steps"] if num_steps is None else num_steps
    hyper.setdefault("lr", s.default_hyper["lr"])
    path = run_optimizer(optimizer, s.gradient, start, num_steps, **select_hyperparameters(optimizer, **hyper))
    with np.errstate(over="ignore", invalid="ignore"):
        losses = s.value(np.where(np.isfinite(path), path, 0.0))
    losses = np.where(np.all(np.isfinite(path), axis=1), losses, np.nan)
    return path, losses


def learning_rate_runs(surface: str, optimizers, learning_rates, *, num_steps: int | None = None, **hyper) -> dict:
    """:func:`trajectory` for every optimizer at every learning rate:
    ``{(optimizer, lr): (path (n+1, 2), losses (n+1,))}``, in the order given."""
    return {
        (name, float(lr)): trajectory(
            surface, name, lr=check_finite_number(lr, "lr", positive=True), num_steps=num_steps, **hyper
        )
        for name in optimizers
        for lr in learning_rates
    }


def steps_to_reach(losses, min_value: float, tolerance: float) -> int | None:
    """First step k with ``losses[k] − min_value ≤ tolerance`` (None if never), from a trajectory's losses."""
    losses = np.asarray(losses, dtype=np.float64)
    hit = np.flatnonzero(np.nan_to_num(losses - min_value, nan=np.inf) <= tolerance)
    return int(hit[0]) if hit.size else None


def grid(surface: str, num: int = 200):
    """``(X, Y, F)`` on the surface's plot window: meshgrids (num, num) and values (num, num)."""
    s = get_surface(surface)
    X, Y = np.meshgrid(np.linspace(*s.xlim, num), np.linspace(*s.ylim, num))
    return X, Y, s.value(np.stack([X, Y], axis=-1))


def tune_learning_rate(surface: str, optimizer: str, learning_rates, *, num_steps: int | None = None, **hyper):
    """The learning rate from ``learning_rates`` with the lowest final ``f − f_min`` (diverged runs lose).

    Returns ``(best_lr, {lr: final gap})``. Used to race optimizers fairly: each at its own best rate.
    """
    s = get_surface(surface)
    gaps = {}
    for lr in learning_rates:
        _, losses = trajectory(
            surface, optimizer, lr=check_finite_number(lr, "lr", positive=True), num_steps=num_steps, **hyper
        )
        gap = losses[-1] - s.min_value
        gaps[float(lr)] = float(gap) if np.isfinite(gap) else np.inf
    return min(gaps, key=gaps.get), gaps
