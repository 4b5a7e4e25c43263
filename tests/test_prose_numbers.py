"""Every result-like number in a notebook's prose is glued from the run or quoted from a source.

A decimal (0.975), a percentage (9.6 %) or a speed-up (4×, 5 times) in a markdown cell, outside maths,
code, roles and links, must be either glued (``{glue:text}`name:fmt```, so the run computed it) or listed
in ``book/source_figures.yml``: a figure quoted from a source document, whose ``source`` words (e.g.
"source report", "Bora et al.") appear in the same cell, or a setting the text names (``setting``).
Integers (epochs, batch sizes, chapter numbers), section and exercise numbers, image sizes (28×28),
settings written with their symbol (σ = 0.2) and targets (≥ 0.995) are not results and are not checked.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ALLOWED_FILE = ROOT / "book" / "source_figures.yml"

NOT_PROSE = re.compile(
    r"\$\$.*?\$\$"  # display maths
    r"|\\begin\{(\w+\*?)\}.*?\\end\{\1\}"  # maths environments
    r"|\$[^$\n]+\$"  # inline maths
    r"|\{[\w:-]+\}`[^`]*`"  # roles: {glue:text}`...`, {eq}`...`, {cite}`...`
    r"|```.*?```|`[^`\n]*`"  # code
    r"|\]\([^)]*\)|<[^>\n]*>"  # link targets, HTML tags
    r"|^#+[ \t]*[\d.]+"  # section numbers in headings
    r"|\b(?:[Ee]xercises?|[Ss]ections?|[Ff]igures?|[Tt]ables?|[Cc]hapters?|[Ee]quations?)\s+\d+(?:\.\d+)*"
    r"|\b\d+\s?[×x]\s?\d+\b"  # image and kernel sizes: 28×28, 3 x 3
    r"|[σλβαεηγ]\s?=\s?[\d.]+(?:\s?(?:,|and|or|/)\s?[\d.]+)*"  # a named setting: σ = 0.2, 0.6 and 1.0
    r"|[≥≤]\s?[\d.]+\s?%?",  # a target the text sets: ≥ 0.995
    re.S | re.M,
)
RESULT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?\s?%|\d*\.\d+|\d+(?:\.\d+)?\s?(?:×|times\b))")


def _number(text: str) -> str:
    return re.sub(r"\s?(%|×|times)$", "", text.strip())


def prose_numbers(markdown: str) -> list[str]:
    """The result-like numbers in one markdown cell, as written (e.g. ``['0.975', '9.6 %', '4×']``)."""
    return [m.group(1) for m in RESULT.finditer(NOT_PROSE.sub(" ", markdown))]


def allowed_figures() -> list[dict]:
    entries = yaml.safe_load(ALLOWED_FILE.read_text()) if ALLOWED_FILE.is_file() else []
    for entry in entries or []:
        assert set(entry) in ({"notebook", "text", "source"}, {"notebook", "text", "setting"}), entry
    return entries or []


def markdown_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text())["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


def test_the_lint_finds_typed_results_and_skips_maths_code_and_glue():
    cell = (
        "## 5.3 Results\nExercise 5.2 gives accuracy 0.975 on 28×28 images, 9.6 % wrong, 4× faster, "
        "$0.5$ in maths, `0.25` in code, {glue:text}`acc:.3f` glued, 10 epochs, σ = 0.2 and 0.6, "
        "target ≥ 0.99, 2 times slower.\n"
    )
    assert prose_numbers(cell) == ["0.975", "9.6 %", "4×", "2 times"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_glued_or_a_quoted_source_figure(notebook):
    allowed = [entry for entry in allowed_figures() if entry["notebook"] == notebook.stem]
    typed = []
    for cell in markdown_cells(notebook):
        for number in prose_numbers(cell):
            ok = [e for e in allowed if _number(str(e["text"])) == _number(number)]
            named = [e for e in ok if "setting" in e or e["source"].lower() in cell.lower()]
            if not named:
                why = "its source is not named in the cell" if ok else "not glued, not in book/source_figures.yml"
                typed.append(f"{number!r} ({why}) in: {cell.strip()[:90]!r}")
    assert not typed, f"{notebook.name}: typed numbers\n" + "\n".join(typed)


def test_every_allowed_figure_is_still_quoted():
    stale = []
    for entry in allowed_figures():
        path = ROOT / "notebooks" / f"{entry['notebook']}.ipynb"
        found = path.is_file() and any(
            _number(str(entry["text"])) in map(_number, prose_numbers(cell)) for cell in markdown_cells(path)
        )
        if not found:
            stale.append(entry)
    assert not stale, f"book/source_figures.yml lists figures no notebook quotes: {stale}"
