"""Convolution and max pooling in NumPy, forward and backward, in TensorFlow's layout (batch first, NHWC).

Shapes: X (n, H, W, C_in) inputs; K (kh, kw, C_in, C_out) kernels; b (C_out,) biases;
Z (n, H_out, W_out, C_out) outputs. Like ``tf.nn.conv2d`` (and every deep-learning library), ``conv2d``
computes a *cross-correlation*: the kernel is not flipped,

    Z[n, i, j, o] = b[o] + sum_{p, q, c} Xpad[n, s i + p, s j + q, c] K[p, q, c, o].

Padding follows TensorFlow: "valid" adds nothing; "same" gives ``H_out = ceil(H / s)`` and pads
``total = max((H_out - 1) s + kh - H, 0)`` rows, ``total // 2`` before and the rest after.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from coursework_lib.core.validation import as_float_array, check_choice, check_positive_int

PADDINGS = ("valid", "same")


def _pair(value, name):
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return check_positive_int(value[0], name), check_positive_int(value[1], name)
    value = check_positive_int(value, name)
    return value, value


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: str = "valid") -> int:
    """Output length along one axis: ``floor((size - k) / s) + 1`` ("valid") or ``ceil(size / s)`` ("same")."""
    size = check_positive_int(size, "size")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    stride = check_positive_int(stride, "stride")
    check_choice(padding, "padding", PADDINGS)
    if padding == "same":
        return -(-size // stride)
    if kernel_size > size:
        raise ValueError(f"kernel_size {kernel_size} is larger than the input size {size} with 'valid' padding")
    return (size - kernel_size) // stride + 1


def padding_amounts(size: int, kernel_size: int, stride: int, padding: str) -> tuple[int, int]:
    """(before, after) padding along one axis, as TensorFlow chooses it."""
    if padding == "valid":
        return 0, 0
    out = conv_output_size(size, kernel_size, stride, padding)
    total = max((out - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


def _pad(X, kernel, stride, padding, value=0.0):
    (kh, kw), (sh, sw) = kernel, stride
    ph, pw = padding_amounts(X.shape[1], kh, sh, padding), padding_amounts(X.shape[2], kw, sw, padding)
    Xp = np.pad(X, ((0, 0), ph, pw, (0, 0)), constant_values=value)
    return Xp, ph, pw


def _windows(Xp, kernel, stride):
    """(n, Hp, Wp, C) -> (n, H_out, W_out, C, kh, kw) view of every window (no copy)."""
    (kh, kw), (sh, sw) = kernel, stride
    return sliding_window_view(Xp, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]


def _check_images(X, name="X"):
    return as_float_array(X, name, ndim=4)


def _check_kernel(X, K):
    K = as_float_array(K, "K", ndim=4)
    if K.shape[2] != X.shape[3]:
        raise ValueError(
            f"K must have shape (kh, kw, {X.shape[3]}, C_out) to match X's {X.shape[3]} channels, got {K.shape}"
        )
    return K


def conv2d_forward(X, K, b=None, stride=1, padding: str = "valid"):
    """2-D cross-correlation of a batch of images with a bank of kernels.

    X: (n, H, W, C_in), K: (kh, kw, C_in, C_out), b: (C_out,) or None, stride: int or (sh, sw),
    padding: "valid" or "same"  ->  Z: (n, H_out, W_out, C_out), float dtype of X and K.
    """
    X = _check_images(X)
    K = _check_kernel(X, K)
    stride = _pair(stride, "stride")
    check_choice(padding, "padding", PADDINGS)
    kernel = K.shape[:2]
    for axis, (size, k) in enumerate(zip(X.shape[1:3], kernel)):
        conv_output_size(size, k, stride[axis], padding)  # raises if the kernel does not fit
    Xp, _, _ = _pad(X, kernel, stride, padding)
    Z = np.einsum("nhwcpq,pqco->nhwo", _windows(Xp, kernel, stride), K, optimize=True)
    if b is not None:
        b = as_float_array(b, "b", shape=(K.shape[3],))
        Z = Z + b
    return Z


def conv2d_backward(dZ, X, K, stride=1, padding: str = "valid"):
    """Gradients of :func:`conv2d_forward` given ``dZ = dL/dZ`` (n, H_out, W_out, C_out).

    Returns ``(dX (n, H, W, C_in), dK (kh, kw, C_in, C_out), db (C_out,))``:
    dK is the cross-correlation of the input with dZ, dX scatters ``dZ K^T`` back to every input pixel
    each output used (a "full" convolution with the kernel when the stride is 1).
    """
    X = _check_images(X)
    K = _check_kernel(X, K)
    stride = _pair(stride, "stride")
    check_choice(padding, "padding", PADDINGS)
    (kh, kw), (sh, sw) = K.shape[:2], stride
    Xp, ph, pw = _pad(X, (kh, kw), stride, padding)
    windows = _windows(Xp, (kh, kw), stride)
    dZ = as_float_array(dZ, "dZ", shape=windows.shape[:3] + (K.shape[3],))
    n, H_out, W_out, _ = dZ.shape
    dK = np.einsum("nhwcpq,nhwo->pqco", windows, dZ, optimize=True)
    db = dZ.sum(axis=(0, 1, 2))
    dXp = np.zeros(Xp.shape, dtype=np.result_type(dZ, K))
    for p in range(kh):
        for q in range(kw):
            dXp[:, p : p + sh * H_out : sh, q : q + sw * W_out : sw, :] += dZ @ K[p, q].T
    dX = dXp[:, ph[0] : Xp.shape[1] - ph[1], pw[0] : Xp.shape[2] - pw[1], :]
    return dX, dK, db


def max_pool2d_forward(X, pool_size=2, stride=None, padding: str = "valid"):
    """Max over each ``pool_size`` window, channel by channel (stride defaults to pool_size).

    X: (n, H, W, C) -> (n, H_out, W_out, C). With "same" padding the padded cells count as -inf.
    """
    X = _check_images(X)
    pool = _pair(pool_size, "pool_size")
    stride = pool if stride is None else _pair(stride, "stride")
    check_choice(padding, "padding", PADDINGS)
    for axis in (0, 1):
        conv_output_size(X.shape[1 + axis], pool[axis], stride[axis], padding)
    Xp, _, _ = _pad(X, pool, stride, padding, value=-np.inf)
    return _windows(Xp, pool, stride).max(axis=(4, 5))


def max_pool2d_backward(dA, X, pool_size=2, stride=None, padding: str = "valid"):
    """Gradient of :func:`max_pool2d_forward`: each window's ``dA`` goes to the input cell that held
    the window's maximum (the first one, in row-major order, if several tie); other cells get 0.

    dA: (n, H_out, W_out, C), X: (n, H, W, C) the forward input  ->  dX: (n, H, W, C).
    """
    X = _check_images(X)
    pool = _pair(pool_size, "pool_size")
    stride = pool if stride is None else _pair(stride, "stride")
    check_choice(padding, "padding", PADDINGS)
    Xp, ph, pw = _pad(X, pool, stride, padding, value=-np.inf)
    windows = _windows(Xp, pool, stride)
    dA = as_float_array(dA, "dA", shape=windows.shape[:4])
    n, H_out, W_out, C = dA.shape
    winner = windows.reshape(n, H_out, W_out, C, -1).argmax(axis=-1)  # flat index inside the window
    dXp = np.zeros(Xp.shape, dtype=dA.dtype)
    (kh, kw), (sh, sw) = pool, stride
    for p in range(kh):
        for q in range(kw):
            dXp[:, p : p + sh * H_out : sh, q : q + sw * W_out : sw, :] += np.where(winner == p * kw + q, dA, 0.0)
    return dXp[:, ph[0] : Xp.shape[1] - ph[1], pw[0] : Xp.shape[2] - pw[1], :]


def correlate2d_valid(image, kernel):
    """Single-channel "valid" cross-correlation: image (H, W), kernel (kh, kw) -> (H-kh+1, W-kw+1)."""
    image = as_float_array(image, "image", ndim=2)
    kernel = as_float_array(kernel, "kernel", ndim=2)
    return conv2d_forward(image[None, :, :, None], kernel[:, :, None, None])[0, :, :, 0]


def max_pool2x2_backward(dA, X):
    """Single-channel 2×2, stride-2 max-pool gradient: X (H, W) even sizes, dA (H/2, W/2) -> dX (H, W)."""
    X = as_float_array(X, "X", ndim=2)
    dA = as_float_array(dA, "dA", ndim=2)
    return max_pool2d_backward(dA[None, :, :, None], X[None, :, :, None], 2)[0, :, :, 0]
