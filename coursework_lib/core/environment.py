"""The one set-up call of every chapter: quiet TensorFlow, seeds, plot style, and the chapter's name."""

from __future__ import annotations

import logging
import numbers
import os
import random
import re
import time
import warnings

import numpy as np

from coursework_lib.core import recording


def quiet_tensorflow(onednn: bool = False) -> None:
    """Silence TensorFlow's C++ and Python logging (stderr noise would make notebook tests flaky).

    Call it before TensorFlow is imported: its C++ start-up lines are printed at import time.
    onednn: the default for TF_ENABLE_ONEDNN_OPTS. oneDNN makes training 2-4x faster on these CPUs but
    prints a notice on stderr, which the book build treats as an error: scripts switch it on, notebooks
    keep it off. An explicit setting in the environment (the Makefile's) always wins.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1" if onednn else "0")
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

    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 120,
            "figure.autolayout": True,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 11,
            "axes.titlesize": 12,
            "image.cmap": "gray",
        }
    )


def setup_notebook(notebook: str, seed: int = 0) -> None:
    """Name the chapter (results are recorded under that name), quiet TensorFlow, seed everything,
    style plots. Prints a line before the slow TensorFlow import and one when it is done.

    notebook: the notebook's file name without ``.ipynb`` (e.g. ``"01_neural_network_maths"``).
    """
    if not isinstance(notebook, str) or not re.match(r"^[0-9]{2}_[a-z0-9_]+$", notebook):
        raise ValueError(f"notebook must look like '01_topic', got {notebook!r}")
    recording.start_notebook(notebook)
    quiet_tensorflow()
    started = time.perf_counter()
    print(f"Setting up {notebook}: loading TensorFlow (this takes a few seconds) ...", flush=True)
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    seed_everything(seed)
    set_plot_style()
    print(
        f"Ready in {time.perf_counter() - started:.0f} s: TensorFlow {tf.__version__}, every generator seeded "
        f"with {seed}.",
        flush=True,
    )
