"""The grader: student code runs in a sandbox, the grade is decided here.

``python -m coursework_lib.course.grading --chapter 01 --out _build/grades SUBMISSION.ipynb ...``

0. Static phase (``policy``): the exercise cells plus the helpers they call (``def``/``class`` from any
   other cell) are checked; code that imports or names the course library, the exercise registry or
   the import machinery scores 0 with a one-line reason.
1. Untrusted phase (``sandbox`` + ``harness``): for each exercise, a fresh bubblewrap sandbox (own
   mount/PID/IPC/network namespaces, nothing of the repository mounted, private size-limited /tmp and
   /dev/shm, a private leased uid, memory bounded for the whole sandbox) runs only those cells after
   the third-party imports of the instructor's setup cell, calls the graded function on random hidden
   inputs drawn here from a secret seed, and writes plain data (JSON + ``.npz`` without pickle).
2. Trusted phase (``grader`` + ``codec``): the answers are read through a directory fd with
   ``O_NOFOLLOW``, rebuilt as fresh arrays/numbers and compared with the reference
   (``exercises.compare_answer``). Nothing from the submission is unpickled or imported here.
3. Fail closed: any problem gives 0 for that exercise with a reason the student may see (their own
   error, paths and numbers masked); a results file is always written, under a sanitised unique name.

``gradescope`` runs the same grader inside Gradescope's container (``autograder/build.py`` makes the zip).
"""

from .grader import SubmissionResult, grade_batch, grade_submission
from .notebooks import load_chapter
from .sandbox import Limits, SandboxUnavailable

__all__ = ["Limits", "SandboxUnavailable", "SubmissionResult", "grade_batch", "grade_submission", "load_chapter"]
