"""Inverting a generator: find z with T G(z) close to the observations y_meas.

Three layers, from the report's hand-derived maths to a batched TensorFlow solver.

1. ``report_cost`` / ``report_gradient``: the report's cost
   ``J(Z) = N log ||T X(Z) - Xn||^2 + ||Z||^2`` (N = rows of T) and its gradient derived by hand::

       u2 = 2 (T X - Xn)^T T / ||T X - Xn||^2      (1 x 784)
       v2 = u2 o f2'(W2),  f2'(x) = -e^x / (1 + e^x)^2
       u1 = A2^T v2,  v1 = u1 o 1[W1 > 0],  u0 = A1^T v1
       grad J = N u0 + 2 Z

   ``report_gradient_descent`` is the report's loop as written (dense T products every iteration);
   ``fast_gradient_descent`` the same iteration without the wasted work (T as an index set or
   precomputed, only the observed output rows evaluated).
2. ``adam_step`` / ``minimize``: plain gradient descent or Adam on Z in NumPy.
3. ``invert_batch``: many images x random restarts optimised at once with Adam inside one
   ``tf.function`` (the whole loop is one graph), the best restart per image kept.
"""

from __future__ import annotations

import numpy as np

from . import optimizers
from .generators import DenseGenerator, ReportGenerator, sigmoid_negative, sigmoid_negative_derivative
from .validation import as_float_array, check_choice, check_finite_number, check_positive_int


# ----------------------------------------------------------------------------------------------------
# 1. the report's cost and hand-derived gradient (NumPy, one image, column vectors)
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


def report_cost(Z, A1, B1, A2, B2, T, Xn) -> float:
    """J(Z) = N log ||T X(Z) - Xn||^2 + ||Z||^2.

    Z: (d,) or (d, 1); A1: (h, d); B1: (h,) or (h, 1); A2: (n, h); B2: (n,) or (n, 1);
    T: (N, n); Xn: (N,) or (N, 1). Returns a float.
    """
    Z, A1, B1, A2, B2, T, Xn = _check_problem(Z, A1, B1, A2, B2, T, Xn)
    X = sigmoid_negative(A2 @ np.maximum(A1 @ Z + B1, 0.0) + B2)
    r = T @ X - Xn
    return float(T.shape[0] * np.log(np.sum(r ** 2)) + np.sum(Z ** 2))


def report_gradient(Z, A1, B1, A2, B2, T, Xn) -> np.ndarray:
    """The report's hand-derived gradient of ``report_cost`` (shapes as there). Returns (d,) float64."""
    Z, A1, B1, A2, B2, T, Xn = _check_problem(Z, A1, B1, A2, B2, T, Xn)
    W1 = A1 @ Z + B1
    Z1 = np.maximum(W1, 0.0)
    W2 = A2 @ Z1 + B2
    X = sigmoid_negative(W2)
    r = T @ X - Xn                                   # (N, 1)
    u2 = 2.0 * (r.T @ T) / np.sum(r ** 2)            # (1, n)
    v2 = u2.T * sigmoid_negative_derivative(W2)      # (n, 1)
    u1 = A2.T @ v2                                   # (h, 1)
    v1 = u1 * (W1 > 0)                               # (h, 1)
    u0 = A1.T @ v1                                   # (d, 1)
    return (T.shape[0] * u0 + 2.0 * Z)[:, 0]


def generator_cost(G: ReportGenerator, Z, T, Xn) -> float:
    """``report_cost`` with the weights taken from a ReportGenerator."""
    return report_cost(Z, G.A1, G.B1, G.A2, G.B2, T, Xn)


def generator_gradient(G: ReportGenerator, Z, T, Xn) -> np.ndarray:
    """``report_gradient`` with the weights taken from a ReportGenerator."""
    return report_gradient(Z, G.A1, G.B1, G.A2, G.B2, T, Xn)


def report_gradient_descent(G: ReportGenerator, T, Xn, Z0, lr: float = 1e-3, num_iters: int = 2000):
    """The report's loop as written: one image, every product with the dense T recomputed each step.

    T: (N, 784); Xn: (N,) observed; Z0: (10,). Returns (Z (10,), costs (num_iters,)) where costs[k]
    is J before step k. Kept as the benchmark's baseline and as the reference for the fast loop.
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
        costs[k] = N * np.log(np.sum((T @ X - Xn) ** 2)) + np.sum(Z ** 2)
        u2 = 2 * (T @ X - Xn).T @ T / np.sum((T @ X - Xn) ** 2)
        v2 = u2.T * (-np.exp(W2) / (1 + np.exp(W2)) ** 2)
        u1 = G.A2.T @ v2
        v1 = u1 * (W1 > 0)
        u0 = G.A1.T @ v1
        Z = Z - lr * (N * u0 + 2 * Z)
    return Z[:, 0], costs


class FastProblem:
    """The report's cost for one image, evaluated without wasted work.

    Either ``observed`` (indices of the kept pixels: T is a selection, e.g. the first N pixels) or a
    dense ``T`` (N, 784). With ``observed`` only those output rows of the generator are computed.
    """

    def __init__(self, G: ReportGenerator, y_meas, *, T=None, observed=None):
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
        """z: (10,) -> (J, grad (10,)), the same numbers as ``report_cost`` / ``report_gradient``."""
        W1 = self.A1 @ z + self.B1
        Z1 = np.maximum(W1, 0.0)
        X = sigmoid_negative(self.A2 @ Z1 + self.B2)
        r = (X if self.T is None else self.T @ X) - self.y
        s = r @ r
        u2 = (2.0 / s) * (r if self.T is None else r @ self.T)
        v2 = -u2 * X * (1.0 - X)                         # f2'(W2) = -X (1 - X)
        u0 = self.A1.T @ ((self.A2.T @ v2) * (W1 > 0))
        return self.N * np.log(s) + z @ z, self.N * u0 + 2.0 * z


def fast_gradient_descent(G: ReportGenerator, y_meas, Z0, *, T=None, observed=None, lr: float = 1e-3,
                          num_iters: int = 2000):
    """The same iteration as ``report_gradient_descent``, efficiently. Returns (Z (10,), costs)."""
    problem = FastProblem(G, y_meas, T=T, observed=observed)
    return minimize(problem.cost_and_gradient, Z0, method="gd", lr=lr, num_iters=num_iters)


# ----------------------------------------------------------------------------------------------------
# 2. optimisers on z (NumPy)
def adam_step(z, grad, m, v, t, lr: float = 0.01, beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8):
    """One Adam step (Kingma & Ba) with bias correction, in the report's argument order; t is the
    1-based step number. It is chapter 4's :func:`coursework_lib.optimizers.adam_step` in its textbook
    form (ε added to sqrt(v̂)).

    z, grad, m, v: arrays of one shape. Returns (z_new, m_new, v_new).
    """
    state = {"m": m, "v": v, "t": int(t) - 1}
    z_new, state = optimizers.adam_step(z, grad, state, lr=lr, beta_1=beta1, beta_2=beta2, epsilon=eps,
                                        textbook_epsilon=True)
    return z_new, state["m"], state["v"]


def minimize(cost_and_gradient, Z0, *, method: str = "gd", lr: float = 1e-3, num_iters: int = 1000,
             beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
    """Minimise a cost of z by gradient descent ("gd") or Adam ("adam").

    cost_and_gradient: z (d,) -> (float, (d,)). Returns (z (d,), costs (num_iters,)); costs[k] is the
    cost before step k.
    """
    check_choice(method, "method", {"gd", "adam"})
    lr, num_iters = check_finite_number(lr, "lr", positive=True), check_positive_int(num_iters, "num_iters")
    z = as_float_array(Z0, "Z0", ndim=1, dtype=np.float64).copy()
    m, v = np.zeros_like(z), np.zeros_like(z)
    costs = np.empty(num_iters)
    for k in range(num_iters):
        costs[k], grad = cost_and_gradient(z)
        if method == "gd":
            z = z - lr * grad
        else:
            z, m, v = adam_step(z, grad, m, v, k + 1, lr, beta1, beta2, eps)
    return z, costs


# ----------------------------------------------------------------------------------------------------
# 3. batched TensorFlow inversion
def as_dense_generator(G) -> DenseGenerator:
    """A ReportGenerator (column convention, X = sigmoid(-W2)) as a row-batch DenseGenerator."""
    if isinstance(G, DenseGenerator):
        return G
    if isinstance(G, ReportGenerator):
        return DenseGenerator(((G.A1.T.astype(np.float32), G.B1[:, 0].astype(np.float32)),
                               ((-G.A2.T).astype(np.float32), (-G.B2[:, 0]).astype(np.float32))))
    raise TypeError(f"G must be a ReportGenerator or DenseGenerator, got {type(G).__name__}")


def invert_batch(G, y_meas, *, T=None, observed=None, cost: str = "squared", lam: float = 0.1,
                 num_restarts: int = 1, num_steps: int = 1000, lr: float = 0.05, beta1: float = 0.9,
                 beta2: float = 0.999, method: str = "adam", seed=0, Z0=None, record_every: int = 0,
                 jit_compile: bool = False):
    """Invert G for a batch of images and restarts at once (one tf.function runs every step).

    G:       ReportGenerator or DenseGenerator (latent d).
    y_meas:  (k, m) observations, one row per image.
    T:       (m, 784) measurement matrix, or ``observed``: (m,) indices of observed pixels (a mask;
             folded into the last layer, so only the observed outputs are computed).
    cost:    "squared": ||T G(z) - y||^2 + lam ||z||^2;  "report": m log ||T G(z) - y||^2 + ||z||^2.
    method:  "adam" (beta1, beta2) or "gd".
    Z0:      optional (k * num_restarts, d) starting points (row r*k + i is restart r of image i);
             default N(0, I) drawn from ``seed``.
    jit_compile: compile the whole loop with XLA (fuses the element-wise work between the matrix
             products: about 10-20 % faster on large batches, but a second or two of compiling per call).
    Returns a dict: z (k, d) and X (k, 784) of the best restart per image, cost (k,), costs
    (num_restarts, k) final costs, history (num_recorded, num_restarts, k) if record_every > 0.
    """
    import tensorflow as tf

    check_choice(cost, "cost", {"squared", "report"})
    check_choice(method, "method", {"adam", "gd"})
    dense = as_dense_generator(G)
    y_meas = as_float_array(y_meas, "y_meas", ndim=2, dtype=np.float32)
    k, m = y_meas.shape
    R = check_positive_int(num_restarts, "num_restarts")
    num_steps = check_positive_int(num_steps, "num_steps")
    lr = check_finite_number(lr, "lr", positive=True)
    lam = check_finite_number(lam, "lam")
    d = dense.latent_dim
    layers = [(W.copy(), b.copy()) for W, b in dense.weights]
    if observed is not None:
        if T is not None:
            raise ValueError("give T or observed, not both")
        observed = np.asarray(observed)
        if observed.shape != (m,) or not np.issubdtype(observed.dtype, np.integer):
            raise ValueError(f"observed must be ({m},) integer indices to match y_meas {y_meas.shape}")
        W, b = layers[-1]
        layers[-1] = (W[:, observed], b[observed])
        T_tf = None
    elif T is not None:
        T = as_float_array(T, "T", shape=(m, layers[-1][0].shape[1]), dtype=np.float32)
        T_tf = tf.constant(T.T)
    else:
        if m != layers[-1][0].shape[1]:
            raise ValueError(f"without T or observed, y_meas must have {layers[-1][0].shape[1]} columns")
        T_tf = None
    if Z0 is None:
        Z0 = np.random.default_rng(seed).standard_normal((R * k, d))
    Z0 = as_float_array(Z0, "Z0", shape=(R * k, d), dtype=np.float32)
    weights = [(tf.constant(W), tf.constant(b)) for W, b in layers]
    Y = tf.constant(np.tile(y_meas, (R, 1)))
    record_every = int(record_every)
    num_records = num_steps // record_every if record_every > 0 else 0

    def batch_cost(z):
        A = z
        for i, (W, b) in enumerate(weights):
            A = A @ W + b
            if i < len(weights) - 1:
                A = tf.nn.relu(A)
        X = tf.sigmoid(A)
        residual = (X if T_tf is None else X @ T_tf) - Y
        s = tf.reduce_sum(residual ** 2, axis=1)
        prior = tf.reduce_sum(z ** 2, axis=1)
        if cost == "squared":
            return s + lam * prior
        return float(m) * tf.math.log(s) + prior

    def step(t, z, mom, vel):
        """Step t (1, 2, ...) of gradient descent or Adam on every row of z at once."""
        with tf.GradientTape() as tape:
            tape.watch(z)
            total = tf.reduce_sum(batch_cost(z))  # rows are independent: the gradient of the sum is per-row
        grad = tape.gradient(total, z)
        if method == "gd":
            return z - lr * grad, mom, vel
        tf_t = tf.cast(t, tf.float32)
        mom = beta1 * mom + (1.0 - beta1) * grad
        vel = beta2 * vel + (1.0 - beta2) * grad ** 2
        return z - lr * (mom / (1.0 - beta1 ** tf_t)) / (tf.sqrt(vel / (1.0 - beta2 ** tf_t)) + 1e-8), mom, vel

    @tf.function(jit_compile=bool(jit_compile))
    def run(z):
        mom, vel, t = tf.zeros_like(z), tf.zeros_like(z), tf.constant(0)
        history = tf.TensorArray(tf.float32, size=max(num_records, 1))
        for r in tf.range(num_records):              # recorded blocks: the cost, then record_every steps
            history = history.write(r, batch_cost(z))
            for _ in tf.range(record_every):
                t += 1
                z, mom, vel = step(t, z, mom, vel)
        for _ in tf.range(num_steps - num_records * record_every):     # the rest (all, if not recording)
            t += 1
            z, mom, vel = step(t, z, mom, vel)
        return z, batch_cost(z), (history.stack() if num_records else tf.zeros((0,)))

    z, J, history = run(tf.constant(Z0))
    z, J = z.numpy().reshape(R, k, d), J.numpy().reshape(R, k)
    best = np.argmin(J, axis=0)
    z_best = z[best, np.arange(k)]
    out = {"z": z_best, "X": dense.numpy_forward(z_best), "cost": J[best, np.arange(k)], "costs": J}
    if num_records:
        out["history"] = history.numpy()[:num_records].reshape(num_records, R, k)
    return out


def inversion_flops_per_step(G, m: int, dense_T: bool = False) -> int:
    """Floating-point operations of one image-iteration of ``invert_batch`` (forward + gradient in z).

    Counts the matrix products (2 flops per multiply-add): each layer once forward and once backward
    (no weight gradients are needed); the output layer is m wide for a mask, plus 2 x 784 x m each way
    for a dense T.
    """
    dense = as_dense_generator(G)
    sizes = [W.shape for W, _ in dense.weights]
    flops = sum(2 * 2 * a * b for a, b in sizes[:-1])
    a, b = sizes[-1]
    flops += 2 * 2 * a * (b if dense_T else m)
    if dense_T:
        flops += 2 * 2 * b * m
    return int(flops)


# ----------------------------------------------------------------------------------------------------
# 4. one call for the three degradations (used by the all-digits section and the widget)
def restore_images(G, X, problem: str, level: int, *, noise_std: float = 0.05, method: str = "generator",
                   lam: float = 0.1, num_restarts: int = 5, num_steps: int = 300, lr: float = 0.1, seed=0):
    """Degrade images, then restore them. X: (k, 784) rows in [0, 1], column-major pixels.

    problem: "inpainting" (keep the first ``level`` pixels), "super-resolution" (``level`` x
    ``level`` block means, level divides 28) or "compressed-sensing" (``level`` Gaussian measurements).
    method:  "generator" (invert G, best of restarts) or "baseline" (zero fill, pixel replication,
             or Lasso with alpha 1e-4, respectively).
    Returns (observed (k, 784) a picture of what was measured, restored (k, 784)).
    """
    from . import measurements as ms

    check_choice(problem, "problem", {"inpainting", "super-resolution", "compressed-sensing"})
    check_choice(method, "method", {"generator", "baseline"})
    X = as_float_array(X, "X", shape=(None, 784), dtype=np.float64)
    level = check_positive_int(level, "level")
    rng = np.random.default_rng(seed)
    kwargs = dict(cost="squared", lam=lam, num_restarts=num_restarts, num_steps=num_steps, lr=lr, seed=seed)
    if problem == "inpainting":
        observed = np.arange(min(level, 784))
        Y = X[:, observed] + noise_std * rng.standard_normal((len(X), len(observed)))
        shown = ms.pad_first_pixels(Y.T).T
        if method == "baseline":
            return shown, shown
        return shown, invert_batch(G, Y, observed=observed, **kwargs)["X"]
    if problem == "super-resolution":
        T = ms.average_pooling_matrix(28, level)
        Y = X @ T.T + noise_std * rng.standard_normal((len(X), T.shape[0]))
        shown = ms.upsample_replicate(Y.T, level).T
        if method == "baseline":
            return shown, shown
        return shown, invert_batch(G, Y, T=T, **kwargs)["X"]
    A = ms.gaussian_measurement_matrix(level, seed=seed)
    Y = X @ A.T + noise_std * rng.standard_normal((len(X), level))
    shown = np.clip(Y @ A, 0.0, 1.0)                                   # back-projection A^T y
    if method == "baseline":
        from .compressed_sensing import lasso_recover

        return shown, lasso_recover(A, Y, 1e-4)
    return shown, invert_batch(G, Y, T=A, **kwargs)["X"]


# ----------------------------------------------------------------------------------------------------
# 5. throughput of the three implementations (image-iterations per second)
def inversion_throughputs(G: ReportGenerator, Xn, N: int = 400, *, report_iters: int = 300,
                          fast_iters: int = 3000, batch_images: int = 64, batch_restarts: int = 16,
                          batch_steps: int = 300, repeats: int = 2, jit_compile: bool = True,
                          seed: int = 0) -> dict:
    """Image-iterations per second of (a) the report's loop, (b) the fast NumPy loop, (c) invert_batch,
    all on the same inpainting problem (first N pixels of the columns of Xn (784, k), report's cost,
    gradient descent, lr 1e-4). (c) is timed as the difference between runs of 2x and 1x batch_steps,
    so tracing (and XLA-compiling, with ``jit_compile``) the tf.function is not counted. Best of
    ``repeats`` for each. Also returns (c)'s GFLOP/s.
    """
    import time

    Xn = as_float_array(Xn, "Xn", shape=(G.output_dim, None), dtype=np.float64)
    rng = np.random.default_rng(seed)
    T = np.eye(N, G.output_dim)
    y = Xn[:N, 0]
    Z0 = rng.standard_normal(G.latent_dim)

    def best(fn):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)

    a = report_iters / best(lambda: report_gradient_descent(G, T, y, Z0, lr=1e-4, num_iters=report_iters))
    b = fast_iters / best(lambda: fast_gradient_descent(G, y, Z0, observed=np.arange(N), lr=1e-4,
                                                        num_iters=fast_iters))
    Y = np.resize(Xn[:N].T, (batch_images, N))
    kwargs = dict(observed=np.arange(N), cost="report", method="gd", lr=1e-4, num_restarts=batch_restarts,
                  jit_compile=jit_compile, seed=seed)
    t1 = best(lambda: invert_batch(G, Y, num_steps=batch_steps, **kwargs))
    t2 = best(lambda: invert_batch(G, Y, num_steps=2 * batch_steps, **kwargs))
    c = batch_images * batch_restarts * batch_steps / max(t2 - t1, 1e-9)
    flops = inversion_flops_per_step(G, N)
    return {"report_loop": a, "fast_numpy": b, "batched_tf": c, "speedup": c / a, "speedup_vs_numpy": c / b,
            "gflops": c * flops / 1e9, "flops_per_image_iteration": flops}


def matmul_gflops(n: int = 2048, repeats: int = 5) -> float:
    """Measured float32 GFLOP/s of a large TensorFlow matrix product (a practical peak of the machine)."""
    import time

    import tensorflow as tf

    a = tf.random.normal((n, n))
    (a @ a).numpy()
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        (a @ a).numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * n ** 3 / best / 1e9


def nominal_peak_gflops() -> tuple[float, str]:
    """A nominal float32 peak from /proc/cpuinfo: cores x clock x flops per cycle (assumes two FMA units:
    64 flops/cycle with AVX-512, 32 with AVX2). Returns (GFLOP/s, how it was computed)."""
    import os

    try:
        info = open("/proc/cpuinfo").read()
    except OSError:
        return float("nan"), "unknown (no /proc/cpuinfo)"
    mhz = [float(line.split(":")[1]) for line in info.splitlines() if line.startswith("cpu MHz")]
    ghz = (max(mhz) if mhz else float("nan")) / 1000
    per_cycle = 64 if "avx512f" in info else (32 if "avx2" in info else 16)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores * ghz * per_cycle, f"{cores} cores x {ghz:.2f} GHz x {per_cycle} flop/cycle"
