"""How fast chapter 8's inversions run: flops of one step and image-iterations per second.

Three implementations of the same inpainting inversion are timed (``benchmarks/inversion_benchmark.py``
and the notebook's speed section): (a) the source's NumPy loop as written, (b) the efficient one-image
NumPy loop, (c) the batched TensorFlow solver ``invert_batch``. The machine's own rates (a measured
matmul, a nominal peak) are in :mod:`coursework_lib.core.hardware`.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array
from coursework_lib.evaluation.timing import best_time
from coursework_lib.restoration.batched_inversion import invert_batch
from coursework_lib.restoration.generators import SourceGenerator, as_dense_generator
from coursework_lib.restoration.source_inversion import source_gradient_descent, source_gradient_descent_as_written


def inversion_flops_per_step(G, m: int, dense_T: bool = False) -> int:
    """Floating-point operations of one image-iteration of ``invert_batch`` (forward + gradient in z).

    G: SourceGenerator or DenseGenerator; m: number of measurements. Counts the matrix products
    (2 flops per multiply-add): each layer once forward and once backward (no weight gradients are
    needed); the output layer is m wide for a mask, plus 2 x 784 x m each way for a dense T.
    """
    dense = as_dense_generator(G)
    sizes = [W.shape for W, _ in dense.weights]
    flops = sum(2 * 2 * a * b for a, b in sizes[:-1])
    a, b = sizes[-1]
    flops += 2 * 2 * a * (b if dense_T else m)
    if dense_T:
        flops += 2 * 2 * b * m
    return int(flops)


def inversion_throughputs(
    G: SourceGenerator,
    Xn,
    N: int = 400,
    *,
    source_iters: int = 300,
    numpy_iters: int = 3000,
    batch_images: int = 64,
    batch_restarts: int = 16,
    batch_steps: int = 300,
    repeats: int = 2,
    jit_compile: bool = True,
    seed: int = 0,
) -> dict:
    """Image-iterations per second of three implementations of the same inpainting inversion.

    (a) ``source_loop``: the source's loop as written; (b) ``efficient_numpy``: the same iteration on
    the observed rows only; (c) ``batched_tf``: ``invert_batch`` on batch_images x batch_restarts
    problems. All invert the first N pixels of the columns of Xn (784, k) with the source's cost,
    gradient descent and lr 1e-4. (c) is timed as the difference between runs of 2x and 1x
    batch_steps, so tracing (and XLA-compiling, with ``jit_compile``) the tf.function is not counted.
    Best of ``repeats`` for each. Returns a dict of floats: the three rates, ``speedup`` (c/a),
    ``speedup_vs_numpy`` (c/b), (c)'s ``gflops`` and ``flops_per_image_iteration``.
    """
    Xn = as_float_array(Xn, "Xn", shape=(G.output_dim, None), dtype=np.float64)
    rng = np.random.default_rng(seed)
    T = np.eye(N, G.output_dim)
    y = Xn[:N, 0]
    Z0 = rng.standard_normal(G.latent_dim)

    a = source_iters / best_time(
        lambda: source_gradient_descent_as_written(G, T, y, Z0, lr=1e-4, num_iters=source_iters), repeats
    )
    b = numpy_iters / best_time(
        lambda: source_gradient_descent(G, y, Z0, observed=np.arange(N), lr=1e-4, num_iters=numpy_iters), repeats
    )
    Y = np.resize(Xn[:N].T, (batch_images, N))
    kwargs = dict(
        observed=np.arange(N),
        cost="source",
        method="gd",
        lr=1e-4,
        num_restarts=batch_restarts,
        jit_compile=jit_compile,
        seed=seed,
    )
    t1 = best_time(lambda: invert_batch(G, Y, num_steps=batch_steps, **kwargs), repeats)
    t2 = best_time(lambda: invert_batch(G, Y, num_steps=2 * batch_steps, **kwargs), repeats)
    # The extra batch_steps cost t2 - t1: the difference removes start-up and compilation. On a busy machine
    # it can vanish; then no rate can be measured, and saying so beats reporting an absurd one.
    if t2 - t1 <= 0.05 * t1:
        raise RuntimeError(
            f"the timing is too noisy to measure a rate: {2 * batch_steps} steps took {t2:.3f} s and "
            f"{batch_steps} steps {t1:.3f} s; run again on a quieter machine or with more batch_steps"
        )
    c = batch_images * batch_restarts * batch_steps / (t2 - t1)
    flops = inversion_flops_per_step(G, N)
    return {
        "source_loop": a,
        "efficient_numpy": b,
        "batched_tf": c,
        "speedup": c / a,
        "speedup_vs_numpy": c / b,
        "gflops": c * flops / 1e9,
        "flops_per_image_iteration": flops,
    }
