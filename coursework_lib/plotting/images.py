"""Image grids used by every chapter that shows pictures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def show_images(images, titles=None, ncols: int = 10, size: float = 1.2, cmap="gray"):
    """A grid of images: (n, h, w) grey or (n, h, w, 3) colour, values in [0, 1] or uint8."""
    images = np.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"images must have shape (n, h, w) or (n, h, w, 3), got {images.shape}")
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap=cmap if images.ndim == 3 else None)
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=8)
    return fig


