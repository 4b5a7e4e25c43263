"""The hand-derived gradient against finite differences and tf.GradientTape; optimisers against
Keras' Adam; the fast and batched inversions against the report's loop."""

import numpy as np
import pytest

from coursework_lib import inversion as inv
from coursework_lib import measurements as ms
from coursework_lib.generators import DenseGenerator, ReportGenerator


def random_generator(seed=0, latent=10, hidden=128, out=784):
    rng = np.random.default_rng(seed)
    return ReportGenerator(rng.normal(0, 0.5, (hidden, latent)), rng.normal(0, 0.1, (hidden, 1)),
                           rng.normal(0, 0.3, (out, hidden)), rng.normal(0, 0.1, (out, 1)))


def problem(seed=0, operator="mask", N=300):
    G = random_generator(seed)
    rng = np.random.default_rng(seed + 100)
    T = ms.first_pixels_matrix(N) if operator == "mask" else (
        ms.average_pooling_matrix() if operator == "pool" else ms.gaussian_measurement_matrix(N, seed=seed))
    Xn = T @ G(rng.standard_normal(10)) + 0.1 * rng.standard_normal(T.shape[0])
    return G, T, Xn, rng.standard_normal(10)


@pytest.mark.parametrize("operator", ["mask", "pool", "gauss"])
def test_report_gradient_matches_finite_differences(operator):
    G, T, Xn, Z = problem(1, operator)
    grad = inv.generator_gradient(G, Z, T, Xn)
    h = 1e-6
    numeric = np.array([(inv.generator_cost(G, Z + h * e, T, Xn) - inv.generator_cost(G, Z - h * e, T, Xn)) / (2 * h)
                        for e in np.eye(10)])
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("operator", ["mask", "pool"])
def test_report_gradient_matches_gradient_tape(operator):
    import tensorflow as tf

    G, T, Xn, Z = problem(2, operator)
    z = tf.Variable(Z[:, None])
    with tf.GradientTape() as tape:
        W1 = tf.constant(G.A1) @ z + G.B1
        X = 1.0 / (1.0 + tf.exp(tf.constant(G.A2) @ tf.nn.relu(W1) + G.B2))
        J = T.shape[0] * tf.math.log(tf.reduce_sum((tf.constant(T) @ X - Xn[:, None]) ** 2)) + tf.reduce_sum(z ** 2)
    np.testing.assert_allclose(float(J), inv.generator_cost(G, Z, T, Xn), rtol=1e-12)
    np.testing.assert_allclose(inv.generator_gradient(G, Z, T, Xn), tape.gradient(J, z).numpy()[:, 0],
                               rtol=1e-9, atol=1e-9)


def test_fast_problem_equals_the_reports_formulas():
    G, T, Xn, Z = problem(3, "mask", N=350)
    for fast in (inv.FastProblem(G, Xn, observed=np.arange(350)), inv.FastProblem(G, Xn, T=T)):
        J, grad = fast.cost_and_gradient(Z)
        assert J == pytest.approx(inv.generator_cost(G, Z, T, Xn), rel=1e-12)
        np.testing.assert_allclose(grad, inv.generator_gradient(G, Z, T, Xn), rtol=1e-10, atol=1e-12)


def test_fast_descent_follows_the_reports_loop():
    G, T, Xn, Z = problem(4, "mask", N=400)
    z_report, costs_report = inv.report_gradient_descent(G, T, Xn, Z, lr=1e-4, num_iters=200)
    z_fast, costs_fast = inv.fast_gradient_descent(G, Xn, Z, observed=np.arange(400), lr=1e-4, num_iters=200)
    np.testing.assert_allclose(z_fast, z_report, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(costs_fast, costs_report, rtol=1e-10)
    assert costs_report[-1] < costs_report[0]


def test_adam_step_matches_keras_adam():
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(5)
    z0, target = rng.normal(size=6), rng.normal(size=6)
    var = tf.Variable(z0.astype(np.float64))
    opt = keras.optimizers.Adam(learning_rate=0.05, beta_1=0.9, beta_2=0.85, epsilon=1e-12)
    z, m, v = z0.copy(), np.zeros(6), np.zeros(6)
    for t in range(1, 21):
        grad = 2 * (z - target) * np.arange(1, 7)
        z, m, v = inv.adam_step(z, grad, m, v, t, lr=0.05, beta1=0.9, beta2=0.85, eps=1e-12)
        opt.apply_gradients([(tf.constant(2 * (var.numpy() - target) * np.arange(1, 7)), var)])
    np.testing.assert_allclose(z, var.numpy(), rtol=1e-6, atol=1e-8)


def test_gradient_descent_on_a_quadratic_matches_closed_form():
    # J = ||z - c||^2: each GD step multiplies the error by (1 - 2 lr)
    c = np.array([1.0, -2.0, 3.0])
    z, costs = inv.minimize(lambda z: (np.sum((z - c) ** 2), 2 * (z - c)), np.zeros(3), method="gd",
                            lr=0.1, num_iters=10)
    np.testing.assert_allclose(z - c, -c * 0.8 ** 10)
    np.testing.assert_allclose(costs, np.sum(c ** 2) * 0.64 ** np.arange(10))


@pytest.mark.parametrize("jit_compile", [False, True])
def test_batched_tf_gd_follows_the_numpy_descent(jit_compile):
    G, T, Xn, Z = problem(6, "mask", N=300)
    z_np, costs = inv.fast_gradient_descent(G, Xn, Z, observed=np.arange(300), lr=1e-4, num_iters=100)
    out = inv.invert_batch(G, Xn[None], observed=np.arange(300), cost="report", method="gd", lr=1e-4,
                           num_steps=100, Z0=Z[None], record_every=10, jit_compile=jit_compile)
    np.testing.assert_allclose(out["z"][0], z_np, rtol=2e-3, atol=2e-3)
    np.testing.assert_allclose(out["history"][:, 0, 0], costs[::10], rtol=1e-4)


def test_batched_mask_equals_dense_operator_and_keeps_the_best_restart():
    G, T, Xn, _ = problem(7, "mask", N=200)
    Y = np.stack([Xn, Xn[::-1]])
    kwargs = dict(cost="squared", lam=0.01, num_restarts=3, num_steps=50, lr=0.05, seed=1)
    a = inv.invert_batch(G, Y, observed=np.arange(200), **kwargs)
    b = inv.invert_batch(G, Y, T=T, **kwargs)
    np.testing.assert_allclose(a["costs"], b["costs"], rtol=1e-3)
    assert a["costs"].shape == (3, 2)
    np.testing.assert_allclose(a["cost"], a["costs"].min(axis=0))
    # the returned image is G(z) of the returned z
    np.testing.assert_allclose(a["X"], G(a["z"].T).T, atol=1e-5)


def test_batched_inversion_recovers_an_image_in_the_range():
    rng = np.random.default_rng(8)
    W = ((rng.normal(0, 0.4, (5, 64)).astype(np.float32), np.zeros(64, np.float32)),
         (rng.normal(0, 0.4, (64, 784)).astype(np.float32), np.zeros(784, np.float32)))
    G = DenseGenerator(W)
    x_true = G.numpy_forward(rng.standard_normal((4, 5)).astype(np.float32))
    out = inv.invert_batch(G, x_true, lam=0.0, num_restarts=4, num_steps=600, lr=0.05, seed=0)
    assert np.mean((out["X"] - x_true) ** 2) < 1e-4


def test_flop_count_of_the_eights_problem():
    G = random_generator()
    assert inv.inversion_flops_per_step(G, 500) == 4 * (10 * 128 + 128 * 500)


def test_errors_name_the_argument():
    G, T, Xn, Z = problem(0)
    with pytest.raises(ValueError, match="Xn"):
        inv.report_gradient(Z, G.A1, G.B1, G.A2, G.B2, T, Xn[:-1])
    with pytest.raises(ValueError, match="method"):
        inv.minimize(lambda z: (0.0, z), Z, method="sgd")
    with pytest.raises(ValueError, match="observed"):
        inv.invert_batch(G, Xn[None], observed=np.arange(10))
    with pytest.raises(ValueError, match="one of T"):
        inv.FastProblem(G, Xn)
