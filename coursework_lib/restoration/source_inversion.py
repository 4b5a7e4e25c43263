"""Inverting the source's generator in NumPy: its cost, its hand-derived gradient, its loop, and
gradient descent or Adam on z.

Chapter 8's source (a course report) inverts a generator G by minimising, for one image,

    J(Z) = N log ||T X(Z) - Xn||^2 + ||Z||^2        (N = rows of T, X(Z) = G(Z))

with the gradient derived by hand::

    u2 = 2 (T X - Xn)^T T / ||T X - Xn||^2      (1 x 784)
    v2 = u2 o f2'(W2),  f2'(x) = -e^x / (1 + e^x)^2
    u1 = A2^T v2,  v1 = u1 o 1[W1 > 0],  u0 = A1^T v1
    grad J = N u0 + 2 Z

* ``source_cost`` / ``source_gradient``: J and its gradient, exactly as derived (column vectors);
  ``generator_cost`` / ``generator_gradient`` take the weights from a ``SourceGenerator``.
* ``source_gradient_descent_as_written``: the source's loop as written (dense T products every
  iteration); kept as the benchmark's baseline and the reference for the efficient loop.
* ``SourceCost``: the same J and gradient for one image without the wasted work (T as an index set, or
  a precomputed dense T; only the observed output rows evaluated); ``source_gradient_descent`` runs the
  source's iteration on it.
* ``minimize``: gradient descent or Adam (chapter 4's :func:`coursework_lib.maths.optimizers.adam_step`)
  on any cost of z.

The batched TensorFlow solver is :mod:`coursework_lib.restoration.batched_inversion`.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_choice, check_finite_number, check_positive_int
from coursework_lib.maths import optimizers
from coursework_lib.restoration.generators import SourceGenerator, sigmoid_of_negative, sigmoid_of_negative_derivative


def _check_problem(Z, A1, B1, A2, B2, T, Xn):
    A1 = as_float_array(A1, "A1", ndim=2, dtype=np.float64)
    hidden, latent = A1.shape
    Z = as_float_array(Z, "Z", dtype=np.float64).reshape(-1, 1)
    if Z.shape[0] != latent:
        raise ValueError(f"Z must have {latent} entries to match A1 {A1.shape}, got {Z.size}")
    B1 = as_float_array(B1, "B1", dtype=np.float64).reshape(-1, 1)
    A2 = as_float_array(A2, "A2", shape=(None, hidden), dtype=np.float64)
    B2 = as_float_array(B2, "B2", dtype=np.float64).reshape(-1, 1)
    T = as_float_array(T, "T", shape=(None, A2.shape[0]), dtype=np.float64)
    Xn = as_float_array(Xn, "Xn", dtype=np.float64).reshape(-1, 1)
    if B1.shape[0] != hidden or B2.shape[0] != A2.shape[0]:
        raise ValueError(f"B1, B2 must have {hidden} and {A2.shape[0]} entries, got {B1.size}, {B2.size}")
    if Xn.shape[0] != T.shape[0]:
        raise ValueError(f"Xn must have {T.shape[0]} entries (rows of T), got {Xn.size}")
    return Z, A1, B1, A2, B2, T, Xn


def source_cost(Z, A1, B1, A2, B2, T, Xn) -> float:
    """J(Z) = N log ||T X(Z) - Xn||^2 + ||Z||^2.

    Z: (d,) or (d, 1); A1: (h, d); B1: (h,) or (h, 1); A2: (n, h); B2: (n,) or (n, 1);
    T: (N, n); Xn: (N,) or (N, 1). Returns a float.
    """
    Z, A1, B1, A2, B2, T, Xn = _check_problem(Z, A1, B1, A2, B2, T, Xn)
    X = sigmoid_of_negative(A2 @ np.maximum(A1 @ Z + B1, 0.0) + B2)
    r = T @ X - Xn
    return float(T.shape[0] * np.log(np.sum(r**2)) + np.sum(Z**2))


def source_gradient(Z, A1, B1, A2, B2, T, Xn) -> np.ndarray:
    """The source's hand-derived gradient of ``source_cost`` (shapes as there). Returns (d,) float64."""
    Z, A1, B1, A2, B2, T, Xn = _check_problem(Z, A1, B1, A2, B2, T, Xn)
    W1 = A1 @ Z + B1
    Z1 = np.maximum(W1, 0.0)
    W2 = A2 @ Z1 + B2
    X = sigmoid_of_negative(W2)
    r = T @ X - Xn  # (N, 1)
    u2 = 2.0 * (r.T @ T) / np.sum(r**2)  # (1, n)
    v2 = u2.T * sigmoid_of_negative_derivative(W2)  # (n, 1)
    u1 = A2.T @ v2  # (h, 1)
    v1 = u1 * (W1 > 0)  # (h, 1)
    u0 = A1.T @ v1  # (d, 1)
    return (T.shape[0] * u0 + 2.0 * Z)[:, 0]


def generator_cost(G: SourceGenerator, Z, T, Xn) -> float:
    """``source_cost`` with the weights taken from a SourceGenerator. Z: (d,); T: (N, 784); Xn: (N,)."""
    return source_cost(Z, G.A1, G.B1, G.A2, G.B2, T, Xn)


def generator_gradient(G: SourceGenerator, Z, T, Xn) -> np.ndarray:
    """``source_gradient`` with the weights taken from a SourceGenerator. Returns (d,) float64."""
    return source_gradient(Z, G.A1, G.B1, G.A2, G.B2, T, Xn)


def source_gradient_descent_as_written(G: SourceGenerator, T, Xn, Z0, lr: float = 1e-3, num_iters: int = 2000):
    """The source's loop as written: one image, every product with the dense T recomputed each step.

    T: (N, 784); Xn: (N,) observed; Z0: (10,). Returns (Z (10,), costs (num_iters,)) where costs[k]
    is J before step k. Kept as the benchmark's baseline and as the reference for
    :func:`source_gradient_descent`.
    """
    T = as_float_array(T, "T", shape=(None, G.output_dim), dtype=np.float64)
    Xn = as_float_array(Xn, "Xn", shape=(T.shape[0],), dtype=np.float64).reshape(-1, 1)
    Z = G.check_latent(Z0, "Z0").copy()
    lr, num_iters = check_finite_number(lr, "lr", positive=True), check_positive_int(num_iters, "num_iters")
    N = T.shape[0]
    costs = np.empty(num_iters)
    for k in range(num_iters):
        W1 = G.A1 @ Z + G.B1
        Z1 = np.maximum(W1, 0)
        W2 = G.A2 @ Z1 + G.B2
        X = 1 / (1 + np.exp(W2))
        costs[k] = N * np.log(np.sum((T @ X - Xn) ** 2)) + np.sum(Z**2)
        u2 = 2 * (T @ X - Xn).T @ T / np.sum((T @ X - Xn) ** 2)
        v2 = u2.T * (-np.exp(W2) / (1 + np.exp(W2)) ** 2)
        u1 = G.A2.T @ v2
        v1 = u1 * (W1 > 0)
        u0 = G.A1.T @ v1
        Z = Z - lr * (N * u0 + 2 * Z)
    return Z[:, 0], costs


class SourceCost:
    """The source's cost J(z) of one image as an object: ``cost_and_gradient(z) -> (J, grad)``.

    The same numbers as ``source_cost`` / ``source_gradient``, without their wasted work. Give either
    ``observed`` ((N,) integer indices of the kept pixels: T is a selection, e.g. the first N pixels;
    only those output rows of the generator are computed) or a dense ``T`` (N, 784).
    G: SourceGenerator; y_meas: (N,) observations.
    """

    def __init__(self, G: SourceGenerator, y_meas, *, T=None, observed=None):
        if (T is None) == (observed is None):
            raise ValueError("give exactly one of T (a matrix) or observed (pixel indices)")
        self.A1, self.B1 = G.A1, G.B1[:, 0]
        if observed is not None:
            observed = np.asarray(observed)
            if observed.ndim != 1 or not np.issubdtype(observed.dtype, np.integer):
                raise TypeError("observed must be a 1-D integer index array")
            self.A2, self.B2, self.T = G.A2[observed], G.B2[observed, 0], None
            N = len(observed)
        else:
            self.T = as_float_array(T, "T", shape=(None, G.output_dim), dtype=np.float64)
            self.A2, self.B2 = G.A2, G.B2[:, 0]
            N = self.T.shape[0]
        self.y = as_float_array(y_meas, "y_meas", shape=(N,), dtype=np.float64)
        self.N = N

    def cost_and_gradient(self, z):
        """z: (d,) -> (J, grad (d,)), the same numbers as ``source_cost`` / ``source_gradient``."""
        W1 = self.A1 @ z + self.B1
        Z1 = np.maximum(W1, 0.0)
        X = sigmoid_of_negative(self.A2 @ Z1 + self.B2)
        r = (X if self.T is None else self.T @ X) - self.y
        s = r @ r
        u2 = (2.0 / s) * (r if self.T is None else r @ self.T)
        v2 = -u2 * X * (1.0 - X)  # f2'(W2) = -X (1 - X)
        u0 = self.A1.T @ ((self.A2.T @ v2) * (W1 > 0))
        return self.N * np.log(s) + z @ z, self.N * u0 + 2.0 * z


def source_gradient_descent(
    G: SourceGenerator, y_meas, Z0, *, T=None, observed=None, lr: float = 1e-3, num_iters: int = 2000
):
    """The source's iteration (gradient descent on J), on a :class:`SourceCost`.

    y_meas: (N,); Z0: (d,); T (N, 784) or observed (N,) indices as in SourceCost.
    Returns (Z (d,), costs (num_iters,)), the path of :func:`source_gradient_descent_as_written`.
    """
    problem = SourceCost(G, y_meas, T=T, observed=observed)
    return minimize(problem.cost_and_gradient, Z0, method="gd", lr=lr, num_iters=num_iters)


def minimize(
    cost_and_gradient,
    Z0,
    *,
    method: str = "gd",
    lr: float = 1e-3,
    num_iters: int = 1000,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    epsilon_placement: str = "textbook",
):
    """Minimise a cost of z by gradient descent ("gd") or Adam ("adam").

    cost_and_gradient: z (d,) -> (float, (d,)); Z0: (d,). Adam is
    :func:`coursework_lib.maths.optimizers.adam_step`: with ``epsilon_placement="textbook"`` (the
    source report's and Kingma and Ba's form) eps is added to sqrt(v_hat); with ``"keras"`` to sqrt(v)
    before the bias correction is folded into the step size (Keras' form).
    Returns (z (d,), costs (num_iters,)); costs[k] is the cost before step k.
    """
    check_choice(method, "method", {"gd", "adam"})
    check_choice(epsilon_placement, "epsilon_placement", {"textbook", "keras"})
    lr, num_iters = check_finite_number(lr, "lr", positive=True), check_positive_int(num_iters, "num_iters")
    z = as_float_array(Z0, "Z0", ndim=1, dtype=np.float64).copy()
    state = optimizers.adam_init(z)
    costs = np.empty(num_iters)
    for k in range(num_iters):
        costs[k], grad = cost_and_gradient(z)
        if method == "gd":
            z = z - lr * grad
        else:
            z, state = optimizers.adam_step(
                z,
                grad,
                state,
                lr=lr,
                beta_1=beta1,
                beta_2=beta2,
                epsilon=eps,
                textbook_epsilon=epsilon_placement == "textbook",
            )
    return z, costs
