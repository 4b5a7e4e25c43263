"""Flop counts of the batched inversion against a hand count; the throughput dict on a tiny problem."""

import numpy as np
from helpers import random_generator

from coursework_lib.restoration import throughput


def test_flop_count_of_the_eights_problem():
    G = random_generator()
    assert throughput.inversion_flops_per_step(G, 500) == 4 * (10 * 128 + 128 * 500)
    # a dense T: the full 784-wide output layer, then T (500 x 784) forward and backward
    assert throughput.inversion_flops_per_step(G, 500, dense_T=True) == 4 * (10 * 128 + 128 * 784 + 784 * 500)


def test_throughputs_are_consistent_on_a_tiny_problem():
    G = random_generator(1)
    Xn = np.random.default_rng(2).random((784, 2))
    r = throughput.inversion_throughputs(
        G,
        Xn,
        100,
        source_iters=5,
        numpy_iters=5,
        batch_images=2,
        batch_restarts=2,
        batch_steps=5,
        repeats=1,
        jit_compile=False,
    )
    assert all(r[key] > 0 for key in ("source_loop", "efficient_numpy", "batched_tf"))
    assert r["speedup"] == r["batched_tf"] / r["source_loop"]
    assert r["speedup_vs_numpy"] == r["batched_tf"] / r["efficient_numpy"]
    assert r["flops_per_image_iteration"] == 4 * (10 * 128 + 128 * 100)
