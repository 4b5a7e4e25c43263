"""Initialisation scales against closed forms, Keras's variance-scaling initialisers, and measured variances."""

import numpy as np
import pytest

from coursework_lib.maths import gradient_flow, initialisation, mlp


def test_closed_forms():
    assert initialisation.xavier_std(3, 5) == pytest.approx(0.5)
    assert initialisation.he_std(8) == pytest.approx(0.5)


@pytest.mark.parametrize(("scheme", "keras_args"), [("xavier", (1.0, "fan_avg")), ("he", (2.0, "fan_in"))])
def test_sample_std_matches_keras_variance_scaling(scheme, keras_args):
    import keras

    scale, mode = keras_args
    keras_W = keras.initializers.VarianceScaling(scale, mode, "untruncated_normal", seed=0)((300, 500)).numpy()
    ((W, b),) = initialisation.init_params([300, 500], scheme, seed=0)
    assert W.shape == (300, 500) and np.all(b == 0)
    assert W.std() == pytest.approx(keras_W.std(), rel=0.01)
    assert abs(W.mean()) < 1e-3


def test_gain_scales_and_he_matches_the_mlp_default():
    ours = initialisation.init_params([20, 30, 4], "he", seed=5)
    for (W, _), (W_mlp, _) in zip(ours, mlp.init_mlp_params([20, 30, 4], seed=5)):
        np.testing.assert_array_equal(W, W_mlp)
    doubled = initialisation.init_params([20, 30, 4], "he", gain=2.0, seed=5)
    np.testing.assert_allclose(doubled[0][0], 2.0 * ours[0][0])


def test_variance_preservation_as_derived():
    X = np.random.default_rng(0).normal(size=(2000, 512))
    sizes = [512] * 6
    he = gradient_flow.preactivation_variances(X, initialisation.init_params(sizes, "he", seed=1), "relu")
    xavier = gradient_flow.preactivation_variances(X, initialisation.init_params(sizes, "xavier", seed=1), "relu")
    # He: Var(Z_1) = fan_in * (2/fan_in) * E[x^2] = 2, then each ReLU layer keeps it.
    np.testing.assert_allclose(he, 2.0, rtol=0.15)
    # Xavier with fan_in = fan_out: Var(Z_1) = 1, then each ReLU halves it.
    np.testing.assert_allclose(xavier, 0.5 ** np.arange(5), rtol=0.15)


def test_constant_init_keeps_hidden_units_identical_under_backprop():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(16, 5)), rng.integers(0, 3, size=16)
    params = initialisation.constant_params([5, 4, 3], 0.3)
    for _ in range(5):
        _, grads = mlp.mlp_loss_and_gradients(X, y, params)
        params = mlp.sgd_step(params, grads, 0.5)
    W1, W2 = params[0][0], params[1][0]
    assert np.ptp(W1, axis=1).max() == 0.0 and np.ptp(W2, axis=0).max() == 0.0
    assert np.abs(W1 - 0.3).max() > 1e-3  # the weights did move, all together


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="scheme"):
        initialisation.init_params([3, 2], "lecun")
    with pytest.raises(ValueError, match="fan_in"):
        initialisation.xavier_std(0, 3)
    with pytest.raises(ValueError, match="gain"):
        initialisation.init_params([3, 2], gain=-1.0)
    with pytest.raises(ValueError, match="layer_sizes"):
        initialisation.constant_params([3])
