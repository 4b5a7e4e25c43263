"""Timing helpers for the chapters' speed experiments (best of several runs, wall clock)."""

from __future__ import annotations

import time

import numpy as np

from coursework_lib.core.validation import as_float_array, check_positive_int
from coursework_lib.maths.activations import ACTIVATIONS, SCALAR_ACTIVATIONS


def best_time(fn, repeats: int = 3) -> float:
    """Seconds taken by the fastest of ``repeats`` calls of ``fn()``."""
    repeats = check_positive_int(repeats, "repeats")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def python_loop(f_scalar, values):
    """Apply a one-number function to every value with a plain Python loop; returns a list."""
    return [f_scalar(v) for v in values]


def numpy_sigmoid(Z) -> np.ndarray:
    """The sigmoid written with NumPy alone: ``1/(1+e^-z)`` for z >= 0, ``e^z/(1+e^z)`` for z < 0.

    Z: any shape, real -> float64 array of the same shape. The library's ``activations.sigmoid`` calls
    SciPy's compiled ``expit`` instead; the timing experiment times this NumPy expression, so that its
    "NumPy" column measures NumPy.
    """
    Z = as_float_array(Z, "Z")
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# What the timing's "NumPy" column evaluates: NumPy's own expression for every activation.
NUMPY_ACTIVATIONS = {
    "linear": ACTIVATIONS["linear"][0],
    "sigmoid": numpy_sigmoid,
    "tanh": ACTIVATIONS["tanh"][0],
    "relu": ACTIVATIONS["relu"][0],
}


def tensorflow_activation(name: str):
    """The TensorFlow op for an activation name, as a function of a tensor."""
    import tensorflow as tf

    ops = {"linear": tf.identity, "sigmoid": tf.sigmoid, "tanh": tf.tanh, "relu": tf.nn.relu}
    if name not in ops:
        raise ValueError(f"name must be one of {sorted(ops)}, got {name!r}")
    return ops[name]


def time_activations(
    n: int = 1_000_000, names=("linear", "sigmoid", "tanh", "relu"), repeats: int = 3, seed: int = 0
) -> list[dict]:
    """Time ``n`` evaluations of each activation three ways, on the same values z ~ U(-5, 5).

    Returns one dict per activation with keys ``activation``, ``python_loop_s`` (a Python ``for``
    loop, one float at a time), ``numpy_s`` (one vectorised NumPy call), ``tensorflow_s`` (one
    TensorFlow op on a float64 tensor already in memory), and the speed-ups of the last two over the loop.
    The NumPy column uses :data:`NUMPY_ACTIVATIONS` (for the sigmoid, :func:`numpy_sigmoid`, not SciPy).
    """
    import tensorflow as tf

    n = check_positive_int(n, "n")
    z = np.random.default_rng(seed).uniform(-5.0, 5.0, size=n)
    z_list, z_tensor = z.tolist(), tf.constant(z)
    rows = []
    for name in names:
        loop_s = best_time(lambda: python_loop(SCALAR_ACTIVATIONS[name], z_list), repeats=1)
        numpy_f = NUMPY_ACTIVATIONS[name]
        tf_f = tensorflow_activation(name)
        tf_f(z_tensor).numpy()  # first call builds the kernel: not part of the timing
        numpy_s = best_time(lambda: numpy_f(z), repeats)
        tf_s = best_time(lambda: tf_f(z_tensor).numpy(), repeats)
        rows.append(
            {
                "activation": name,
                "python_loop_s": loop_s,
                "numpy_s": numpy_s,
                "tensorflow_s": tf_s,
                "numpy_speedup": loop_s / numpy_s,
                "tensorflow_speedup": loop_s / tf_s,
            }
        )
    return rows


# The source report's plain-Python-loop timings (seconds for 10^6 evaluations), quoted for comparison.
SOURCE_LOOP_SECONDS = {"linear": 0.092, "sigmoid": 1.61, "tanh": 1.83, "relu": 0.070}


def timing_table_markdown(rows) -> str:
    """A Markdown table of ``time_activations`` rows beside the source report's loop timings."""
    lines = [
        "| activation | source report, loop (s) | Python loop here (s) | NumPy (s) | TensorFlow (s) "
        "| NumPy speed-up | TensorFlow speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        source = SOURCE_LOOP_SECONDS.get(r["activation"])
        lines.append(
            f"| {r['activation']} | {source if source is not None else '–'} | {r['python_loop_s']:.3f} "
            f"| {r['numpy_s']:.4f} | {r['tensorflow_s']:.4f} | {r['numpy_speedup']:.0f}× "
            f"| {r['tensorflow_speedup']:.0f}× |"
        )
    return "\n".join(lines)
