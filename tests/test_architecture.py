"""House rules checked on every `make test`: layered imports, lint, and notebooks stored without outputs."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name):
    path = BIN / name
    if not path.exists():
        path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run `make setup` (it is in requirements.txt)")
    return str(path)


def test_imports_only_go_down_the_layers():
    """import-linter's contracts in pyproject.toml: core -> maths -> models -> evaluation -> training ->
    restoration -> viz -> widgets -> course, and a grading harness that imports nothing of the library."""
    run = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def test_ruff_lint_passes():
    run = subprocess.run(
        [_tool("ruff"), "check", "coursework_lib", "tests", "scripts", "benchmarks", "notebooks", "book", "autograder"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_ruff_format_is_applied():
    run = subprocess.run(
        [
            _tool("ruff"),
            "format",
            "--check",
            "coursework_lib",
            "tests",
            "scripts",
            "benchmarks",
            "notebooks",
            "book",
            "autograder",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, "run `make format`:\n" + run.stdout[-3000:] + run.stderr[-2000:]


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, f"{path.name}: code cells {dirty} carry outputs; clear them (`make clean-notebooks`)"
