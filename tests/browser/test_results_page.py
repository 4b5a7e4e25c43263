"""The results page quotes every metric that the book's notebooks record (book.record -> _build/metrics)."""

from __future__ import annotations

import json

import pytest
from book_site import REQUIRED, ROOT
from test_book_pages import DOCUMENTS, is_notebook

NOTEBOOKS = [doc for doc in DOCUMENTS if is_notebook(doc)]


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_results_page_quotes_every_recorded_metric(doc):
    if not REQUIRED:
        pytest.skip("checks the freshly built book: set BOOK_BROWSER_TEST=1 (make browser-test)")
    name = doc.rsplit("/", 1)[-1]
    metrics_file = ROOT / "_build" / "metrics" / f"{name}.json"
    assert metrics_file.is_file(), f"{doc} recorded no metrics ({metrics_file} missing)"
    results = (ROOT / "book" / "results.md").read_text()
    missing = [key for key in json.loads(metrics_file.read_text()) if f"{name}.ipynb::{key}" not in results]
    assert not missing, f"book/results.md does not quote these metrics of {doc}: {missing}"
