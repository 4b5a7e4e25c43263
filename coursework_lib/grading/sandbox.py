"""Starting, limiting and killing the throw-away process that runs student code.

The grader picks the interpreter (``sys.executable`` of its own environment, run with ``-I -B``),
never the notebook's kernelspec. Limits (memory, file size, CPU, processes, open files) are applied
by the trusted harness before the first student line runs. When the grader runs as root (a
container, Gradescope), every sandbox also runs under its own unprivileged uid (one per parallel
slot), so a submission can neither write the grader's files nor signal its processes, and the
final clean-up kills every process of that uid: forks, daemons and ``setsid`` escapes included.
Without root it falls back to a process group that is killed at the end (see ``Limits.uid_base``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

HARNESS = Path(__file__).with_name("harness.py")
LOG_TAIL = 2000


@dataclass(frozen=True)
class Limits:
    """Per-exercise limits of the untrusted phase (seconds, bytes)."""

    exercise_seconds: float = 20.0   # hard wall-clock limit for one exercise process (then SIGKILL)
    cell_seconds: float = 10.0       # soft limit per exercise cell (SIGALRM inside the harness)
    call_seconds: float = 5.0        # soft limit per call of the graded function
    submission_seconds: float = 60.0  # total for one submission; later exercises score 0
    memory_bytes: int = 2 << 30       # RLIMIT_AS
    file_bytes: int = 32 << 20        # RLIMIT_FSIZE: caps printed output and any file written
    nproc: int = 16                   # RLIMIT_NPROC for the sandbox uid (root mode)
    uid_base: int = 61000             # root mode: sandboxes run as uid_base + slot


def _processes_of(uid: int, zombies: bool = False) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid != uid:
                continue
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
            if zombies or state not in (b"Z", b"X"):  # zombies hold no resources; their parent reaps them
                pids.append(int(entry))
        except (OSError, IndexError):
            pass
    return pids


def kill_uid(uid: int, rounds: int = 200) -> None:
    """SIGKILL every process of ``uid`` until none is left (RLIMIT_NPROC bounds a fork bomb)."""
    for _ in range(rounds):
        pids = _processes_of(uid)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.01)
    for _ in range(rounds):   # zombies still count against RLIMIT_NPROC until their parent reaps them
        if not _processes_of(uid, zombies=True):
            return
        time.sleep(0.01)


def _remove_files_of(uid: int) -> None:
    """Delete what a sandbox uid left in the world-writable temp folders."""
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass


class Slots:
    """Parallel sandbox slots; in root mode each slot has its own uid."""

    def __init__(self, count: int, limits: Limits):
        self.root = os.geteuid() == 0
        self._free = list(range(count))
        self._lock = threading.Condition()
        self.limits = limits

    def acquire(self) -> int:
        with self._lock:
            while not self._free:
                self._lock.wait()
            return self._free.pop()

    def release(self, slot: int) -> None:
        with self._lock:
            self._free.append(slot)
            self._lock.notify()

    def uid(self, slot: int) -> int | None:
        return self.limits.uid_base + slot if self.root else None


@dataclass
class RunOutcome:
    workdir: Path
    returncode: int | None
    timed_out: bool
    seconds: float
    log_tail: str


def _sandbox_env(workdir: Path) -> dict:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "TMPDIR": str(workdir), "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(workdir), "TF_CPP_MIN_LOG_LEVEL": "3",
           "KERAS_BACKEND": "tensorflow", "TF_ENABLE_ONEDNN_OPTS": "0"}
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                 "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        env[name] = "1"
    return env


def run_exercise(job: dict, arrays: dict[str, np.ndarray], limits: Limits, uid: int | None,
                 timeout: float) -> RunOutcome:
    """Run the harness on one job in a fresh temp folder; always kills everything it started.

    The caller reads the answers from ``outcome.workdir`` and must call ``discard(outcome)``.
    """
    workdir = Path(tempfile.mkdtemp(prefix="cw-grade-"))
    job = dict(job)
    job["limits"] = {**asdict(limits), "uid": uid, "cpu_seconds": int(timeout) + 2,
                     "nproc": limits.nproc if uid is not None else _nproc_for_same_uid()}
    (workdir / "job.json").write_text(json.dumps(job), encoding="utf-8")
    np.savez(workdir / "inputs.npz", **arrays)
    log_path = workdir / "output.log"
    for name in ("job.json", "inputs.npz"):
        os.chmod(workdir / name, 0o444)
    if uid is not None:
        os.chown(workdir, uid, uid)
    os.chmod(workdir, 0o700)
    start = time.monotonic()
    timed_out = False
    with open(log_path, "w+b") as log:
        os.chmod(log_path, 0o666)
        process = subprocess.Popen([sys.executable, "-I", "-B", str(HARNESS), str(workdir)],
                                   cwd=workdir, env=_sandbox_env(workdir), stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=log, start_new_session=True, close_fds=True)
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out, returncode = True, None
        finally:
            _kill_everything(process, uid)
        seconds = time.monotonic() - start
        log.seek(0, os.SEEK_END)
        size = log.tell()
        log.seek(max(0, size - LOG_TAIL))
        tail = log.read(LOG_TAIL).decode("utf-8", "replace")
    return RunOutcome(workdir, returncode, timed_out, seconds, tail)


def _nproc_for_same_uid() -> int:
    """Without root the process limit counts all of the user's processes: allow a small margin."""
    return len(_processes_of(os.getuid())) * 4 + 64


def _kill_everything(process: subprocess.Popen, uid: int | None) -> None:
    """SIGKILL the sandbox's process group, then (root mode) every process of its uid."""
    for _ in range(3):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            break
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    if uid is not None:
        kill_uid(uid)


def discard(outcome: RunOutcome, uid: int | None) -> None:
    shutil.rmtree(outcome.workdir, ignore_errors=True)
    if uid is not None:
        _remove_files_of(uid)
