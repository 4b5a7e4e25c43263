"""Internal link check of the built book (scripts/check_internal_links.py), and a check of the checker."""

from __future__ import annotations

import importlib.util

import pytest
from book_site import HTML, REQUIRED, ROOT

_spec = importlib.util.spec_from_file_location("check_internal_links", ROOT / "scripts" / "check_internal_links.py")
links = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(links)


def test_checker_finds_broken_links(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="sub/page.html#here">ok</a><a href="sub/page.html#gone">bad anchor</a>'
        '<img src="missing.png"><a href="https://example.org/x">external, not fetched</a>'
        '<a href="#top">top</a><script src="../outside.js"></script>'
    )
    (tmp_path / "sub" / "page.html").write_text('<h1 id="here">x</h1><a href="../index.html">back</a>')
    problems = links.broken_links(tmp_path)
    assert len(problems) == 3, problems
    assert any("#gone" in p for p in problems)
    assert any("missing.png" in p for p in problems)
    assert any("outside.js" in p for p in problems)


def test_built_book_has_no_broken_internal_links():
    if not REQUIRED:
        pytest.skip("checks the freshly built book: set BOOK_BROWSER_TEST=1 (make browser-test)")
    assert (HTML / "index.html").is_file(), f"{HTML} is not built"
    problems = links.broken_links(HTML)
    assert not problems, "broken internal links:\n" + "\n".join(problems)
