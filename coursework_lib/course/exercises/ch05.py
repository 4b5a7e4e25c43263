"""Chapter 5 exercises: the noise model, PSNR, and the output size of a transposed convolution."""

import numpy as np

from coursework_lib.evaluation.image_quality import psnr

from .core import Exercise, register


def add_noise(X, sigma, Z):
    """clip(X + sigma * Z, 0, 1) for a given standard-normal draw Z of X's shape."""
    return np.clip(np.asarray(X, dtype=float) + float(sigma) * np.asarray(Z, dtype=float), 0.0, 1.0)


def _noise_cases(rng):
    cases = []
    for shape, sigma in (((5,), 0.2), ((3, 4, 4), 0.6), ((2, 28, 28), 1.0)):
        cases.append((rng.random(shape), sigma, rng.standard_normal(shape)))
    return cases


register(Exercise(id="ch05-add-noise", graded="add_noise", reference=add_noise, cases=_noise_cases))


def _psnr_cases(rng):
    cases = []
    for n, side, noise in ((1, 4, 0.1), (3, 8, 0.3), (5, 28, 0.05)):
        X = rng.random((n, side, side))
        cases.append((X, np.clip(X + rng.normal(0, noise, X.shape), 0, 1)))
    return cases


register(Exercise(id="ch05-psnr", graded="psnr", reference=psnr, cases=_psnr_cases, rtol=1e-6))


def conv_transpose_output_size(n, kernel_size, stride, same):
    """Output length of a transposed convolution on inputs of length n (an array).

    same = 1.0: 'same' padding, n * stride (it undoes a strided 'same' convolution's ceil(n / stride));
    same = 0.0: 'valid' padding, (n - 1) * stride + kernel_size. Returns float ndarray of n's shape.
    """
    n = np.asarray(n, dtype=float)
    if same:
        return n * stride
    return (n - 1) * stride + kernel_size


def _transpose_cases(rng):
    return [
        (rng.integers(1, 30, size=4).astype(float), 3.0, 2.0, 1.0),
        (rng.integers(1, 30, size=5).astype(float), 3.0, 2.0, 0.0),
        (rng.integers(1, 30, size=2).astype(float), 5.0, 1.0, 0.0),
        (rng.integers(1, 30, size=2).astype(float), 2.0, 3.0, 1.0),
    ]


register(
    Exercise(
        id="ch05-conv-transpose-size",
        graded="conv_transpose_output_size",
        reference=conv_transpose_output_size,
        cases=_transpose_cases,
    )
)
