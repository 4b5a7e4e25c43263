"""NumPy forward propagation against Keras Dense layers holding the same weights."""

import numpy as np
import pytest

from coursework_lib import mlp


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
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dense(5, activation="tanh"), keras.layers.Dense(3, activation="softmax")])
    model.set_weights([w for pair in params for w in pair])
    X = np.random.default_rng(4).normal(size=(10, 6))
    A = mlp.mlp_forward(X, params, hidden_activation="tanh")
    assert [a.shape for a in A] == [(10, 6), (10, 8), (10, 5), (10, 3)]
    np.testing.assert_allclose(A[-1], model(X.astype(np.float32)).numpy(), rtol=1e-4, atol=1e-6)


def test_he_initialisation_scale():
    (W, b), = mlp.init_mlp_params([2000, 500], seed=0)
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
