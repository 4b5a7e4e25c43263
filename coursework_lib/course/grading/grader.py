"""Grading submissions: static check, untrusted phase in sandboxes, trusted comparison here, results
always written."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from coursework_lib.core.paths import PACKAGE_PARENT
from coursework_lib.course.exercises import compare_answer

from . import codec, policy, sandbox
from .notebooks import (
    Chapter,
    SubmissionError,
    find_instructor_notebook,
    get_exercise,
    imports_needed,
    load_chapter,
    submitted_cells,
)
from .report import write_batch_csv, write_results_json

DEFAULT_NOTEBOOKS = PACKAGE_PARENT / "notebooks"


@dataclass
class ExerciseResult:
    id: str
    graded: str
    max_score: float
    score: float = 0.0
    feedback: str = ""


@dataclass
class SubmissionResult:
    name: str
    path: Path
    exercises: list[ExerciseResult] = field(default_factory=list)
    error: str = ""  # a problem with the whole submission (feedback for the student)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return float(sum(e.score for e in self.exercises))

    @property
    def max_score(self) -> float:
        return float(sum(e.max_score for e in self.exercises))


def submission_seed(batch_seed: int, name: str) -> int:
    """Each submission gets its own inputs, derived from the batch's secret seed."""
    digest = hashlib.sha256(f"{batch_seed}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def grade_exercise(
    spec,
    sources: list[str],
    others: list[str],
    chapter: Chapter,
    seed: int,
    limits: sandbox.Limits,
    slots: sandbox.Slots,
    slot: int,
    timeout: float,
) -> tuple[bool, str]:
    """(passed, feedback) for one exercise. Never raises on account of the submission."""
    if not sources:
        return False, (
            f"no cell with exercise id {spec.id!r} was found; keep the exercise cell "
            "(and its metadata) from the handed-out notebook"
        )
    cells = [policy.neutralise_magics(source) for source in sources]
    helpers, cells = policy.graded_sources(cells, [policy.neutralise_magics(s) for s in others])
    refused = policy.forbidden_use(helpers + cells, chapter.library_names)
    if refused:
        return False, refused
    exercise = get_exercise(spec.id)
    cases = exercise.hidden_cases(seed)
    expected = [exercise.reference(*codec_copy(args)) for args in cases]  # trusted, in this process
    manifest, arrays = codec.encode_args(cases)
    job = {
        "preamble": imports_needed(chapter.imports, helpers + cells),
        "cells": helpers + cells,
        "graded": spec.graded,
        "args": manifest,
    }
    outcome = sandbox.run_exercise(job, arrays, limits, slots, slot, timeout)
    try:
        if outcome.timed_out:
            return False, f"stopped after {timeout:.0f} s (time limit)"
        try:
            error, answers = codec.read_result(outcome.box_fd, len(cases))
        except codec.MalformedResult as problem:
            why = f"{problem}"
            if outcome.memory_capped:
                why += f" (the sandbox reached its memory limit of {limits.memory_bytes >> 20} MB)"
            elif outcome.returncode not in (0, None):
                why += f" (the process ended with status {outcome.returncode}"
                why += ", e.g. output, memory or process limit)" if outcome.returncode < 0 else ")"
            return False, why
        if error:
            return False, f"running your cell failed: {error}" + _name_hint(error, others)
        for number, ((ok, answer), want) in enumerate(zip(answers, expected), start=1):
            if not ok:
                return False, f"hidden case {number}: your function raised {answer}" + _name_hint(answer, others)
            problem = codec.describe_unsupported(answer)
            if problem is None:
                try:
                    problem = compare_answer(answer, want, rtol=exercise.rtol, atol=exercise.atol, show_values=False)
                except Exception as failure:  # e.g. an int too large for float()
                    problem = f"the answer could not be compared ({type(failure).__name__})"
            if problem:
                return False, f"hidden case {number}: {codec.clean_text(problem, 400)}"
        return True, f"all {len(cases)} hidden cases passed"
    finally:
        sandbox.discard(outcome, slots.uid(slot), slots.backend)


def _name_hint(message: str, others: list[str]) -> str:
    """For a NameError about a variable another cell sets: say that only the exercise cell is graded."""
    match = re.search(r"NameError: name '([A-Za-z_][A-Za-z0-9_]*)' is not defined", message)
    if match and policy.assigned_elsewhere(match.group(1), others):
        return (
            f" ({match.group(1)!r} is set in another cell; only the exercise cell and the functions "
            "it calls, defined with def in any cell, are graded: set it inside the exercise cell)"
        )
    return ""


def codec_copy(args: tuple) -> tuple:
    import numpy as np

    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def grade_submission(
    path: Path,
    chapter: Chapter,
    *,
    seed: int,
    limits: sandbox.Limits,
    slots: sandbox.Slots,
    name: str | None = None,
    max_bytes: int | None = None,
) -> SubmissionResult:
    """Grade one notebook file; fails closed (0 points with a reason) on every problem."""
    path = Path(path)
    result = SubmissionResult(name=name or path.stem, path=path)
    result.exercises = [ExerciseResult(e.id, e.graded, e.points) for e in chapter.exercises]
    start = time.monotonic()
    try:
        kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
        found, others = submitted_cells(path, [e.id for e in chapter.exercises], **kwargs)
    except SubmissionError as error:
        result.error = str(error)
        for item in result.exercises:
            item.feedback = f"not graded: {error}"
        result.seconds = time.monotonic() - start
        return result
    slot = slots.acquire()
    try:
        for spec, item in zip(chapter.exercises, result.exercises):
            left = limits.submission_seconds - (time.monotonic() - start)
            if left < 1:
                item.feedback = "not graded: the submission's total time limit was used up"
                continue
            try:
                passed, item.feedback = grade_exercise(
                    spec,
                    found[spec.id],
                    others[spec.id],
                    chapter,
                    seed,
                    limits,
                    slots,
                    slot,
                    min(limits.exercise_seconds, left),
                )
            except Exception:
                passed = False
                item.feedback = "internal grader error (reported to the instructor); scored 0"
                result.error = "internal grader error: " + traceback.format_exc(limit=3)[-600:]
            item.score = item.max_score if passed else 0.0
    finally:
        slots.release(slot)
    result.seconds = time.monotonic() - start
    return result


def grade_batch(
    paths: list[Path],
    chapter: str | Chapter,
    out_dir: Path,
    *,
    seed: int | None = None,
    jobs: int = 2,
    limits: sandbox.Limits | None = None,
    notebooks_dir: Path = DEFAULT_NOTEBOOKS,
    max_bytes: int | None = None,
    backend: str = "auto",
) -> list[SubmissionResult]:
    """Grade every notebook in ``paths`` for ``chapter`` (a number such as "01", a notebook name, or a
    ``Chapter``); writes ``out_dir/<name>/results.json`` per submission and ``out_dir/grades.csv``.
    Returns the results in the order of ``paths``. Raises ``sandbox.SandboxUnavailable`` (with the
    command that installs one) before grading anything if no sandbox can be started."""
    limits = limits or sandbox.Limits()
    batch_seed = secrets.randbits(62) if seed is None else int(seed)
    spec = (
        chapter
        if isinstance(chapter, Chapter)
        else load_chapter(find_instructor_notebook(chapter, Path(notebooks_dir)))
    )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    names = unique_names([Path(p) for p in paths])
    slots = sandbox.Slots(max(1, jobs), limits, backend)

    def one(item):
        path, name = item
        sub_seed = submission_seed(batch_seed, name)
        try:
            result = grade_submission(
                path, spec, seed=sub_seed, limits=limits, slots=slots, name=name, max_bytes=max_bytes
            )
        except BaseException:  # never lose a submission: write a zero with the reason
            result = SubmissionResult(
                name=name,
                path=Path(path),
                exercises=[
                    ExerciseResult(e.id, e.graded, e.points, feedback="internal grader error; scored 0")
                    for e in spec.exercises
                ],
                error="internal grader error: " + traceback.format_exc(limit=3)[-600:],
            )
        write_results_json(result, out_dir, name)
        return result, sub_seed

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            graded = list(pool.map(one, zip(paths, names)))
    finally:
        slots.close()
    results = [r for r, _ in graded]
    write_batch_csv(results, [s for _, s in graded], spec, out_dir / "grades.csv")
    return results


RESERVED_NAMES = {"grades", "grades.csv", "con", "nul", "aux", "prn"}


def unique_names(paths: list[Path]) -> list[str]:
    """One output folder name per submission: letters, digits, ``-`` and ``_`` only (no dots, so never
    ``..`` or ``grades.csv``), at most 80 characters, distinct ignoring case; a collision gets the first
    free ``-2``, ``-3`` ... that no other submission's own name uses."""
    bases = []
    for path in paths:
        stem = path.name[: -len(".ipynb")] if path.name.endswith(".ipynb") else path.name
        base = re.sub(r"[^A-Za-z0-9_-]", "_", stem)[:80].strip("_-") or "submission"
        if base.lower() in RESERVED_NAMES:
            base = f"{base}_submission"
        bases.append(base)
    taken = {b.lower() for b in bases}
    used, names = set(), []
    for base in bases:
        name, count = base, 1
        while name.lower() in used or (count > 1 and name.lower() in taken):
            count += 1
            name = f"{base}-{count}"
        used.add(name.lower())
        names.append(name)
    return names
