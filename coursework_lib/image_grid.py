"""Tiling a batch of images into one array: the GAN's per-epoch frames and the book's sample mosaics."""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_finite_number, check_positive_int


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
        out[top:top + h, left:left + w] = image
    return out
