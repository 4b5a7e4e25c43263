"""NumPy forward propagation against Keras Dense layers holding the same weights."""

import numpy as np
import pytest

from coursework_lib.maths import mlp


def test_dense_forward_matches_keras_dense():
    import keras

    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 4)).astype(np.float32)
    layer = keras.layers.Dense(3)
    layer.build((None, 4))
    W, b = rng.normal(size=(4, 3)).astype(np.float32), rng.normal(size=3).astype(np.float32)
    layer.set_weights([W, b])
    np.testing.assert_allclose(mlp.dense_forward(X, W, b), layer(X).numpy(), rtol=1e-5, atol=1e-6)


def test_mlp_forward_matches_keras_sequential():
    import keras

    params = mlp.init_mlp_params([6, 8, 5, 3], seed=3)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dense(5, activation="tanh"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.set_weights([w for pair in params for w in pair])
    X = np.random.default_rng(4).normal(size=(10, 6))
    A = mlp.mlp_forward(X, params, hidden_activation="tanh")
    assert [a.shape for a in A] == [(10, 6), (10, 8), (10, 5), (10, 3)]
    np.testing.assert_allclose(A[-1], model(X.astype(np.float32)).numpy(), rtol=1e-4, atol=1e-6)


def test_he_initialisation_scale():
    ((W, b),) = mlp.init_mlp_params([2000, 500], seed=0)
    assert W.std() == pytest.approx(np.sqrt(2 / 2000), rel=0.02)
    assert not b.any()


def test_shape_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"W must have shape \(3, d_out\)"):
        mlp.dense_forward(np.zeros((2, 3)), np.zeros((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        mlp.dense_forward(np.zeros((2, 3)), np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="A_prev must have 2 dimensions"):
        mlp.dense_forward(np.zeros(3), np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="layer_sizes"):
        mlp.init_mlp_params([3])


# ---- Chapter 2: backpropagation ----------------------------------------------------------------


def _small_problem(seed=5, sizes=(6, 7, 5, 4), n=8):
    rng = np.random.default_rng(seed)
    params = mlp.init_mlp_params(list(sizes), seed=seed)
    params = [(W, rng.normal(0, 0.1, size=b.shape)) for W, b in params]  # non-zero biases
    return rng.normal(size=(n, sizes[0])), rng.integers(0, sizes[-1], size=n), params


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_backprop_matches_central_finite_differences(activation):
    X, y, params = _small_problem()
    _, grads = mlp.mlp_loss_and_gradients(X, y, params, activation)
    for layer in range(len(params)):
        for which in (0, 1):

            def loss_of(value):
                changed = [list(p) for p in params]
                changed[layer][which] = value
                return mlp.mlp_loss_and_gradients(X, y, [tuple(p) for p in changed], activation)[0]

            numeric = mlp.numerical_gradient(loss_of, params[layer][which], eps=1e-6)
            assert mlp.relative_error(grads[layer][which], numeric) < 1e-6, (activation, layer, which)


def test_backprop_matches_tensorflow_gradient_tape():
    import tensorflow as tf

    X, y, params = _small_problem(seed=9, sizes=(10, 16, 12, 3), n=20)
    loss, grads = mlp.mlp_loss_and_gradients(X, y, params, "relu")
    variables = [tf.Variable(w) for pair in params for w in pair]
    with tf.GradientTape() as tape:
        A = tf.constant(X)
        for layer in range(len(params)):
            Z = A @ variables[2 * layer] + variables[2 * layer + 1]
            A = tf.nn.relu(Z) if layer < len(params) - 1 else Z
        tf_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=Z))
    tf_grads = tape.gradient(tf_loss, variables)
    assert loss == pytest.approx(float(tf_loss), rel=1e-12)
    for ours, theirs in zip([g for pair in grads for g in pair], tf_grads):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-9, atol=1e-12)


def test_softmax_cross_entropy_is_stable_and_matches_keras():
    import keras

    Z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    y = np.array([1, 2])
    expected = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, Z.astype(np.float64))
    assert mlp.softmax_cross_entropy(Z, y) == pytest.approx(float(expected), rel=1e-6)
    assert np.all(np.isfinite(mlp.softmax_cross_entropy_gradient(Z, y)))


def test_dense_backward_matches_finite_differences():
    rng = np.random.default_rng(2)
    A_prev, W, b, dZ = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5), rng.normal(size=(4, 5))
    dA, dW, db = mlp.dense_backward(dZ, A_prev, W)
    assert (
        mlp.relative_error(dW, mlp.numerical_gradient(lambda W_: np.sum(mlp.dense_forward(A_prev, W_, b) * dZ), W))
        < 1e-8
    )
    assert (
        mlp.relative_error(dA, mlp.numerical_gradient(lambda A_: np.sum(mlp.dense_forward(A_, W, b) * dZ), A_prev))
        < 1e-8
    )
    assert (
        mlp.relative_error(db, mlp.numerical_gradient(lambda b_: np.sum(mlp.dense_forward(A_prev, W, b_) * dZ), b))
        < 1e-8
    )


def test_sgd_step_on_a_quadratic_has_the_closed_form_step():
    W, b = np.array([[2.0, -1.0]]), np.array([0.5, 4.0])
    ((W_new, b_new),) = mlp.sgd_step([(W, b)], [(2 * W, 2 * b)], lr=0.25)  # gradient of ||W||^2 + ||b||^2
    np.testing.assert_allclose(W_new, 0.5 * W)
    np.testing.assert_allclose(b_new, 0.5 * b)


def test_train_mlp_learns_a_separable_problem_and_matches_backprop_loss():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    params, history = mlp.train_mlp(
        X, y, [2, 8, 2], lr=0.5, num_epochs=20, batch_size=20, seed=1, dtype=np.float64, verbose=False
    )
    assert len(history["loss"]) == 20 and history["loss"][-1] < history["loss"][0]
    assert mlp.accuracy(mlp.mlp_predict(X, params), y) > 0.95
    # The fast training loop's gradient = the checked one: one step from the same start agrees.
    start = mlp.init_mlp_params([2, 8, 2], seed=1)
    _, grads = mlp.mlp_loss_and_gradients(X, y, start)
    stepped = mlp.sgd_step(start, grads, lr=0.5)
    trained, _ = mlp.train_mlp(
        X, y, [2, 8, 2], lr=0.5, num_epochs=1, batch_size=400, seed=1, dtype=np.float64, verbose=False
    )
    for (W1, b1), (W2, b2) in zip(stepped, trained):
        np.testing.assert_allclose(W1, W2, rtol=1e-12)
        np.testing.assert_allclose(b1, b2, rtol=1e-12, atol=1e-15)


def test_backprop_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"y must have shape \(3,\)"):
        mlp.softmax_cross_entropy(np.zeros((3, 4)), np.zeros(2, dtype=int))
    with pytest.raises(ValueError, match=r"labels in \[0, 4\)"):
        mlp.softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 4]))
    with pytest.raises(TypeError, match="integer class labels"):
        mlp.softmax_cross_entropy_gradient(np.zeros((2, 4)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"W must have shape \(3, 5\)"):
        mlp.dense_backward(np.zeros((4, 5)), np.zeros((4, 3)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="lr must be positive"):
        mlp.sgd_step([(np.zeros((1, 1)), np.zeros(1))], [(np.zeros((1, 1)), np.zeros(1))], lr=-1.0)
    np.testing.assert_array_equal(mlp.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
