"""Command line: ``python -m coursework_lib.course.grading --chapter 01 --out DIR SUBMISSIONS...``.

SUBMISSIONS are .ipynb files or folders (every ``*.ipynb`` inside, recursively). Writes
``DIR/<submission>/results.json`` (Gradescope format) and ``DIR/grades.csv``. Exit status 0 when
every submission was graded (whatever the scores), 2 for a usage or configuration error, 3 when no
sandbox can be started here (the message gives the command that installs one).

The batch seed is secret and random unless ``--seed`` or the environment variable
``COURSEWORK_GRADING_SEED`` gives it (for regrading: grades.csv records each submission's seed).
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import time
from pathlib import Path

from .grader import DEFAULT_NOTEBOOKS, grade_batch
from .notebooks import chapter_from_json
from .sandbox import Limits, SandboxUnavailable


def _collect(items: list[str]) -> list[Path]:
    paths = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            paths.extend(sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts))
        else:
            paths.append(path)
    return paths


def _warn_if_world_readable(paths: list[Path]) -> None:
    """A sandbox can read any world-readable file: other students' notebooks should not be."""
    exposed = [p for p in paths if p.exists() and p.stat().st_mode & stat.S_IROTH]
    if exposed:
        print(
            f"warning: {len(exposed)} submission file(s) are world-readable; a submission could read "
            "the others' (chmod -R o-rwx the submissions folder)",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursework_lib.course.grading",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("submissions", nargs="+", help=".ipynb files or folders of them")
    parser.add_argument("--chapter", help='chapter number ("01") or notebook name')
    parser.add_argument(
        "--chapter-spec", help="a chapter spec JSON (from the Gradescope bundle) instead of the instructor notebook"
    )
    parser.add_argument(
        "--sandbox",
        choices=("auto", "bwrap", "uid"),
        default="auto",
        help="auto: bubblewrap namespaces (refuses if unavailable); uid: root-only fallback for "
        "containers without namespaces, where nothing secret may be world-readable",
    )
    parser.add_argument("--out", default="_build/grades", help="output folder (default _build/grades)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel submissions")
    parser.add_argument("--seed", type=int, default=None, help="batch seed (default: secret, random)")
    parser.add_argument("--notebooks", default=str(DEFAULT_NOTEBOOKS), help="instructor notebooks folder")
    parser.add_argument("--exercise-timeout", type=float, default=Limits.exercise_seconds)
    parser.add_argument("--submission-timeout", type=float, default=Limits.submission_seconds)
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_bytes >> 20)
    args = parser.parse_args(argv)
    if (args.chapter is None) == (args.chapter_spec is None):
        parser.error("give exactly one of --chapter and --chapter-spec")
    seed = args.seed
    if seed is None and os.environ.get("COURSEWORK_GRADING_SEED"):
        seed = int(os.environ["COURSEWORK_GRADING_SEED"])
    paths = _collect(args.submissions)
    if not paths:
        print("no submissions found", file=sys.stderr)
        return 2
    _warn_if_world_readable(paths)
    limits = Limits(
        exercise_seconds=args.exercise_timeout,
        submission_seconds=args.submission_timeout,
        memory_bytes=args.memory_mb << 20,
    )
    start = time.monotonic()
    try:
        chapter = args.chapter
        if args.chapter_spec:
            chapter = chapter_from_json(json.loads(Path(args.chapter_spec).read_text(encoding="utf-8")))
        results = grade_batch(
            paths,
            chapter,
            Path(args.out),
            seed=seed,
            jobs=args.jobs,
            limits=limits,
            notebooks_dir=Path(args.notebooks),
            backend=args.sandbox,
        )
    except SandboxUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    except (FileNotFoundError, KeyError, ValueError) as error:  # configuration, not a submission
        print(f"error: {error}", file=sys.stderr)
        return 2
    for result in results:
        print(
            f"{result.name}: {result.score:g} / {result.max_score:g}  ({result.seconds:.1f} s)"
            + (f"  [{result.error.splitlines()[0][:100]}]" if result.error else "")
        )
    print(
        f"graded {len(results)} submission(s) in {time.monotonic() - start:.1f} s; results in {args.out}/ (grades.csv)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
