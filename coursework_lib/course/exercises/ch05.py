"""Chapter 5 exercises: the noise model, PSNR, the output size of a transposed convolution, and source 4's
quiz (reshape, argmax, one-hot labels for categorical cross-entropy, an autoencoder's compression ratio)."""

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


# Source 4's closing quiz, as four small auto-checked questions.


def flatten_digits(X):
    """Quiz 1: (n, 28, 28) images -> (n, 784) rows, as source 4 does before its dense networks
    (``np.reshape(X, shape)`` and ``X.reshape(shape)`` are the same operation)."""
    X = np.asarray(X)
    return X.reshape((X.shape[0], -1))


def _flatten_cases(rng):
    return [(rng.random((n, 28, 28)),) for n in (1, 3, 7)]


register(Exercise(id="ch05-quiz-flatten", graded="flatten_digits", reference=flatten_digits, cases=_flatten_cases))


def predicted_digits(P):
    """Quiz 2: (n, 10) class scores -> (n,) the index of each row's largest score (``np.argmax``)."""
    return np.argmax(np.asarray(P), axis=1).astype(float)


def _argmax_cases(rng):
    return [(rng.random((n, 10)),) for n in (1, 4, 9)]


register(Exercise(id="ch05-quiz-argmax", graded="predicted_digits", reference=predicted_digits, cases=_argmax_cases))


def one_hot(y, num_classes):
    """Quiz 3: (n,) integer labels -> (n, num_classes) one-hot rows. Categorical cross-entropy on these
    rows equals sparse categorical cross-entropy on the integer labels."""
    y = np.asarray(y).astype(int)
    out = np.zeros((len(y), int(num_classes)))
    out[np.arange(len(y)), y] = 1.0
    return out


def _one_hot_cases(rng):
    return [(rng.integers(0, k, size=n).astype(float), float(k)) for n, k in ((5, 10), (8, 3), (1, 10))]


register(Exercise(id="ch05-quiz-one-hot", graded="one_hot", reference=one_hot, cases=_one_hot_cases))


def compression_ratio(input_dim, code_dim):
    """Quiz 4: how many times fewer numbers the code holds than the input (an autoencoder as lossy,
    data-dependent compression): input_dim / code_dim."""
    return np.asarray(input_dim, dtype=float) / np.asarray(code_dim, dtype=float)


def _ratio_cases(rng):
    return [(float(rng.integers(100, 1000)), float(rng.integers(2, 128))) for _ in range(3)]


register(
    Exercise(id="ch05-quiz-compression", graded="compression_ratio", reference=compression_ratio, cases=_ratio_cases)
)
