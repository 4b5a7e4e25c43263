"""The book's accessibility extension (book/_ext/accessible_book.py): alt text and bibliography roles."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree, publish_string
from docutils.writers.html5_polyglot import HTMLTranslator, Writer

_path = Path(__file__).resolve().parents[1] / "book" / "_ext" / "accessible_book.py"
_spec = importlib.util.spec_from_file_location("accessible_book", _path)
accessible_book = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(accessible_book)

SOURCE = """
Explore a neuron
================

.. figure:: activations.png

   The sigmoid :math:`\\sigma(z)` and its derivative.

.. image:: widget.png

.. image:: chosen.png
   :alt: Chosen by the author
"""


def _images():
    # As in Sphinx, the first section stays a section (no document title).
    doctree = publish_doctree(SOURCE, settings_overrides={"report_level": 5, "doctitle_xform": False})
    accessible_book.add_alt_text(None, doctree, "page")
    return {image["uri"]: image["alt"] for image in doctree.findall(nodes.image)}


def test_figure_image_gets_its_caption_without_tex_markup():
    assert _images()["activations.png"] == "The sigmoid sigma(z) and its derivative."


def test_image_outside_a_figure_is_named_after_its_section():
    assert _images()["widget.png"] == "Figure: Explore a neuron"


def test_author_alt_text_is_kept():
    assert _images()["chosen.png"] == "Chosen by the author"


class _Translator(accessible_book.AccessibleCitationsMixin, HTMLTranslator):
    pass


def test_citations_are_list_items_of_the_citation_list():
    writer = Writer()
    writer.translator_class = _Translator
    source = "See [Goodfellow2014]_ and [Bora2017]_.\n\n.. [Goodfellow2014] GANs.\n.. [Bora2017] Compressed sensing.\n"
    html = publish_string(source, writer=writer, settings_overrides={"report_level": 5}).decode()
    assert html.count('role="list"') == 1
    assert html.count('role="listitem"') == 2
    assert "doc-biblioentry" not in html
    # The plain docutils writer is what the mixin changes (guards against the check passing vacuously).
    plain = publish_string(source, writer=Writer(), settings_overrides={"report_level": 5}).decode()
    assert plain.count('role="doc-biblioentry"') == 2
