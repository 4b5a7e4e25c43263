"""Image arrays in the shapes the models and figures expect: reshaping, unit-range checks, mosaics.

Images are float32 in [0, 1]; MNIST-sized ones are (n, 28, 28, 1) for the convolutional models and
(n, 784) for the dense ones.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int

IMAGE_SHAPE = (28, 28, 1)


def as_model_input(images) -> np.ndarray:
    """Images (n, 28, 28) or (n, 28, 28, 1), uint8 in [0, 255] or float in [0, 1] -> (n, 28, 28, 1) float32."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"images must have shape (n, h, w) or (n, h, w, 1), got {images.shape}")
    if images.dtype == np.uint8:
        return images.astype(np.float32) / np.float32(255.0)
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(f"images must be uint8 or float in [0, 1], got dtype {images.dtype}")
    return images.astype(np.float32, copy=False)


def as_images(X) -> np.ndarray:
    """(n, 28, 28), (n, 28, 28, 1) or (n, 784) floats in [0, 1] -> (n, 28, 28, 1) float32."""
    X = as_float_array(X, "X", dtype=np.float32)
    if X.ndim < 2 or int(np.prod(X.shape[1:])) != 784:
        raise ValueError(f"X must have shape (n, 28, 28), (n, 28, 28, 1) or (n, 784), got {X.shape}")
    return X.reshape((len(X),) + IMAGE_SHAPE)


def reshape_for_model(model, X) -> np.ndarray:
    """Images (n, 28, 28), (n, 28, 28, 1) or (n, 784) reshaped to ``model``'s input, float32."""
    X = as_float_array(X, "X", dtype=np.float32)
    target = tuple(model.input_shape[1:])
    if X.ndim < 2 or int(np.prod(X.shape[1:])) != int(np.prod(target)):
        raise ValueError(
            f"X must have shape (n, ...) with {int(np.prod(target))} values per image "
            f"(model input {target}), got {X.shape}"
        )
    return X.reshape((len(X),) + target)


def tile_images(images, ncols: int, pad: int = 1, border: bool = False, fill: float = 1.0) -> np.ndarray:
    """Lay (n, h, w) or (n, h, w, c) images out in rows of ``ncols``, left to right, top to bottom.

    Returns one float32 array of shape (rows·h + (rows − 1)·pad, ncols·w + (ncols − 1)·pad[, c]) with
    rows = ceil(n / ncols); with ``border`` a frame of ``pad`` pixels goes round it too (2·pad more each
    way). Gaps, frame and empty cells after the last image hold ``fill``. A (n, h, w, 1) batch gives a
    2-D mosaic.
    """
    images = as_float_array(images, "images", ndim=(3, 4), dtype=np.float32)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    ncols = check_positive_int(ncols, "ncols")
    if isinstance(pad, bool) or not isinstance(pad, (int, np.integer)) or pad < 0:
        raise ValueError(f"pad must be a non-negative int, got {pad!r}")
    fill = check_finite_number(fill, "fill")
    n, h, w = images.shape[:3]
    rows, edge = -(-n // ncols), pad if border else 0
    shape = (rows * (h + pad) - pad + 2 * edge, ncols * (w + pad) - pad + 2 * edge, *images.shape[3:])
    out = np.full(shape, fill, dtype=np.float32)
    for i, image in enumerate(images):
        r, c = divmod(i, ncols)
        top, left = edge + r * (h + pad), edge + c * (w + pad)
        out[top : top + h, left : left + w] = image
    return out
