"""Check every internal link of the built HTML book: each local href/src resolves to a file in the build,
and each #fragment names an id (or <a name>) on its target page. External links are not fetched.

    python scripts/check_internal_links.py [_build/html]

Exits 1 and lists the broken links if there are any. Used by tests/browser/test_internal_links.py.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"href", "src", "data", "poster"}
SKIP_SCHEMES = {"http", "https", "mailto", "data", "javascript", "tel", "ftp", "blob", "about"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str, str]] = []  # (line, tag, url)
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.anchors.add(value)
            elif name in LINK_ATTRS:
                self.links.append((self.getpos()[0], tag, value))
            elif name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.links.append((self.getpos()[0], tag, part.strip().split()[0]))


@lru_cache(maxsize=None)
def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    return collector


def _pages(root: Path) -> list[Path]:
    """The book's pages: every .html file except the theme's template leftovers in _static/."""
    return [p for p in sorted(root.rglob("*.html")) if p.relative_to(root).parts[0] != "_static"]


def broken_links(root: str | Path) -> list[str]:
    """Every broken internal link under the built site ``root``, as 'page:line <tag> url: reason'."""
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root} has no index.html: build the book first")
    problems: list[str] = []
    for page in _pages(root):
        for line, tag, url in _parse(page).links:
            parts = urlsplit(url)
            if parts.scheme in SKIP_SCHEMES or url.startswith("//") or parts.netloc:
                continue
            if parts.scheme:  # an unknown scheme is a mistake in the book
                problems.append(f"{page.relative_to(root)}:{line} <{tag}> {url}: unknown scheme")
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(root)}:{line} <{tag}> {url}"
            if root not in target.parents and target != root:
                problems.append(f"{where}: leaves the built site")
            elif not target.is_file():
                problems.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html":
                fragment = unquote(parts.fragment)
                if fragment not in _parse(target).anchors and fragment not in {"", "top"}:
                    problems.append(f"{where}: no id '{fragment}' in {target.relative_to(root)}")
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "_build/html")
    problems = broken_links(root)
    pages = len(_pages(root.resolve()))
    for problem in problems:
        print(problem)
    print(f"internal link check: {pages} pages, {len(problems)} broken links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
