"""Notebook set-up and the recording of each chapter's headline results.

Every chapter's first code cell is ``book.setup_notebook("NN_topic")``. Results the prose quotes are
stored with ``book.record(name, value)``: the value goes into ``_build/metrics/<notebook>.json`` and
is glued (myst-nb) so the book's pages quote the computed number, never a typed one.
"""

from __future__ import annotations

import json
import logging
import math
import numbers
import os
import random
import re
import warnings
from pathlib import Path

import numpy as np

_state = {"notebook": None}
_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ and Python logging (stderr noise would make notebook tests flaky)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)


def seed_everything(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy's global generator and TensorFlow/Keras."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    import keras

    keras.utils.set_random_seed(int(seed))


def set_plot_style() -> None:
    """Matplotlib defaults for the book: readable sizes, grids, tight layouts, crisp PNGs."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "figure.figsize": (6.4, 4.0), "figure.dpi": 100, "savefig.dpi": 120,
        "figure.autolayout": True, "axes.grid": True, "grid.alpha": 0.3,
        "axes.spines.top": False, "axes.spines.right": False,
        "font.size": 11, "axes.titlesize": 12, "image.cmap": "gray",
    })


def setup_notebook(notebook: str, seed: int = 0) -> None:
    """The one set-up call of a chapter: name it, quiet TensorFlow, seed everything, style plots.

    notebook: the notebook's file name without ``.ipynb`` (e.g. ``"01_neural_network_maths"``);
    results are recorded under that name.
    """
    if not isinstance(notebook, str) or not re.match(r"^[0-9]{2}_[a-z0-9_]+$", notebook):
        raise ValueError(f"notebook must look like '01_topic', got {notebook!r}")
    _state["notebook"] = notebook
    quiet_tensorflow()
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    seed_everything(seed)
    set_plot_style()


def project_root() -> Path:
    """The book's root folder: ``$COURSEWORK_ROOT``, else the nearest parent with ``_toc.yml``."""
    if os.environ.get("COURSEWORK_ROOT"):
        return Path(os.environ["COURSEWORK_ROOT"])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file():
            return folder
    return here


def metrics_path(notebook: str | None = None) -> Path:
    """``<root>/_build/metrics/<notebook>.json``."""
    notebook = notebook or _state["notebook"]
    if notebook is None:
        raise RuntimeError("call book.setup_notebook('NN_topic') before recording results")
    return project_root() / "_build" / "metrics" / f"{notebook}.json"


def read_metrics(notebook: str) -> dict:
    """The recorded results of one notebook (empty if it has not run yet)."""
    path = metrics_path(notebook)
    return json.loads(path.read_text()) if path.is_file() else {}


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
