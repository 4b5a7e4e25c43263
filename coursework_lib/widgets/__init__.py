"""ipywidgets explorers, one submodule per topic, e.g. ``from coursework_lib.widgets import neurons``.
Each has a static figure in ``viz`` for the HTML book, where sliders cannot recompute.

Every explorer returns an :class:`Explorer`: the widget, displayed with a one-line note under it. Widgets
live in the running kernel, not in the saved notebook, so a reopened notebook shows JupyterLab's "model
not found" in the widget's place; the note is an ordinary output, saved with the notebook, that says how
to bring the widget back. Sliders whose redraw runs a model redraw when released
(``continuous_update=False``), not at every drag position."""

from __future__ import annotations

REOPENED_NOTE = (
    "Widget gone, or \u201cmodel not found\u201d after reopening the notebook? Widgets live in the running "
    "kernel: run this cell again (in a fresh kernel, the cells above it first: Run \u2192 Run Selected Cell "
    "and All Above)."
)


class Explorer:
    """An ipywidgets explorer that displays itself followed by :data:`REOPENED_NOTE` (plain text).

    widget: the ipywidgets widget (e.g. ``interactive`` or ``VBox``). Attribute access goes to it, so
    ``explorer.children`` lists the controls as for the widget itself.
    """

    def __init__(self, widget):
        self.widget = widget

    def __getattr__(self, name):
        if name == "widget":  # not yet set (e.g. during unpickling): avoid infinite recursion
            raise AttributeError(name)
        return getattr(self.widget, name)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
        display({"text/plain": REOPENED_NOTE}, raw=True)

    def __repr__(self) -> str:
        return f"Explorer({self.widget!r})\n{REOPENED_NOTE}"
