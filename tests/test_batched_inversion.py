"""The batched TensorFlow inversion against the one-image NumPy descent, a dense T against a mask, and
recovery of an image in the generator's range."""

import numpy as np
import pytest
from helpers import random_generator

from coursework_lib.maths import measurements as ms
from coursework_lib.restoration import batched_inversion as binv
from coursework_lib.restoration.generators import DenseGenerator
from coursework_lib.restoration.source_inversion import source_gradient_descent


def problem(seed=0, N=300):
    G = random_generator(seed)
    rng = np.random.default_rng(seed + 100)
    T = ms.first_pixels_matrix(N)
    Xn = T @ G(rng.standard_normal(10)) + 0.1 * rng.standard_normal(T.shape[0])
    return G, T, Xn, rng.standard_normal(10)


@pytest.mark.parametrize("jit_compile", [False, True])
def test_batched_tf_gd_follows_the_numpy_descent(jit_compile):
    G, T, Xn, Z = problem(6, N=300)
    z_np, costs = source_gradient_descent(G, Xn, Z, observed=np.arange(300), lr=1e-4, num_iters=100)
    out = binv.invert_batch(
        G,
        Xn[None],
        observed=np.arange(300),
        cost="source",
        method="gd",
        lr=1e-4,
        num_steps=100,
        Z0=Z[None],
        record_every=10,
        jit_compile=jit_compile,
    )
    np.testing.assert_allclose(out["z"][0], z_np, rtol=2e-3, atol=2e-3)
    np.testing.assert_allclose(out["history"][:, 0, 0], costs[::10], rtol=1e-4)


def test_batched_mask_equals_dense_operator_and_keeps_the_best_restart():
    G, T, Xn, _ = problem(7, N=200)
    Y = np.stack([Xn, Xn[::-1]])
    kwargs = dict(cost="squared", lam=0.01, num_restarts=3, num_steps=50, lr=0.05, seed=1)
    a = binv.invert_batch(G, Y, observed=np.arange(200), **kwargs)
    b = binv.invert_batch(G, Y, T=T, **kwargs)
    np.testing.assert_allclose(a["costs"], b["costs"], rtol=1e-3)
    assert a["costs"].shape == (3, 2)
    np.testing.assert_allclose(a["cost"], a["costs"].min(axis=0))
    # the returned image is G(z) of the returned z
    np.testing.assert_allclose(a["X"], G(a["z"].T).T, atol=1e-5)


def test_batched_inversion_recovers_an_image_in_the_range():
    rng = np.random.default_rng(8)
    W = (
        (rng.normal(0, 0.4, (5, 64)).astype(np.float32), np.zeros(64, np.float32)),
        (rng.normal(0, 0.4, (64, 784)).astype(np.float32), np.zeros(784, np.float32)),
    )
    G = DenseGenerator(W)
    x_true = G.numpy_forward(rng.standard_normal((4, 5)).astype(np.float32))
    out = binv.invert_batch(G, x_true, lam=0.0, num_restarts=4, num_steps=600, lr=0.05, seed=0)
    assert np.mean((out["X"] - x_true) ** 2) < 1e-4


def small_dense_generator(seed=8):
    rng = np.random.default_rng(seed)
    return DenseGenerator(
        (
            (rng.normal(0, 0.4, (5, 64)).astype(np.float32), np.zeros(64, np.float32)),
            (rng.normal(0, 0.4, (64, 784)).astype(np.float32), np.zeros(784, np.float32)),
        )
    )


def test_select_by_measurement_keeps_the_restart_with_the_lowest_data_misfit():
    G = small_dense_generator(9)
    rng = np.random.default_rng(10)
    A = ms.gaussian_measurement_matrix(40, seed=11)
    Y = G.numpy_forward(rng.standard_normal((3, 5)).astype(np.float32)) @ A.T + 0.05 * rng.standard_normal((3, 40))
    kwargs = dict(T=A, lam=1.0, num_restarts=5, num_steps=30, lr=0.05, seed=2)
    out = binv.invert_batch(G, Y, select="measurement", **kwargs)
    misfit = np.sum((out["X"] @ A.T - Y) ** 2, axis=1)  # NumPy, from the returned images
    np.testing.assert_allclose(misfit, out["measurement"].min(axis=0), rtol=1e-3)
    by_cost = binv.invert_batch(G, Y, select="cost", **kwargs)
    np.testing.assert_allclose(by_cost["cost"], by_cost["costs"].min(axis=0))
    np.testing.assert_allclose(by_cost["costs"], out["costs"], rtol=1e-5)  # same runs, another choice


def test_sparse_deviation_is_the_soft_thresholded_residual():
    """Without T, min_nu ||G(z) + nu - y||^2 + w ||nu||_1 is nu = soft(y - G(z), w / 2) for the final z."""
    G = small_dense_generator(12)
    rng = np.random.default_rng(13)
    y = G.numpy_forward(rng.standard_normal((2, 5)).astype(np.float32))
    spikes = np.zeros_like(y)
    spikes[:, rng.choice(784, 15, replace=False)] = 0.6
    y = np.clip(y + spikes, 0, 1)
    w = 0.2
    out = binv.invert_batch(G, y, lam=0.0, num_restarts=2, num_steps=400, lr=0.05, sparse_weight=w, seed=0)
    residual = y - G.numpy_forward(out["z"])
    expected = np.sign(residual) * np.maximum(np.abs(residual) - w / 2, 0.0)
    np.testing.assert_allclose(out["nu"], expected, atol=1e-4)
    np.testing.assert_allclose(out["X"], np.clip(G.numpy_forward(out["z"]) + out["nu"], 0, 1), atol=1e-6)
    plain = binv.invert_batch(G, y, lam=0.0, num_restarts=2, num_steps=400, lr=0.05, seed=0)
    assert np.mean((out["X"] - y) ** 2) < np.mean((plain["X"] - y) ** 2)  # the spikes are now explained


def test_errors_name_the_argument():
    G, T, Xn, _ = problem(0)
    with pytest.raises(ValueError, match="observed"):
        binv.invert_batch(G, Xn[None], observed=np.arange(10))
    with pytest.raises(ValueError, match="cost"):
        binv.invert_batch(G, Xn[None], T=T, cost="report")
    with pytest.raises(TypeError, match="G"):
        binv.invert_batch("not a generator", Xn[None], T=T)
    with pytest.raises(ValueError, match="select"):
        binv.invert_batch(G, Xn[None], T=T, select="best")
    with pytest.raises(ValueError, match="sparse_weight"):
        binv.invert_batch(G, Xn[None], T=T, sparse_weight=-1.0)
    with pytest.raises(ValueError, match="sparse_weight"):
        binv.invert_batch(G, Xn[None], observed=np.arange(Xn.size), sparse_weight=0.1)
