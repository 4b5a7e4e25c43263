"""The exercise registry, the answer comparison, and the public check."""

from __future__ import annotations

import importlib
import inspect
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

    def hidden_cases(self, seed: int) -> list[tuple]:
        """The grader's cases for its secret ``seed``. Every case is drawn at random; a case that happens
        to equal a public case (possible where the arguments are small integers) is replaced by the same
        position of a draw from a derived seed, so a student who hard-codes the public answers gains
        nothing (``tests/grading`` checks both)."""
        public = self.draw_cases(PUBLIC_SEED)
        cases = self.draw_cases(seed)
        for index in range(len(cases)):
            for attempt in range(1, 50):
                if not any(same_case(cases[index], p) for p in public):
                    break
                redraw = self.draw_cases((seed * 1_000_003 + attempt) % 2**63)
                cases[index] = redraw[index] if index < len(redraw) else cases[index]
        hidden = [case for case in cases if not any(same_case(case, p) for p in public)]
        if not hidden:
            raise ValueError(f"{self.id}: every hidden case for this seed is also a public case")
        return hidden


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


def same_case(a: tuple, b: tuple) -> bool:
    """True if two argument tuples hold equal values (arrays: same shape and values)."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (
                isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and x.shape == y.shape and np.array_equal(x, y)
            ):
                return False
        elif x != y:
            return False
    return True


FLOAT32_TOLERANCE = 1e-4
"""A float32 (or float16) answer is compared with ``|got - expected| <= 1e-4 (|expected| + max|expected|)``
(or the exercise's own, looser tolerance): about a thousand float32 roundings of the array's largest
value, so a correct float32 computation passes for every draw and a wrong formula still fails."""

MAX_EXACT_INT = 2**53


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape} and dtype {value.dtype}"
    return type(value).__name__


def _wrong_values(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Boolean mask of the entries of ``got`` outside ``atol + rtol |expected|`` (float32 answers: at least
    ``FLOAT32_TOLERANCE (|expected| + max|expected|)``). Both arrays have one shape."""
    got_f, expected_f = got.astype(np.float64), expected.astype(np.float64)
    allowed = atol + rtol * np.abs(expected_f)
    if got.dtype in (np.float32, np.float16) and expected_f.size:
        scale = np.abs(expected_f) + np.abs(expected_f).max()
        allowed = np.maximum(allowed, FLOAT32_TOLERANCE * scale)
    with np.errstate(invalid="ignore"):
        return ~(np.abs(got_f - expected_f) <= allowed)


def compare_answer(got, expected, *, rtol: float = 1e-6, atol: float = 1e-9, show_values: bool = True) -> str | None:
    """``None`` if ``got`` matches ``expected``, else a message saying what differs.

    Exact types first (an ndarray must be a plain ``numpy.ndarray``, a number a real number, not a
    bool), then shape and dtype kind, then values with ``|got - expected| <= atol + rtol |expected|``.
    Integer answers where floats are expected are accepted when exactly representable (|value| <= 2**53);
    float32 answers get ``FLOAT32_TOLERANCE``. NaN and infinity never match. The message shows where
    values differ, not the expected values; with ``show_values=False`` (the grader's hidden cases) not
    the returned values either, which could echo a hidden input.
    """
    if isinstance(expected, tuple):
        if type(got) is not tuple or len(got) != len(expected):
            return f"expected a tuple of {len(expected)} items, got {_describe(got)}"
        for index, (g, e) in enumerate(zip(got, expected)):
            problem = compare_answer(g, e, rtol=rtol, atol=atol, show_values=show_values)
            if problem:
                return f"item {index} of the tuple: {problem}"
        return None
    if isinstance(expected, np.ndarray):
        if type(got) is not np.ndarray:
            return f"expected a numpy.ndarray of shape {expected.shape}, got {_describe(got)}"
        if got.shape != expected.shape:
            return f"expected shape {expected.shape}, got shape {got.shape}"
        if got.dtype.kind not in "fiu":
            return f"expected a numeric array, got dtype {got.dtype} (use .astype(float))"
        if (
            expected.dtype.kind == "f"
            and got.dtype.kind in "iu"
            and got.size
            and np.abs(got.astype(np.float64)).max() > MAX_EXACT_INT
        ):
            return (
                f"expected a floating-point array; your integer array (dtype {got.dtype}) holds values "
                "too large to be exactly a float"
            )
        got_f = got.astype(np.float64)
        if not np.all(np.isfinite(got_f)):
            return "the answer contains NaN or infinite values"
        bad = _wrong_values(got, expected, rtol, atol)
        if bad.any():
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            return f"{int(bad.sum())} of {bad.size} values are wrong; the first is at index {first}" + (
                f", where you returned {got_f[first].item()!r}" if show_values else ""
            )
        return None
    if isinstance(expected, numbers.Real):
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.floating, np.integer)):
            return f"expected a real number, got {_describe(got)}"
        if isinstance(got, (int, np.integer)) and abs(int(got)) > MAX_EXACT_INT:
            return "the integer you returned is too large to be exactly a float"
        got_f = float(got)
        if not np.isfinite(got_f):
            return "the answer is NaN or infinite"
        allowed = atol + rtol * abs(float(expected))
        if isinstance(got, (np.float32, np.float16)):
            allowed = max(allowed, 2 * FLOAT32_TOLERANCE * abs(float(expected)))
        if abs(got_f - float(expected)) > allowed:
            return f"the value {got_f!r} is wrong" if show_values else "the value is wrong"
        return None
    raise TypeError(f"cannot compare answers of type {type(expected).__name__}")


def _copy_args(args: tuple) -> tuple:
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def _input_at(exercise: Exercise, args: tuple, expected, index: tuple) -> str:
    """' (input there: Z[i] = v)' for the arguments shaped like the answer (elementwise exercises), named
    as in the reference solution's signature."""
    names = list(inspect.signature(exercise.reference).parameters)
    parts = [
        f"{names[number] if number < len(names) else f'argument {number + 1}'}{list(index)} = {a[index].item()!r}"
        for number, a in enumerate(args)
        if isinstance(a, np.ndarray) and a.shape == expected.shape
    ]
    return " (input there: " + ", ".join(parts) + ")" if parts else ""


def _first_wrong_index(got, expected, rtol: float, atol: float):
    """The first index where two same-shaped numeric arrays differ beyond the tolerance, else None."""
    if not (isinstance(got, np.ndarray) and isinstance(expected, np.ndarray) and got.shape == expected.shape):
        return None
    if got.dtype.kind not in "fiu" or not got.size:
        return None
    bad = np.argwhere(_wrong_values(got, expected, rtol, atol))
    return tuple(int(i) for i in bad[0]) if len(bad) else None


def _short_failure_display() -> None:
    """In IPython, show a failed check as its one-line message, without the library's traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_coursework_short_checks", False):
        return

    def one_line(shell, etype, value, tb, tb_offset=None):
        lines = [f"✘ {value}"]
        shell._showtraceback(etype, value, lines)  # shown as the cell's error, in place of the traceback
        return lines

    shell.set_custom_exc((CheckFailed,), one_line)
    shell._coursework_short_checks = True


def check(exercise_id: str, answer: Callable) -> None:
    """Run the public check of one exercise on the student's function; raise CheckFailed if wrong.

    The failure is one line: which case, what differs and, for elementwise answers, the input at the first
    wrong index and the value returned there (never the expected value). The student's function runs
    with floating-point overflow as an error: a formula whose intermediate values overflow (``exp`` of a
    large number) fails even when the final value happens to round correctly.
    """
    _short_failure_display()
    exercise = get_exercise(exercise_id)
    if not callable(answer):
        raise CheckFailed(f"{exercise_id}: pass your function {exercise.graded!r}, got {_describe(answer)}")
    cases = exercise.draw_cases(PUBLIC_SEED)
    for number, args in enumerate(cases, start=1):
        shapes = ", ".join(_describe(a) for a in args)
        try:
            with np.errstate(over="raise"):
                got = answer(*_copy_args(args))
        except NotImplementedError:
            raise CheckFailed(f"{exercise_id}: {exercise.graded} is not implemented yet") from None
        except FloatingPointError as error:
            raise CheckFailed(
                f"{exercise_id}: case {number} ({shapes}): your computation overflows ({error}); rewrite it so "
                "that no intermediate value overflows (see the exercise's hint)"
            ) from None
        except Exception as error:
            raise CheckFailed(
                f"{exercise_id}: case {number} ({shapes}) raised {type(error).__name__}: {error}"
            ) from None
        expected = exercise.reference(*_copy_args(args))
        problem = compare_answer(got, expected, rtol=exercise.rtol, atol=exercise.atol)
        if problem:
            index = _first_wrong_index(got, expected, exercise.rtol, exercise.atol)
            where = "" if index is None else _input_at(exercise, args, expected, index)
            raise CheckFailed(f"{exercise_id}: case {number} with arguments ({shapes}): {problem}{where}")
    print(f"✔ {exercise_id}: all {len(cases)} public cases passed")
