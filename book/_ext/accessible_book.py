"""Local Sphinx extension: accessibility fixes for the HTML book (WCAG 2.1 A/AA, checked by axe-core in
tests/browser; loaded from _config.yml's sphinx.local_extensions).

* **Text alternatives for figures.** An image without an author-given ``alt`` (every notebook output:
  myst-nb writes none) gets one: inside a figure, the figure's caption; elsewhere, "Figure: <title of
  its section>". Docutils would otherwise fall back to the image's file name (a content hash).
* **A valid bibliography.** Docutils writes each citation as ``<div role="doc-biblioentry">`` inside
  ``<div role="list">``: ``doc-biblioentry`` is deprecated in WAI-ARIA 1.3 and is no ``listitem``, so the
  list has no valid children. Citations are written with ``role="listitem"`` instead.

* **Collapsed code cells named by what they show.** myst-nb names each hidden cell's ``<summary>``
  "Toggle hidden content" with aria-label, while it shows "Show code cell source": WCAG 2.5.3 (Label in
  Name) asks the name to contain the visible text. The aria-label is dropped, so the summary is named by
  its visible text.

Two theme components get the same Label-in-Name fix as template overrides in book/_templates/.
The widgets' own images and slider handles are given text in the browser, where the widget manager
draws them (book/_static/widgets-offline.js); the colours of Keras summaries are in
book/_static/accessible.css.
"""

from __future__ import annotations

import re
import types

from docutils import nodes

_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")
_SPACES = re.compile(r"\s+")


def plain_text(node: nodes.Node) -> str:
    """The text of a caption or title as a screen reader should get it: TeX commands without their
    backslash and braces (``\\sigma(z)`` -> ``sigma(z)``), whitespace collapsed."""
    parts = []
    for child in node.findall(nodes.Text):
        text = child.astext()
        if isinstance(child.parent, nodes.math):
            text = _TEX_COMMAND.sub(r"\1", text).replace("{", "").replace("}", "")
        parts.append(text)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _section_title(node: nodes.Node) -> str:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section) and parent.children and isinstance(parent[0], nodes.title):
            return plain_text(parent[0])
        parent = parent.parent
    return ""


def image_alt_text(image: nodes.image) -> str:
    """Alt text for an image without one: its figure's caption, else its section's title."""
    figure = image.parent
    while figure is not None and not isinstance(figure, nodes.figure):
        figure = figure.parent
    if figure is not None:
        caption = next(iter(figure.findall(nodes.caption)), None)
        if caption is not None and plain_text(caption):
            return plain_text(caption)
    title = _section_title(image)
    return f"Figure: {title}" if title else "Figure"


def add_alt_text(app, doctree, docname) -> None:
    for image in doctree.findall(nodes.image):
        if not image.get("alt"):
            image["alt"] = image_alt_text(image)


class AccessibleCitationsMixin:
    """Citations as list items of the citation list (see the module docstring)."""

    def visit_citation(self, node):
        super().visit_citation(node)
        self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


_SUMMARY_LABEL = ' aria-label="Toggle hidden content"'


def named_hidden_cells(app) -> None:
    """Wrap myst-nb's HTML visitor of hidden cells so that their <summary> has no aria-label."""
    try:
        from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
    except ImportError:  # another myst-nb layout: the browser test will say if the label is back
        return

    def visit(self, node):
        start = len(self.body)
        visit_HideCellInput(self, node)
        for i in range(start, len(self.body)):
            if self.body[i].startswith("<summary"):
                self.body[i] = self.body[i].replace(_SUMMARY_LABEL, "")

    app.add_node(HideCodeCellNode, override=True, html=(visit, depart_HideCellInput))


def accessible_translators(app) -> None:
    """Wrap the HTML translators (after pydata-sphinx-theme has wrapped them at the same event)."""
    if app.builder.format != "html":
        return
    registered = dict(app.registry.translators)
    if app.builder.name not in registered:
        try:
            registered[app.builder.name] = app.builder.default_translator_class
        except AttributeError:  # builders such as linkcheck have none
            return
    for name, klass in registered.items():
        translator = types.new_class("AccessibleHTML5Translator", (AccessibleCitationsMixin, klass), {})
        app.set_translator(name, translator, override=True)


def setup(app):
    app.connect("doctree-resolved", add_alt_text)
    app.connect("builder-inited", accessible_translators, priority=900)  # after the theme's (500)
    app.connect("builder-inited", named_hidden_cells)  # every extension (myst-nb too) is set up by now
    app.add_css_file("accessible.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
