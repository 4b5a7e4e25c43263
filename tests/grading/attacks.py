"""Attack notebooks for the faults of issue 17, each built from chapter 1's student edition.

Same shape as ``tests/adversarial/catalogue.py`` (which holds the attacks already defended before:
lying objects, exits, fork bombs ...): ``Entry(name, build, max_score, min_score, root_only)`` where
``build(ctx)`` returns a notebook dict. Every entry here must score 0, no more than an honest wrong
answer; ``fault`` says which numbered fault of the issue it exercises. ``ctx`` gives the repository
root, a root-only secret file, a world-readable decoy file and the marker sizes the tests look for.

Each attack defines a *correct* ``sigmoid`` only if the attack worked, so a score above 0 means the
defence failed. Dynamic strings (``'.ip' + 'ynb'``) keep the static check from stopping an attack
that is meant to test the sandbox itself.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

from adversarial.catalogue import CORRECT, TARGET, _cell, _target_index, only_target

SHM_MARKER_BYTES = 64 * 2**20 + 7 * 4096  # a size no one else uses: found in /proc/sysvipc/shm
WRONG = "def sigmoid(Z):\n    return np.tanh(Z)\n"


@dataclass(frozen=True)
class Entry:
    name: str
    fault: int
    build: Callable[[dict], object]
    max_score: float = 0.0
    min_score: float = 0.0
    root_only: bool = False


def code(source_of_ctx):
    return lambda ctx: only_target(ctx, source_of_ctx(ctx))


def _if_worked(flag: str) -> str:
    """A correct sigmoid if ``flag`` is true, else a wrong one."""
    return (
        f"if {flag}:\n"
        + "".join("    " + line + "\n" for line in CORRECT.splitlines())
        + "else:\n"
        + "".join("    " + line + "\n" for line in WRONG.splitlines())
    )


_FIND_AND_RUN_SOLUTION = """import os, json, builtins
_run = getattr(builtins, "ex" + "ec")
def _candidates(roots):
    seen = 0
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not folder.startswith(("/usr", "/proc", "/sys", "/dev"))]
            for name in files:
                seen += 1
                if seen > 20000:
                    return
                if name.endswith(".ip" + "ynb"):
                    yield os.path.join(folder, name)
roots = {"/"}
for pid in os.listdir("/proc"):
    try:
        parts = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\\0")
    except Exception:
        continue
    for part in parts:
        path = part.decode(errors="ignore")
        while path.startswith("/") and path != "/":
            roots.add(path)
            path = os.path.dirname(path)
roots |= {REPO, REPO + "/notebooks", "/auto" + "grader/source"}
found = False
for path in _candidates(sorted(r for r in roots if os.path.isdir(r) and r != "/") + ["/"]):
    try:
        cells = json.load(open(path)).get("cells", [])
    except Exception:
        continue
    for cell in cells:
        text = "".join(cell.get("source", []))
        if cell.get("metadata", {}).get("exercise", {}).get("id") == "ch01-sigmoid" and "BEGIN" in text:
            _run(text, globals())
            found = True
"""


def _read_solutions(ctx):
    return (
        f"REPO = {ctx['repo']!r}\n"
        + _FIND_AND_RUN_SOLUTION
        + "if not found:\n    "
        + WRONG.replace("\n    ", "\n        ")
    )


def _known_path(ctx):
    return (
        f"import builtins, json\n_run = getattr(builtins, 'ex' + 'ec')\n"
        f"try:\n    nb = json.load(open({ctx['repo']!r} + '/notebooks/01_neural_network_maths.ip' + 'ynb'))\n"
        "    for c in nb['cells']:\n"
        "        if c.get('metadata', {}).get('exercise', {}).get('id') == 'ch01-sigmoid':\n"
        "            _run(''.join(c['source']), globals())\n"
        "except Exception:\n    " + WRONG.replace("\n    ", "\n        ")
    )


def _dynamic_import(ctx):
    return (
        "import sys, builtins, glob\n"
        f"sys.path[:0] = [{ctx['repo']!r}] + glob.glob({ctx['repo']!r} + '/.venv/lib/python3*/site-packages')\n"
        "_imp = getattr(builtins, '__imp' + 'ort__')\nok = False\n"
        "for name in ('coursework' + '_lib.maths.activations', '__editable___coursework' + '_lib_0_1_0_finder'):\n"
        "    try:\n        module = _imp(name, fromlist=['x'])\n"
        "        if hasattr(module, 'install'):\n            module.install()\n"
        "            module = _imp('coursework' + '_lib.maths.activations', fromlist=['x'])\n"
        "        sigmoid = module.sigmoid\n        ok = True\n        break\n"
        "    except Exception:\n        pass\n"
        "if not ok:\n    " + WRONG.replace("\n    ", "\n        ")
    )


def _helper_imports_library(ctx):
    nb = only_target(ctx, "def sigmoid(Z):\n    return helper(Z)\n")
    nb["cells"].insert(
        1,
        _cell("def helper(Z):\n    from coursework_lib.maths import activations\n    return activations.sigmoid(Z)\n"),
    )
    return nb


_FORK_MEMORY = """import os, time
children = []
for index in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = bytearray(b"\\x01") * (400 * 2**20)
            open(f"/tmp/held{index}", "w").close()
            deadline = time.monotonic() + 3          # all four hold their 400 MB at the same time
            while sum(os.path.exists(f"/tmp/held{i}") for i in range(4)) < 4 and time.monotonic() < deadline:
                time.sleep(0.02)
            all_held = sum(os.path.exists(f"/tmp/held{i}") for i in range(4)) == 4
            os._exit(0 if all_held and block[-1] == 1 else 1)
        except BaseException:
            os._exit(1)
    children.append(pid)
succeeded = 0
for pid in children:
    try:
        succeeded += os.waitpid(pid, 0)[1] == 0
    except Exception:
        pass
"""

_SYSV = f"""import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
shmid = libc.shmget(0, {SHM_MARKER_BYTES}, 0o1000 | 0o600)
made = shmid >= 0
if made:
    address = libc.shmat(shmid, None, 0)
    if address not in (None, ctypes.c_void_p(-1).value):
        ctypes.memset(address, 1, {SHM_MARKER_BYTES})
"""

_DEV_SHM = """import os
wrote = 0
try:
    with open("/dev/shm/fill", "wb") as handle:
        for _ in range(200):
            handle.write(b"x" * 2**20)
            wrote += 1
except Exception:
    pass
"""

_MEMFD = """import os
wrote = 0
try:
    fd = os.memfd_create("fill")
    for _ in range(1500):
        os.write(fd, b"x" * 2**20)
        wrote += 1
except BaseException:
    pass
"""


def _symlink_outputs(ctx):
    return (
        f"import os\nfor name in ('result.json', 'outputs.npz'):\n"
        f"    try:\n        os.symlink({ctx['secret']!r}, name)\n    except Exception:\n        pass\n"
        "try:\n    os.rename('/box', '/tmp/box')\nexcept Exception:\n    pass\nos._exit(0)\n"
    )


def _leaks(ctx):
    return (
        "import os\ndef sigmoid(Z):\n"
        "    text = repr(Z) + ' ' + os.getcwd() + ' ' + str(dict(os.environ))\n"
        "    for path in ('/proc/self/cmdline', '/proc/1/cmdline', '/proc/self/environ'):\n"
        "        try:\n            text += ' ' + open(path).read().replace('\\0', ' ')\n"
        "        except Exception:\n            pass\n"
        "    raise ValueError(text)\n"
    )


def _world_readable(ctx):
    return (
        f"try:\n    worked = 'DECOY' in open({ctx['world_readable']!r}).read()\n"
        "except Exception:\n    worked = False\n" + _if_worked("worked")
    )


ENTRIES = [
    # 1. solutions readable from the sandbox
    Entry("read_notebooks_found_from_proc_cmdline", 1, code(_read_solutions)),
    Entry("read_instructor_notebook_at_known_path", 1, code(_known_path)),
    # 2. reference implementations importable
    Entry(
        "import_reference_from_library", 2, code(lambda ctx: "from coursework_lib.maths.activations import sigmoid\n")
    ),
    Entry("setup_name_activations", 2, code(lambda ctx: "def sigmoid(Z):\n    return activations.sigmoid(Z)\n")),
    Entry("registry_reference", 2, code(lambda ctx: "sigmoid = get_exercise('ch01-sigmoid').reference\n")),
    Entry("dynamic_import_with_repository_on_path", 2, code(_dynamic_import)),
    Entry("helper_cell_imports_library", 2, _helper_imports_library),
    # 3. memory per sandbox, shared memory that outlives it
    Entry("forked_children_exceed_memory", 3, code(lambda ctx: _FORK_MEMORY + _if_worked("succeeded == 4"))),
    Entry("sysv_shared_memory_segment", 3, code(lambda ctx: _SYSV + _if_worked("False"))),
    Entry("fill_dev_shm", 3, code(lambda ctx: _DEV_SHM + _if_worked("wrote >= 200"))),
    Entry("fill_memfd", 3, code(lambda ctx: _MEMFD + _if_worked("wrote >= 1500"))),
    # 4. killing every process of its own uid (the other run's sandboxes, when uids were shared)
    Entry(
        "kill_all_processes_of_my_uid",
        4,
        code(
            lambda ctx: (
                "import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept Exception:\n    pass\n" + WRONG
            )
        ),
        root_only=True,
    ),
    # 5. links in place of the answer files, moving the work folder
    Entry("symlink_outputs_to_root_only_file", 5, code(_symlink_outputs)),
    # 7. leaks into feedback
    Entry("exception_leaks_inputs_paths_environment", 7, code(_leaks)),
    Entry("read_world_readable_file", 7, code(_world_readable)),
]


def honest(ctx):
    """The instructor's notebook, unchanged: full marks."""
    return copy.deepcopy(ctx["instructor"])


__all__ = ["ENTRIES", "Entry", "SHM_MARKER_BYTES", "TARGET", "_target_index", "honest"]
