"""Chapter 8's demo: pick a test digit, a degradation and its level, the noise and the method; see
what was observed and what the generator prior (or a simple baseline) restores. Static twin:
``plotting.restoration.plot_restoration_panel``."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..generators import to_image
from ..inversion import restore_images

LEVELS = {"inpainting": (56, 728, 28, 300), "super-resolution": (2, 7, 1, 4),
          "compressed-sensing": (10, 400, 10, 100)}


def restoration_explorer(G, X, index: int = 0, problem: str = "inpainting"):
    """Interactive restoration of the rows of X (k, 784) with the generator G."""
    lo, hi, step, value = LEVELS[problem]

    def draw(index, problem, level, noise_std, method):
        lo, hi, _, default = LEVELS[problem]
        if not lo <= level <= hi or (problem == "super-resolution" and 28 % level):
            level = default
        x = X[index:index + 1]
        shown, restored = restore_images(G, x, problem, int(level), noise_std=noise_std, method=method,
                                         num_restarts=3, num_steps=200)
        fig, axes = plt.subplots(1, 3, figsize=(7, 2.6))
        for ax, image, title in zip(axes, (x, shown, restored), ("ideal", "observed", f"restored ({method})")):
            ax.imshow(to_image(image[0]), cmap="gray", vmin=0, vmax=1)
            ax.set_title(title, fontsize=9)
            ax.axis("off")
        fig.suptitle(f"{problem}, level {level}, noise std {noise_std}")
        plt.show()

    return widgets.interactive(
        draw, index=widgets.IntSlider(index, 0, len(X) - 1), problem=widgets.Dropdown(
            options=list(LEVELS), value=problem),
        level=widgets.IntText(value), noise_std=widgets.FloatSlider(0.05, min=0.0, max=0.3, step=0.05),
        method=widgets.Dropdown(options=["generator", "baseline"], value="generator"))
