"""Recording each chapter's headline results.

Results the prose quotes are stored with :func:`record`: the value goes into
``_build/metrics/<notebook>.json`` and is glued (myst-nb), so the book's pages quote the computed number,
never a typed one. :func:`coursework_lib.core.environment.setup_notebook` names the notebook first.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from pathlib import Path

import numpy as np

from coursework_lib.core.paths import project_root

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


def record(name: str, value, *, glue: bool = True):
    """Store a headline result and glue it for the prose; returns ``value`` as a float.

    name: letters, digits and underscores. value: a finite real number.
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
    path = metrics_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    metrics = json.loads(path.read_text()) if path.is_file() else {}
    metrics[name] = value
    path.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    if glue:
        from myst_nb import glue as myst_glue

        myst_glue(name, value, display=False)
    return value
