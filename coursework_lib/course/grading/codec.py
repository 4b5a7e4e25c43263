"""Plain-data exchange with the sandbox: arguments out, claimed answers back.

Arguments go out as a JSON manifest plus an ``.npz`` of plain arrays. Answers come back the same
way and are decoded here with strict checks (sizes, types, ``allow_pickle=False``, no compressed
members, no links): what is rebuilt is made of fresh ``numpy.ndarray``/``float``/``int``/``tuple``
objects created by the grader, so nothing from the submission's objects survives the trip.
"""

from __future__ import annotations

import io
import json
import numbers
import os
import re
import zipfile

import numpy as np

from .notebooks import read_regular_file

MAX_RESULT_JSON = 1 << 20
MAX_OUTPUT_NPZ = 16 << 20
_KEY = re.compile(r"^a[0-9]{1,4}$")


class MalformedResult(ValueError):
    """The sandbox's answer files are missing, oversized or not in the expected format."""


def encode_args(cases: list[tuple]) -> tuple[list[list[dict]], dict[str, np.ndarray]]:
    """(manifest, arrays) for the harness; supports arrays, real numbers, strings and None."""
    manifest, arrays = [], {}
    for case in cases:
        specs = []
        for arg in case:
            if isinstance(arg, np.ndarray):
                key = f"c{len(arrays)}"
                arrays[key] = np.ascontiguousarray(arg)
                specs.append({"t": "ndarray", "key": key})
            elif arg is None or isinstance(arg, (bool, str)):
                specs.append({"t": "plain", "v": arg})
            elif isinstance(arg, numbers.Integral):
                specs.append({"t": "plain", "v": int(arg)})
            elif isinstance(arg, numbers.Real):
                specs.append({"t": "plain", "v": float(arg)})
            else:
                raise TypeError(f"the grader cannot send arguments of type {type(arg).__name__}")
        manifest.append(specs)
    return manifest, arrays


def _exists(name: str, dir_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        return True
    except OSError:
        return False


def _load_outputs(dir_fd: int) -> dict[str, np.ndarray]:
    if not _exists("outputs.npz", dir_fd):
        return {}
    try:
        raw = read_regular_file("outputs.npz", MAX_OUTPUT_NPZ, dir_fd=dir_fd)
    except Exception as error:
        raise MalformedResult(f"the returned arrays could not be read ({error})") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except Exception:
        raise MalformedResult("the returned arrays are not a valid .npz file") from None
    total = 0
    for member in members:
        total += member.file_size
        if member.compress_type != zipfile.ZIP_STORED or not _KEY.match(member.filename.removesuffix(".npy")):
            raise MalformedResult("the returned arrays file has unexpected members")
    if total > MAX_OUTPUT_NPZ or len(members) > 4096:
        raise MalformedResult("the returned arrays are too large")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except Exception:
        raise MalformedResult("the returned arrays could not be loaded without pickle") from None
    for array in arrays.values():
        if type(array) is not np.ndarray or array.dtype.kind not in "biuf":
            raise MalformedResult("a returned array has an unsupported dtype")
    return arrays


def _decode_value(spec, arrays: dict, depth: int = 0):
    """Rebuild one answer from its plain description; raises MalformedResult."""
    if not isinstance(spec, dict) or not isinstance(spec.get("t"), str):
        raise MalformedResult("an answer description is malformed")
    kind = spec["t"]
    if kind == "ndarray":
        key = spec.get("key")
        if not isinstance(key, str) or key not in arrays:
            raise MalformedResult("an answer refers to a missing array")
        return np.array(arrays[key], copy=True)
    if kind == "tuple":
        items = spec.get("items")
        if depth >= 4 or not isinstance(items, list) or len(items) > 64:
            raise MalformedResult("a returned tuple is malformed or too deep")
        return tuple(_decode_value(item, arrays, depth + 1) for item in items)
    if kind == "bool" and isinstance(spec.get("v"), bool):
        return bool(spec["v"])
    if kind in ("int", "npint") and isinstance(spec.get("v"), str) and len(spec["v"]) <= 25:
        try:
            value = int(spec["v"])
        except ValueError:
            raise MalformedResult("a returned integer is too large or malformed") from None
        return np.int64(value) if kind == "npint" and -(2**63) <= value < 2**63 else value
    if kind in ("float", "npfloat") and isinstance(spec.get("v"), str) and len(spec["v"]) <= 40:
        try:
            value = float(spec["v"])
        except ValueError:
            raise MalformedResult("a returned float is malformed") from None
        if kind == "npfloat":
            return np.float32(value) if spec.get("bits") == 32 else np.float64(value)
        return value
    if kind == "other":
        return _Unsupported(str(spec.get("type", "object"))[:80])
    raise MalformedResult("an answer description is malformed")


class _Unsupported:
    """Stands for an answer of a type the harness would not transfer (compare_answer rejects it)."""

    def __init__(self, type_name: str):
        self.type_name = re.sub(r"[^A-Za-z0-9_. ()]", "?", type_name)

    def __repr__(self):
        return f"<{self.type_name}>"


def describe_unsupported(value) -> str | None:
    if isinstance(value, _Unsupported):
        return f"returned an object of type {value.type_name}; return a plain numpy.ndarray or number"
    if isinstance(value, tuple):
        for item in value:
            message = describe_unsupported(item)
            if message:
                return message
    return None


def read_result(box_fd: int | None, num_cases: int) -> tuple[str | None, list[tuple[bool, object]]]:
    """(error of the run or None, [(ok, answer or error message), ...]) from the sandbox's files.

    ``box_fd`` is the sandbox's output folder, opened by the grader; files are opened relative to it
    with ``O_NOFOLLOW``, so a link the sandbox put there is refused, never followed.
    """
    if box_fd is None or not _exists("result.json", box_fd):
        raise MalformedResult("the exercise process ended without writing its answers")
    try:
        raw = read_regular_file("result.json", MAX_RESULT_JSON, dir_fd=box_fd)
    except Exception:
        raise MalformedResult("the answers file is not a regular file of at most 1 MB (links are refused)") from None
    try:
        result = json.loads(raw.decode("utf-8"))
    except MalformedResult:
        raise
    except Exception:
        raise MalformedResult("the answers file is not valid JSON or is too large") from None
    if not isinstance(result, dict):
        raise MalformedResult("the answers file is malformed")
    error = result.get("error")
    if error is not None:
        return student_message(error), []
    cases = result.get("cases")
    if not isinstance(cases, list) or len(cases) != num_cases:
        raise MalformedResult("the answers file does not hold one answer per case")
    arrays = _load_outputs(box_fd)
    decoded = []
    for case in cases:
        if not isinstance(case, dict) or not isinstance(case.get("ok"), bool):
            raise MalformedResult("the answers file is malformed")
        if case["ok"]:
            decoded.append((True, _decode_value(case.get("value"), arrays)))
        else:
            decoded.append((False, student_message(case.get("error"))))
    return None, decoded


_PATH = re.compile(r"(?<![\w.])(?:/[\w.+@-]+)+/?|[A-Za-z]:\\[^\s'\"]+")
_DECIMAL = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\d+[eE][-+]?\d+|\b\d{6,}\b")


def student_message(text, limit: int = 200) -> str:
    """What the student may see of their own error: type and message, trimmed, with file paths and
    decimal numbers (which could be hidden inputs, seeds or reference values) masked; integers such as
    shapes and indices stay."""
    text = clean_text(text, 4 * limit)
    text = _PATH.sub("<path>", text)
    text = re.sub(r"--seed\S*\s*\S*", "--seed <hidden>", text)
    text = _DECIMAL.sub("<number>", text)
    return text if len(text) <= limit else text[:limit] + "..."


def clean_text(text, limit: int = 300) -> str:
    """Printable, bounded text from untrusted input."""
    text = text if isinstance(text, str) else repr(type(text).__name__)
    text = "".join(ch if ch.isprintable() or ch == " " else "?" for ch in text[: limit + 1])
    return text if len(text) <= limit else text[:limit] + "..."
