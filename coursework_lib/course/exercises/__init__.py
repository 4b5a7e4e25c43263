"""Exercises: their specifications and the public checks a student runs in the notebook.

An exercise cell in a notebook is tagged ``exercise`` and carries metadata
``{"exercise": {"id": "ch01-sigmoid", "points": 2, "graded": "sigmoid"}}``; the student's answer sits
between ``# BEGIN SOLUTION`` and ``# END SOLUTION``. The next cell runs ``check("ch01-sigmoid", sigmoid)``.

Public checks help (expected shape, first mismatching value); they never decide a grade. The grader
uses the same specifications with inputs drawn from a seed the student cannot know.
"""

from .core import PUBLIC_SEED, CheckFailed, Exercise, all_exercises, check, compare_answer, get_exercise, register

__all__ = [
    "PUBLIC_SEED",
    "CheckFailed",
    "Exercise",
    "all_exercises",
    "check",
    "compare_answer",
    "get_exercise",
    "register",
]
