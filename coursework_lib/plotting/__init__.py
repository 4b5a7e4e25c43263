"""Figures, one submodule per topic; every function returns the matplotlib Figure it drew.

Chapter 1's figures and the image grid are re-exported here (``plotting.show_images``); later chapters
import their own submodule, e.g. ``from coursework_lib.plotting import cnn``.
"""

from .images import show_images
from .neurons import plot_activations, plot_neuron_grid, plot_neuron_response, plot_timings

__all__ = ["plot_activations", "plot_neuron_grid", "plot_neuron_response", "plot_timings", "show_images"]
