"""The source's hand-derived gradient against finite differences and tf.GradientTape; the efficient
loop against the source's loop as written; the optimisers against Keras' Adam and a closed form."""

import numpy as np
import pytest
from helpers import random_generator

from coursework_lib.maths import measurements as ms
from coursework_lib.restoration import source_inversion as inv


def problem(seed=0, operator="mask", N=300):
    G = random_generator(seed)
    rng = np.random.default_rng(seed + 100)
    T = (
        ms.first_pixels_matrix(N)
        if operator == "mask"
        else (ms.average_pooling_matrix() if operator == "pool" else ms.gaussian_measurement_matrix(N, seed=seed))
    )
    Xn = T @ G(rng.standard_normal(10)) + 0.1 * rng.standard_normal(T.shape[0])
    return G, T, Xn, rng.standard_normal(10)


@pytest.mark.parametrize("operator", ["mask", "pool", "gauss"])
def test_source_gradient_matches_finite_differences(operator):
    G, T, Xn, Z = problem(1, operator)
    grad = inv.generator_gradient(G, Z, T, Xn)
    h = 1e-6
    numeric = np.array(
        [
            (inv.generator_cost(G, Z + h * e, T, Xn) - inv.generator_cost(G, Z - h * e, T, Xn)) / (2 * h)
            for e in np.eye(10)
        ]
    )
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("operator", ["mask", "pool"])
def test_source_gradient_matches_gradient_tape(operator):
    import tensorflow as tf

    G, T, Xn, Z = problem(2, operator)
    z = tf.Variable(Z[:, None])
    with tf.GradientTape() as tape:
        W1 = tf.constant(G.A1) @ z + G.B1
        X = 1.0 / (1.0 + tf.exp(tf.constant(G.A2) @ tf.nn.relu(W1) + G.B2))
        J = T.shape[0] * tf.math.log(tf.reduce_sum((tf.constant(T) @ X - Xn[:, None]) ** 2)) + tf.reduce_sum(z**2)
    np.testing.assert_allclose(float(J), inv.generator_cost(G, Z, T, Xn), rtol=1e-12)
    np.testing.assert_allclose(
        inv.generator_gradient(G, Z, T, Xn), tape.gradient(J, z).numpy()[:, 0], rtol=1e-9, atol=1e-9
    )


def test_source_cost_object_equals_the_sources_formulas():
    G, T, Xn, Z = problem(3, "mask", N=350)
    for cost in (inv.SourceCost(G, Xn, observed=np.arange(350)), inv.SourceCost(G, Xn, T=T)):
        J, grad = cost.cost_and_gradient(Z)
        assert J == pytest.approx(inv.generator_cost(G, Z, T, Xn), rel=1e-12)
        np.testing.assert_allclose(grad, inv.generator_gradient(G, Z, T, Xn), rtol=1e-10, atol=1e-12)


def test_efficient_descent_follows_the_sources_loop():
    G, T, Xn, Z = problem(4, "mask", N=400)
    z_source, costs_source = inv.source_gradient_descent_as_written(G, T, Xn, Z, lr=1e-4, num_iters=200)
    z_fast, costs_fast = inv.source_gradient_descent(G, Xn, Z, observed=np.arange(400), lr=1e-4, num_iters=200)
    np.testing.assert_allclose(z_fast, z_source, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(costs_fast, costs_source, rtol=1e-10)
    assert costs_source[-1] < costs_source[0]


def test_minimize_with_adam_matches_keras_adam():
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(5)
    z0, target = rng.normal(size=6), rng.normal(size=6)
    scale = np.arange(1, 7)
    var = tf.Variable(z0.astype(np.float64))
    opt = keras.optimizers.Adam(learning_rate=0.05, beta_1=0.9, beta_2=0.85, epsilon=1e-12)
    for _ in range(20):
        opt.apply_gradients([(tf.constant(2 * (var.numpy() - target) * scale), var)])
    z, costs = inv.minimize(
        lambda z: (np.sum(scale * (z - target) ** 2), 2 * (z - target) * scale),
        z0,
        method="adam",
        lr=0.05,
        beta1=0.9,
        beta2=0.85,
        eps=1e-12,
        num_iters=20,
    )
    np.testing.assert_allclose(z, var.numpy(), rtol=1e-6, atol=1e-8)
    assert costs[0] == pytest.approx(np.sum(scale * (z0 - target) ** 2))


def test_keras_epsilon_placement_matches_keras_adam_with_a_large_epsilon():
    """With eps = 0.1 the placements differ visibly; "keras" must follow keras.optimizers.Adam."""
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(6)
    z0, target = rng.normal(size=4), rng.normal(size=4)
    var = tf.Variable(z0.astype(np.float64))
    opt = keras.optimizers.Adam(learning_rate=0.05, beta_1=0.9, beta_2=0.85, epsilon=0.1)
    for _ in range(15):
        opt.apply_gradients([(tf.constant(2 * (var.numpy() - target)), var)])
    kwargs = dict(method="adam", lr=0.05, beta1=0.9, beta2=0.85, eps=0.1, num_iters=15)
    cost = lambda z: (np.sum((z - target) ** 2), 2 * (z - target))  # noqa: E731
    z_keras, _ = inv.minimize(cost, z0, epsilon_placement="keras", **kwargs)
    z_text, _ = inv.minimize(cost, z0, **kwargs)
    np.testing.assert_allclose(z_keras, var.numpy(), rtol=1e-6, atol=1e-8)
    assert np.abs(z_text - z_keras).max() > 1e-3
    with pytest.raises(ValueError, match="epsilon_placement"):
        inv.minimize(cost, z0, epsilon_placement="pytorch", **kwargs)


def test_gradient_descent_on_a_quadratic_matches_closed_form():
    # J = ||z - c||^2: each GD step multiplies the error by (1 - 2 lr)
    c = np.array([1.0, -2.0, 3.0])
    z, costs = inv.minimize(
        lambda z: (np.sum((z - c) ** 2), 2 * (z - c)), np.zeros(3), method="gd", lr=0.1, num_iters=10
    )
    np.testing.assert_allclose(z - c, -c * 0.8**10)
    np.testing.assert_allclose(costs, np.sum(c**2) * 0.64 ** np.arange(10))


def test_errors_name_the_argument():
    G, T, Xn, Z = problem(0)
    with pytest.raises(ValueError, match="Xn"):
        inv.source_gradient(Z, G.A1, G.B1, G.A2, G.B2, T, Xn[:-1])
    with pytest.raises(ValueError, match="method"):
        inv.minimize(lambda z: (0.0, z), Z, method="sgd")
    with pytest.raises(ValueError, match="one of T"):
        inv.SourceCost(G, Xn)
    with pytest.raises(TypeError, match="observed"):
        inv.SourceCost(G, Xn, observed=np.arange(300.0))
