"""Flop counts of the batched inversion against a hand count; the throughput dict on a tiny problem."""

import numpy as np
import pytest
from helpers import random_generator

from coursework_lib.restoration import throughput


def test_flop_count_of_the_eights_problem():
    G = random_generator()
    assert throughput.inversion_flops_per_step(G, 500) == 4 * (10 * 128 + 128 * 500)
    # a dense T: the full 784-wide output layer, then T (500 x 784) forward and backward
    assert throughput.inversion_flops_per_step(G, 500, dense_T=True) == 4 * (10 * 128 + 128 * 784 + 784 * 500)


def test_throughputs_from_timings(monkeypatch):
    """The rates are iterations over seconds; the batched rate uses the extra steps' time (t2 - t1)."""
    G = random_generator(1)
    Xn = np.random.default_rng(2).random((784, 2))
    calls = []

    def fake_best_time(fn, repeats):
        fn()  # the timed work still runs (and must not fail)
        calls.append(fn)
        return {1: 0.5, 2: 0.25, 3: 2.0, 4: 3.0}[len(calls)]

    monkeypatch.setattr(throughput, "best_time", fake_best_time)
    kwargs = dict(source_iters=5, numpy_iters=10, batch_images=2, batch_restarts=3, batch_steps=4, repeats=1)
    r = throughput.inversion_throughputs(G, Xn, 100, jit_compile=False, **kwargs)
    assert r["source_loop"] == 5 / 0.5 and r["efficient_numpy"] == 10 / 0.25
    assert r["batched_tf"] == 2 * 3 * 4 / (3.0 - 2.0)
    assert r["speedup"] == r["batched_tf"] / r["source_loop"]
    assert r["speedup_vs_numpy"] == r["batched_tf"] / r["efficient_numpy"]
    assert r["flops_per_image_iteration"] == 4 * (10 * 128 + 128 * 100)
    calls.clear()
    monkeypatch.setattr(throughput, "best_time", lambda fn, repeats: calls.append(fn) or 1.0)
    with pytest.raises(RuntimeError, match="too noisy"):  # twice the steps took no longer: no rate
        throughput.inversion_throughputs(G, Xn, 100, jit_compile=False, **kwargs)
