"""The untrusted phase: run ONE exercise of ONE submission in a throw-away process.

This file is run as a script by the grader (``python -I -S -B harness.py JOBDIR BOXDIR``) in a fresh
process inside the sandbox (``sandbox.py``), never imported by it; a copy of it sits in JOBDIR.
It must only use the standard library and NumPy. Everything it does before
the first line of student code is trusted; everything after is not, which is why the grader treats
the files this process writes as claims to be checked, never as verdicts.

JOBDIR holds (read-only, written by the grader):
  job.json     {"limits": {...}, "site": [folder, ...], "preamble": [src, ...], "cells": [src, ...],
                "graded": name, "args": [[encoded arg, ...], ...]}
  inputs.npz   the array arguments (plain arrays, ``allow_pickle=False``)
and this process writes into BOXDIR (its working folder, the only one it can write besides /tmp):
  result.json  {"stage": ..., "error": str|None, "cases": [{"ok": bool, "value"|"error": ...}]}
  outputs.npz  the returned arrays (plain numeric arrays only)
"""

import builtins
import json
import os
import resource
import signal
import sys

MAX_MESSAGE = 300


# Imported before privileges are dropped: the sandbox uid may not be able to read the interpreter's
# own folder (e.g. a pyenv Python under /root), so student cells can import these and the setup's.
PRELOAD = (
    "math",
    "cmath",
    "random",
    "functools",
    "itertools",
    "collections",
    "collections.abc",
    "typing",
    "dataclasses",
    "numbers",
    "statistics",
    "time",
    "datetime",
    "decimal",
    "fractions",
    "operator",
    "copy",
    "re",
    "string",
    "warnings",
    "abc",
    "enum",
    "contextlib",
    "heapq",
    "bisect",
    "traceback",
    "linecache",
    "numpy",
    "numpy.linalg",
    "numpy.random",
    "numpy.fft",
)


def _apply_limits(limits):
    """Resource limits, applied before any untrusted code runs (they bind the root harness too)."""
    mem = int(limits["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limits["file_bytes"]),) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cpu = int(limits["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    resource.setrlimit(resource.RLIMIT_NPROC, (int(limits["nproc"]),) * 2)


def _drop_privileges(limits):
    """No new privileges (setuid binaries stay powerless), no network, then (root mode) become the
    slot's private unprivileged uid, for good: no way back."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
    uid = limits.get("uid")
    if uid is None or os.getuid() != 0:
        return
    libc.unshare(0x40000000)  # CLONE_NEWNET: a private, empty network namespace (best effort)
    os.setgroups([])
    os.setgid(int(uid))
    os.setuid(int(uid))
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("could not drop privileges")


class _Timeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise _Timeout()


class _CappedText:
    """A stand-in for sys.stdout/sys.stderr that keeps only the first ``cap`` characters."""

    def __init__(self, stream, cap):
        self._stream, self._left = stream, cap
        self.encoding = "utf-8"

    def write(self, text):
        text = str(text)
        if self._left > 0:
            piece = text[: self._left]
            self._left -= len(piece)
            try:
                self._stream.write(piece)
            except Exception:
                pass
        return len(text)

    def flush(self):
        try:
            self._stream.flush()
        except Exception:
            pass

    def isatty(self):
        return False


def _short(error):
    try:
        text = f"{type(error).__name__}: {error}"
    except BaseException:
        text = type(error).__name__
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + "..."


def main(job_dir, box_dir):
    os.chdir(box_dir)
    with open(os.path.join(job_dir, "job.json"), encoding="utf-8") as handle:
        job = json.load(handle)
    _apply_limits(job["limits"])
    sys.path.extend(job.get("site", []))
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    import numpy as np

    # Everything the harness needs after student code has run is captured now.
    ndarray, _type, _len, _repr, _float, _int = np.ndarray, type, len, repr, float, int
    savez, ascontig = np.savez, np.ascontiguousarray
    dumps, _open, _exit, _range = json.dumps, open, os._exit, range
    np_float_types = (np.float16, np.float32, np.float64)
    np_int_types = (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)
    setitimer, ITIMER_REAL = signal.setitimer, signal.ITIMER_REAL

    with np.load(os.path.join(job_dir, "inputs.npz"), allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}

    def decode_arg(spec):
        if spec["t"] == "ndarray":
            return np.array(arrays[spec["key"]], copy=True)
        return spec["v"]

    cases = job["args"]
    cell_seconds, call_seconds = _float(job["limits"]["cell_seconds"]), _float(job["limits"]["call_seconds"])
    result = {"stage": "start", "error": None, "cases": []}
    outputs = {}

    def write_result():
        try:
            savez("outputs.npz", **outputs)
        except BaseException as error:
            result["error"] = result["error"] or f"could not save the returned arrays ({_short(error)})"
            result["cases"] = []
        with _open("result.json", "w", encoding="utf-8") as handle:
            handle.write(dumps(result))

    def encode(value, depth=0):
        kind = _type(value)
        if kind is ndarray:
            if value.dtype.kind not in "biuf":
                return {"t": "other", "type": f"ndarray of dtype {value.dtype}"}
            key = f"a{_len(outputs)}"
            outputs[key] = ascontig(value)
            return {"t": "ndarray", "key": key}
        if kind is tuple and depth < 4 and _len(value) <= 64:
            return {"t": "tuple", "items": [encode(item, depth + 1) for item in value]}
        if kind is bool:
            return {"t": "bool", "v": bool(value)}
        if kind is _int:
            return {"t": "int", "v": str(value) if -(2**63) <= value < 2**63 else "too large"}
        if kind is _float:
            return {"t": "float", "v": _repr(value)}
        if any(kind is t for t in np_float_types):
            return {"t": "npfloat", "v": _repr(_float(value)), "bits": 8 * value.itemsize}
        if any(kind is t for t in np_int_types):
            return {"t": "npint", "v": str(_int(value))}
        try:
            name = kind.__qualname__
        except BaseException:
            name = "object"
        return {"t": "other", "type": str(name)[:80]}

    signal.signal(signal.SIGALRM, _on_alarm)
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = _CappedText(stdout, 20_000)
    sys.stderr = _CappedText(stderr, 20_000)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    try:
        for number, source in enumerate(job["preamble"], start=1):  # trusted: the instructor's imports
            result["stage"] = "setup"
            exec(compile(source, f"<setup line {number}>", "exec"), namespace)
        result["stage"] = "sandbox"
        _drop_privileges(job["limits"])
        for number, source in enumerate(job["cells"], start=1):
            result["stage"] = f"exercise cell {number}"
            code = compile(source, f"<exercise cell {number}>", "exec")
            setitimer(ITIMER_REAL, cell_seconds)
            try:
                exec(code, namespace)
            finally:
                setitimer(ITIMER_REAL, 0)
        result["stage"] = "calls"
        function = namespace.get(job["graded"])
        if function is None:
            raise NameError(f"the exercise cell does not define {job['graded']!r}")
        if not callable(function):
            raise TypeError(f"{job['graded']!r} is not a function")
        for number in _range(_len(cases)):
            result["stage"] = f"case {number + 1}"
            args = [decode_arg(spec) for spec in cases[number]]
            try:
                setitimer(ITIMER_REAL, call_seconds)
                try:
                    with np.errstate(over="raise"):  # as the public check: an overflowing formula fails
                        value = function(*args)
                finally:
                    setitimer(ITIMER_REAL, 0)
                result["cases"].append({"ok": True, "value": encode(value)})
            except _Timeout:
                result["cases"].append({"ok": False, "error": f"took longer than {call_seconds:g} s"})
            except BaseException as error:
                result["cases"].append({"ok": False, "error": _short(error)})
        result["stage"] = "done"
    except _Timeout:
        result["error"] = f"{result['stage']} took longer than {cell_seconds:g} s"
    except BaseException as error:
        result["error"] = f"{result['stage']} raised {_short(error)}"
    try:
        signal.setitimer(ITIMER_REAL, 0)
    except BaseException:
        pass
    write_result()
    _exit(0)  # leftover threads and atexit hooks of the submission do not run


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
