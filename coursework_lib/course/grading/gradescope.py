"""Gradescope's side of the autograder bundle: grade the one notebook in ``/autograder/submission``.

``python -m coursework_lib.course.grading.gradescope [--root /autograder]`` (``run_autograder`` calls
it). Reads ``source/chapter.json`` (the chapter's exercises and setup imports, written by
``autograder/build.py``; the instructor notebook is not in the bundle), grades the submission in the
strongest sandbox the container allows (bubblewrap, else the private-uid fallback after
``run_autograder`` has made ``source/`` and ``submission/`` unreadable to others), and always writes
``results/results.json`` in Gradescope's format, with a reason when there was nothing to grade.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .grader import grade_batch
from .notebooks import chapter_from_json
from .sandbox import SandboxUnavailable, bwrap_problem


def _fail(results: Path, message: str, max_score: float = 0.0) -> int:
    results.mkdir(parents=True, exist_ok=True)
    (results / "results.json").write_text(
        json.dumps(
            {"score": 0.0, "output": message, "visibility": "visible", "stdout_visibility": "hidden", "tests": []},
            indent=2,
        )
    )
    print(message, file=sys.stderr)
    return 0


def pick_submission(folder: Path, chapter_name: str) -> Path | None:
    """The notebook to grade: the only .ipynb, else the one named like the chapter, else the first."""
    notebooks = sorted(
        p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts and p.is_file() and not p.is_symlink()
    )
    if len(notebooks) <= 1:
        return notebooks[0] if notebooks else None
    named = [p for p in notebooks if p.name.startswith(chapter_name[:2])]
    return (named or notebooks)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursework_lib.course.grading.gradescope")
    parser.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--sandbox",
        choices=("auto", "bwrap", "uid"),
        default=os.environ.get("AUTOGRADER_SANDBOX", "auto"),
        help="auto: bubblewrap where the container allows it, else the private-uid fallback",
    )
    args = parser.parse_args(argv)
    root = Path(args.root)
    results = root / "results"
    chapter = chapter_from_json(json.loads((root / "source" / "chapter.json").read_text(encoding="utf-8")))
    submission = pick_submission(root / "submission", chapter.name)
    if submission is None:
        return _fail(results, "No .ipynb file was found in your submission: upload the chapter's notebook.")
    backend = args.sandbox if args.sandbox != "auto" else ("bwrap" if bwrap_problem() is None else "uid")
    work = Path(tempfile.mkdtemp(prefix="cw-gradescope-"))
    try:
        (result,) = grade_batch([submission], chapter, work, jobs=args.jobs, backend=backend)
        results.mkdir(parents=True, exist_ok=True)
        graded = next(p for p in work.iterdir() if p.is_dir()) / "results.json"
        shutil.copyfile(graded, results / "results.json")
        print(f"{submission.name}: {result.score:g} / {result.max_score:g} ({backend} sandbox)")
    except SandboxUnavailable as error:
        return _fail(results, f"The autograder could not start its sandbox ({error}); your instructor has been told.")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
