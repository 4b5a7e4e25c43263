"""How fast the grader is: 50 chapter-1 submissions in the bubblewrap sandbox, on this machine's cores.

    .venv/bin/python benchmarks/grading_benchmark.py [--submissions 50] [--jobs 2] [--chapter 01]

The submissions are a realistic mix: 60% correct (the instructor's notebook), 20% the untouched
student edition (every exercise raises NotImplementedError), 20% wrong answers. Prints each
submission's seconds, the mean and the total, and fails (exit 1) above the budget of issue 17:
50 submissions in under 5 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from coursework_lib.course.grading import grade_batch
from coursework_lib.course.grading.notebooks import find_instructor_notebook
from coursework_lib.course.student_edition import student_notebook

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS_PER_50 = 300.0


def _wrong(notebook: dict) -> dict:
    wrong = json.loads(json.dumps(notebook))
    for cell in wrong["cells"]:
        exercise = cell.get("metadata", {}).get("exercise")
        if exercise:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = source.replace("# END SOLUTION", "    return 0.0  # a wrong answer\n    # END SOLUTION")
    return wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chapter", default="01")
    args = parser.parse_args(argv)
    instructor = json.loads(find_instructor_notebook(args.chapter, ROOT / "notebooks").read_text())
    kinds = {"correct": instructor, "student": student_notebook(instructor), "wrong": _wrong(instructor)}
    plan = ["correct"] * 6 + ["student"] * 2 + ["wrong"] * 2
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as folder:
        subs = Path(folder) / "subs"
        subs.mkdir(mode=0o700)
        paths = []
        for index in range(args.submissions):
            kind = plan[index % len(plan)]
            path = subs / f"{index:03d}_{kind}.ipynb"
            path.write_text(json.dumps(kinds[kind]))
            paths.append(path)
        start = time.monotonic()
        results = grade_batch(paths, args.chapter, Path(folder) / "out", jobs=args.jobs)
        total = time.monotonic() - start
    for result in results:
        print(f"{result.name:>16}: {result.score:g} / {result.max_score:g}  {result.seconds:5.2f} s")
    seconds = [r.seconds for r in results]
    budget = BUDGET_SECONDS_PER_50 * args.submissions / 50
    print(
        f"{len(results)} submissions, {args.jobs} jobs: total {total:.1f} s (budget {budget:.0f} s); "
        f"per submission mean {statistics.mean(seconds):.2f} s, max {max(seconds):.2f} s; "
        f"wall time per submission {total / len(results):.2f} s"
    )
    bad = [
        r.name
        for r in results
        if (r.name.endswith("correct") and r.score != r.max_score) or (not r.name.endswith("correct") and r.score != 0)
    ]
    if bad:
        print(f"wrong scores: {bad}", file=sys.stderr)
        return 1
    return 0 if total < budget else 1


if __name__ == "__main__":
    sys.exit(main())
