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
        tests.append({"name": f"{item.id} ({item.graded})", "number": str(number),
                      "score": item.score, "max_score": item.max_score,
                      "status": "passed" if item.score >= item.max_score else "failed",
                      "output": item.feedback, "visibility": "visible"})
    output = f"{result.score:g} / {result.max_score:g} points."
    if result.error and not result.error.startswith("internal"):
        output += f" {result.error}"
    elif result.error:
        output += " The grader hit an internal error; your instructor has been told."
    return {"score": result.score, "execution_time": round(result.seconds, 3), "output": output,
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def write_results_json(result, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results_dict(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_batch_csv(results, seeds, chapter, path: Path) -> None:
    """One row per submission: total, each exercise's score, seconds, seed (for regrading), error."""
    path = Path(path)
    ids = [e.id for e in chapter.exercises]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submission", "file", "score", "max_score", *ids, "seconds", "seed", "error"])
        for result, seed in zip(results, seeds):
            scores = {e.id: e.score for e in result.exercises}
            writer.writerow([result.name, str(result.path), f"{result.score:g}", f"{result.max_score:g}",
                             *(f"{scores.get(i, 0):g}" for i in ids), f"{result.seconds:.2f}", seed,
                             result.error.replace("\n", " ")[:600]])
