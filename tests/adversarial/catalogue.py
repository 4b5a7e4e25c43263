"""Cheating and broken submissions for chapter 1, each built from the student edition.

Every entry is ``Entry(name, build, max_score, min_score, root_only)``. ``build(ctx)`` returns the
submission: a notebook dict, or raw bytes for files that are not notebooks. Unless an entry says
otherwise, it must score 0: no more than an honest wrong answer (``honest_wrong``). ``ctx`` gives
the student notebook, the instructor notebook, decoy files the submission tries to damage, the
output folder, and the public cases (for the hard-coding attempt).

Entries marked ``root_only`` attack the machine itself (kill the grader, fork, write files); they
are only safe and only meaningful when the grader runs as root and drops each sandbox to its own uid.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Callable

import numpy as np

TARGET = "ch01-sigmoid"


@dataclass(frozen=True)
class Entry:
    name: str
    build: Callable[[dict], object]
    max_score: float = 0.0
    min_score: float = 0.0
    root_only: bool = False


def _cell(source, **metadata):
    return {"cell_type": "code", "metadata": metadata, "source": source, "outputs": [], "execution_count": None}


def _target_index(nb, exercise_id=TARGET):
    return next(
        i for i, c in enumerate(nb["cells"]) if c.get("metadata", {}).get("exercise", {}).get("id") == exercise_id
    )


def only_target(ctx, source, *, keep_others=False):
    """The student notebook with the target exercise cell's source replaced (others removed)."""
    nb = copy.deepcopy(ctx["student"])
    if not keep_others:
        nb["cells"] = [c for c in nb["cells"] if c.get("metadata", {}).get("exercise", {}).get("id") in (None, TARGET)]
    nb["cells"][_target_index(nb)]["source"] = source
    return nb


def code(source):
    """Entry builder: replace the sigmoid exercise cell by ``source``."""
    return lambda ctx: only_target(ctx, source)


CORRECT = "def sigmoid(Z):\n    return np.exp(-np.logaddexp(0.0, -np.asarray(Z, dtype=float)))\n"  # the stable form


def _hardcoded(ctx):
    table = {np.asarray(args[0]).tobytes().hex(): ref.tolist() for args, ref in ctx["public_cases"]}
    return only_target(
        ctx,
        f"_TABLE = {table!r}\n"
        "def sigmoid(Z):\n"
        "    key = np.asarray(Z).tobytes().hex()\n"
        "    return np.array(_TABLE[key]) if key in _TABLE else np.full_like(Z, 0.5)\n",
    )


def _redefined_later(ctx):
    nb = only_target(ctx, "def sigmoid(Z):\n    raise NotImplementedError\n")
    nb["cells"].append(_cell("from coursework_lib.maths.activations import sigmoid\n" + CORRECT))
    return nb


def _duplicate(ctx, last):
    nb = copy.deepcopy(ctx["student"])
    index = _target_index(nb)
    good = copy.deepcopy(nb["cells"][index])
    good["source"] = CORRECT
    nb["cells"].insert(index + (1 if last else 0), good)
    return nb


def _reordered(ctx):
    """The instructor's (correct) exercise cells, moved to the top in reverse order: honest, full marks."""
    nb = copy.deepcopy(ctx["instructor"])
    exercises = [c for c in nb["cells"] if "exercise" in c.get("metadata", {})]
    others = [c for c in nb["cells"] if "exercise" not in c.get("metadata", {})]
    nb["cells"] = exercises[::-1] + others
    return nb


def _edited_metadata(ctx):
    nb = only_target(ctx, "def sigmoid(Z):\n    raise NotImplementedError\n")
    nb["metadata"]["kernelspec"] = {"name": "evil", "display_name": "evil", "language": "python"}
    cell = nb["cells"][_target_index(nb)]
    cell["metadata"]["exercise"]["points"] = 1000
    check = nb["cells"][_target_index(nb) + 1]
    check["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": "✔ ch01-sigmoid: all 3 public cases passed\n"}
    ]
    check["execution_count"] = 7
    # a correct function in a cell that claims an unknown exercise id is ignored
    nb["cells"].append(_cell(CORRECT, exercise={"id": "ch01-sigmoid-bonus", "points": 99, "graded": "sigmoid"}))
    return nb


def _without_metadata(ctx):
    nb = only_target(ctx, CORRECT)
    nb["cells"][_target_index(nb)]["metadata"] = {}
    return nb


def _write_files(ctx):
    return only_target(
        ctx,
        (
            "import os, json\n"
            f"for p in [{ctx['decoy']!r}, {ctx['decoy_harness']!r}, {ctx['out_results']!r}]:\n"
            "    try:\n        open(p, 'w').write('HACKED')\n    except Exception:\n        pass\n"
            f"try:\n    os.remove({ctx['decoy']!r})\nexcept Exception:\n    pass\n"
            "json.dump({'stage': 'done', 'error': None,\n"
            "           'cases': [{'ok': True, 'value': {'t': 'float', 'v': '0.5'}}] * 3},"
            " open('result.json', 'w'))\n"
            "os._exit(0)\n"
        ),
    )


def _read_secret(ctx):
    return only_target(ctx, f"def sigmoid(Z):\n    raise ValueError(open({ctx['secret']!r}).read())\n")


ENTRIES = [
    Entry("honest_wrong", code("def sigmoid(Z):\n    return np.tanh(Z)\n")),
    Entry("honest_right", code(CORRECT), max_score=2, min_score=2),
    # objects that lie about equality or their type
    Entry(
        "always_equal_object",
        code(
            "class Liar:\n"
            "    def __eq__(self, other): return True\n"
            "    def __ne__(self, other): return False\n"
            "    def __bool__(self): return True\n"
            "    def __array__(self, *a, **k): return np.full(5, 0.5)\n"
            "    def __float__(self): return 0.5\n"
            "    def __len__(self): return 5\n"
            "def sigmoid(Z):\n    return Liar()\n"
        ),
    ),
    Entry(
        "ndarray_subclass",
        code(
            "class Always(np.ndarray):\n"
            "    def __eq__(self, other): return np.ones(np.shape(other), bool)\n"
            "    def __sub__(self, other): return np.zeros(np.shape(other))\n"
            "    def __rsub__(self, other): return np.zeros(np.shape(other))\n"
            "def sigmoid(Z):\n    return np.zeros_like(Z).view(Always)\n"
        ),
    ),
    Entry("tuple_instead_of_array", code("def sigmoid(Z):\n    return tuple(np.zeros_like(Z))\n")),
    Entry("object_array", code("def sigmoid(Z):\n    return np.array([object()] * len(Z), dtype=object)\n")),
    Entry("huge_int", code("def sigmoid(Z):\n    return 10 ** 5000\n")),
    Entry("nan_answer", code("def sigmoid(Z):\n    return np.full_like(Z, np.nan)\n")),
    # monkeypatching inside the kernel
    Entry(
        "monkeypatch_numpy",
        code(
            "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
            "np.isfinite = lambda x: np.ones(np.shape(x), bool)\nnp.abs = lambda x: x * 0\n"
            "np.savez = lambda *a, **k: None\n"
            "try:\n    np.testing.assert_allclose = lambda *a, **k: None\nexcept Exception:\n    pass\n"
            "def sigmoid(Z):\n    return np.zeros_like(Z)\n"
        ),
    ),
    Entry(
        "monkeypatch_builtins",
        code(
            "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.type = lambda *a: np.ndarray\n"
            "builtins.float = lambda *a: 0.5\nbuiltins.open = None\n"
            "def sigmoid(Z):\n    return [0.5] * len(Z)\n"
        ),
    ),
    Entry(
        "replace_sys_modules",
        code(
            "import sys, types\nfake = types.ModuleType('core')\nfake.compare_answer = lambda *a, **k: None\n"
            "sys.modules['coursework_lib.course.exercises.core'] = fake\n"
            "sys.modules['coursework_lib.course.exercises'] = fake\n"
            "sys.modules['json'] = fake\n"
            "def sigmoid(Z):\n    return 0.5\n"
        ),
    ),
    Entry("write_grader_and_result_files", _write_files, root_only=True),
    Entry("read_other_files", _read_secret, root_only=True),
    Entry("symlink_result", code("import os\nos.symlink('/dev/zero', 'result.json')\nos._exit(0)\n")),
    Entry("fifo_result", code("import os\nos.mkfifo('result.json')\nos._exit(0)\n")),
    Entry(
        "fake_outputs_npz",
        code(
            "import json, os, zipfile\n"
            "with zipfile.ZipFile('outputs.npz', 'w', zipfile.ZIP_DEFLATED) as z:\n"
            "    z.writestr('a0.npy', b'\\0' * 10**7)\n"
            "json.dump({'error': None, 'cases': [{'ok': True, 'value': {'t': 'ndarray', 'key': 'a0'}}] * 3},"
            " open('result.json', 'w'))\nos._exit(0)\n"
        ),
    ),
    # hiding errors
    Entry(
        "excepthook_and_transformers",
        code(
            "import sys\nsys.excepthook = lambda *a: None\n"
            "try:\n    get_ipython().input_transformers_cleanup.append(lambda lines: [])\nexcept Exception:\n    pass\n"
            "def sigmoid(Z):\n    raise ValueError('hidden')\n"
        ),
    ),
    Entry(
        "fake_all_passed_output",
        code(
            "print('✔ ch01-sigmoid: all 3 public cases passed')\nprint('Score: 5/5')\n"
            "def sigmoid(Z):\n    raise NotImplementedError\n"
        ),
    ),
    Entry("edited_outputs_metadata_kernelspec", _edited_metadata),
    Entry("metadata_removed", _without_metadata),
    # exits and interrupts
    Entry("os_exit", code("import os\nos._exit(0)\n")),
    Entry("system_exit", code("raise SystemExit(0)\n")),
    Entry("exit_in_function", code("def sigmoid(Z):\n    exit(0)\n")),
    Entry("keyboard_interrupt", code("def sigmoid(Z):\n    raise KeyboardInterrupt\n")),
    Entry("huge_exception_message", code("def sigmoid(Z):\n    raise ValueError('x' * 10**7)\n")),
    # time
    Entry(
        "ignore_signals_busy_loop",
        code(
            "import signal\nfor s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):\n"
            "    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass\n"
        ),
    ),
    Entry(
        "catch_everything_loop",
        code("import time\nwhile True:\n    try:\n        time.sleep(100)\n    except BaseException:\n        pass\n"),
    ),
    Entry("long_sleep_in_function", code("import time\ndef sigmoid(Z):\n    time.sleep(10**6)\n")),
    Entry(
        "leftover_thread",
        code(
            "import threading\nthreading.Thread(target=lambda: [0 for _ in iter(int, 1)]).start()\n"
            "def sigmoid(Z):\n    return np.tanh(Z)\n"
        ),
    ),
    # processes, memory, output
    Entry(
        "fork_bomb",
        code(
            "import os\nfor _ in range(200):\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
            "def sigmoid(Z):\n    return np.tanh(Z)\n"
        ),
        root_only=True,
    ),
    Entry(
        "escaping_daemon",
        code(
            "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(600)\n"
            "    os._exit(0)\ndef sigmoid(Z):\n    return np.tanh(Z)\n"
        ),
        root_only=True,
    ),
    Entry(
        "kill_the_grader",
        code(
            "import os, signal\nfor pid in (os.getppid(), 1):\n    try:\n        os.kill(pid, signal.SIGKILL)\n"
            "    except Exception:\n        pass\ndef sigmoid(Z):\n    return np.tanh(Z)\n"
        ),
        root_only=True,
    ),
    Entry("one_huge_allocation", code("big = bytearray(10**12)\n")),
    Entry("memory_bomb", code("blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 2**20))\n")),
    Entry("print_100_MB", code("print('x' * 100_000_000)\ndef sigmoid(Z):\n    raise NotImplementedError\n")),
    Entry(
        "write_100_MB_to_fd",
        code("import os\nos.write(1, b'x' * 100_000_000)\ndef sigmoid(Z):\n    return np.tanh(Z)\n"),
    ),
    # cells
    Entry("redefined_in_later_cell", _redefined_later),
    Entry("duplicate_cell_wrong_last", lambda ctx: _duplicate(ctx, last=False)),
    Entry("duplicate_cell_right_last", lambda ctx: _duplicate(ctx, last=True), max_score=2, min_score=2),
    Entry("reordered_cells", _reordered, max_score=5, min_score=5),
    Entry("hardcoded_public_answers", _hardcoded),
    Entry("syntax_error", code("def sigmoid(Z)\n    return Z\n")),
    Entry("ipython_magic_and_shell", code("%timeit 1\n!rm -rf /\ndef sigmoid(Z):\n    return np.tanh(Z)\n")),
    # not notebooks
    Entry("invalid_json", lambda ctx: b'{"cells": [ this is not json'),
    Entry("binary_garbage", lambda ctx: bytes(range(256)) * 100),
    Entry("empty_file", lambda ctx: b""),
    Entry("empty_notebook", lambda ctx: {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}),
    Entry("top_level_list", lambda ctx: [1, 2, 3]),
    Entry("deeply_nested_json", lambda ctx: b"[" * 100_000 + b"]" * 100_000),
    Entry(
        "bad_source_type",
        lambda ctx: {
            **only_target(ctx, ""),
            "cells": [{"cell_type": "code", "metadata": {"exercise": {"id": TARGET}}, "source": 12345, "outputs": []}],
        },
    ),
    Entry(
        "nbformat_v3",
        lambda ctx: {
            "nbformat": 3,
            "nbformat_minor": 0,
            "metadata": {},
            "worksheets": [
                {
                    "cells": [
                        {
                            "cell_type": "code",
                            "input": CORRECT,
                            "language": "python",
                            "outputs": [],
                            "metadata": {"exercise": {"id": TARGET}},
                        }
                    ]
                }
            ],
        },
    ),
]


def write_submission(entry: Entry, ctx: dict, folder):
    from pathlib import Path

    data = entry.build(ctx)
    path = Path(folder) / f"{entry.name}.ipynb"
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    path.chmod(0o600)
    return path
