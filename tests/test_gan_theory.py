"""Chapter 7's GAN theory: the losses against Keras and closed forms, the optimal discriminator against a
grid search, the figures' curves against SciPy and finite differences, and the 1-D GAN's gradients
against TensorFlow autodiff."""

import numpy as np
import pytest
import scipy.stats

from coursework_lib.maths import gan_theory


def keras_bce_from_logits(labels, logits):
    import keras

    return float(keras.losses.BinaryCrossentropy(from_logits=True)(labels, logits))


@pytest.mark.parametrize("scale", [0.5, 3.0, 60.0])
def test_losses_match_keras_binary_cross_entropy(scale):
    rng = np.random.default_rng(0)
    real, fake = rng.normal(0, scale, (32, 1)), rng.normal(0, scale, (32, 1))
    expected_d = keras_bce_from_logits(np.ones_like(real), real) + keras_bce_from_logits(np.zeros_like(fake), fake)
    assert gan_theory.discriminator_loss(real, fake) == pytest.approx(expected_d, rel=1e-5)
    assert gan_theory.generator_loss(fake) == pytest.approx(keras_bce_from_logits(np.ones_like(fake), fake), rel=1e-5)


def test_losses_closed_forms():
    # D = 1/2 on everything: each cross-entropy is log 2.
    assert gan_theory.discriminator_loss(np.zeros(5), np.zeros(3)) == pytest.approx(2 * np.log(2))
    assert gan_theory.generator_loss(np.zeros(4)) == pytest.approx(np.log(2))
    assert gan_theory.minimax_generator_loss(np.zeros(4)) == pytest.approx(-np.log(2))
    # log(1 - sigmoid(l)) written directly, for moderate logits.
    logits = np.linspace(-5, 5, 11)
    assert gan_theory.minimax_generator_loss(logits) == pytest.approx(np.mean(np.log(1 - 1 / (1 + np.exp(-logits)))))
    # Huge logits stay finite: a confident, correct discriminator costs nothing.
    assert gan_theory.discriminator_loss(np.full(3, 800.0), np.full(3, -800.0)) == pytest.approx(0.0, abs=1e-12)


def test_non_saturating_gradient_is_large_where_the_minimax_one_vanishes():
    eps, l = 1e-6, -12.0  # the discriminator is sure the sample is fake
    slope_ns = (gan_theory.generator_loss([l + eps]) - gan_theory.generator_loss([l - eps])) / (2 * eps)
    slope_mm = (gan_theory.minimax_generator_loss([l + eps]) - gan_theory.minimax_generator_loss([l - eps])) / (2 * eps)
    assert abs(slope_ns) > 0.99 and abs(slope_mm) < 1e-4


def test_optimal_discriminator_maximises_the_pointwise_value():
    p_data, p_model = np.array([0.1, 0.5, 2.0, 0.0]), np.array([0.3, 0.5, 0.1, 1.0])
    d_star = gan_theory.optimal_discriminator(p_data, p_model)
    grid = np.linspace(1e-6, 1 - 1e-6, 200_001)
    for pd, pm, d in zip(p_data, p_model, d_star):
        value = pd * np.log(grid) + pm * np.log(1 - grid)
        assert d == pytest.approx(grid[np.argmax(value)], abs=1e-5)


def test_loss_inputs_are_validated():
    with pytest.raises(ValueError, match="real_logits must have shape"):
        gan_theory.discriminator_loss(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="fake_logits contains NaN"):
        gan_theory.generator_loss([np.nan])
    with pytest.raises(ValueError, match="at least one"):
        gan_theory.generator_loss(np.zeros(0))
    with pytest.raises(ValueError, match="p_data and p_model"):
        gan_theory.optimal_discriminator(np.ones(2), np.ones(3))


def tf_linear_gan_gradients(params, real, z):
    import tensorflow as tf

    a, b, w, c = (tf.Variable(float(p), dtype=tf.float64) for p in params)
    real, z = tf.constant(real), tf.constant(z)
    with tf.GradientTape(persistent=True) as tape:
        fake = a * z + b
        l_real, l_fake = w * real + c, w * fake + c
        d_loss = tf.reduce_mean(tf.nn.softplus(-l_real)) + tf.reduce_mean(tf.nn.softplus(l_fake))
        g_loss = tf.reduce_mean(tf.nn.softplus(-l_fake))
    return np.array(
        [*(g.numpy() for g in tape.gradient(g_loss, [a, b])), *(g.numpy() for g in tape.gradient(d_loss, [w, c]))]
    )


@pytest.mark.parametrize("seed", range(4))
def test_linear_gan_gradients_match_tensorflow(seed):
    rng = np.random.default_rng(seed)
    params = rng.normal(size=4) * [1, 1, 3, 3]
    real, z = rng.normal(2, 0.5, 17), rng.standard_normal(11)
    np.testing.assert_allclose(
        gan_theory.linear_gan_gradients(params, real, z),
        tf_linear_gan_gradients(params, real, z),
        rtol=1e-10,
        atol=1e-12,
    )
    step = gan_theory.linear_gan_step(params, real, z, learning_rate=0.3)
    np.testing.assert_allclose(step, params - 0.3 * tf_linear_gan_gradients(params, real, z), rtol=1e-10)


def test_linear_gan_validation_and_trajectory():
    with pytest.raises(ValueError, match=r"params must be \(a, b, w, c\)"):
        gan_theory.linear_gan_step(np.zeros(3), np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        gan_theory.linear_gan_step(np.ones(4), np.ones(2), np.ones(2), learning_rate=-1.0)
    path = gan_theory.linear_gan_trajectory([1.0, 0.0, 0.1, 0.0], steps=30)
    assert path.shape == (31, 4) and np.all(np.isfinite(path))
    # The generator's offset moves towards the data mean (2) at first.
    assert path[10, 1] > path[0, 1]


def test_generator_loss_curves_match_logs_and_finite_differences():
    curves = gan_theory.generator_loss_curves(num_points=101)
    d = curves["d"]
    assert d.shape == (101,) and d[0] == pytest.approx(1e-3) and d[-1] == pytest.approx(1 - 1e-3)
    np.testing.assert_allclose(curves["minimax"], np.log(1 - d), rtol=1e-10)
    np.testing.assert_allclose(curves["non_saturating"], -np.log(d), rtol=1e-10)
    # the slopes with respect to the logit, by central differences of the loss functions themselves
    eps, logits = 1e-6, np.log(d / (1 - d))
    for key, loss in (("minimax", gan_theory.minimax_generator_loss), ("non_saturating", gan_theory.generator_loss)):
        slope = [(loss([l + eps]) - loss([l - eps])) / (2 * eps) for l in logits]
        np.testing.assert_allclose(curves[f"{key}_slope"], np.abs(slope), rtol=1e-5, atol=1e-8)
    with pytest.raises(ValueError, match="num_points"):
        gan_theory.generator_loss_curves(num_points=0)


def test_optimal_discriminator_example_matches_scipy_densities():
    example = gan_theory.optimal_discriminator_example(num_points=2001)
    x = example["x"]
    assert x[0] == -4 and x[-1] == 6 and x.shape == (2001,)
    norm = scipy.stats.norm
    p_data = 0.5 * norm.pdf(x, -1.0, 0.6) + 0.5 * norm.pdf(x, 2.5, 0.8)
    p_model = norm.pdf(x, 1.0, 1.2)
    np.testing.assert_allclose(example["p_data"], p_data, rtol=1e-12)
    np.testing.assert_allclose(example["p_model"], p_model, rtol=1e-12)
    np.testing.assert_allclose(example["d_star"], p_data / (p_data + p_model), rtol=1e-12)
    # both are densities: nearly all their mass lies in [-4, 6]
    assert np.trapezoid(p_data, x) == pytest.approx(1.0, abs=1e-3)
    assert np.trapezoid(p_model, x) == pytest.approx(1.0, abs=1e-2)
