"""ipywidgets explorers, one submodule per topic, e.g. ``from coursework_lib.widgets import neurons``.
Each has a static figure in ``viz`` for the HTML book, where sliders cannot recompute."""
