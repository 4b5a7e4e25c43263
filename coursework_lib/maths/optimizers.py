"""Gradient-based optimizers in NumPy, as pure functions: ``(params, grad, state) -> (params, state)``.

Each optimizer is a pair ``<name>_init(params) -> state`` and
``<name>_step(params, grad, state, **hyper) -> (new_params, new_state)``; nothing is modified in place.
``params`` and ``grad`` are float arrays of any (equal) shape; ``state`` is a dict of arrays (and the
step count ``t`` for Adam).

The update rules are written exactly as Keras 3 (``keras.optimizers``) writes them, so that our
trajectories equal Keras' step by step (``tests/test_optimizers.py``). Where Keras differs from the
textbook form, the docstring says so:

- **momentum** (``SGD(momentum=μ)``): ``v ← μ v − lr g``, ``θ ← θ + v``. The textbook form
  ``v ← μ v + g``, ``θ ← θ − lr v`` gives the same iterates while ``lr`` is constant.
- **Nesterov** (``SGD(momentum=μ, nesterov=True)``): ``v ← μ v − lr g``, ``θ ← θ + μ v − lr g``, with
  ``g`` taken at ``θ``. This is the textbook rule (gradient at the look-ahead point ``θ + μ v``)
  rewritten for the look-ahead variable ``φ = θ + μ v`` (Sutskever et al., 2013).
- **RMSprop**: ``s ← ρ s + (1−ρ) g²``; ``θ ← θ − lr g / sqrt(s + ε)`` — Keras puts ε *inside* the square
  root (the textbook often writes ``sqrt(s) + ε``). With ``centered=True`` the denominator is
  ``sqrt(s − ḡ² + ε)`` with ``ḡ ← ρ ḡ + (1−ρ) g``; with ``momentum=μ > 0`` the increment is
  accumulated: ``m ← μ m + lr g / sqrt(·)``, ``θ ← θ − m``.
- **Adam**: ``m ← m + (1−β1)(g − m)``, ``v ← v + (1−β2)(g² − v)``,
  ``θ ← θ − α_t m / (sqrt(v) + ε)`` with ``α_t = lr sqrt(1−β2^t) / (1−β1^t)``: the bias correction is
  folded into the step size (Kingma & Ba, 2015, end of section 2). The textbook form
  ``θ ← θ − lr m̂ / (sqrt(v̂) + ε)`` with ``m̂ = m/(1−β1^t)``, ``v̂ = v/(1−β2^t)`` is the same rule with
  ``ε`` replaced by ``ε sqrt(1−β2^t)``; ``adam_step(..., textbook_epsilon=True)`` computes that form.

One numerical difference remains, on Keras' side: Keras keeps the learning rate in a float32 variable,
and ``ops.cast(python_float, "float64")`` goes through a float32 tensor, so SGD's ``momentum`` and the
β1, β2 in Adam's powers ``β^t`` are rounded to float32 even for float64 variables (the EMAs' ``1 − β``
and RMSprop's ``ρ`` are not). Our functions use the hyper-parameters exactly; the iterates then differ
from Keras' by about 1e-8 per step (1e-7 after 150 steps on Rosenbrock), and by 1e-15 when we are given
the same float32-rounded values (see ``tests/test_optimizers.py``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int


def _check_pair(params, grad):
    params = as_float_array(params, "params")
    grad = as_float_array(grad, "grad", shape=params.shape)
    return params, grad


def _check_fraction(value, name: str, *, allow_zero: bool = True) -> float:
    value = check_finite_number(value, name)
    if not (0.0 <= value < 1.0) or (value == 0.0 and not allow_zero):
        raise ValueError(f"{name} must lie in {'[0, 1)' if allow_zero else '(0, 1)'}, got {value!r}")
    return value


def _check_state(state, keys, params):
    if not isinstance(state, dict) or any(k not in state for k in keys):
        raise TypeError(
            f"state must be a dict with keys {sorted(keys)} (from the matching *_init), "
            f"got {state if not isinstance(state, dict) else sorted(state)!r}"
        )
    for k in keys:
        if k != "t":
            as_float_array(state[k], f"state[{k!r}]", shape=params.shape)


# --- gradient descent and (mini-batch) SGD ---------------------------------------------------------


def gd_init(params) -> dict:
    """Plain gradient descent keeps no state: returns ``{}``."""
    as_float_array(params, "params")
    return {}


def gd_step(params, grad, state=None, *, lr: float = 0.01):
    """One gradient-descent step ``θ ← θ − lr g``; returns ``(new_params, state)``.

    params, grad: float arrays of equal shape. Used with the full-batch gradient this is gradient
    descent; with the gradient of a random mini-batch it is (mini-batch) stochastic gradient descent —
    the rule is the same, only the gradient passed in differs (see :func:`minibatch_indices`).
    Keras: ``SGD(learning_rate=lr)`` (momentum 0).
    """
    params, grad = _check_pair(params, grad)
    lr = check_finite_number(lr, "lr", positive=True)
    return params - lr * grad, ({} if state is None else state)


sgd_init, sgd_step = gd_init, gd_step


def minibatch_indices(num_examples: int, batch_size: int, rng: np.random.Generator):
    """One epoch of mini-batches: a list of index arrays covering a random permutation of
    ``range(num_examples)``, each of length ``batch_size`` (the last may be shorter)."""
    num_examples = check_positive_int(num_examples, "num_examples")
    batch_size = check_positive_int(batch_size, "batch_size")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    order = rng.permutation(num_examples)
    return [order[i : i + batch_size] for i in range(0, num_examples, batch_size)]


# --- momentum and Nesterov momentum -----------------------------------------------------------------


def momentum_init(params) -> dict:
    """Velocity ``v = 0`` of the same shape as ``params``."""
    return {"velocity": np.zeros_like(as_float_array(params, "params"))}


def momentum_step(params, grad, state, *, lr: float = 0.01, momentum: float = 0.9):
    """Heavy-ball momentum as Keras writes it: ``v ← μ v − lr g``, ``θ ← θ + v``.

    Returns ``(new_params, {"velocity": v})``. Keras: ``SGD(learning_rate=lr, momentum=μ)``.
    """
    params, grad = _check_pair(params, grad)
    _check_state(state, ("velocity",), params)
    lr = check_finite_number(lr, "lr", positive=True)
    mu = _check_fraction(momentum, "momentum")
    velocity = mu * state["velocity"] - lr * grad
    return params + velocity, {"velocity": velocity}


nesterov_init = momentum_init


def nesterov_step(params, grad, state, *, lr: float = 0.01, momentum: float = 0.9):
    """Nesterov momentum in Keras' form: ``v ← μ v − lr g``, ``θ ← θ + μ v − lr g``.

    ``θ`` here is the look-ahead point of the textbook rule, whose gradient ``g`` is then evaluated at
    the point it steps from. Keras: ``SGD(learning_rate=lr, momentum=μ, nesterov=True)``.
    """
    params, grad = _check_pair(params, grad)
    _check_state(state, ("velocity",), params)
    lr = check_finite_number(lr, "lr", positive=True)
    mu = _check_fraction(momentum, "momentum")
    velocity = mu * state["velocity"] - lr * grad
    return params + mu * velocity - lr * grad, {"velocity": velocity}


# --- RMSprop ----------------------------------------------------------------------------------------


def rmsprop_init(params) -> dict:
    """Running mean of g² (``mean_square``), of g (``mean_grad``, used if centred), and the
    accumulated increment (``moment``, used if momentum > 0); all zeros shaped like ``params``."""
    zeros = np.zeros_like(as_float_array(params, "params"))
    return {"mean_square": zeros, "mean_grad": zeros.copy(), "moment": zeros.copy()}


def rmsprop_step(
    params,
    grad,
    state,
    *,
    lr: float = 0.001,
    rho: float = 0.9,
    momentum: float = 0.0,
    epsilon: float = 1e-7,
    centered: bool = False,
):
    """RMSprop exactly as ``keras.optimizers.RMSprop(learning_rate, rho, momentum, epsilon, centered)``.

    ``s ← ρ s + (1−ρ) g²``; denominator ``d = sqrt(s + ε)`` (ε inside the root), or, if centred,
    ``ḡ ← ρ ḡ + (1−ρ) g`` and ``d = sqrt(s − ḡ² + ε)``; increment ``u = lr g / d``;
    with momentum μ > 0: ``m ← μ m + u``, ``θ ← θ − m``; else ``θ ← θ − u``.
    """
    params, grad = _check_pair(params, grad)
    _check_state(state, ("mean_square", "mean_grad", "moment"), params)
    lr = check_finite_number(lr, "lr", positive=True)
    rho = _check_fraction(rho, "rho")
    mu = _check_fraction(momentum, "momentum")
    epsilon = check_finite_number(epsilon, "epsilon", positive=True)
    mean_square = rho * state["mean_square"] + (1 - rho) * np.square(grad)
    mean_grad = state["mean_grad"]
    if centered:
        mean_grad = rho * mean_grad + (1 - rho) * grad
        denominator = mean_square - np.square(mean_grad) + epsilon
    else:
        denominator = mean_square + epsilon
    increment = lr * grad / np.sqrt(denominator)
    moment = state["moment"]
    if mu > 0:
        moment = mu * moment + increment
        new_params = params - moment
    else:
        new_params = params - increment
    return new_params, {"mean_square": mean_square, "mean_grad": mean_grad, "moment": moment}


# --- Adam -------------------------------------------------------------------------------------------


def bias_correction(moment, beta: float, t: int):
    """Bias-corrected moment estimate ``moment / (1 − beta**t)`` (t ≥ 1 is the step number).

    An exponential moving average started at 0 is biased towards 0 by the factor ``1 − beta**t``;
    dividing by it gives an unbiased estimate when the gradients are stationary.
    """
    moment = as_float_array(moment, "moment")
    beta = _check_fraction(beta, "beta")
    t = check_positive_int(t, "t")
    return moment / (1.0 - beta**t)


def constant_gradient_moments(beta: float, num_steps: int, value: float = 1.0):
    """An exponential moving average ``m_t = beta m_{t-1} + (1 - beta) g`` of a constant gradient ``g =
    value``, started at ``m_0 = 0``, and its bias-corrected version: returns ``(m, m_hat)``, each (num_steps,),
    for t = 1 .. num_steps. In closed form ``m_t = value (1 - beta**t)`` and ``m_hat_t = value``."""
    beta = _check_fraction(beta, "beta")
    num_steps = check_positive_int(num_steps, "num_steps")
    value = check_finite_number(value, "value")
    m, moments, corrected = 0.0, [], []
    for t in range(1, num_steps + 1):
        m = beta * m + (1.0 - beta) * value
        moments.append(m)
        corrected.append(float(bias_correction(np.array(m), beta, t)))
    return np.array(moments), np.array(corrected)


def adam_init(params) -> dict:
    """First moment ``m = 0``, second moment ``v = 0`` (shaped like ``params``) and step count ``t = 0``."""
    zeros = np.zeros_like(as_float_array(params, "params"))
    return {"m": zeros, "v": zeros.copy(), "t": 0}


def adam_step(
    params,
    grad,
    state,
    *,
    lr: float = 0.001,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
    textbook_epsilon: bool = False,
):
    """One Adam step with bias correction; returns ``(new_params, {"m", "v", "t"})``.

    ``t ← t + 1``; ``m ← m + (1−β1)(g − m)``; ``v ← v + (1−β2)(g² − v)``. Then Keras' form
    (default): ``θ ← θ − α_t m / (sqrt(v) + ε)`` with ``α_t = lr sqrt(1−β2^t)/(1−β1^t)``, as
    ``keras.optimizers.Adam(learning_rate, beta_1, beta_2, epsilon)``. With ``textbook_epsilon=True``:
    ``θ ← θ − lr m̂ / (sqrt(v̂) + ε)`` using :func:`bias_correction`, which differs only in where ε sits.
    """
    params, grad = _check_pair(params, grad)
    _check_state(state, ("m", "v", "t"), params)
    lr = check_finite_number(lr, "lr", positive=True)
    beta_1 = _check_fraction(beta_1, "beta_1")
    beta_2 = _check_fraction(beta_2, "beta_2")
    epsilon = check_finite_number(epsilon, "epsilon", positive=True)
    t = int(state["t"]) + 1
    m = state["m"] + (1 - beta_1) * (grad - state["m"])
    v = state["v"] + (1 - beta_2) * (np.square(grad) - state["v"])
    if textbook_epsilon:
        m_hat, v_hat = bias_correction(m, beta_1, t), bias_correction(v, beta_2, t)
        new_params = params - lr * m_hat / (np.sqrt(v_hat) + epsilon)
    else:
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        new_params = params - alpha * m / (np.sqrt(v) + epsilon)
    return new_params, {"m": m, "v": v, "t": t}


# --- registry and trajectories ----------------------------------------------------------------------

OPTIMIZERS: dict[str, tuple[Callable, Callable]] = {
    "gd": (gd_init, gd_step),
    "momentum": (momentum_init, momentum_step),
    "nesterov": (nesterov_init, nesterov_step),
    "rmsprop": (rmsprop_init, rmsprop_step),
    "adam": (adam_init, adam_step),
}

# The hyper-parameters each optimizer's step accepts (the explorer ignores the others).
HYPERPARAMETERS = {
    "gd": ("lr",),
    "momentum": ("lr", "momentum"),
    "nesterov": ("lr", "momentum"),
    "rmsprop": ("lr", "rho", "momentum", "epsilon", "centered"),
    "adam": ("lr", "beta_1", "beta_2", "epsilon", "textbook_epsilon"),
}


def get_optimizer(name: str):
    """``(init, step)`` for ``name`` in ``OPTIMIZERS``; raises ValueError listing the names."""
    if name not in OPTIMIZERS:
        raise ValueError(f"name must be one of {sorted(OPTIMIZERS)}, got {name!r}")
    return OPTIMIZERS[name]


def select_hyperparameters(name: str, **hyper) -> dict:
    """Keep only the entries of ``hyper`` that optimizer ``name`` accepts (e.g. drop β1 for momentum)."""
    get_optimizer(name)
    return {k: v for k, v in hyper.items() if k in HYPERPARAMETERS[name]}


def run_optimizer(name: str, grad_fn: Callable, x0, num_steps: int, **hyper) -> np.ndarray:
    """Iterate optimizer ``name`` from ``x0`` for ``num_steps`` steps.

    grad_fn: ``x -> gradient`` (same shape as x). x0: float array (d,).
    Returns the trajectory, shape (num_steps + 1, d) float64, row 0 being ``x0``. Iterates that
    overflow are kept as ``inf``/``nan`` rows (a diverging run is a result, not an error).
    """
    init, step = get_optimizer(name)
    x = as_float_array(x0, "x0", ndim=1).astype(np.float64)
    num_steps = check_positive_int(num_steps, "num_steps")
    state = init(x)
    path = np.full((num_steps + 1, x.size), np.nan)
    path[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, num_steps + 1):
            g = np.asarray(grad_fn(x), dtype=np.float64)
            if not (np.all(np.isfinite(g)) and np.all(np.isfinite(x))):
                break
            x, state = step(x, g, state, **hyper)
            if not np.all(np.isfinite(x)):
                path[k] = np.inf
                break
            path[k] = x
    return path


def gd_quadratic_closed_form(A, b, x0, lr: float, num_steps: int) -> np.ndarray:
    """Closed-form GD iterates on ``f(x) = ½ xᵀAx − bᵀx`` (A symmetric positive definite, (d, d)).

    With ``x* = A⁻¹b`` and ``A = Q diag(λ) Qᵀ``: ``x_k = x* + Q diag((1 − lr λ)^k) Qᵀ (x0 − x*)``.
    Returns (num_steps + 1, d). GD converges iff ``0 < lr < 2/λ_max``.
    """
    A = as_float_array(A, "A", ndim=2)
    d = A.shape[0]
    as_float_array(A, "A", shape=(d, d))
    if not np.allclose(A, A.T):
        raise ValueError("A must be symmetric")
    b = as_float_array(b, "b", shape=(d,))
    x0 = as_float_array(x0, "x0", shape=(d,))
    lr = check_finite_number(lr, "lr", positive=True)
    num_steps = check_positive_int(num_steps, "num_steps")
    eigenvalues, Q = np.linalg.eigh(A)
    if eigenvalues.min() <= 0:
        raise ValueError("A must be positive definite")
    x_star = np.linalg.solve(A, b)
    k = np.arange(num_steps + 1)[:, None]
    factors = (1.0 - lr * eigenvalues)[None, :] ** k  # (num_steps + 1, d)
    return x_star + (factors * (Q.T @ (x0 - x_star))[None, :]) @ Q.T
