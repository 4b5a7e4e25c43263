"""Starting, bounding and killing the throw-away process that runs student code.

Two back-ends, chosen by :func:`choose_backend`:

``bwrap`` (the default wherever it works): Debian's bubblewrap gives every exercise run its own mount,
PID, IPC, UTS and network namespaces. The sandbox sees a read-only ``/usr``, the grader's Python
(read-only, ancestors world-traversable so a 0700 home does not matter) and its site-packages at
``/opt/site/N`` (any installed copy of ``coursework_lib`` hidden), the job at ``/job`` (read-only),
its own writable ``/box``, and private size-limited ``/tmp`` and ``/dev/shm``. Nothing of the course
repository, the grader or other submissions is mounted. Killing the outer bwrap kills the namespace's
PID 1 (``--die-with-parent``), and with it every process; System V shared memory dies with the IPC
namespace, files with the tmpfs mounts.

``uid`` (a fallback for containers that forbid namespaces, e.g. some Gradescope images; root only):
the harness drops to a private uid and the caller must make sure nothing secret is readable by
others (``run_autograder`` makes ``/autograder/source`` 0700). Clean-up kills every process of the
uid and removes its files and System V IPC objects.

In both, when the grader is root, each parallel slot leases a **private uid** from a pool guarded by
``flock`` lock files (:class:`UidLease`), so any number of grading runs (and the unit tests) proceed
side by side without touching each other's sandboxes. Memory is bounded for the whole sandbox: a
memory cgroup where the machine lets us create one (v1 ``memory.limit_in_bytes`` or v2
``memory.max``), otherwise a process limit times a per-process address-space limit that together
stay at ``Limits.memory_bytes``.

Outputs are read through directory file descriptors with ``O_NOFOLLOW`` (see ``codec``): nothing the
sandbox could have replaced by a link is followed.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import importlib.util
import json
import os
import random
import shutil
import signal
import site
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

HARNESS = Path(__file__).with_name("harness.py")
LOG_TAIL = 2000
INSTALL_COMMAND = "bash scripts/install_grading_sandbox.sh   (as root: apt-get install -y bubblewrap)"
LEASE_DIRS = ("/run/coursework-grading", os.path.join(tempfile.gettempdir(), f"coursework-grading-{os.geteuid()}"))


class SandboxUnavailable(RuntimeError):
    """No sandbox this machine can provide; the message says how to install one."""


@dataclass(frozen=True)
class Limits:
    """Limits of the untrusted phase (seconds, bytes)."""

    exercise_seconds: float = 20.0  # hard wall-clock limit for one exercise process (then SIGKILL)
    cell_seconds: float = 10.0  # soft limit per exercise cell (SIGALRM inside the harness)
    call_seconds: float = 5.0  # soft limit per call of the graded function
    submission_seconds: float = 60.0  # total for one submission; later exercises score 0
    memory_bytes: int = 2 << 30  # all processes of one sandbox together
    file_bytes: int = 32 << 20  # RLIMIT_FSIZE: caps printed output and any file written
    tmp_bytes: int = 64 << 20  # size of the private /tmp and of the private /dev/shm (each)
    nproc: int = 16  # processes and threads of the sandbox uid
    nproc_without_cgroup: int = 4  # without a memory cgroup: nproc x per-process limit = memory_bytes
    uid_base: int = 1_610_000  # root mode: sandboxes lease a uid in [uid_base, uid_base + uid_count)
    uid_count: int = 4096


# ------------------------------------------------------------------------------------------ processes


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
    for _ in range(rounds):  # zombies still count against RLIMIT_NPROC until their parent reaps them
        if not _processes_of(uid, zombies=True):
            return
        time.sleep(0.01)


def _remove_files_of(uid: int) -> None:
    """Delete what a sandbox uid left in the world-writable temp folders (uid back-end)."""
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


def sysv_ipc_of(uid: int) -> list[tuple[str, int]]:
    """[(kind, id)] of the System V shared memory, semaphores and queues owned or created by ``uid``."""
    found = []
    for kind, id_column in (("shm", 1), ("sem", 1), ("msg", 1)):
        try:
            lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]
        except OSError:
            continue
        header = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[0].split()
        uid_cols = [header.index(name) for name in ("uid", "cuid") if name in header]
        for line in lines:
            fields = line.split()
            if any(int(fields[c]) == uid for c in uid_cols):
                found.append((kind, int(fields[id_column])))
    return found


def remove_sysv_ipc_of(uid: int) -> None:
    """IPC_RMID every System V object of ``uid`` (the uid back-end has no IPC namespace)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for kind, ident in sysv_ipc_of(uid):
        if kind == "shm":
            libc.shmctl(ident, 0, None)
        elif kind == "sem":
            libc.semctl(ident, 0, 0)
        else:
            libc.msgctl(ident, 0, None)


# ------------------------------------------------------------------------------------------ uid leases


class UidLease:
    """A uid of the pool held exclusively (``flock`` on a root-owned lock file) until ``release``.

    The lock dies with the process that holds it, so a crashed grader frees its uids; a new holder first
    kills whatever an earlier holder left running under the uid.
    """

    def __init__(self, limits: Limits):
        self.fd, self.uid = None, None
        folder = _lease_dir()
        start = random.randrange(limits.uid_count)
        for step in range(limits.uid_count):
            uid = limits.uid_base + (start + step) % limits.uid_count
            fd = os.open(os.path.join(folder, f"{uid}.lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.fd, self.uid = fd, uid
            kill_uid(uid)
            remove_sysv_ipc_of(uid)
            return
        raise SandboxUnavailable(f"all {limits.uid_count} sandbox uids are in use")

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _lease_dir() -> str:
    for folder in LEASE_DIRS:
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            info = os.lstat(folder)
        except OSError:
            continue
        if (
            info.st_uid == os.geteuid()
            and not (info.st_mode & 0o022)
            and os.path.isdir(folder)
            and not os.path.islink(folder)
        ):
            return folder
    raise SandboxUnavailable("no private folder for the sandbox uid locks (/run or the temp folder)")


# ------------------------------------------------------------------------------------------ back-ends


def _python_layout() -> dict:
    """The grader's interpreter, standard library and site-packages, as the sandbox needs them."""
    executable = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    prefix = os.path.realpath(sys.base_prefix)
    paths = sysconfig.get_paths()
    sites = []
    for folder in [*site.getsitepackages(), paths["purelib"], paths["platlib"]]:
        folder = os.path.realpath(folder)
        if os.path.isdir(folder) and folder not in sites:
            sites.append(folder)
    hidden = []  # installed copies of the course library inside a site folder are masked
    spec = importlib.util.find_spec("coursework_lib")
    for location in (spec.submodule_search_locations or []) if spec else []:
        location = os.path.realpath(location)
        for folder in sites:
            if location.startswith(folder + os.sep):
                hidden.append(location)
    return {"executable": executable, "prefix": prefix, "sites": sites, "hidden": hidden}


def _ancestors(path: str) -> list[str]:
    parts, out = Path(path).parts[1:], []
    for index in range(1, len(parts)):
        out.append("/" + "/".join(parts[:index]))
    return out


def bwrap_command(layout: dict, run_dir: str, limits: Limits, root: bool) -> list[str]:
    """The bubblewrap command line for one exercise run (see the module docstring)."""
    cmd = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ]
    if not root:
        cmd += ["--unshare-user"]
    cmd += ["--ro-bind", "/usr", "/usr"]
    for name in ("lib", "lib64", "bin", "sbin"):
        target = f"/{name}"
        if os.path.islink(target):
            cmd += ["--symlink", os.readlink(target), target]
        elif os.path.isdir(target):
            cmd += ["--ro-bind", target, target]
    for name in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime"):
        cmd += ["--ro-bind-try", name, name]
    made = {"/", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc"}
    mounts = [] if layout["prefix"].startswith("/usr/") else [(layout["prefix"], layout["prefix"])]
    mounts += [(folder, f"/opt/site/{index}") for index, folder in enumerate(layout["sites"])]
    for source, target in mounts:
        for folder in _ancestors(target):
            if folder not in made and not folder.startswith("/usr/"):
                cmd += ["--perms", "0755", "--dir", folder]
                made.add(folder)
        cmd += ["--ro-bind", source, target]
        made.add(target)
    for location in layout["hidden"]:
        for index, folder in enumerate(layout["sites"]):
            if location.startswith(folder + os.sep):
                cmd += ["--tmpfs", f"/opt/site/{index}" + location[len(folder) :]]
    cmd += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "1777",
        "--size",
        str(limits.tmp_bytes),
        "--tmpfs",
        "/dev/shm",
        "--perms",
        "1777",
        "--size",
        str(limits.tmp_bytes),
        "--tmpfs",
        "/tmp",
        "--ro-bind",
        os.path.join(run_dir, "job"),
        "/job",
        "--bind",
        os.path.join(run_dir, "box"),
        "/box",
        "--chdir",
        "/box",
    ]
    for key, value in _sandbox_env("/box").items():
        cmd += ["--setenv", key, value]
    cmd += [layout["executable"], "-I", "-S", "-B", "/job/harness.py", "/job", "/box"]
    return cmd


@functools.lru_cache(maxsize=None)
def bwrap_problem() -> str | None:
    """None when bubblewrap can start a sandbox here, else why not (cached for the process)."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    layout = _python_layout()
    with tempfile.TemporaryDirectory(prefix="cw-probe-") as run_dir:
        os.mkdir(os.path.join(run_dir, "job"))
        os.mkdir(os.path.join(run_dir, "box"))
        cmd = bwrap_command(layout, run_dir, Limits(), os.geteuid() == 0)
        cmd = cmd[: cmd.index(layout["executable"])] + [layout["executable"], "-I", "-S", "-c", "import os"]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"bwrap could not be started ({type(error).__name__})"
        if run.returncode != 0:
            return "bwrap cannot create namespaces here: " + run.stderr.decode("utf-8", "replace").strip()[:200]
    return None


def choose_backend(requested: str = "auto") -> str:
    """'bwrap' or 'uid'; raises SandboxUnavailable (with the install command) when neither is possible."""
    if requested not in ("auto", "bwrap", "uid"):
        raise ValueError(f"sandbox must be 'auto', 'bwrap' or 'uid', got {requested!r}")
    if requested in ("auto", "bwrap"):
        problem = bwrap_problem()
        if problem is None:
            return "bwrap"
        raise SandboxUnavailable(
            f"{problem}. Install the grader's sandbox with:  {INSTALL_COMMAND}"
            + ("" if requested == "bwrap" else "  (or, in a container that forbids namespaces, --sandbox uid)")
        )
    if os.geteuid() != 0:
        raise SandboxUnavailable("the uid sandbox needs root (it runs each submission as its own uid)")
    return "uid"


# ------------------------------------------------------------------------------------------ memory cgroup


class MemoryCgroup:
    """A memory cgroup per sandbox below the grader's own one, or nothing where the machine forbids it."""

    def __init__(self, parent: Path | None, version: int):
        self.parent, self.version = parent, version

    @classmethod
    @functools.lru_cache(maxsize=None)
    def for_this_process(cls) -> "MemoryCgroup":
        try:
            lines = Path("/proc/self/cgroup").read_text().splitlines()
        except OSError:
            return cls(None, 0)
        for line in lines:
            number, controllers, path = line.split(":", 2)
            if "memory" in controllers.split(","):
                candidate = Path("/sys/fs/cgroup/memory") / path.lstrip("/")
                if cls._usable(candidate, "memory.limit_in_bytes"):
                    return cls(candidate, 1)
        for line in lines:
            if line.startswith("0::"):
                candidate = Path("/sys/fs/cgroup") / line[3:].lstrip("/")
                try:
                    enabled = (candidate / "cgroup.subtree_control").read_text().split()
                except OSError:
                    enabled = []
                if "memory" in enabled and cls._usable(candidate, "memory.max"):
                    return cls(candidate, 2)
        return cls(None, 0)

    @staticmethod
    def _usable(folder: Path, limit_file: str) -> bool:
        probe = folder / f"cw-grade-probe-{os.getpid()}-{random.randrange(1 << 30)}"
        try:
            probe.mkdir()
        except OSError:
            return False
        try:
            return (probe / limit_file).exists() and os.access(probe / "cgroup.procs", os.W_OK)
        finally:
            try:
                probe.rmdir()
            except OSError:
                pass

    def create(self, limits: Limits) -> Path | None:
        if self.parent is None:
            return None
        folder = self.parent / f"cw-grade-{os.getpid()}-{random.randrange(1 << 40):x}"
        try:
            folder.mkdir()
            if self.version == 1:
                (folder / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
                if (folder / "memory.memsw.limit_in_bytes").exists():
                    try:
                        (folder / "memory.memsw.limit_in_bytes").write_text(str(limits.memory_bytes))
                    except OSError:
                        pass
            else:
                (folder / "memory.max").write_text(str(limits.memory_bytes))
                if (folder / "memory.swap.max").exists():
                    (folder / "memory.swap.max").write_text("0")
        except OSError:
            self.destroy(folder)
            return None
        return folder

    @staticmethod
    def destroy(folder: Path | None) -> None:
        if folder is None:
            return
        for _ in range(500):
            try:
                pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
            except OSError:
                pids = []
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                folder.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError as error:
                if error.errno not in (errno.EBUSY, errno.ENOTEMPTY):
                    return
            time.sleep(0.01)


# ------------------------------------------------------------------------------------------ slots


class Slots:
    """Parallel sandbox slots of one grading run; in root mode each holds a leased private uid."""

    def __init__(self, count: int, limits: Limits, backend: str = "auto"):
        self.backend = choose_backend(backend)
        self.root = os.geteuid() == 0
        self.limits = limits
        self.cgroup = MemoryCgroup.for_this_process()
        self.layout = _python_layout()
        self._leases = [UidLease(limits) for _ in range(count)] if self.root else []
        self._free = list(range(count))
        self._lock = threading.Condition()

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
        return self._leases[slot].uid if self.root else None

    def close(self) -> None:
        for lease in self._leases:
            lease.release()
        self._leases = []


@dataclass
class RunOutcome:
    run_dir: Path
    box_fd: int | None  # the sandbox's output folder, opened with O_NOFOLLOW
    returncode: int | None
    timed_out: bool
    seconds: float
    log_tail: str  # for the instructor only; never shown to the student
    memory_capped: bool = False


def _sandbox_env(home: str) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": home,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "KERAS_BACKEND": "tensorflow",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "PYTHONHASHSEED": "0",
    }
    for name in (
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
        "TF_NUM_INTEROP_THREADS",
    ):
        env[name] = "1"
    return env


def _write_file(folder: Path, name: str, data: bytes, gid: int | None) -> None:
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o400)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    if gid is not None:
        os.chown(path, 0, gid)
        os.chmod(path, 0o440)
    else:
        os.chmod(path, 0o444)


def run_exercise(
    job: dict, arrays: dict[str, np.ndarray], limits: Limits, slots: Slots, slot: int, timeout: float
) -> RunOutcome:
    """Run the harness on one job in a fresh sandbox; always kills everything it started.

    The caller reads the answers through ``outcome.box_fd`` and must call ``discard(outcome, ...)``.
    """
    uid = slots.uid(slot)
    bwrap = slots.backend == "bwrap"
    cgroup = slots.cgroup.create(limits)
    if cgroup is not None:
        per_process, nproc = limits.memory_bytes, limits.nproc
    else:  # no cgroup: processes x per-process address space stays at memory_bytes
        nproc = limits.nproc_without_cgroup
        per_process = max(256 << 20, limits.memory_bytes // nproc)
    if uid is None:
        nproc = _nproc_for_same_uid()
    run_dir = Path(tempfile.mkdtemp(prefix="cw-grade-"))  # root-owned; the sandbox cannot rename in it
    job_dir, box_dir = run_dir / "job", run_dir / "box"
    os.mkdir(job_dir, 0o755)
    os.mkdir(box_dir, 0o700)
    job = dict(job)
    job["limits"] = {
        **asdict(limits),
        "uid": uid,
        "cpu_seconds": int(timeout) + 2,
        "nproc": nproc,
        "memory_bytes": per_process,
    }
    job["site"] = (
        [f"/opt/site/{i}" for i in range(len(slots.layout["sites"]))] if bwrap else list(slots.layout["sites"])
    )
    _write_file(job_dir, "job.json", json.dumps(job).encode(), None if uid is None else uid)
    with tempfile.TemporaryFile() as buffer:
        np.savez(buffer, **arrays)
        buffer.seek(0)
        _write_file(job_dir, "inputs.npz", buffer.read(), None if uid is None else uid)
    _write_file(job_dir, "harness.py", HARNESS.read_bytes(), None if uid is None else uid)
    if uid is not None:
        os.chown(job_dir, 0, uid)
        os.chmod(job_dir, 0o750)
        os.chown(box_dir, uid, uid)
    os.chmod(run_dir, 0o711 if not bwrap else 0o700)
    if bwrap:
        command = bwrap_command(slots.layout, str(run_dir), limits, slots.root)
    else:
        command = [
            slots.layout["executable"],
            "-I",
            "-S",
            "-B",
            str(job_dir / "harness.py"),
            str(job_dir),
            str(box_dir),
        ]
    if cgroup is not None:  # the shell joins the cgroup, then becomes the sandbox: nothing starts outside it
        command = ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(cgroup / "cgroup.procs"), *command]
    start = time.monotonic()
    timed_out = False
    log_fd = os.open(run_dir / "output.log", os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(log_fd, "w+b") as log:
        env = _sandbox_env("/box" if bwrap else str(box_dir))
        if not bwrap:
            env["TMPDIR"] = str(box_dir)
        process = subprocess.Popen(
            command,
            cwd=box_dir if not bwrap else run_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            close_fds=True,
        )
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out, returncode = True, None
        finally:
            _kill_everything(process, uid, cgroup)
        memory_capped = _cgroup_hit_limit(cgroup)
        MemoryCgroup.destroy(cgroup)
        seconds = time.monotonic() - start
        log.seek(0, os.SEEK_END)
        size = log.tell()
        log.seek(max(0, size - LOG_TAIL))
        tail = log.read(LOG_TAIL).decode("utf-8", "replace")
    run_fd = os.open(run_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        box_fd = os.open("box", os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=run_fd)
    except OSError:
        box_fd = None
    finally:
        os.close(run_fd)
    return RunOutcome(run_dir, box_fd, returncode, timed_out, seconds, tail, memory_capped)


def _cgroup_hit_limit(folder: Path | None) -> bool:
    if folder is None:
        return False
    for name in ("memory.failcnt", "memory.events"):
        try:
            text = (folder / name).read_text()
        except OSError:
            continue
        if name == "memory.failcnt":
            return int(text.strip() or 0) > 0
        return any(line.startswith("oom_kill ") and int(line.split()[1]) > 0 for line in text.splitlines())
    return False


def _nproc_for_same_uid() -> int:
    """Without root the process limit counts all of the user's processes: allow a small margin."""
    return len(_processes_of(os.getuid())) * 4 + 64


def _kill_everything(process: subprocess.Popen, uid: int | None, cgroup: Path | None) -> None:
    """SIGKILL the sandbox: its process group (bwrap's PID 1 then takes its namespace down), its
    cgroup, and (root mode) every process of its private uid."""
    for _ in range(3):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            break
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    if cgroup is not None:
        MemoryCgroup.destroy(cgroup)
    if uid is not None:
        kill_uid(uid)


def discard(outcome: RunOutcome, uid: int | None, backend: str) -> None:
    if outcome.box_fd is not None:
        os.close(outcome.box_fd)
        outcome.box_fd = None
    shutil.rmtree(outcome.run_dir, ignore_errors=True)  # fd-based, never follows links
    if uid is not None and backend == "uid":
        _remove_files_of(uid)
        remove_sysv_ipc_of(uid)
