"""Recording each chapter's headline results.

Results the prose quotes are stored with :func:`record`: the value and its origin go into
``_build/metrics/<notebook>.json`` and both are glued (myst-nb), so the book's pages quote the computed
number, never a typed one, and the results page says where each number came from: computed in this run,
or read from a committed artifact (:func:`coursework_lib.core.provenance.artifact_origin`).
:func:`coursework_lib.core.environment.setup_notebook` names the notebook first.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from pathlib import Path

import numpy as np

from coursework_lib.core.paths import project_root
from coursework_lib.core.provenance import origin_text

_state = {"notebook": None}
_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def start_notebook(notebook: str) -> None:
    """Record the following results under ``notebook`` (called by ``setup_notebook``).

    The notebook's file of results starts empty: each run writes it whole, so a metric that a chapter
    no longer records (renamed or removed) does not linger from an earlier run.
    """
    _state["notebook"] = notebook
    metrics_path(notebook).unlink(missing_ok=True)


def metrics_path(notebook: str | None = None) -> Path:
    """``<root>/_build/metrics/<notebook>.json``."""
    notebook = notebook or _state["notebook"]
    if notebook is None:
        raise RuntimeError("call setup_notebook('NN_topic') before recording results")
    return project_root() / "_build" / "metrics" / f"{notebook}.json"


ORIGIN_SUFFIX = "__origin"  # the glued origin of metric ``x`` is ``x__origin``: {glue:text}`nb::x__origin:s`
COMPUTED = {"kind": "computed"}


class PlainText(str):
    """A string that displays without quotes, so ``{glue:text}`` pastes it as it reads."""

    def __repr__(self) -> str:
        return str(self)


def record(name: str, value, *, origin: dict | None = None, glue: bool = True):
    """Store a headline result and glue it for the prose; returns ``value`` as a float.

    name: letters, digits and underscores. value: a finite real number.
    origin: None for a number computed in this run; for a number read from a committed artifact,
    ``provenance.artifact_origin(path)``. The value and its origin are written to the notebook's metrics
    file as ``{name: {"value": ..., "origin": {...}}}``; ``name`` and ``name__origin`` are glued.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name must be letters, digits and underscores, got {name!r}")
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if hasattr(value, "numpy"):  # a TensorFlow scalar
        value = value.numpy().item()
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"value must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"value for {name!r} must be finite, got {value}")
    if origin is None:
        origin = COMPUTED
    elif not isinstance(origin, dict) or origin.get("kind") != "artifact" or "command" not in origin:
        raise TypeError("origin must be None (computed here) or provenance.artifact_origin(path)")
    path = metrics_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    metrics = json.loads(path.read_text()) if path.is_file() else {}
    metrics[name] = {"value": value, "origin": origin}
    path.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    if glue:
        from myst_nb import glue as myst_glue

        myst_glue(name, value, display=False)
        myst_glue(name + ORIGIN_SUFFIX, PlainText(origin_text(origin)), display=False)
    return value
