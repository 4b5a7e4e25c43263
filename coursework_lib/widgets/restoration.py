"""Chapter 8's demo: pick a test digit, a degradation and its level, the noise and the method; see
what was observed and what the generator prior (or a simple baseline) restores. Static twin:
``viz.restoration.plot_restoration_panel`` of ``restoration.restore.restoration_panel``."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from coursework_lib.restoration.generators import to_image
from coursework_lib.restoration.restore import restore_images
from coursework_lib.viz.images import plot_image_rows

LEVELS = {"inpainting": (56, 728, 28, 300), "super-resolution": (2, 7, 1, 4), "compressed-sensing": (10, 400, 10, 100)}


def restoration_explorer(G, X, index: int = 0, problem: str = "inpainting"):
    """Interactive restoration of the rows of X (k, 784) with the generator G (Source- or DenseGenerator).

    Each redraw calls :func:`~coursework_lib.restoration.restore.restore_images` (3 restarts of 200
    steps). Returns the ``ipywidgets.interactive`` to display.
    """
    lo, hi, step, value = LEVELS[problem]

    def draw(index, problem, level, noise_std, method):
        lo, hi, _, default = LEVELS[problem]
        if not lo <= level <= hi or (problem == "super-resolution" and 28 % level):
            level = default
        x = X[index : index + 1]
        shown, restored = restore_images(
            G, x, problem, int(level), noise_std=noise_std, method=method, num_restarts=3, num_steps=200
        )
        row = np.stack([to_image(image[0]) for image in (x, shown, restored)])
        plot_image_rows(
            {"": row},
            col_titles=["ideal", "observed", f"restored ({method})"],
            size=2.2,
            title=f"{problem}, level {level}, noise std {noise_std}",
        )
        plt.show()

    problem_box = widgets.Dropdown(options=list(LEVELS), value=problem, description="problem")
    level_box = widgets.IntText(value, description="level")

    def reset_level(change):
        """A new problem starts at its own default level, so the box shows the level that is used."""
        level_box.value = LEVELS[change["new"]][3]

    problem_box.observe(reset_level, names="value")
    return widgets.interactive(
        draw,
        index=widgets.IntSlider(index, 0, len(X) - 1, description="index", continuous_update=False),
        problem=problem_box,
        level=level_box,
        noise_std=widgets.FloatSlider(
            0.05, min=0.0, max=0.3, step=0.05, description="noise std", continuous_update=False
        ),
        method=widgets.Dropdown(options=["generator", "baseline"], value="generator", description="method"),
    )
