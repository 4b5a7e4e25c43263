"""Test surfaces: gradients against central differences and TensorFlow, minima, the saddle, trajectories."""

import numpy as np
import pytest

from coursework_lib.maths import surfaces


def central_difference_gradient(f, P, h=1e-6):
    P = np.asarray(P, dtype=np.float64)
    grads = []
    for e in np.eye(2):
        grads.append((f(P + h * e) - f(P - h * e)) / (2 * h))
    return np.stack(grads, axis=-1)


@pytest.mark.parametrize("name", sorted(surfaces.SURFACES))
def test_gradient_matches_central_differences(name):
    s = surfaces.get_surface(name)
    P = np.random.default_rng(0).uniform(-1.5, 1.5, size=(50, 2))
    np.testing.assert_allclose(s.gradient(P), central_difference_gradient(s.value, P), rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name", sorted(surfaces.SURFACES))
def test_gradient_matches_tensorflow(name):
    import tensorflow as tf

    s = surfaces.get_surface(name)
    P = np.random.default_rng(1).uniform(-1.5, 1.5, size=(20, 2))
    x, y = tf.Variable(P[:, 0]), tf.Variable(P[:, 1])
    with tf.GradientTape() as tape:
        if name == "quadratic":
            A = surfaces.quadratic_matrix()
            f = 0.5 * (A[0, 0] * x * x + 2 * A[0, 1] * x * y + A[1, 1] * y * y)
        elif name == "rosenbrock":
            f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
        else:
            f = x**2 + y**4 / 4 - y**2 / 2
        total = tf.reduce_sum(f)
    gx, gy = tape.gradient(total, [x, y])
    np.testing.assert_allclose(s.value(P), f.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s.gradient(P), np.stack([gx.numpy(), gy.numpy()], -1), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(surfaces.SURFACES))
def test_minima_are_stationary_with_the_stated_value(name):
    s = surfaces.get_surface(name)
    for p in s.minima:
        np.testing.assert_allclose(s.gradient(np.array(p)), 0.0, atol=1e-12)
        assert s.value(np.array(p)) == pytest.approx(s.min_value, abs=1e-12)
    # nothing on a fine grid of the plot window is lower than the stated minimum
    _, _, F = surfaces.grid(name, num=301)
    assert F.min() >= s.min_value - 1e-12


def test_quadratic_condition_number_and_saddle_hessian():
    assert np.linalg.cond(surfaces.quadratic_matrix()) == pytest.approx(surfaces.CONDITION_NUMBER)
    s = surfaces.get_surface("saddle")
    h = 1e-5
    H = np.stack([(s.gradient(np.array(e) * h) - s.gradient(-np.array(e) * h)) / (2 * h) for e in np.eye(2)], axis=1)
    eigenvalues = np.linalg.eigvalsh(H)
    np.testing.assert_allclose(s.gradient(np.zeros(2)), 0.0)
    assert eigenvalues[0] < 0 < eigenvalues[1]  # a saddle: one descent, one ascent direction


def test_shapes_and_validation():
    s = surfaces.get_surface("rosenbrock")
    assert s.value(np.zeros((4, 5, 2))).shape == (4, 5)
    assert s.gradient(np.zeros((3, 2))).shape == (3, 2)
    with pytest.raises(ValueError, match=r"P must have shape \(\.\.\., 2\)"):
        s.value(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="name must be one of"):
        surfaces.get_surface("himmelblau")


def test_trajectories_reach_the_minimum_and_losses_match_the_path():
    for name, optimizer, hyper in [
        ("quadratic", "momentum", {"momentum": 0.7}),
        ("saddle", "adam", {"lr": 0.1}),
        ("rosenbrock", "adam", {"lr": 0.02, "num_steps": 2000}),
    ]:
        s = surfaces.get_surface(name)
        path, losses = surfaces.trajectory(name, optimizer, **hyper)
        np.testing.assert_allclose(losses, s.value(path))
        assert losses[-1] - s.min_value < 1e-3, (name, optimizer, losses[-1])
        assert surfaces.steps_to_reach(losses, s.min_value, 1e-3) is not None


def test_gd_on_the_quadratic_diverges_past_two_over_kappa():
    # eigenvalues 1 and κ = 20: GD converges iff lr < 2/20 = 0.1
    _, ok = surfaces.trajectory("quadratic", "gd", lr=0.095, num_steps=300)
    _, bad = surfaces.trajectory("quadratic", "gd", lr=0.105, num_steps=300)
    assert ok[-1] < 1e-6
    assert not np.isfinite(bad[-1]) or bad[-1] > 1e3


def test_gd_stalls_near_the_saddle_while_momentum_escapes():
    s = surfaces.get_surface("saddle")
    _, gd = surfaces.trajectory("saddle", "gd", lr=0.05, num_steps=100)
    _, mom = surfaces.trajectory("saddle", "momentum", lr=0.05, momentum=0.9, num_steps=100)
    assert abs(gd[-1]) < 0.05  # still near the saddle value 0
    assert mom[-1] - s.min_value < 1e-2  # reached a minimum at -1/4
