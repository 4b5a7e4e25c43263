"""Gradescope-compatible ``results.json`` per submission and one CSV for the batch."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path


def results_dict(result) -> dict:
    """The Gradescope autograder format (score, execution_time, output, tests[])."""
    tests = []
    for number, item in enumerate(result.exercises, start=1):
        tests.append(
            {
                "name": f"{item.id} ({item.graded})",
                "number": str(number),
                "score": item.score,
                "max_score": item.max_score,
                "status": "passed" if item.score >= item.max_score else "failed",
                "output": item.feedback,
                "visibility": "visible",
            }
        )
    output = f"{result.score:g} / {result.max_score:g} points."
    if result.error and not result.error.startswith("internal"):
        output += f" {result.error}"
    elif result.error:
        output += " The grader hit an internal error; your instructor has been told."
    return {
        "score": result.score,
        "execution_time": round(result.seconds, 3),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def write_results_json(result, out_dir: Path, name: str, filename: str = "results.json") -> Path:
    """Write ``out_dir/name/results.json`` atomically; ``name`` must be a plain folder name (see
    ``grader.unique_names``). Folders are opened with ``O_NOFOLLOW``: nothing is written outside ``out_dir``."""
    if not name or "/" in name or name in (".", "..") or "\0" in name:
        raise ValueError(f"name must be a plain folder name, got {name!r}")
    out_fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        try:
            os.mkdir(name, 0o700, dir_fd=out_fd)
        except FileExistsError:
            pass
        sub_fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=out_fd)
        try:
            tmp = f".{filename}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600, dir_fd=sub_fd)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(results_dict(result), indent=2, ensure_ascii=False) + "\n")
            os.replace(tmp, filename, src_dir_fd=sub_fd, dst_dir_fd=sub_fd)
        finally:
            os.close(sub_fd)
    finally:
        os.close(out_fd)
    return Path(out_dir) / name / filename


def write_batch_csv(results, seeds, chapter, path: Path) -> None:
    """One row per submission: total, each exercise's score, seconds, seed (for regrading), error."""
    path = Path(path)
    ids = [e.id for e in chapter.exercises]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submission", "file", "score", "max_score", *ids, "seconds", "seed", "error"])
        for result, seed in zip(results, seeds):
            scores = {e.id: e.score for e in result.exercises}
            writer.writerow(
                [
                    result.name,
                    str(result.path),
                    f"{result.score:g}",
                    f"{result.max_score:g}",
                    *(f"{scores.get(i, 0):g}" for i in ids),
                    f"{result.seconds:.2f}",
                    seed,
                    result.error.replace("\n", " ")[:600],
                ]
            )
