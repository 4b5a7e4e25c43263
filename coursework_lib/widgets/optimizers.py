"""Chapter 4's widget: the loss-surface explorer. Its static twin is ``viz.optimizers.plot_explorer``
(the same figure for the default settings) and ``plot_lr_sensitivity`` (small multiples)."""

from __future__ import annotations

import matplotlib.pyplot as plt

from coursework_lib.maths.optimizers import OPTIMIZERS
from coursework_lib.maths.surfaces import SURFACES, trajectory
from coursework_lib.viz.optimizers import plot_explorer
from coursework_lib.widgets import Explorer

EXPLORER_DEFAULTS = {
    "surface": "rosenbrock",
    "optimizer": "adam",
    "lr": 0.1,
    "beta_1": 0.9,
    "beta_2": 0.999,
    "momentum": 0.9,
    "num_steps": 500,
}


def optimizer_explorer(**defaults):
    """Choose a surface and an optimizer; slide the learning rate (log scale), β1, β2, momentum and the
    number of steps. The trajectory and the loss-vs-step plot are redrawn. Sliders an optimizer does not
    use (β1, β2 for momentum; momentum for Adam) have no effect on it. Returns an :class:`Explorer`."""
    import ipywidgets as widgets

    d = dict(EXPLORER_DEFAULTS, **defaults)

    def draw(surface, optimizer, lr, beta_1, beta_2, momentum, num_steps):
        path, losses = trajectory(
            surface, optimizer, lr=lr, beta_1=beta_1, beta_2=beta_2, momentum=momentum, num_steps=num_steps
        )
        plot_explorer(surface, optimizer, path, losses)
        plt.show()

    # Sliders redraw when released, not at every drag position: a redraw runs the optimizer (up to 2000 steps).
    return Explorer(
        widgets.interactive(
            draw,
            surface=widgets.Dropdown(options=list(SURFACES), value=d["surface"], description="surface"),
            optimizer=widgets.Dropdown(options=list(OPTIMIZERS), value=d["optimizer"], description="optimizer"),
            lr=widgets.FloatLogSlider(
                value=d["lr"],
                base=10,
                min=-4,
                max=0,
                step=0.1,
                description="lr",
                readout_format=".4f",
                continuous_update=False,
            ),
            beta_1=widgets.FloatSlider(
                value=d["beta_1"], min=0.0, max=0.99, step=0.01, description="β1", continuous_update=False
            ),
            beta_2=widgets.FloatSlider(
                value=d["beta_2"],
                min=0.5,
                max=0.9999,
                step=0.0005,
                description="β2",
                readout_format=".4f",
                continuous_update=False,
            ),
            momentum=widgets.FloatSlider(
                value=d["momentum"], min=0.0, max=0.99, step=0.01, description="momentum", continuous_update=False
            ),
            num_steps=widgets.IntSlider(
                value=d["num_steps"], min=10, max=2000, step=10, description="steps", continuous_update=False
            ),
        )
    )
