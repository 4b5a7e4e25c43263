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


SHOWN_ARRAY_SIZE = 12
"""Arrays of at most this many entries are printed in full in a failed check's input line; larger ones
are summarised by shape and range (the value at the first wrong index is printed in full either way)."""


def _short_float(x) -> str:
    """A float to four significant digits, always written as a float (0.0, not 0)."""
    text = f"{float(x):.4g}"
    return text + ".0" if text.lstrip("-").isdigit() else text


def _show(value) -> str:
    """A short one-line rendering of one argument or returned value, for the failure message."""
    if isinstance(value, np.ndarray):
        if value.size <= SHOWN_ARRAY_SIZE or value.dtype.kind not in "fiu":
            text = np.array2string(
                value, separator=", ", threshold=SHOWN_ARRAY_SIZE, edgeitems=2, formatter={"float_kind": _short_float}
            )
            return " ".join(text.split())
        return f"array of shape {value.shape} with values from {value.min():.4g} to {value.max():.4g}"
    if isinstance(value, (float, np.floating)):
        return _short_float(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(item) for item in value) + ")"
    return repr(value)


def _argument_names(exercise: Exercise, answer: Callable, count: int) -> list[str]:
    """The names of the ``count`` arguments: the student's own parameter names where their function
    takes that many, else the reference solution's, else 'argument k'."""
    for function in (answer, exercise.reference):
        try:
            names = [
                p.name
                for p in inspect.signature(function).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
        except (TypeError, ValueError):
            continue
        if len(names) >= count:
            return names[:count]
    return [f"argument {k + 1}" for k in range(count)]


def _first_wrong(got, expected, rtol: float, atol: float):
    """Where a wrong answer first differs: ``(item, index, value)`` with ``item`` the position in a
    returned tuple (or None), ``index`` the first wrong array index (or None for a number) and ``value``
    what the student returned there. None when the answer's type or shape is already wrong."""
    if isinstance(expected, tuple):
        if type(got) is not tuple or len(got) != len(expected):
            return None
        for item, (g, e) in enumerate(zip(got, expected)):
            if compare_answer(g, e, rtol=rtol, atol=atol, show_values=False):
                found = _first_wrong(g, e, rtol, atol)
                return None if found is None else (item, found[1], found[2])
        return None
    if isinstance(expected, np.ndarray):
        if not (type(got) is np.ndarray and got.shape == expected.shape and got.dtype.kind in "fiu" and got.size):
            return None
        got_f = got.astype(np.float64)
        bad = np.argwhere(~np.isfinite(got_f) | _wrong_values(got, expected, rtol, atol))
        if not len(bad):
            return None
        index = tuple(int(i) for i in bad[0])
        return None, index, got_f[index].item()
    if isinstance(got, (int, float, np.floating, np.integer)) and not isinstance(got, (bool, np.bool_)):
        return None, None, got
    return None


def _where_line(names: list[str], args: tuple, expected, wrong) -> str:
    """The second line of a wrong-value failure: the input at the first wrong index (for arguments of
    the answer's shape) and the value the student returned there; never the expected value."""
    item, index, value = wrong
    target = expected[item] if item is not None else expected
    returned = repr(float(value)) if isinstance(value, (float, np.floating)) else _show(value)
    if index is None:
        where = "you returned " + returned
    else:
        inputs = [
            f"{name}[{', '.join(map(str, index))}] = {a[index].item()!r}"
            for name, a in zip(names, args)
            if isinstance(a, np.ndarray) and isinstance(target, np.ndarray) and a.shape == target.shape
        ]
        at = f"at index {index}" + ("" if item is None else f" of item {item}")
        where = f"{at}: " + (", ".join(inputs) + ", where " if inputs else "") + "you returned " + returned
    if item is not None and index is None:
        where = f"item {item}: {where}"
    return "  " + where


def _your_line(error: BaseException) -> str:
    """'  in sigmoid, line 3: return 1 / (1 + np.exp(-Z))': the innermost line of the student's own code in
    an exception's traceback (library and NumPy frames are skipped), or '' if there is none."""
    import traceback
    from pathlib import Path

    library = str(Path(__file__).resolve().parents[2])
    numpy_home = str(Path(np.__file__).resolve().parent)
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith((library, numpy_home))
        and "site-packages" not in frame.filename
        and not frame.filename.startswith("<frozen")
    ]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": {frame.line.strip()}" if frame.line else ""
    return f"  in {frame.name}, line {frame.lineno}{code}"


def _failure(exercise_id: str, number: int, total: int, verdict: str, names, args, *details: str) -> CheckFailed:
    """A CheckFailed whose message is a one-line verdict, then the case's input, then any details."""
    shown = ", ".join(f"{name} = {_show(a)}" for name, a in zip(names, args))
    lines = [f"{exercise_id}: case {number} of {total}: {verdict}", f"  input: {shown}"]
    return CheckFailed("\n".join(lines + [d for d in details if d]))


def _short_failure_display() -> None:
    """In IPython, show a failed check as its short message (verdict, input, first wrong value), without
    the library's traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_coursework_short_checks", False):
        return

    def one_line(shell, etype, value, tb, tb_offset=None):
        lines = f"✘ {value}".splitlines()
        shell._showtraceback(etype, value, lines)  # shown as the cell's error, in place of the traceback
        return lines

    shell.set_custom_exc((CheckFailed,), one_line)
    shell._coursework_short_checks = True


def check(exercise_id: str, answer: Callable) -> None:
    """Run the public check of one exercise on the student's function; raise CheckFailed if wrong.

    The failure message is a one-line verdict (which case, what is wrong), then the case's input, then
    the value the student returned at the first wrong index with the input there (never the expected
    value), or the student's own line that raised. In IPython it is shown without a traceback. The
    student's function runs with floating-point overflow as an error: a formula whose intermediate
    values overflow (``exp`` of a large number) fails even when the final value rounds correctly.
    """
    _short_failure_display()
    exercise = get_exercise(exercise_id)
    if not callable(answer):
        raise CheckFailed(f"{exercise_id}: pass your function {exercise.graded!r}, got {_describe(answer)}")
    cases = exercise.draw_cases(PUBLIC_SEED)
    total = len(cases)
    for number, args in enumerate(cases, start=1):
        names = _argument_names(exercise, answer, len(args))
        try:
            with np.errstate(over="raise"):
                got = answer(*_copy_args(args))
        except NotImplementedError:
            raise CheckFailed(f"{exercise_id}: {exercise.graded} is not implemented yet") from None
        except FloatingPointError as error:
            raise _failure(
                exercise_id,
                number,
                total,
                f"your computation overflows ({error}); rewrite it so that no intermediate value overflows "
                "(see the exercise's hint)",
                names,
                args,
                _your_line(error),
            ) from None
        except Exception as error:
            raise _failure(
                exercise_id,
                number,
                total,
                f"your function raised {type(error).__name__}: {error}",
                names,
                args,
                _your_line(error),
            ) from None
        expected = exercise.reference(*_copy_args(args))
        problem = compare_answer(got, expected, rtol=exercise.rtol, atol=exercise.atol, show_values=False)
        if problem:
            wrong = _first_wrong(got, expected, exercise.rtol, exercise.atol)
            detail = "" if wrong is None else _where_line(names, args, expected, wrong)
            raise _failure(exercise_id, number, total, problem, names, args, detail)
    print(f"✔ {exercise_id}: all {total} public cases passed")
