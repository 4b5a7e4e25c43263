"""The grader: student code runs in a sandbox, the grade is decided here.

``python -m coursework_lib.course.grading --chapter 01 --out _build/grades SUBMISSION.ipynb ...``

1. Untrusted phase (``sandbox`` + ``harness``): for each exercise, a fresh ``python -I`` process
   chosen by the grader, in its own temp folder, with memory/file/CPU/process limits, per-cell and
   per-exercise timeouts and a hard kill at the end, runs only the submission's exercise cells
   (after the import lines of the *instructor's* setup cell), calls the graded function on inputs
   drawn here from a secret seed, and writes plain data (JSON + ``.npz`` without pickle).
2. Trusted phase (``grader`` + ``codec``): the answers are rebuilt as fresh arrays/numbers and
   compared with the reference (``exercises.compare_answer``). Nothing from the submission is
   unpickled or imported here.
3. Fail closed: any problem gives 0 for that exercise with a reason; a results file is always written.
"""

from .grader import SubmissionResult, grade_batch, grade_submission
from .notebooks import load_chapter
from .sandbox import Limits

__all__ = ["Limits", "SubmissionResult", "grade_batch", "grade_submission", "load_chapter"]
