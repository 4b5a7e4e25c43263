"""Chapter 5's widget: slide the noise level, pick a test digit, watch the denoiser and the judge.
Its static twin is ``plotting.autoencoders.plot_sigma_grid``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from coursework_lib.evaluation.denoising import denoise_and_judge
from coursework_lib.widgets import Explorer


def denoise_explorer(denoiser, classifier, images, labels=None, sigma: float = 0.6, index: int = 0):
    """images: (n, 28, 28[, 1]) clean test digits in [0, 1]; labels: optional (n,) true classes.

    Each redraw runs the denoiser and the classifier, so the sliders redraw when released. Returns an
    :class:`Explorer`."""
    import ipywidgets as widgets

    images = np.asarray(images)

    def draw(sigma, index, seed):
        result = denoise_and_judge(denoiser, classifier, images[index : index + 1], sigma, seed=seed)
        fig, axes = plt.subplots(1, 3, figsize=(6.6, 2.6))
        panels = (
            ("clean" + ("" if labels is None else f" (label {labels[index]})"), images[index]),
            (f"noisy, σ = {sigma:.2f}", result["noisy"][0]),
            (f"denoised → {result['label'][0]} ({100 * result['confidence'][0]:.1f}%)", result["denoised"][0]),
        )
        for ax, (title, image) in zip(axes, panels):
            ax.imshow(np.reshape(image, (28, 28)), cmap="gray", vmin=0, vmax=1)
            ax.set_title(title, fontsize=9)
            ax.axis("off")
        plt.show()

    return Explorer(
        widgets.interactive(
            draw,
            sigma=widgets.FloatSlider(
                value=sigma, min=0.0, max=1.5, step=0.05, description="noise σ", continuous_update=False
            ),
            index=widgets.IntSlider(
                value=index, min=0, max=len(images) - 1, description="test digit", continuous_update=False
            ),
            seed=widgets.IntSlider(value=0, min=0, max=20, description="noise seed", continuous_update=False),
        )
    )
