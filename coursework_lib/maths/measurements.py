"""Measurement operators T: what we observe of an image x is y_meas = T x (+ noise).

All act on 784-vectors (28x28 images; see ``restoration.generators`` for the column-major pixel
order of chapter 8). Each T is returned as a dense float64 matrix so that the maths of the source
report (``T X``, ``(T X - Xn)^T T``) can be written as it stands; the efficient inversions never form
products with the masks (see ``restoration.source_inversion.SourceCost`` and
``restoration.batched_inversion.invert_batch``, which take the observed pixels as indices).

* ``first_pixels_matrix(N)``: N x 784, ones on the diagonal -- keeps the first N pixels (inpainting).
* ``average_pooling_matrix(28, 4)``: 49 x 784 -- each 4x4 block averaged into one pixel (super-resolution).
* ``gaussian_measurement_matrix(m)``: m x 784 with independent N(0, 1/m) entries (compressed sensing).
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int


def first_pixels_matrix(N: int, n: int = 784) -> np.ndarray:
    """T: (N, n) float64 with T[i, i] = 1: T x keeps x[:N]. Requires 1 <= N <= n."""
    N, n = check_positive_int(N, "N"), check_positive_int(n, "n")
    if N > n:
        raise ValueError(f"N must be at most n={n}, got {N}")
    return np.eye(N, n)


def average_pooling_matrix(size: int = 28, factor: int = 4) -> np.ndarray:
    """T: ((size/factor)^2, size^2) float64 averaging each factor x factor block, built without loops.

    Pixel (r, c) of the size x size image sits at index r * size + c and output pixel (i, j) at
    i * (size/factor) + j. The matrix is the same for the column-major convention (swap r and c).
    """
    size, factor = check_positive_int(size, "size"), check_positive_int(factor, "factor")
    if size % factor:
        raise ValueError(f"size ({size}) must be a multiple of factor ({factor})")
    small = size // factor
    r, c = np.divmod(np.arange(size * size), size)  # row and column of every input pixel
    block = (r // factor) * small + (c // factor)  # the output pixel it belongs to
    T = np.zeros((small * small, size * size))
    T[block, np.arange(size * size)] = 1.0 / factor**2
    return T


def gaussian_measurement_matrix(m: int, n: int = 784, seed=None) -> np.ndarray:
    """A: (m, n) float64 with independent N(0, 1/m) entries (Bora et al. 2017)."""
    m, n = check_positive_int(m, "m"), check_positive_int(n, "n")
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, n)) / np.sqrt(m)


def measure(T, X, noise_std: float = 0.0, seed=None) -> np.ndarray:
    """y_meas = T X + noise. T: (m, n); X: (n,) or (n, k) -> (m,) or (m, k)."""
    T = as_float_array(T, "T", ndim=2)
    X = as_float_array(X, "X", ndim=(1, 2))
    if X.shape[0] != T.shape[1]:
        raise ValueError(f"X must have {T.shape[1]} rows to match T {T.shape}, got {X.shape}")
    Y = T @ X
    if noise_std:
        Y = Y + noise_std * np.random.default_rng(seed).standard_normal(Y.shape)
    return Y


def noise_with_norm(shape, norm: float, seed=None) -> np.ndarray:
    """Gaussian noise whose columns each have Euclidean norm ``norm``. shape: (m,) or (m, k) -> that shape."""
    norm = check_finite_number(norm, "norm")
    rng = np.random.default_rng(seed)
    eta = rng.standard_normal(shape)
    return norm * eta / np.linalg.norm(eta, axis=0, keepdims=True)


def pad_first_pixels(Y, n: int = 784) -> np.ndarray:
    """The observed first N pixels padded with black (zeros): (N,) or (N, k) -> (n,) or (n, k).

    This is also the zero-fill baseline for inpainting."""
    Y = as_float_array(Y, "Y", ndim=(1, 2))
    out = np.zeros((n,) + Y.shape[1:])
    out[: Y.shape[0]] = Y
    return out


def upsample_replicate(Y, factor: int = 4) -> np.ndarray:
    """Pixel replication: low-resolution vectors -> full size. Y: (s*s,) or (s*s, k) -> (S*S,) or (S*S, k).

    Pixel-order agnostic (works for row- or column-major, as long as in and out agree); equals
    ``factor**2 * T.T @ Y`` for T = average_pooling_matrix."""
    Y = as_float_array(Y, "Y", ndim=(1, 2))
    small = int(round(np.sqrt(Y.shape[0])))
    if small * small != Y.shape[0]:
        raise ValueError(f"Y must have a square number of rows, got {Y.shape}")
    images = Y.reshape(small, small, -1)
    big = np.repeat(np.repeat(images, factor, axis=0), factor, axis=1)
    return big.reshape((small * factor) ** 2, -1)[:, 0] if Y.ndim == 1 else big.reshape((small * factor) ** 2, -1)
