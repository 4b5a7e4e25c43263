"""Execute each notebook once: the nbval test run fills the book's jupyter-cache.

`make notebooks` runs every chapter under nbval with this module as a pytest plugin
(``-p scripts.book_cache --book-cache _build/.jupyter_cache``). While nbval executes a notebook, every
kernel message of each cell is also handed to nbclient's own ``NotebookClient.process_message`` (the
code that myst-nb's execution uses), so the outputs, glue data and ipywidgets state are recorded exactly
as an nbclient run records them. When every cell of a notebook passed, the executed notebook is stored
with jupyter-cache's ``cache_notebook_bundle``, under the hash that myst-nb's ``execute_notebooks: cache``
looks up; `make book` then renders it without executing it again. A notebook with a failing or skipped
cell is not stored.

Each stored notebook carries a fingerprint of what its outputs depend on besides its code cells (which
jupyter-cache already hashes), as they were when it started: ``requirements.txt``, ``pyproject.toml``,
the modules of ``coursework_lib`` the kernel imported, and the files under ``coursework_lib/``, ``weights/``
and ``data/`` it opened (seen by a Python audit hook, which h5py.File reports its files to, as HDF5 opens
them in C; a file read by other C code, e.g. ``tf.io``, or only tested with ``Path.exists``, would go
unseen). Before each book build ``python scripts/book_cache.py prune`` removes the entries whose
fingerprint no longer matches, so a retrained weights file re-executes the chapters that load it and no
other. Notebooks that myst-nb itself
executed during a build get the conservative fingerprint (every file under weights/ and data/) from
``python scripts/book_cache.py stamp`` afterwards.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import time
import warnings
from pathlib import Path

import pytest

from coursework_lib.core.provenance import file_sha256

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = "_build/.jupyter_cache"  # myst-nb's default: <book output>/_build/.jupyter_cache
ENVIRONMENT = ("requirements.txt", "pyproject.toml")  # every notebook depends on these
TRACKED = ("coursework_lib", "weights", "data", *ENVIRONMENT)  # what a notebook's outputs may depend on
KEY = "book_cache"  # the fingerprint's key in a cache record's data


# ---------------------------------------------------------------------------------------------- fingerprint
def tracked_files(root: Path = ROOT) -> dict[str, str]:
    """``{"weights/x.keras": sha256, ...}`` for every file of the library, weights/, data/ and the pins."""
    found = []
    for name in TRACKED:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return {path.relative_to(root).as_posix(): file_sha256(path) for path in sorted(found)}


def _listing(files: dict[str, str]) -> str:
    return hashlib.sha256("\n".join(sorted(files)).encode()).hexdigest()


def fingerprint(files: dict[str, str], dependencies=None) -> dict:
    """The fingerprint stored with a cached notebook.

    files: ``tracked_files(root)`` taken when the notebook started. dependencies: the relative paths of the
    library modules it imported and the files it opened, each stored with its sha256 then (None: it did not
    exist yet, e.g. a file the notebook wrote); requirements.txt and pyproject.toml are always included.
    dependencies=None (not known): every tracked file, and their list, so that adding one counts too.
    """
    if dependencies is None:
        return {"listing": _listing(files), "files": dict(files)}
    names = sorted(set(dependencies) | set(ENVIRONMENT))
    return {"files": {name: files.get(name) for name in names}}


def stale_reason(stored: dict | None, root: Path = ROOT, files: dict[str, str] | None = None) -> str | None:
    """Why a cached notebook with fingerprint ``stored`` is out of date now, or None if it is current."""
    if not stored:
        return "no fingerprint"
    files = tracked_files(root) if files is None else files
    if "listing" in stored and stored["listing"] != _listing(files):
        return "files added or removed"
    changed = sorted(name for name, digest in stored.get("files", {}).items() if files.get(name) != digest)
    return f"changed: {', '.join(changed)}" if changed else None


def prune(cache_path, root: Path = ROOT) -> list[str]:
    """Remove the cached notebooks whose fingerprint is stale; returns ``"uri: reason"`` for each."""
    from jupyter_cache import get_cache

    cache, files, removed = get_cache(str(cache_path)), tracked_files(root), []
    for record in cache.list_cache_records():
        reason = stale_reason((record.data or {}).get(KEY), root, files)
        if reason:
            cache.remove_cache(record.pk)
            removed.append(f"{record.uri}: {reason}")
    return removed


def stamp(cache_path, root: Path = ROOT) -> list[str]:
    """Give the notebooks myst-nb executed (no fingerprint yet) the conservative one: all tracked files."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache, files, stamped = get_cache(str(cache_path)), tracked_files(root), []
    for record in cache.list_cache_records():
        if (record.data or {}).get(KEY):
            continue
        bundle = cache.get_cache_bundle(record.pk)
        data = {**(record.data or {}), KEY: fingerprint(files)}
        cache.cache_notebook_bundle(
            CacheBundleIn(bundle.nb, record.uri, data=data), check_validity=False, overwrite=True
        )
        stamped.append(record.uri)
    return stamped


# ------------------------------------------------------------------------------------------- pytest plugin
# Run silently in the kernel before the first cell (no output, no execution count, no names left behind).
_AUDIT = """
def _install(roots):
    import functools, os, sys
    opened = sys.__dict__.setdefault("_book_cache_opened", set())
    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if path.startswith(roots):
                opened.add(path)
    sys.addaudithook(hook)
    try:  # HDF5 opens its files in C, unseen by the hook: h5py.File reports them as an "open" event
        import h5py
    except ImportError:
        return
    init = h5py.File.__init__
    @functools.wraps(init)
    def __init__(self, name, *args, **kwargs):
        if isinstance(name, (str, bytes, os.PathLike)):
            sys.audit("open", name, "h5py", 0)
        init(self, name, *args, **kwargs)
    h5py.File.__init__ = __init__
"""
_OPENED = "sorted(__import__('sys').__dict__.get('_book_cache_opened', ()))"
_IMPORTED = (  # module files under a prefix; read from __dict__, so that no lazy module gets loaded
    "sorted(f for f in (getattr(m, '__dict__', {{}}).get('__file__') for m in list(__import__('sys').modules.values()))"
    " if isinstance(f, str) and f.startswith({!r}))"
)


def pytest_addoption(parser):
    group = parser.getgroup("book-cache", "store notebooks nbval executed in the book's jupyter-cache")
    group.addoption("--book-cache", metavar="DIR", help=f"jupyter-cache folder to fill (the book's: {DEFAULT_CACHE})")
    group.addoption("--book-cache-root", metavar="DIR", default=str(ROOT), help="project root (weights/, data/)")


def pytest_configure(config):
    if config.getoption("book_cache"):
        recorder = _Recorder(Path(config.getoption("book_cache")), Path(config.getoption("book_cache_root")))
        config.pluginmanager.register(recorder, "book-cache-recorder")


class _Notebook:
    """nbclient's view of one notebook while nbval executes it."""

    def __init__(self, node, root: Path):
        from nbclient import NotebookClient

        self.node, self.kernel, self.started = node, node.kernel, time.perf_counter()
        self.files = tracked_files(root)
        self.client = NotebookClient(copy.deepcopy(node.nb), record_timing=False)
        self.client.kc = self.kernel.kc  # nbclient's Output-widget mimic talks back to the kernel
        self.code_cells = [i for i, cell in enumerate(self.client.nb.cells) if cell.cell_type == "code"]
        self.done, self.finished, self.current, self.msg_id = 0, False, None, None  # finished: recording ended
        roots = tuple(str(root / name) + "/" for name in TRACKED if (root / name).is_dir())
        self.ask(f"(lambda ns: (exec({_AUDIT!r}, ns), ns['_install']({roots!r})))({{}})")
        # Tee nbval's kernel traffic: its execute requests (to know each cell's message id) and its iopub reads.
        execute, read = self.kernel.execute_cell_input, node.get_kernel_message

        def execute_cell_input(source, allow_stdin=None):
            self.msg_id = execute(source, allow_stdin=allow_stdin)
            return self.msg_id

        def get_kernel_message(*args, **kwargs):
            msg = read(*args, **kwargs)
            if self.current is not None and msg["parent_header"].get("msg_id") == self.msg_id:
                self.process(msg)
            return msg

        self.kernel.execute_cell_input, node.get_kernel_message = execute_cell_input, get_kernel_message

    def ask(self, code: str = "", **expressions) -> dict:
        """Run ``code`` silently in the kernel; returns the evaluated ``expressions`` (text/plain reprs)."""
        reply = self.kernel.kc.execute(
            code, silent=True, store_history=False, user_expressions=expressions, reply=True, timeout=60
        )
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"kernel query failed: {content.get('ename')}: {content.get('evalue')}")
        return {name: value["data"]["text/plain"] for name, value in content["user_expressions"].items()}

    def process(self, msg):
        from nbclient.exceptions import CellExecutionComplete

        cell, index = self.current
        try:
            self.client.process_message(msg, cell, index)
        except CellExecutionComplete:
            pass

    def start_cell(self, cell_num: int):
        index = self.code_cells[cell_num]
        cell = self.client.nb.cells[index]
        cell.outputs, self.client.clear_before_next_output = [], False
        self.current, self.msg_id = (cell, index), None

    def end_cell(self, passed: bool):
        cell, _ = self.current
        self.current = None
        if not passed:  # a failed or skipped cell: the book will execute this notebook itself
            self.close()
            return
        self.done += 1
        if cell.source.strip():  # nbclient leaves an empty cell unexecuted, without a count
            self.client.code_cells_executed += 1
            cell.execution_count = self.client.code_cells_executed
            for output in cell.outputs:  # nbval executes with store_history=False: the kernel counts 0
                if output.output_type == "execute_result":
                    output.execution_count = cell.execution_count
        else:
            cell.outputs = []

    def close(self):
        self.finished, self.client = True, None  # the outputs are no longer needed in memory

    def store(self, cache_path: Path, root: Path):
        import ast

        from jupyter_cache import get_cache
        from jupyter_cache.base import CacheBundleIn

        seconds = time.perf_counter() - self.started
        nb = self.client.nb
        info = self.kernel.kc.kernel_info(reply=True, timeout=60)["content"]
        nb.metadata["language_info"] = info["language_info"]
        self.client.set_widgets_metadata()
        found = self.ask(opened=_OPENED, imported=_IMPORTED.format(str(root / "coursework_lib") + "/"))
        paths = ast.literal_eval(found["opened"]) + ast.literal_eval(found["imported"])
        deps = {Path(p).relative_to(root).as_posix() for p in paths if Path(p).is_relative_to(root)}
        deps = {name for name in deps if name.split("/")[0] in TRACKED and "__pycache__" not in name}
        data = {"execution_seconds": seconds, KEY: fingerprint(self.files, deps)}
        bundle = CacheBundleIn(nb, str(Path(self.node.path).resolve()), data=data)
        get_cache(str(cache_path)).cache_notebook_bundle(bundle, check_validity=True, overwrite=True)
        self.close()


class _Recorder:
    """The plugin object registered when ``--book-cache`` is given."""

    def __init__(self, cache_path: Path, root: Path):
        self.cache_path, self.root, self.notebooks, self.stored = cache_path, root.resolve(), {}, []

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        from nbval.plugin import IPyNbCell

        if not isinstance(item, IPyNbCell):
            return (yield)
        node = item.parent
        notebook = self.notebooks.get(node)
        if notebook is None and item.cell_num == 0:
            try:
                notebook = self.notebooks[node] = _Notebook(node, self.root)
            except Exception as error:  # the test goes on; the book will execute this notebook itself
                warnings.warn(f"book cache: not recording {node.path.name}: {error!r}")
        if notebook is None or notebook.finished:
            return (yield)
        notebook.start_cell(item.cell_num)
        passed = False
        try:
            result = yield
            passed = True
            return result
        finally:
            notebook.end_cell(passed)
            if notebook.done == len(notebook.code_cells) and not notebook.finished:
                try:
                    notebook.store(self.cache_path, self.root)
                    self.stored.append(node.path.name)
                except Exception as error:
                    notebook.close()
                    warnings.warn(f"book cache: could not store {node.path.name}: {error!r}")

    def pytest_terminal_summary(self, terminalreporter):
        names = ", ".join(self.stored) or "none"
        terminalreporter.write_line(
            f"book cache: stored {len(self.stored)} executed notebook(s) in {self.cache_path}: {names}"
        )


# ---------------------------------------------------------------------------------------------------- CLI
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["prune", "stamp"], help="before a book build / after it")
    parser.add_argument("--cache", default=str(ROOT / DEFAULT_CACHE), help="the jupyter-cache folder")
    args = parser.parse_args(argv)
    if args.action == "prune":
        for line in prune(args.cache):
            print(f"book cache: re-execute {line}")
    else:
        for uri in stamp(args.cache):
            print(f"book cache: fingerprinted {uri}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
