"""The Gradescope bundle: ``autograder/build.py`` writes a zip without notebooks or solutions, and its
``run_autograder``, run in a fresh folder laid out like ``/autograder``, writes a results.json in
Gradescope's schema with the right score, in the bubblewrap sandbox and in the private-uid fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import CH01, IS_ROOT, ROOT

sys.path.insert(0, str(ROOT / "autograder"))
import build as bundle_builder  # noqa: E402


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return bundle_builder.build("01", tmp_path_factory.mktemp("bundle") / "ch01.zip")


def test_bundle_holds_the_grader_and_no_solutions(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        assert {"setup.sh", "run_autograder", "requirements.txt", "chapter.json"} <= set(names)
        assert archive.getinfo("run_autograder").external_attr >> 16 & 0o111
        assert not [n for n in names if n.endswith(".ipynb") or n.startswith(("notebooks/", "tests/"))]
        assert "coursework_lib/course/grading/harness.py" in names
        for name in names:
            assert b"# BEGIN SOLUTION\n" not in archive.read(name) or name.endswith("student_edition.py"), name
        assert "numpy" in archive.read("requirements.txt").decode()
        assert [e["id"] for e in json.loads(archive.read("chapter.json"))["exercises"]] == [
            "ch01-sigmoid",
            "ch01-relu-derivative",
            "ch01-dense-forward",
        ]


def _run(bundle: Path, folder: Path, notebook: dict, sandbox: str) -> dict:
    root = folder / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    (root / "source" / "run_autograder").chmod(0o755)
    (root / "submission" / "my_notebook.ipynb").write_text(json.dumps(notebook))
    env = {
        **os.environ,
        "AUTOGRADER_ROOT": str(root),
        "AUTOGRADER_PYTHON": sys.executable,
        "AUTOGRADER_SANDBOX": sandbox,
    }
    run = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
    )
    assert run.returncode == 0, run.stderr
    return json.loads((root / "results" / "results.json").read_text())


def _steal_reference(root: Path) -> dict:
    """A submission that reads the reference from the bundle's own sources and runs it."""
    notebook = json.loads(CH01.read_text())
    source = root / "autograder" / "source" / "coursework_lib" / "maths" / "activations.py"
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("exercise", {}).get("id") == "ch01-sigmoid":
            cell["source"] = (
                "import builtins\nnamespace = {}\ntry:\n"
                f"    getattr(builtins, 'ex' + 'ec')(open({str(source)!r}).read(), namespace)\n"
                "    sigmoid = namespace['sigmoid']\nexcept Exception:\n"
                "    def sigmoid(Z):\n        return np.tanh(Z)\n"
            )
    return notebook


@pytest.mark.parametrize(
    "sandbox",
    ["bwrap", pytest.param("uid", marks=pytest.mark.skipif(not IS_ROOT, reason="the uid fallback needs root"))],
)
def test_run_autograder_in_a_fresh_autograder_folder(bundle, tmp_path, sandbox):
    results = _run(bundle, tmp_path / "honest", json.loads(CH01.read_text()), sandbox)
    assert set(results) >= {"score", "execution_time", "output", "tests"}
    assert results["score"] == 5.0 == sum(t["score"] for t in results["tests"])
    for test in results["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
    stolen = _run(bundle, tmp_path / "thief", _steal_reference(tmp_path / "thief"), sandbox)
    assert stolen["tests"][0]["score"] == 0, stolen["tests"][0]
    assert stolen["score"] == 3.0


def test_nothing_to_grade_still_writes_results(bundle, tmp_path):
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "source").mkdir()
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, timeout=60)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "No .ipynb" in results["output"]
