"""The exercise registry, the answer comparison, and the public check."""

from __future__ import annotations

import importlib
import numbers
import pkgutil
from dataclasses import dataclass
from typing import Callable

import numpy as np

PUBLIC_SEED = 20261123  # public checks are reproducible; the grader draws its own secret seed

_REGISTRY: dict[str, "Exercise"] = {}


class CheckFailed(AssertionError):
    """A public check found a wrong answer; the message says what was expected."""


@dataclass(frozen=True)
class Exercise:
    """One graded function.

    id:        "chNN-name", unique in the book.
    graded:    the name the student's cell must define.
    reference: the correct implementation.
    cases:     rng -> list of argument tuples to call both functions with.
    rtol/atol: tolerance of the value comparison.
    """

    id: str
    graded: str
    reference: Callable
    cases: Callable[[np.random.Generator], list]
    rtol: float = 1e-6
    atol: float = 1e-9

    def draw_cases(self, seed: int) -> list[tuple]:
        """The argument tuples for ``seed`` (public checks use PUBLIC_SEED)."""
        return [tuple(case) for case in self.cases(np.random.default_rng(seed))]


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry (ids must be unique)."""
    if exercise.id in _REGISTRY and _REGISTRY[exercise.id] is not exercise:
        raise ValueError(f"exercise id {exercise.id!r} is registered twice")
    _REGISTRY[exercise.id] = exercise
    return exercise


def _load_chapter_modules() -> None:
    from . import __path__ as package_path

    for module in pkgutil.iter_modules(package_path):
        if module.name.startswith("ch"):
            importlib.import_module(f"{__package__}.{module.name}")


def all_exercises() -> dict[str, Exercise]:
    """Every registered exercise, by id."""
    _load_chapter_modules()
    return dict(_REGISTRY)


def _load_chapter_of(exercise_id: str) -> None:
    """Import only the module ``chNN`` that registers ``chNN-...`` (chapters may import TensorFlow)."""
    chapter = exercise_id.split("-", 1)[0]
    if chapter[:2] == "ch" and chapter[2:].isdigit():
        try:
            importlib.import_module(f"{__package__}.{chapter}")
        except ModuleNotFoundError:
            pass


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id; raises KeyError listing the known ids."""
    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id must be a string like 'ch01-sigmoid', got {type(exercise_id).__name__}")
    _load_chapter_of(exercise_id)
    if exercise_id in _REGISTRY:
        return _REGISTRY[exercise_id]
    exercises = all_exercises()
    if exercise_id not in exercises:
        raise KeyError(f"unknown exercise id {exercise_id!r}; known ids: {sorted(exercises)}")
    return exercises[exercise_id]


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape} and dtype {value.dtype}"
    return type(value).__name__


def compare_answer(got, expected, *, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """``None`` if ``got`` matches ``expected``, else a message saying what differs.

    Exact types first (an ndarray must be a plain ``numpy.ndarray``, a number a real number, not a
    bool), then shape and dtype kind, then values with ``|got - expected| <= atol + rtol |expected|``.
    NaN and infinity never match. The message shows where values differ, not the expected values.
    """
    if isinstance(expected, tuple):
        if type(got) is not tuple or len(got) != len(expected):
            return f"expected a tuple of {len(expected)} items, got {_describe(got)}"
        for index, (g, e) in enumerate(zip(got, expected)):
            problem = compare_answer(g, e, rtol=rtol, atol=atol)
            if problem:
                return f"item {index} of the tuple: {problem}"
        return None
    if isinstance(expected, np.ndarray):
        if type(got) is not np.ndarray:
            return f"expected a numpy.ndarray of shape {expected.shape}, got {_describe(got)}"
        if got.shape != expected.shape:
            return f"expected shape {expected.shape}, got shape {got.shape}"
        if got.dtype.kind not in "fiu" or (expected.dtype.kind == "f" and got.dtype.kind != "f"):
            return f"expected a floating-point array, got dtype {got.dtype}"
        got_f, expected_f = got.astype(np.float64), expected.astype(np.float64)
        if not np.all(np.isfinite(got_f)):
            return "the answer contains NaN or infinite values"
        bad = np.abs(got_f - expected_f) > atol + rtol * np.abs(expected_f)
        if bad.any():
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            return (f"{int(bad.sum())} of {bad.size} values are wrong; the first is at index {first}, "
                    f"where you returned {got_f[first]!r}")
        return None
    if isinstance(expected, numbers.Real):
        if isinstance(got, bool) or not isinstance(got, (int, float, np.floating, np.integer)):
            return f"expected a real number, got {_describe(got)}"
        got_f = float(got)
        if not np.isfinite(got_f):
            return "the answer is NaN or infinite"
        if abs(got_f - float(expected)) > atol + rtol * abs(float(expected)):
            return f"the value {got_f!r} is wrong"
        return None
    raise TypeError(f"cannot compare answers of type {type(expected).__name__}")


def _copy_args(args: tuple) -> tuple:
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def check(exercise_id: str, answer: Callable) -> None:
    """Run the public check of one exercise on the student's function; raise CheckFailed if wrong."""
    exercise = get_exercise(exercise_id)
    if not callable(answer):
        raise CheckFailed(f"{exercise_id}: pass your function {exercise.graded!r}, got {_describe(answer)}")
    cases = exercise.draw_cases(PUBLIC_SEED)
    for number, args in enumerate(cases, start=1):
        shapes = ", ".join(_describe(a) for a in args)
        try:
            got = answer(*_copy_args(args))
        except NotImplementedError:
            raise CheckFailed(f"{exercise_id}: {exercise.graded} is not implemented yet") from None
        except Exception as error:
            raise CheckFailed(f"{exercise_id}: case {number} ({shapes}) raised "
                              f"{type(error).__name__}: {error}") from None
        problem = compare_answer(got, exercise.reference(*_copy_args(args)),
                                 rtol=exercise.rtol, atol=exercise.atol)
        if problem:
            raise CheckFailed(f"{exercise_id}: case {number} with arguments ({shapes}): {problem}")
    print(f"✔ {exercise_id}: all {len(cases)} public cases passed")
