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
from coursework_lib.widgets import Explorer

LEVELS = {"inpainting": (56, 728, 28, 300), "super-resolution": (2, 7, 1, 4), "compressed-sensing": (10, 400, 10, 100)}
"""problem -> (lowest, highest, step, default) level the widget offers."""


def valid_level(problem: str, level: int) -> int:
    """The level the widget uses for ``problem``: ``level`` clamped to the problem's range and, for
    super-resolution, the nearest pooling factor that divides 28 (2, 4 or 7; the smaller on a tie)."""
    lo, hi, _, _ = LEVELS[problem]
    level = min(max(int(level), lo), hi)
    if problem == "super-resolution":
        level = min((f for f in range(lo, hi + 1) if 28 % f == 0), key=lambda f: (abs(f - level), f))
    return level


def restoration_explorer(G, X, index: int = 0, problem: str = "inpainting"):
    """Interactive restoration of the rows of X (k, 784) with the generator G (Source- or DenseGenerator).

    Each redraw calls :func:`~coursework_lib.restoration.restore.restore_images` (3 restarts of 200
    steps), once per change. The level box always shows the level used: a new problem starts at its
    default level, and a level the problem cannot use is replaced by :func:`valid_level` in the box.
    Sliders redraw when released. Returns an :class:`~coursework_lib.widgets.Explorer` whose widget is a
    VBox of the controls and the output.
    """
    if problem not in LEVELS:
        raise ValueError(f"problem must be one of {sorted(LEVELS)}, got {problem!r}")

    def draw(index, problem, level, noise_std, method):
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

    controls = {
        "index": widgets.IntSlider(index, 0, len(X) - 1, description="index", continuous_update=False),
        "problem": widgets.Dropdown(options=list(LEVELS), value=problem, description="problem"),
        "level": widgets.IntText(LEVELS[problem][3], description="level"),
        "noise_std": widgets.FloatSlider(
            0.05, min=0.0, max=0.3, step=0.05, description="noise std", continuous_update=False
        ),
        "method": widgets.Dropdown(options=["generator", "baseline"], value="generator", description="method"),
    }
    output = widgets.Output()
    state = {"quiet": False}  # True while the level box is being corrected: one redraw per change

    def redraw(change=None):
        if state["quiet"]:
            return
        output.clear_output(wait=True)
        with output:
            draw(**{name: control.value for name, control in controls.items()})

    def set_level_quietly(level):
        state["quiet"] = True
        try:
            controls["level"].value = level
        finally:
            state["quiet"] = False

    def on_problem(change):
        set_level_quietly(LEVELS[change["new"]][3])  # a new problem starts at its own default level
        redraw()

    def on_level(change):
        if state["quiet"]:
            return
        used = valid_level(controls["problem"].value, change["new"])
        if used != change["new"]:
            set_level_quietly(used)  # the box shows the level that is used
        redraw()

    controls["problem"].observe(on_problem, names="value")
    controls["level"].observe(on_level, names="value")
    for name in ("index", "noise_std", "method"):
        controls[name].observe(redraw, names="value")
    redraw()
    return Explorer(widgets.VBox([*controls.values(), output]))
