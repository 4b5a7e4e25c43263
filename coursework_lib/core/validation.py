"""Argument checks at the library's boundary.

Every public function that takes arrays calls these, so that bad input fails with an error that names
the argument and the expected shape or dtype, instead of a silent wrong answer.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(
    value, name: str, *, ndim: int | tuple[int, ...] | None = None, shape: tuple | None = None, dtype=None
) -> np.ndarray:
    """Return ``value`` as a finite floating-point ndarray, or raise naming ``name``.

    ndim:  required number of dimensions (an int, or a tuple of allowed ints).
    shape: required shape; ``None`` entries match any length.
    dtype: the float dtype to convert to (default: keep float32/float64, turn ints/bools into float64).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except Exception as error:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be convertible to a numeric array: {error}") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must have a numeric dtype, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real-valued, got dtype {array.dtype}")
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    elif not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    check_ndim(array, name, ndim)
    check_shape(array, name, shape)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def as_unit_images(
    value,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    dtype=np.float32,
    tolerance: float = 1e-6,
    max_value: float = 1.0,
) -> np.ndarray:
    """Images with pixels in [0, 1] as a float array (default float32), or raise naming ``name``.

    The commonest data mistake is to pass MNIST's uint8 pixels (0-255) where [0, 1] is expected: the
    noise model then saturates and classifiers see a different distribution, silently. Integer dtypes and
    values above ``max_value + tolerance`` or below ``-tolerance`` are rejected, the message naming the fix
    (``/ 255`` or ``coursework_lib.core.data.to_unit_float``; ``np.clip`` for a model's overshoot).
    tolerance: float rounding (1e-6). max_value: 1 for images from data; a caller that also judges the
    output of a model whose last layer is a ReLU (it can overshoot 1) passes that model's bound.
    """
    array = np.asarray(value) if not isinstance(value, (str, bytes)) and value is not None else value
    if isinstance(array, np.ndarray) and np.issubdtype(array.dtype, np.integer) and array.size:
        raise ValueError(
            f"{name} must be float pixels in [0, 1], got dtype {array.dtype} (0-255 pixels?): "
            f"divide by 255 (X / 255) or use coursework_lib.core.data.to_unit_float"
        )
    array = as_float_array(array, name, ndim=ndim, dtype=dtype)
    if not array.size:
        return array
    low, high = float(array.min()), float(array.max())
    if high > max_value + tolerance or low < -tolerance:
        bound = "[0, 1]" if max_value == 1.0 else f"[0, 1] (a model's output up to {max_value:g})"
        if high > 2 * max_value:
            fix = ": pixels in 0-255? divide by 255 (X / 255) or use coursework_lib.core.data.to_unit_float"
        elif high > max_value + tolerance:
            fix = ": a model's output overshooting 1? clip it with np.clip(X, 0, 1)"
        else:
            fix = ": images in [-1, 1]? map them to [0, 1] with (X + 1) / 2" if low >= -1 - tolerance else ""
        raise ValueError(f"{name} must have pixels in {bound}, got values in [{low:g}, {high:g}]{fix}")
    return array


def check_ndim(array: np.ndarray, name: str, ndim) -> None:
    """Raise ValueError unless ``array.ndim`` is ``ndim`` (an int or a tuple of allowed ints)."""
    if ndim is None:
        return
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if array.ndim not in allowed:
        wanted = " or ".join(str(n) for n in allowed)
        raise ValueError(f"{name} must have {wanted} dimensions, got shape {array.shape}")


def check_shape(array: np.ndarray, name: str, shape) -> None:
    """Raise ValueError unless ``array.shape`` matches ``shape`` (``None`` matches any length)."""
    if shape is None:
        return
    shown = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
    if array.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, array.shape)):
        raise ValueError(f"{name} must have shape {shown}, got {array.shape}")


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as an int if it is a positive integer, else raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_finite_number(value, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a float if it is a finite real number (optionally > 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return float(value)


def check_choice(value, name: str, choices) -> str:
    """Raise ValueError unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value
