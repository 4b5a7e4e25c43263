"""Reading notebooks as plain JSON: the trusted instructor notebook and untrusted submissions.

Nothing here executes code. A submission is only ever parsed as JSON with size limits; its outputs,
metadata other than the exercise id, and kernelspec are ignored.
"""

from __future__ import annotations

import ast
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from coursework_lib.course.exercises.core import get_exercise  # imports only the exercise's own chapter module

MAX_SUBMISSION_BYTES = 50 * 2**20
MAX_CELL_CHARS = 100_000


class SubmissionError(ValueError):
    """The submission as a whole cannot be graded (the message goes into the feedback)."""


@dataclass(frozen=True)
class ExerciseSpec:
    """One exercise as the instructor notebook defines it (trusted)."""

    id: str
    points: float
    graded: str


@dataclass(frozen=True)
class Chapter:
    """What the grader needs from a chapter's instructor notebook."""

    name: str  # e.g. "01_neural_network_maths"
    exercises: tuple[ExerciseSpec, ...]
    imports: tuple[str, ...]  # third-party import statements of the setup cell, one per entry
    library_names: frozenset[str] = frozenset()  # names the setup cell imports from coursework_lib

    @property
    def max_score(self) -> float:
        return float(sum(e.points for e in self.exercises))


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise SubmissionError("a cell's source is neither text nor a list of lines")


def exercise_metadata(cell: dict) -> dict | None:
    """The ``exercise`` metadata of a code cell, or None."""
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return None
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("exercise"), dict):
        return None
    return metadata["exercise"]


def find_instructor_notebook(chapter: str, notebooks_dir: Path) -> Path:
    """``notebooks/<chapter>_*.ipynb``; ``chapter`` is "01" or a full notebook name."""
    chapter = str(chapter)
    candidates = sorted(Path(notebooks_dir).glob(f"{chapter}*.ipynb"))
    if chapter.isdigit():
        candidates = sorted(Path(notebooks_dir).glob(f"{int(chapter):02d}_*.ipynb"))
    if len(candidates) != 1:
        raise FileNotFoundError(
            f"expected one notebook for chapter {chapter!r} in {notebooks_dir}, found {[c.name for c in candidates]}"
        )
    return candidates[0]


def _setup_imports(source: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(third-party import statements, names bound from coursework_lib) of the setup cell.

    The sandbox gets only the former: the course library holds the reference solutions and is not
    importable there; graded cells that use the latter are refused by ``policy.forbidden_use``.
    """
    statements, library = [], set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        if any(module.split(".")[0] == "coursework_lib" for module in modules):
            library.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        else:
            statements.append(ast.unparse(node))
    return tuple(statements), frozenset(library)


def load_chapter(path: Path) -> Chapter:
    """Parse the (trusted) instructor notebook: exercise ids/points/graded names, setup imports."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    code_cells = [c for c in notebook["cells"] if c.get("cell_type") == "code"]
    exercises = []
    for cell in code_cells:
        meta = exercise_metadata(cell)
        if meta is None:
            continue
        spec = ExerciseSpec(id=str(meta["id"]), points=float(meta["points"]), graded=str(meta["graded"]))
        registered = get_exercise(spec.id)
        if registered.graded != spec.graded:
            raise ValueError(
                f"{path.name}: exercise {spec.id} grades {spec.graded!r} but the registry says {registered.graded!r}"
            )
        exercises.append(spec)
    if len({e.id for e in exercises}) != len(exercises):
        raise ValueError(f"{path.name}: an exercise id appears twice")
    imports, library = _setup_imports(cell_source(code_cells[0])) if code_cells else ((), frozenset())
    return Chapter(name=Path(path).stem, exercises=tuple(exercises), imports=imports, library_names=library)


def chapter_to_json(chapter: Chapter) -> dict:
    """The grader's view of a chapter as plain data (the Gradescope bundle ships this, not the notebook)."""
    return {
        "name": chapter.name,
        "imports": list(chapter.imports),
        "library_names": sorted(chapter.library_names),
        "exercises": [{"id": e.id, "points": e.points, "graded": e.graded} for e in chapter.exercises],
    }


def chapter_from_json(data: dict) -> Chapter:
    exercises = tuple(
        ExerciseSpec(id=str(e["id"]), points=float(e["points"]), graded=str(e["graded"])) for e in data["exercises"]
    )
    for spec in exercises:
        if get_exercise(spec.id).graded != spec.graded:
            raise ValueError(f"exercise {spec.id} grades {spec.graded!r} but the registry disagrees")
    return Chapter(
        name=str(data["name"]),
        exercises=exercises,
        imports=tuple(data["imports"]),
        library_names=frozenset(data.get("library_names", ())),
    )


def imports_needed(imports: tuple[str, ...], sources: list[str]) -> list[str]:
    """The trusted import statements whose names the submitted cells use (keeps sandboxes fast)."""
    used = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return list(imports)
        used.update(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))
    needed = []
    for statement in imports:
        node = ast.parse(statement).body[0]
        bound = {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        if bound & used:
            needed.append(statement)
    return needed


def read_regular_file(path: Path, limit: int, *, dir_fd: int | None = None) -> bytes:
    """Bytes of a regular file no larger than ``limit``; refuses links, FIFOs and devices.

    With ``dir_fd``, ``path`` is a name inside that (already opened) folder: a folder the sandbox could
    write is only ever read this way, so no link it made is followed.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionError(f"{Path(path).name} is not a regular file")
        if info.st_size > limit:
            raise SubmissionError(f"{Path(path).name} is larger than {limit} bytes")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise SubmissionError(f"{Path(path).name} is larger than {limit} bytes")
        return data
    finally:
        os.close(fd)


def submitted_cells(
    path: Path, exercise_ids: list[str], *, max_bytes: int = MAX_SUBMISSION_BYTES
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(for each exercise id, the sources of the submission's cells carrying that id, in order;
    for each exercise id, the sources of every *other* code cell, where its helpers may live).

    Only code cells whose metadata names the id count; duplicated cells are all kept (a notebook run
    top to bottom would run them all). A UTF-8 byte-order mark and CRLF line ends are accepted.
    Raises SubmissionError if the file is not a notebook v4.
    """
    try:
        raw = read_regular_file(Path(path), max_bytes)
    except OSError as error:
        raise SubmissionError(f"cannot read the submission ({type(error).__name__})") from None
    try:
        notebook = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SubmissionError("the submission is not valid JSON (is it a .ipynb file?)") from None
    if not isinstance(notebook, dict):
        raise SubmissionError("the submission is not a notebook (top level is not an object)")
    if notebook.get("nbformat") != 4:
        raise SubmissionError(
            f"unsupported notebook format {notebook.get('nbformat')!r}; save it with Jupyter (nbformat 4)"
        )
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise SubmissionError("the notebook has no list of cells")
    found: dict[str, list[str]] = {exercise_id: [] for exercise_id in exercise_ids}
    code = []  # (exercise id or None, source) of every code cell
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = exercise_metadata(cell)
        source = cell_source(cell).replace("\r\n", "\n")
        owner = meta.get("id") if meta is not None and isinstance(meta.get("id"), str) else None
        if len(source) > MAX_CELL_CHARS:
            if owner in found:
                raise SubmissionError(f"the cell of {owner} is longer than {MAX_CELL_CHARS} characters")
            continue  # a long untagged cell (pasted data) holds no helper we send
        if owner in found:
            found[owner].append(source)
        code.append((owner, source))
    others = {exercise_id: [src for owner, src in code if owner != exercise_id] for exercise_id in exercise_ids}
    return found, others
