"""Stored-activation counts against the arrays the forward pass keeps; forward and reverse mode against
finite differences and TensorFlow's forward-mode accumulator."""

import numpy as np
import pytest

from coursework_lib.maths import autodiff_cost, mlp


def test_stored_activation_floats_counts_the_arrays_backprop_keeps():
    assert autodiff_cost.stored_activation_floats([784, 128, 10], 64) == 64 * (784 + 128 + 128 + 10)
    sizes, n = [6, 5, 7, 3, 2], 4
    Zs, As = mlp.mlp_logits(np.zeros((n, 6)), mlp.init_mlp_params(sizes))
    assert autodiff_cost.stored_activation_floats(sizes, n) == sum(a.size for a in Zs + As)
    with pytest.raises(ValueError, match="batch_size"):
        autodiff_cost.stored_activation_floats(sizes, 0)


def test_parameter_count_matches_keras():
    import keras

    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(128), keras.layers.Dense(10)])
    assert autodiff_cost.parameter_count([784, 128, 10]) == model.count_params()


def _small_problem():
    rng = np.random.default_rng(0)
    params = [(W, rng.normal(0, 0.1, size=b.shape)) for W, b in mlp.init_mlp_params([5, 6, 4, 3], seed=2)]
    return rng.normal(size=(3, 5)), rng.integers(0, 3, size=3), params, rng


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_both_modes_match_finite_differences(activation):
    X, y, params, _ = _small_problem()

    def loss_of_X(X_):
        return mlp.softmax_cross_entropy(mlp.mlp_logits(X_, params, activation)[0][-1], y)

    numeric = mlp.numerical_gradient(loss_of_X, X)
    reverse = autodiff_cost.input_gradient_reverse(X, y, params, activation)
    forward = autodiff_cost.input_gradient_forward(X, y, params, activation)
    assert reverse.shape == forward.shape == X.shape
    assert mlp.relative_error(reverse, numeric) < 1e-7
    assert mlp.relative_error(forward, numeric) < 1e-7


def test_jvp_matches_tensorflow_forward_accumulator():
    import tensorflow as tf

    X, y, params, rng = _small_problem()
    V = rng.normal(size=X.shape)
    x = tf.constant(X)
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=tf.constant(V)) as acc:
        A = x
        for layer, (W, b) in enumerate(params):
            Z = A @ W + b
            A = tf.nn.relu(Z) if layer < len(params) - 1 else Z
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=Z))
    assert autodiff_cost.loss_jvp(X, y, params, V) == pytest.approx(float(acc.jvp(loss)), rel=1e-10)
    with pytest.raises(ValueError, match="V"):
        autodiff_cost.loss_jvp(X, y, params, V[:, :2])
