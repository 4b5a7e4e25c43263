"""NumPy optimizers against keras.optimizers (step by step, float64) and GD against its closed form.

The Keras side gets its gradients from ``tf.GradientTape`` on a TensorFlow copy of the loss; the NumPy
side from the hand-written gradients in ``surfaces``. Each run is at least 100 steps with non-default
hyper-parameters. Keras keeps the learning rate in a float32 variable and casts it to the variable's
dtype, so the NumPy side is given the same float32-rounded learning rate (``_keras_lr``). Keras also
rounds SGD's momentum and Adam's β in ``β^t`` to float32 (see the ``optimizers`` docstring): that leaves
a gap of about 1e-7, inside the 1e-6 tolerance, and ``test_sgd_agrees_to_rounding_with_float32_momentum``
shows the gap vanishes when we round the same way.
"""

import numpy as np
import pytest

from coursework_lib.maths import optimizers as opt
from coursework_lib.maths import surfaces

NUM_STEPS = 150
TOL = 1e-6


def _keras_lr(lr):
    """The learning rate Keras actually uses: stored as float32, then cast to float64."""
    return float(np.float32(lr))


def _tf_rosenbrock(v):
    import tensorflow as tf

    return (1.0 - v[0]) ** 2 + 100.0 * (v[1] - v[0] ** 2) ** 2 + tf.constant(0.0, tf.float64)


def _tf_quadratic(v):
    import tensorflow as tf

    A = tf.constant(surfaces.quadratic_matrix(), tf.float64)
    return 0.5 * tf.tensordot(v, tf.linalg.matvec(A, v), axes=1)


def keras_trajectory(keras_optimizer, tf_loss, x0, num_steps):
    """Iterates of a keras optimizer on a float64 variable, gradients by tf.GradientTape."""
    import keras
    import tensorflow as tf

    var = keras.Variable(np.array(x0, dtype=np.float64), dtype="float64")
    assert var.dtype == "float64"
    path = [var.numpy().copy()]
    for _ in range(num_steps):
        with tf.GradientTape() as tape:
            loss = tf_loss(var.value)
        grad = tape.gradient(loss, var.value)
        keras_optimizer.apply_gradients([(grad, var)])
        path.append(var.numpy().copy())
    return np.array(path)


# name, numpy hyper-parameters, keras class and arguments, surface, start
CASES = [
    ("gd", {"lr": 0.0015}, ("SGD", {"learning_rate": 0.0015}), "rosenbrock", (-1.2, 1.0)),
    (
        "momentum",
        {"lr": 0.0007, "momentum": 0.8},
        ("SGD", {"learning_rate": 0.0007, "momentum": 0.8}),
        "rosenbrock",
        (-1.2, 1.0),
    ),
    (
        "nesterov",
        {"lr": 0.0007, "momentum": 0.85},
        ("SGD", {"learning_rate": 0.0007, "momentum": 0.85, "nesterov": True}),
        "rosenbrock",
        (-1.2, 1.0),
    ),
    (
        "rmsprop",
        {"lr": 0.01, "rho": 0.8, "epsilon": 1e-4},
        ("RMSprop", {"learning_rate": 0.01, "rho": 0.8, "epsilon": 1e-4}),
        "rosenbrock",
        (-1.2, 1.0),
    ),
    (
        "rmsprop",
        {"lr": 0.003, "rho": 0.95, "momentum": 0.5, "epsilon": 1e-5},
        ("RMSprop", {"learning_rate": 0.003, "rho": 0.95, "momentum": 0.5, "epsilon": 1e-5}),
        "rosenbrock",
        (-1.2, 1.0),
    ),
    (
        "rmsprop",
        {"lr": 0.02, "rho": 0.7, "momentum": 0.3, "epsilon": 1e-3, "centered": True},
        ("RMSprop", {"learning_rate": 0.02, "rho": 0.7, "momentum": 0.3, "epsilon": 1e-3, "centered": True}),
        "quadratic",
        (-2.0, 1.5),
    ),
    (
        "adam",
        {"lr": 0.02, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-5},
        ("Adam", {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-5}),
        "rosenbrock",
        (-1.2, 1.0),
    ),
    (
        "adam",
        {"lr": 0.05, "beta_1": 0.7, "beta_2": 0.95, "epsilon": 1e-3},
        ("Adam", {"learning_rate": 0.05, "beta_1": 0.7, "beta_2": 0.95, "epsilon": 1e-3}),
        "quadratic",
        (-2.0, 1.5),
    ),
]


@pytest.mark.parametrize(
    "name, hyper, keras_spec, surface, start", CASES, ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)]
)
def test_trajectory_equals_keras_step_by_step(name, hyper, keras_spec, surface, start):
    import keras

    cls, kwargs = keras_spec
    keras_path = keras_trajectory(
        getattr(keras.optimizers, cls)(**kwargs),
        _tf_rosenbrock if surface == "rosenbrock" else _tf_quadratic,
        start,
        NUM_STEPS,
    )
    numpy_hyper = dict(hyper, lr=_keras_lr(hyper["lr"]))
    numpy_path = opt.run_optimizer(name, surfaces.get_surface(surface).gradient, start, NUM_STEPS, **numpy_hyper)
    assert numpy_path.shape == keras_path.shape == (NUM_STEPS + 1, 2)
    assert np.all(np.isfinite(keras_path))
    # the optimizer really moved (a frozen trajectory would match trivially)
    assert np.linalg.norm(keras_path[-1] - keras_path[0]) > 0.1
    np.testing.assert_allclose(numpy_path, keras_path, rtol=0, atol=TOL)


def test_minibatch_sgd_equals_keras_on_least_squares():
    """Mini-batch SGD with momentum on linear least squares, the same batches fed to Keras."""
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=64)
    w0 = np.zeros(3)
    lr, mu = 0.05, 0.6
    batches = [b for _ in range(13) for b in opt.minibatch_indices(64, 8, rng)][:100]
    assert len(batches) == 100 and sorted(np.concatenate(batches[:8]).tolist()) == list(range(64))

    w, state = w0.copy(), opt.momentum_init(w0)
    var = keras.Variable(w0.copy(), dtype="float64")
    keras_opt = keras.optimizers.SGD(learning_rate=lr, momentum=mu)
    for idx in batches:
        Xb, yb = X[idx], y[idx]
        w, state = opt.momentum_step(w, Xb.T @ (Xb @ w - yb) / len(idx), state, lr=_keras_lr(lr), momentum=mu)
        with tf.GradientTape() as tape:
            loss = 0.5 * tf.reduce_mean((tf.linalg.matvec(tf.constant(Xb), var.value) - yb) ** 2)
        keras_opt.apply_gradients([(tape.gradient(loss, var.value), var)])
        np.testing.assert_allclose(w, var.numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(w, np.linalg.lstsq(X, y, rcond=None)[0], atol=0.1)


def test_gd_matches_closed_form_on_convex_quadratic():
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    A = Q @ np.diag([0.5, 1.0, 2.5, 4.0]) @ Q.T  # condition number 8
    b, x0 = rng.normal(size=4), rng.normal(size=4)
    lr = 0.25  # = 1 / λ_max: slowest factor 1 − 0.5/4
    path = opt.run_optimizer("gd", lambda x: A @ x - b, x0, 200, lr=lr)
    np.testing.assert_allclose(path, opt.gd_quadratic_closed_form(A, b, x0, lr, 200), rtol=0, atol=1e-10)
    np.testing.assert_allclose(path[-1], np.linalg.solve(A, b), atol=1e-9)


def test_closed_form_diverges_beyond_two_over_lambda_max():
    A, b = np.diag([1.0, 10.0]), np.zeros(2)
    assert np.abs(opt.gd_quadratic_closed_form(A, b, [1.0, 1.0], 0.19, 100)[-1]).max() < 1e-3
    assert np.abs(opt.gd_quadratic_closed_form(A, b, [1.0, 1.0], 0.21, 100)[-1]).max() > 1e3


def test_adam_textbook_epsilon_is_keras_with_rescaled_epsilon():
    """θ − lr m̂/(√v̂ + ε) equals Keras' θ − α_t m/(√v + ε√(1−β2^t)) at every step t."""
    rng = np.random.default_rng(5)
    x, g_seq = rng.normal(size=3), rng.normal(size=(20, 3))
    s_text = s_keras = opt.adam_init(x)
    for t, g in enumerate(g_seq, start=1):
        eps = 1e-2
        x_text, s_text_new = opt.adam_step(x, g, s_text, lr=0.1, epsilon=eps, textbook_epsilon=True)
        x_keras, _ = opt.adam_step(x, g, s_keras, lr=0.1, epsilon=eps * np.sqrt(1 - 0.999**t))
        np.testing.assert_allclose(x_text, x_keras, rtol=1e-12, atol=1e-14)
        s_text = s_keras = s_text_new


def test_bias_correction_makes_a_constant_gradient_estimate_exact():
    """With a constant gradient g, m̂_t = g and v̂_t = g² at every step: the bias is exactly 1 − β^t."""
    g = np.array([0.3, -2.0])
    state = opt.adam_init(np.zeros(2))
    for t in range(1, 6):
        _, state = opt.adam_step(np.zeros(2), g, state, lr=0.1, beta_1=0.8, beta_2=0.9)
        np.testing.assert_allclose(opt.bias_correction(state["m"], 0.8, t), g, rtol=1e-12)
        np.testing.assert_allclose(opt.bias_correction(state["v"], 0.9, t), g**2, rtol=1e-12)


def test_first_adam_step_has_size_lr_per_coordinate():
    """A classical property: the first (bias-corrected) step moves every coordinate by ≈ lr."""
    x1, _ = opt.adam_step(np.zeros(3), np.array([0.05, 5.0, -40.0]), opt.adam_init(np.zeros(3)), lr=0.01)
    np.testing.assert_allclose(np.abs(x1), 0.01, rtol=1e-3)


def test_steps_are_pure():
    x, g = np.ones(2), np.array([0.5, -1.0])
    for name, (init, step) in opt.OPTIMIZERS.items():
        state = init(x)
        before = {k: np.copy(v) for k, v in state.items()}
        step(x, g, state, lr=0.1)
        np.testing.assert_array_equal(x, np.ones(2))
        for k in state:
            np.testing.assert_array_equal(state[k], before[k], err_msg=name)


def test_bad_inputs_name_the_argument():
    x = np.zeros(2)
    with pytest.raises(ValueError, match="grad must have shape"):
        opt.gd_step(x, np.zeros(3), lr=0.1)
    with pytest.raises(ValueError, match="lr must be positive"):
        opt.gd_step(x, x, lr=-1.0)
    with pytest.raises(ValueError, match=r"momentum must lie in \[0, 1\)"):
        opt.momentum_step(x, x, opt.momentum_init(x), lr=0.1, momentum=1.0)
    with pytest.raises(TypeError, match="state must be a dict"):
        opt.adam_step(x, x, {}, lr=0.1)
    with pytest.raises(ValueError, match="name must be one of"):
        opt.get_optimizer("adagrad")
    with pytest.raises(ValueError, match="A must be positive definite"):
        opt.gd_quadratic_closed_form(np.diag([1.0, -1.0]), np.zeros(2), np.ones(2), 0.1, 3)


def test_diverging_run_is_reported_not_raised():
    path = opt.run_optimizer("gd", lambda x: 10.0 * x, np.ones(2), 400, lr=1.0)
    assert not np.all(np.isfinite(path[-1]))


def test_keras_rejects_lr_keyword():
    from coursework_lib.training.optimizer_comparison import legacy_lr_keyword_error, make_keras_optimizer

    message = legacy_lr_keyword_error(0.1)
    assert "lr" in message and message.startswith("ValueError")
    sgd = make_keras_optimizer("sgd_momentum")
    assert sgd.momentum == 0.9 and float(sgd.learning_rate) == pytest.approx(0.01)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_agrees_to_rounding_with_float32_momentum(nesterov):
    import keras

    keras_path = keras_trajectory(
        keras.optimizers.SGD(learning_rate=0.0007, momentum=0.85, nesterov=nesterov),
        _tf_rosenbrock,
        (-1.2, 1.0),
        NUM_STEPS,
    )
    numpy_path = opt.run_optimizer(
        "nesterov" if nesterov else "momentum",
        surfaces.rosenbrock_gradient,
        (-1.2, 1.0),
        NUM_STEPS,
        lr=_keras_lr(0.0007),
        momentum=_keras_lr(0.85),
    )
    np.testing.assert_allclose(numpy_path, keras_path, rtol=0, atol=1e-12)


def test_constant_gradient_moments_match_the_closed_form():
    from coursework_lib.maths.optimizers import constant_gradient_moments

    moments, corrected = constant_gradient_moments(0.8, 12, value=2.5)
    t = np.arange(1, 13)
    np.testing.assert_allclose(moments, 2.5 * (1 - 0.8**t))
    np.testing.assert_allclose(corrected, 2.5)
    with pytest.raises(ValueError, match="num_steps"):
        constant_gradient_moments(0.9, 0)
