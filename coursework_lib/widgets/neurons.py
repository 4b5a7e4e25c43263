"""Chapter 1's widget: one neuron's response. Its static twin is ``viz.neurons.plot_neuron_grid``."""

from __future__ import annotations

import matplotlib.pyplot as plt

from coursework_lib.maths.activations import ACTIVATIONS
from coursework_lib.viz.neurons import plot_neuron_response
from coursework_lib.widgets import Explorer


def neuron_explorer(activation: str = "sigmoid", w: float = 1.0, b: float = 0.0):
    """Pick an activation, slide the weight and the bias, and watch a = f(w x + b) change.

    The sliders redraw while dragging: a redraw is one small NumPy curve. Returns an :class:`Explorer`."""
    import ipywidgets as widgets

    def draw(activation, w, b):
        fig = plot_neuron_response(activation, w, b)
        fig.axes[0].set_ylim(-1.5, 5.0)
        plt.show()

    return Explorer(
        widgets.interactive(
            draw,
            activation=widgets.Dropdown(options=sorted(ACTIVATIONS), value=activation, description="activation"),
            w=widgets.FloatSlider(value=w, min=-5.0, max=5.0, step=0.1, description="weight w"),
            b=widgets.FloatSlider(value=b, min=-5.0, max=5.0, step=0.1, description="bias b"),
        )
    )
