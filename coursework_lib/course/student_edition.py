"""Student editions of the chapters: solutions replaced by stubs, outputs cleared, metadata trimmed.

``python -m coursework_lib.course.student_edition [--notebooks notebooks] [--out _build/student]``

In every code cell tagged ``exercise`` the lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION``
become a stub at the same indentation::

    # YOUR CODE HERE (hint: ...)
    raise NotImplementedError("sigmoid: ...hint...")

The hint is taken from ``# HINT: ...`` lines inside the solution block (if any). Outputs and
execution counts are cleared; cells tagged ``instructor`` or ``solution`` are dropped; cell metadata
is reduced to ``tags`` and ``exercise`` = {id, points, graded} (what the grader needs); notebook
metadata to ``kernelspec`` and ``language_info``. Exercise and public-check cells are marked
``deletable: false`` so the exercise id the grader looks for survives editing.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
from pathlib import Path

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
HINT = re.compile(r"^\s*#\s*HINT:\s*(.*)$")
DROPPED_TAGS = {"instructor", "solution"}
DEFAULT_HINT = "write your answer here, then run the check below"


class AuthoringError(ValueError):
    """An instructor notebook does not follow the exercise format."""


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def stub_solution(source: str, graded: str) -> str:
    """Replace each BEGIN/END SOLUTION block of ``source`` by a NotImplementedError stub."""
    out, lines, i = [], source.splitlines(), 0
    blocks = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            try:
                end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == END)
            except StopIteration:
                raise AuthoringError(f"{graded}: '{BEGIN}' without a matching '{END}'") from None
            block = lines[i + 1 : end]
            if any(l.strip() == BEGIN for l in block):
                raise AuthoringError(f"{graded}: nested '{BEGIN}'")
            hints = [m.group(1).strip() for m in map(HINT.match, block) if m]
            hint = " ".join(hints) or DEFAULT_HINT
            out.append(f"{indent}# YOUR CODE HERE (hint: {hint})")
            out.append(f"{indent}raise NotImplementedError({f'{graded}: {hint}'!r})")
            i, blocks = end + 1, blocks + 1
            continue
        if line.strip() == END:
            raise AuthoringError(f"{graded}: '{END}' without a matching '{BEGIN}'")
        out.append(line)
        i += 1
    if blocks == 0:
        raise AuthoringError(f"{graded}: the exercise cell has no '{BEGIN}' block")
    return "\n".join(out) + ("\n" if source.endswith("\n") else "")


def _is_check_cell(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and _source(cell).lstrip().startswith("check(")


def student_notebook(notebook: dict, name: str = "notebook") -> dict:
    """The student edition of one instructor notebook (a new dict; the input is not modified)."""
    if notebook.get("nbformat") != 4:
        raise AuthoringError(f"{name}: expected nbformat 4")
    student = {
        "nbformat": 4,
        "nbformat_minor": notebook.get("nbformat_minor", 5),
        "metadata": {
            k: copy.deepcopy(v) for k, v in notebook.get("metadata", {}).items() if k in ("kernelspec", "language_info")
        },
        "cells": [],
    }
    for cell in notebook["cells"]:
        metadata = cell.get("metadata", {})
        tags = [t for t in metadata.get("tags", []) if t not in DROPPED_TAGS]
        if DROPPED_TAGS & set(metadata.get("tags", [])):
            continue
        source = _source(cell)
        new = {"cell_type": cell["cell_type"], "metadata": {}, "source": source}
        if "id" in cell:
            new["id"] = cell["id"]
        if tags:
            new["metadata"]["tags"] = tags
        exercise = metadata.get("exercise") if cell["cell_type"] == "code" else None
        if exercise is not None:
            meta = {key: exercise[key] for key in ("id", "points", "graded")}
            new["metadata"]["exercise"] = meta
            new["metadata"]["deletable"] = False
            new["source"] = stub_solution(source, str(meta["graded"]))
        elif BEGIN in source or END in source:
            raise AuthoringError(f"{name}: a cell that is not an exercise contains a solution marker")
        elif _is_check_cell(cell):
            new["metadata"].update(deletable=False, editable=False)
        if cell["cell_type"] == "code":
            new["outputs"], new["execution_count"] = [], None
        elif "attachments" in cell:
            new["attachments"] = copy.deepcopy(cell["attachments"])
        student["cells"].append(new)
    return student


def write_student_editions(
    notebooks_dir: Path = Path("notebooks"), out_dir: Path = Path("_build/student"), *, keep_existing: bool = False
) -> list[Path]:
    """Write ``out_dir/<name>.ipynb`` for every ``notebooks_dir/NN_*.ipynb``; returns the paths written.

    keep_existing: never overwrite a student's working copy. The edition each copy was made from is kept
    in ``out_dir/.editions/``; when a chapter's edition changes, the new one goes beside the student's
    copy as ``<name>.new-edition.ipynb`` (the student copies across what they want), and an unchanged
    edition writes nothing.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(student_notebook(notebook, path.name), indent=1, ensure_ascii=False) + "\n"
        target = out_dir / path.name
        if keep_existing:
            edition = out_dir / ".editions" / path.name
            if target.exists() and edition.is_file() and edition.read_text(encoding="utf-8") == text:
                continue
            if target.exists():
                target = out_dir / f"{path.stem}.new-edition.ipynb"
            edition.parent.mkdir(exist_ok=True)
            edition.write_text(text, encoding="utf-8")
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursework_lib.course.student_edition",
        description="Write the student edition of every chapter.",
    )
    parser.add_argument("--notebooks", default="notebooks", help="instructor notebooks folder")
    parser.add_argument("--out", default="_build/student", help="output folder")
    parser.add_argument(
        "--keep-existing",
        action="store_true",
        help="never overwrite a notebook already in --out; write a changed edition beside it "
        "as NN_topic.new-edition.ipynb",
    )
    args = parser.parse_args(argv)
    written = write_student_editions(Path(args.notebooks), Path(args.out), keep_existing=args.keep_existing)
    for path in written:
        note = " (your copy is untouched; compare and copy across what you need)" if ".new-edition" in path.name else ""
        print(f"wrote {path}{note}")
    if not written:
        print(f"{args.out} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
