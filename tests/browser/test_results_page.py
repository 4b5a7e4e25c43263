"""The results page quotes every metric that the book's notebooks record (book.record -> _build/metrics)."""

from __future__ import annotations

import json
import re

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


GLUE = re.compile(r"\{glue:text\}`\.\./notebooks/(?P<nb>[\w-]+)\.ipynb::(?P<key>\w+?)(?P<origin>__origin)?:[^`]*`")


def test_every_line_of_the_results_page_states_the_origin_of_its_numbers():
    """A table row (or a sentence's line) that quotes recorded numbers also pastes their origin, and the
    numbers on one line share it: computed in this build, or the shipped run of a named command."""
    if not REQUIRED:
        pytest.skip("checks the freshly built book: set BOOK_BROWSER_TEST=1 (make browser-test)")
    metrics = {}
    for path in (ROOT / "_build" / "metrics").glob("*.json"):
        metrics[path.stem] = json.loads(path.read_text())
    problems = []
    for number, line in enumerate((ROOT / "book" / "results.md").read_text().splitlines(), start=1):
        quoted = [m for m in GLUE.finditer(line) if not m["origin"]]
        if not quoted:
            continue
        origins = {json.dumps(metrics[m["nb"]][m["key"]]["origin"], sort_keys=True) for m in quoted}
        stated = [(m["nb"], m["key"]) for m in GLUE.finditer(line) if m["origin"]]
        if len(origins) > 1:
            problems.append(f"line {number}: numbers of different origins on one line; split it")
        elif not stated:
            problems.append(f"line {number}: no origin stated ({{glue:text}}`<nb>::<key>__origin:s`)")
        elif any(json.dumps(metrics[nb][key]["origin"], sort_keys=True) not in origins for nb, key in stated):
            problems.append(f"line {number}: the stated origin is another number's")
    assert not problems, "\n".join(problems)
