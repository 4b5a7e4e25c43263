"""Per-layer gradient norms against TensorFlow's automatic differentiation; the sigmoid chain bound."""

import numpy as np
import pytest

from coursework_lib.maths import gradient_flow, initialisation


def _tf_norms(X, y, params, activation):
    import tensorflow as tf

    f = {"sigmoid": tf.sigmoid, "relu": tf.nn.relu, "tanh": tf.tanh}[activation]
    Ws = [tf.Variable(W) for W, _ in params]
    with tf.GradientTape() as tape:
        A, Zs = tf.constant(X), []
        for layer, (W, (_, b)) in enumerate(zip(Ws, params)):
            Z = A @ W + b
            Zs.append(Z)
            A = f(Z) if layer < len(params) - 1 else Z
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=Z))
    dZs, dWs = tape.gradient(loss, [Zs, Ws])
    return [np.linalg.norm(g.numpy()) for g in dZs], [np.linalg.norm(g.numpy()) for g in dWs], float(loss)


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
def test_layer_gradient_norms_match_tensorflow(activation):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 7)), rng.integers(0, 4, size=12)
    params = [(W, rng.normal(0, 0.1, size=b.shape)) for W, b in initialisation.init_params([7, 9, 8, 6, 4], seed=3)]
    ours = gradient_flow.layer_gradient_norms(X, y, params, activation)
    dZ, dW, loss = _tf_norms(X, y, params, activation)
    np.testing.assert_allclose(ours["dZ"], dZ, rtol=1e-10)
    np.testing.assert_allclose(ours["dW"], dW, rtol=1e-10)
    assert ours["loss"] == pytest.approx(loss, rel=1e-12)


def test_mean_derivative_is_at_most_a_quarter_for_sigmoid():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 10))
    params = initialisation.init_params([10, 20, 20, 3], "xavier", seed=0)
    means = gradient_flow.mean_derivative_per_layer(X, params, "sigmoid")
    assert means.shape == (2,) and np.all(means <= 0.25) and np.all(means > 0.15)
    relu = gradient_flow.mean_derivative_per_layer(X, params, "relu")
    assert np.all((relu > 0.3) & (relu < 0.7))  # about half the units are active


def test_sigmoid_chain_bound_holds_for_random_chains():
    assert gradient_flow.sigmoid_chain_bound(4, 2.0) == pytest.approx(0.0625)
    rng = np.random.default_rng(2)
    depth, bound = 6, 3.0
    limit = gradient_flow.sigmoid_chain_bound(depth, bound)
    for _ in range(200):
        w, a0 = rng.uniform(-bound, bound, size=depth), rng.normal()

        def chain(a):
            for w_k in w:
                a = 1.0 / (1.0 + np.exp(-w_k * a))
            return a

        slope = (chain(a0 + 1e-6) - chain(a0 - 1e-6)) / 2e-6
        assert abs(slope) <= limit * (1 + 1e-6)
    with pytest.raises(ValueError, match="depth"):
        gradient_flow.sigmoid_chain_bound(0, 1.0)
    with pytest.raises(ValueError, match="weight_bound"):
        gradient_flow.sigmoid_chain_bound(3, -1.0)
