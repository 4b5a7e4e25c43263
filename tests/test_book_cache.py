"""scripts/book_cache.py: the nbval run stores executed notebooks where the book build finds them.

One real nbval run (a subprocess, two tiny notebooks: one passes, one fails) checks what gets stored;
the fingerprint and pruning tests work on a synthetic cache and take no kernel.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts import book_cache  # noqa: E402


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _project(tmp: Path) -> Path:
    """A miniature project: a library file, two weights files (one read, one not), data/."""
    root = tmp / "project"
    (root / "coursework_lib").mkdir(parents=True)
    (root / "coursework_lib" / "__init__.py").write_text("VERSION = 1\n")
    (root / "coursework_lib" / "helper.py").write_text("def double(x):\n    return 2 * x\n")
    (root / "requirements.txt").write_text("numpy\n")
    (root / "pyproject.toml").write_text("[project]\n")
    (root / "weights").mkdir()
    (root / "data").mkdir()
    np.savez(root / "weights" / "used.npz", x=np.array([1.5, 2.5]))
    np.savez(root / "weights" / "unused.npz", x=np.array([9.0]))
    (root / "data" / "table.txt").write_text("1 2 3\n")
    return root


def _hdf5(path: Path) -> None:
    import h5py

    with h5py.File(path, "w") as handle:
        handle["x"] = np.arange(3)


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A chapter")] + [nbformat.v4.new_code_cell(s) for s in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def nbval_run(tmp_path_factory):
    """nbval with the plugin on a passing notebook (glue, a widget, a weights file) and a failing one."""
    tmp = tmp_path_factory.mktemp("book_cache")
    root = _project(tmp)
    _hdf5(root / "weights" / "used.h5")
    _hdf5(root / "weights" / "unused.h5")
    weights, hdf5 = (root / "weights" / "used.npz").as_posix(), (root / "weights" / "used.h5").as_posix()
    created = (root / "weights" / "created.npy").as_posix()
    helper = (root / "coursework_lib" / "helper.py").as_posix()
    good = _notebook(
        root / "notebooks" / "good.ipynb",
        "import importlib.util, sys\nimport numpy as np\nfrom myst_nb import glue\n"
        f"spec = importlib.util.spec_from_file_location('helper', {helper!r})\n"
        "sys.modules['helper'] = helper = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(helper)\n"
        f"total = helper.double(float(np.load({weights!r})['x'].sum()))\n"
        "glue('total', total, display=False)\nprint(total)",
        f"import h5py\nimport ipywidgets\nh5py.File({hdf5!r}, 'r').close()\nnp.save({created!r}, [1])\n"
        "ipywidgets.IntSlider(value=7)",
    )
    bad = _notebook(root / "notebooks" / "bad.ipynb", "x = 1", "assert x == 2")
    cache = tmp / "cache"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    command = [sys.executable, "-m", "pytest", "-p", "scripts.book_cache", "--book-cache", str(cache)]
    command += ["--book-cache-root", str(root), "--nbval-lax", "--nbval-current-env", str(good), str(bad), "-q"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    return {"root": root, "good": good, "bad": bad, "cache": cache, "result": result}


def test_failing_notebook_fails_the_run_and_is_not_stored(nbval_run):
    result, cache = nbval_run["result"], get_cache(str(nbval_run["cache"]))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 3 passed" in result.stdout, result.stdout
    assert "book cache: stored 1 executed notebook(s)" in result.stdout, result.stdout
    assert [r.uri for r in cache.list_cache_records()] == [str(nbval_run["good"].resolve())]
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(nbval_run["bad"], as_version=4))


def test_myst_nb_renders_the_stored_notebook_without_executing_it(nbval_run):
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.execute import create_client

    class Logger:
        def __init__(self):
            self.lines = []

        def info(self, msg, *args, **kwargs):
            self.lines.append(msg)

        warning = error = debug = info

    logger, path = Logger(), nbval_run["good"]
    config = NbParserConfig(execution_mode="cache", execution_cache_path=str(nbval_run["cache"]))
    with create_client(nbformat.read(path, as_version=4), str(path), config, logger) as client:
        nb, glue = client.notebook, client.glue_data
    assert any(line.startswith("Using cached notebook") for line in logger.lines), logger.lines
    assert not any("Executing notebook" in line for line in logger.lines), logger.lines
    # glue: 2 * (1.5 + 2.5), from weights/used.npz and helper.py above
    assert glue["total"]["data"]["text/plain"] == "8.0"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1, 2]
    assert {"name": "stdout", "output_type": "stream", "text": "8.0\n"} in code[0].outputs
    view = code[1].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert state[view["model_id"]]["model_name"] == "IntSliderModel"
    assert state[view["model_id"]]["state"]["value"] == 7


def test_fingerprint_lists_the_library_modules_imported_and_the_weights_files_opened(nbval_run):
    root = nbval_run["root"]
    (record,) = get_cache(str(nbval_run["cache"])).list_cache_records()
    stored = record.data["book_cache"]
    # weights/used.h5 is opened by h5py (in C), weights/used.npz by NumPy; coursework_lib/__init__.py and
    # weights/unused.* are not used; requirements.txt and pyproject.toml always count
    used = ["coursework_lib/helper.py", "pyproject.toml", "requirements.txt", "weights/used.h5", "weights/used.npz"]
    # weights/created.npy did not exist when the notebook started: a later run would find it there
    assert stored["files"] == {"weights/created.npy": None} | {name: _sha256(root / name) for name in used}
    assert book_cache.stale_reason(stored, root) == "changed: weights/created.npy"
    (root / "weights" / "created.npy").unlink()
    assert book_cache.stale_reason(stored, root) is None


# ------------------------------------------------------------------------------------------ no kernel below
def _cached(tmp: Path, root: Path, fingerprinted: bool = True) -> Path:
    """A cache holding one executed notebook, as the plugin (or, without a fingerprint, myst-nb) stores it."""
    path = _notebook(tmp / "nb" / "chapter.ipynb", "print(1)")
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].execution_count = 1
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    data = {"execution_seconds": 1.0}
    if fingerprinted:
        used = ["coursework_lib/__init__.py", "weights/used.npz"]
        data["book_cache"] = book_cache.fingerprint(book_cache.tracked_files(root), used)
    cache = tmp / "cache"
    get_cache(str(cache)).cache_notebook_bundle(CacheBundleIn(nb, str(path), data=data))
    return cache


def _records(cache: Path) -> int:
    return len(get_cache(str(cache)).list_cache_records())


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        (None, True),
        (lambda root: np.savez(root / "weights" / "unused.npz", x=np.array([8.0])), True),
        (lambda root: np.savez(root / "weights" / "used.npz", x=np.array([1.5, 2.0])), False),
        (lambda root: (root / "coursework_lib" / "__init__.py").write_text("VERSION = 2\n"), False),
        (lambda root: (root / "coursework_lib" / "helper.py").write_text("def double(x):\n    return x\n"), True),
        (lambda root: (root / "requirements.txt").write_text("numpy==2.0\n"), False),
        (lambda root: (root / "weights" / "used.npz").unlink(), False),
        (lambda root: (root / "weights" / "new.keras").write_bytes(b"new"), True),
        (lambda root: (root / "data" / "table.txt").unlink(), True),
    ],
    ids=[
        "unchanged",
        "other-weights",
        "its-weights",
        "its-module",
        "other-module",
        "requirements",
        "its-weights-removed",
        "other-added",
        "other-removed",
    ],
)
def test_prune_removes_entries_whose_dependencies_changed(tmp_path, change, kept):
    root = _project(tmp_path)
    cache = _cached(tmp_path, root)
    if change:
        change(root)
    removed = book_cache.prune(cache, root)
    assert _records(cache) == (1 if kept else 0)
    assert len(removed) == (0 if kept else 1)


def test_stamp_fingerprints_what_myst_nb_executed_with_every_tracked_file(tmp_path):
    root = _project(tmp_path)
    cache = _cached(tmp_path, root, fingerprinted=False)
    assert book_cache.prune(shutil.copytree(cache, tmp_path / "copy"), root)  # no fingerprint: re-executed
    assert book_cache.stamp(cache, root) == [str(tmp_path / "nb" / "chapter.ipynb")]
    assert book_cache.stamp(cache, root) == []
    (record,) = get_cache(str(cache)).list_cache_records()
    assert record.data["execution_seconds"] == 1.0
    assert sorted(record.data["book_cache"]["files"]) == sorted(
        ["coursework_lib/__init__.py", "coursework_lib/helper.py", "pyproject.toml", "requirements.txt"]
        + ["data/table.txt", "weights/unused.npz", "weights/used.npz"]
    )
    assert book_cache.prune(cache, root) == []
    np.savez(root / "weights" / "unused.npz", x=np.array([8.0]))  # unknown dependencies: any change counts
    assert len(book_cache.prune(cache, root)) == 1


def test_stamped_entry_is_pruned_when_a_file_is_added(tmp_path):
    root = _project(tmp_path)
    cache = _cached(tmp_path, root, fingerprinted=False)
    book_cache.stamp(cache, root)
    (root / "weights" / "new.keras").write_bytes(b"new")
    assert book_cache.prune(cache, root) == [f"{tmp_path / 'nb' / 'chapter.ipynb'}: files added or removed"]
