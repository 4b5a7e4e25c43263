"""Shared fixtures of the grader's tests: the repository, chapter 1's notebooks, fast limits, and a
check that no sandbox of the uid pool is left running."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from coursework_lib.course.grading import Limits
from coursework_lib.course.student_edition import student_notebook

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

ROOT = TESTS.parent
CH01 = ROOT / "notebooks" / "01_neural_network_maths.ipynb"
IS_ROOT = os.geteuid() == 0
FAST = Limits(exercise_seconds=8, cell_seconds=4, call_seconds=2, submission_seconds=30, memory_bytes=1 << 30)


def pool_processes() -> list[int]:
    """Processes of any uid of the sandbox pool."""
    low, high = Limits.uid_base, Limits.uid_base + Limits.uid_count
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and low <= os.stat(f"/proc/{entry}").st_uid < high:
                found.append(int(entry))
        except OSError:
            pass
    return found


def write_notebook(folder: Path, name: str, notebook) -> Path:
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(notebook if isinstance(notebook, bytes) else json.dumps(notebook).encode())
    path.chmod(0o600)
    return path


@pytest.fixture(scope="session")
def instructor():
    return json.loads(CH01.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def student(instructor):
    return student_notebook(instructor, CH01.stem)


@pytest.fixture
def private(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir(mode=0o700)
    return folder
