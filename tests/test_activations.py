"""Activations against closed forms, derivatives against central finite differences."""

import numpy as np
import pytest

from coursework_lib.maths import activations as act


def central_difference(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


# Points away from the kinks of ReLU and leaky ReLU at 0.
Z = np.array([-3.7, -1.2, -0.31, 0.27, 0.9, 2.5, 4.1])


@pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
def test_derivative_matches_finite_differences(name):
    f, f_prime = act.get_activation(name)
    np.testing.assert_allclose(f_prime(Z), central_difference(f, Z), rtol=1e-7, atol=1e-9)


def test_leaky_relu_alpha_is_used_by_function_and_derivative():
    def f(z):
        return act.leaky_relu(z, alpha=0.2)

    np.testing.assert_allclose(act.leaky_relu_derivative(Z, alpha=0.2), central_difference(f, Z), rtol=1e-7)
    assert act.leaky_relu(np.array([-2.0]), alpha=0.2)[0] == pytest.approx(-0.4)


def test_closed_forms():
    z = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(act.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(act.tanh(z), (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), rtol=1e-12)
    np.testing.assert_array_equal(act.relu(z), np.where(z > 0, z, 0))


def test_sigmoid_is_stable_for_huge_inputs():
    with np.errstate(over="raise"):
        out = act.sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(out, [0.0, 1.0])


def test_against_tensorflow():
    import tensorflow as tf

    z = np.random.default_rng(0).normal(0, 3, size=(4, 5))
    np.testing.assert_allclose(act.sigmoid(z), tf.sigmoid(z).numpy(), rtol=1e-12)
    np.testing.assert_allclose(act.softmax(z), tf.nn.softmax(z).numpy(), rtol=1e-12)
    np.testing.assert_allclose(act.leaky_relu(z, 0.25), tf.nn.leaky_relu(z, 0.25).numpy(), rtol=1e-12)


def test_softmax_rows_sum_to_one_and_survive_large_logits():
    s = act.softmax(np.array([[1000.0, 1001.0], [0.0, 0.0]]))
    np.testing.assert_allclose(s.sum(axis=1), 1.0)
    np.testing.assert_allclose(s[1], [0.5, 0.5])


def test_softmax_jacobian_matches_finite_differences():
    z = np.array([0.3, -1.2, 2.0, 0.1])
    h = 1e-6
    numeric = np.stack([(act.softmax(z + h * e) - act.softmax(z - h * e)) / (2 * h) for e in np.eye(4)], axis=1)
    np.testing.assert_allclose(act.softmax_jacobian(z), numeric, atol=1e-9)


def test_scalar_versions_agree_with_vectorised():
    z = np.linspace(-5, 5, 23)
    for name, f_scalar in act.SCALAR_ACTIVATIONS.items():
        np.testing.assert_allclose([f_scalar(v) for v in z], act.get_activation(name)[0](z), rtol=1e-12)


@pytest.mark.parametrize(
    "bad, error", [("abc", TypeError), ([1, np.nan], ValueError), (np.array(["a"]), TypeError), (None, TypeError)]
)
def test_bad_input_is_named(bad, error):
    with pytest.raises(error, match="Z"):
        act.sigmoid(bad)


def test_unknown_activation_lists_choices():
    with pytest.raises(ValueError, match="relu"):
        act.get_activation("swish")


def test_softmax_rejects_3d():
    with pytest.raises(ValueError, match="Z must have 1 or 2 dimensions"):
        act.softmax(np.zeros((2, 2, 2)))
