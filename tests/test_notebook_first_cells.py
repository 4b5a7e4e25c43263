"""Every chapter's first code cell quiets TensorFlow before anything imports it and says what it is
loading: run the cell's lines before ``setup_notebook(...)`` in a fresh interpreter (as a reopened
notebook would) and check that TensorFlow is not imported yet, then the whole cell prints no stderr."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _first_code_cell(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")["source"])


def test_every_chapter_is_checked():
    assert len(NOTEBOOKS) == 8


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_imports_before_setup_do_not_load_tensorflow(path):
    lines = _first_code_cell(path).splitlines()
    calls = [k for k, line in enumerate(lines) if line.startswith("setup_notebook(")]
    assert calls, f"{path.name}: the first code cell must call setup_notebook(...)"
    before = "\n".join(lines[: calls[0]])
    probe = before + "\nimport sys\nprint(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "KERAS_"))}  # as a fresh kernel
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=path.parent, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]", f"{path.name} imports TensorFlow before setup_notebook"
    assert result.stderr == "", f"{path.name}: the imports before setup_notebook print on stderr"


def test_setup_quiets_tensorflow_and_announces_the_slow_import(tmp_path):
    """setup_notebook itself: one line before the TensorFlow import, one after, nothing on stderr.
    (COURSEWORK_ROOT points at tmp_path: setup_notebook empties the chapter's file of results.)"""
    probe = (
        "from coursework_lib.core.environment import setup_notebook\n"
        "setup_notebook('01_neural_network_maths')\n"
        "import tensorflow as tf\n"
        "tf.constant(1.0) + 1\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "KERAS_"))}
    env["COURSEWORK_ROOT"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Setting up 01_neural_network_maths: loading TensorFlow")
    assert lines[1].startswith("Ready in ")
    assert result.stderr == ""
