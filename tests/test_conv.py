"""NumPy convolution and max pooling against TensorFlow: forward values and autodiff gradients."""

import numpy as np
import pytest

from coursework_lib.maths import conv

CONV_CASES = [  # (n, H, W, C_in, kh, kw, C_out, stride, padding)
    (2, 7, 7, 3, 3, 3, 4, 1, "valid"),
    (2, 8, 9, 2, 3, 3, 5, 2, "same"),
    (1, 10, 8, 1, 5, 3, 2, 3, "valid"),
    (3, 6, 6, 4, 2, 2, 3, 1, "same"),
    (2, 9, 7, 2, 4, 4, 3, (2, 1), "same"),
]
POOL_CASES = [  # (n, H, W, C, pool, stride, padding)
    (2, 8, 8, 3, 2, None, "valid"),
    (1, 7, 9, 2, 3, 2, "valid"),
    (2, 7, 7, 2, 2, 2, "same"),
    (1, 6, 5, 1, (2, 3), 1, "valid"),
]


def _tf_strides(stride):
    return list(stride) if isinstance(stride, tuple) else stride


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_forward_and_backward_match_tensorflow(case):
    import tensorflow as tf

    n, H, W, C_in, kh, kw, C_out, stride, padding = case
    rng = np.random.default_rng(0)
    X, K, b = rng.normal(size=(n, H, W, C_in)), rng.normal(size=(kh, kw, C_in, C_out)), rng.normal(size=C_out)
    Xt, Kt, bt = tf.Variable(X), tf.Variable(K), tf.Variable(b)
    with tf.GradientTape() as tape:
        Zt = tf.nn.conv2d(Xt, Kt, strides=_tf_strides(stride), padding=padding.upper()) + bt
        dZ = rng.normal(size=Zt.shape)
        loss = tf.reduce_sum(Zt * dZ)  # so that dL/dZ = dZ
    dX_tf, dK_tf, db_tf = tape.gradient(loss, [Xt, Kt, bt])
    Z = conv.conv2d_forward(X, K, b, stride=stride, padding=padding)
    np.testing.assert_allclose(Z, Zt.numpy(), rtol=1e-10, atol=1e-10)
    dX, dK, db = conv.conv2d_backward(dZ, X, K, stride=stride, padding=padding)
    np.testing.assert_allclose(dX, dX_tf.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(dK, dK_tf.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(db, db_tf.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("case", POOL_CASES)
def test_max_pool_forward_and_backward_match_tensorflow(case):
    import tensorflow as tf

    n, H, W, C, pool, stride, padding = case
    X = np.random.default_rng(1).normal(size=(n, H, W, C))
    Xt = tf.Variable(X)
    with tf.GradientTape() as tape:
        At = tf.nn.max_pool2d(Xt, ksize=pool, strides=stride or pool, padding=padding.upper())
        dA = np.random.default_rng(2).normal(size=At.shape)
        loss = tf.reduce_sum(At * dA)
    dX_tf = tape.gradient(loss, Xt)
    np.testing.assert_array_equal(conv.max_pool2d_forward(X, pool, stride, padding), At.numpy())
    np.testing.assert_allclose(
        conv.max_pool2d_backward(dA, X, pool, stride, padding), dX_tf.numpy(), rtol=1e-12, atol=1e-12
    )


def test_conv_backward_matches_finite_differences():
    rng = np.random.default_rng(3)
    X, K = rng.normal(size=(1, 5, 5, 2)), rng.normal(size=(3, 3, 2, 2))
    dZ = rng.normal(size=(1, 3, 3, 2))

    def loss(K_):
        return float(np.sum(conv.conv2d_forward(X, K_, stride=2, padding="same") * dZ))

    eps, numeric = 1e-6, np.zeros_like(K)
    for idx in np.ndindex(K.shape):
        Kp, Km = K.copy(), K.copy()
        Kp[idx] += eps
        Km[idx] -= eps
        numeric[idx] = (loss(Kp) - loss(Km)) / (2 * eps)
    _, dK, _ = conv.conv2d_backward(dZ, X, K, stride=2, padding="same")
    assert np.linalg.norm(dK - numeric) / np.linalg.norm(dK + numeric) < 1e-8


def test_output_size_arithmetic():
    assert conv.conv_output_size(28, 3) == 26
    assert conv.conv_output_size(28, 3, 2, "same") == 14
    assert conv.conv_output_size(7, 3, 2, "valid") == 3
    assert conv.conv_output_size(5, 5) == 1
    assert conv.padding_amounts(7, 4, 2, "same") == (1, 2)


def test_correlation_versus_convolution_with_scipy():
    from scipy.signal import convolve2d, correlate2d

    rng = np.random.default_rng(4)
    image, kernel = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    np.testing.assert_allclose(conv.correlate2d_valid(image, kernel), correlate2d(image, kernel, "valid"))
    # a true convolution is a correlation with the kernel flipped in both directions
    np.testing.assert_allclose(conv.correlate2d_valid(image, kernel[::-1, ::-1]), convolve2d(image, kernel, "valid"))


def test_single_channel_pool_backward_routes_to_the_maximum():
    X = np.array([[1.0, 3.0, 0.0, 0.0], [2.0, 0.0, 0.0, 5.0]])
    dX = conv.max_pool2x2_backward(np.array([[10.0, 20.0]]), X)
    np.testing.assert_array_equal(dX, [[0, 10, 0, 0], [0, 0, 0, 20]])


def test_bad_shapes_raise_clear_errors():
    X = np.zeros((1, 5, 5, 3))
    with pytest.raises(ValueError, match=r"K must have shape \(kh, kw, 3, C_out\)"):
        conv.conv2d_forward(X, np.zeros((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="X must have 4 dimensions"):
        conv.conv2d_forward(np.zeros((5, 5, 3)), np.zeros((3, 3, 3, 4)))
    with pytest.raises(ValueError, match="kernel_size 7 is larger"):
        conv.conv2d_forward(X, np.zeros((7, 7, 3, 1)))
    with pytest.raises(ValueError, match="padding must be one of"):
        conv.conv2d_forward(X, np.zeros((3, 3, 3, 1)), padding="full")
    with pytest.raises(ValueError, match="stride must be a positive integer"):
        conv.conv2d_forward(X, np.zeros((3, 3, 3, 1)), stride=0)
    with pytest.raises(ValueError, match=r"b must have shape \(4\)"):
        conv.conv2d_forward(X, np.zeros((3, 3, 3, 4)), b=np.zeros(3))
    with pytest.raises(ValueError, match=r"dZ must have shape \(1, 3, 3, 4\)"):
        conv.conv2d_backward(np.zeros((1, 2, 2, 4)), X, np.zeros((3, 3, 3, 4)))
    with pytest.raises(ValueError, match=r"dA must have shape"):
        conv.max_pool2d_backward(np.zeros((1, 3, 3, 3)), X, 2)
