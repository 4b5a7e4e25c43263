"""ipywidgets demos, one submodule per topic. Each has a static twin in ``plotting`` for the HTML
book, where sliders cannot recompute. Chapter 1's is re-exported here; later chapters import their own
submodule, e.g. ``from coursework_lib.widgets import optimizers``.
"""

from .neurons import neuron_explorer

__all__ = ["neuron_explorer"]
