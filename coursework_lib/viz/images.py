"""Rows of images with labels: the one picture plotter of the book (digits, patches, codes, samples)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def _displayable(images) -> np.ndarray:
    """(n, h, w), (n, h, w, 1) or (n, h, w, 3) -> (n, h, w) grey or (n, h, w, 3) colour."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 3):
        raise ValueError(f"images must have shape (n, h, w), (n, h, w, 1) or (n, h, w, 3), got {images.shape}")
    return images


def plot_image_rows(
    rows: dict,
    title: str = "",
    col_titles=None,
    ncols: int | None = None,
    size: float = 1.0,
    vmin: float | None = 0.0,
    vmax: float | None = 1.0,
    label_above: bool = False,
):
    """One labelled row of images per entry of ``rows`` = {row label: images}.

    images: (n, h, w[, 1]) grey or (n, h, w, 3) colour in [0, 1]; rows may hold different n and widths
    (a 4×32 code under 28×28 digits). col_titles: optional strings above the first row's images.
    ncols: images per row (default: the longest row); a longer row wraps onto several figure rows.
    vmin, vmax: the grey scale, values clipped to it (None: each image's own range). label_above: write
    each row's label as a title above it (for long labels) instead of on its left. Returns the Figure.
    """
    if not rows:
        raise ValueError("rows must hold at least one row of images")
    rows = {label: _displayable(images) for label, images in rows.items()}
    ncols = ncols or max(len(images) for images in rows.values())
    layout = []  # (label or "", images of one figure row)
    for label, images in rows.items():
        for start in range(0, max(len(images), 1), ncols):
            layout.append((label if start == 0 else "", images[start : start + ncols]))
    fig, axes = plt.subplots(len(layout), ncols, figsize=(size * ncols, size * 1.1 * len(layout) + 0.4), squeeze=False)
    for r, (label, images) in enumerate(layout):
        for j in range(ncols):
            ax = axes[r, j]
            ax.set_xticks([]), ax.set_yticks([])
            ax.grid(False)
            for spine in ax.spines.values():
                spine.set_visible(False)
            if j < len(images):
                image = images[j] if vmin is None or vmax is None else np.clip(images[j], vmin, vmax)
                square = images.shape[1] == images.shape[2]
                ax.imshow(image, cmap="gray", vmin=vmin, vmax=vmax, aspect="equal" if square else "auto")
            if j == 0 and label and label_above:
                ax.set_title(label, loc="left", fontsize=9)
            elif j == 0 and label:
                ax.set_ylabel(label, fontsize=8)
            if r == 0 and col_titles is not None and j < len(col_titles) and not (label_above and j == 0):
                ax.set_title(str(col_titles[j]), fontsize=8)
    if title:
        fig.suptitle(title)
    if label_above:
        # A row's label runs over the images beside its first one, which a tight layout cannot fit into
        # one narrow panel (it warns and gives up): lay the grid out by hand instead.
        fig.set_layout_engine("none")
        room = (0.3 + (0.35 if title else 0.0)) / fig.get_figheight()  # inches above the first row
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=1.0 - room, wspace=0.05, hspace=0.45)
    return fig
