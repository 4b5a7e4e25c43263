"""Where each committed artifact came from: the command, the commit and a hash of the code that made it.

Every file the book ships but does not compute while it is built (trained weights and training logs under
``weights/``, benchmark outputs under ``benchmarks/results/``, the course's data files) has an entry in the
root ``PROVENANCE.json``::

    "weights/gan_small_log.json": {
        "command": "make weights-gan",             # the command that writes the file
        "code_files": ["scripts/train_gan.py", ...],  # the code that decides its contents
        "code_hash": "…",                           # of those files, see code_hash()
        "commit": "…",                              # HEAD when the file was written (+ "-dirty" if edited)
        "sha256": "…"                               # of the file itself
    }

Scripts call :func:`stamp_artifacts` after writing their outputs; :func:`artifact_problems` (run by the unit
tests) says which artifacts no longer match their code or their recorded digest, and which command to rerun.
A notebook that quotes a number read from an artifact records it with ``origin=artifact_origin(path)``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
from pathlib import Path

from coursework_lib.core.artifacts import ArtifactMissing
from coursework_lib.core.paths import PACKAGE_PARENT

MANIFEST = "PROVENANCE.json"
ARTIFACT_FOLDERS = ("weights", "benchmarks/results", "data/eights")


def repository_root() -> Path:
    """The checkout that holds ``coursework_lib/``, ``weights/`` and ``PROVENANCE.json``."""
    return PACKAGE_PARENT


def _relative(path, root: Path) -> str:
    if not isinstance(path, (str, Path)) or str(path) in ("", "."):
        raise ValueError(f"path must name a file, got {path!r}")
    path = Path(path)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(root.resolve())
        except ValueError:
            raise ValueError(f"path must lie inside {root}, got {path}") from None
    return path.as_posix()


def file_sha256(path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return tree


def code_fingerprint(path) -> str:
    """Hash of what a file computes: a Python file's syntax tree without docstrings, comments or layout;
    any other file's bytes."""
    path = Path(path)
    if path.suffix == ".py":
        tree = _without_docstrings(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        return hashlib.sha256(ast.dump(tree, include_attributes=False).encode()).hexdigest()
    return file_sha256(path)


def code_hash(code_files, root=None) -> str:
    """One hash of several code files (paths relative to the repository root), independent of their order.

    Reformatting a file or editing its docstrings and comments leaves the hash unchanged; any change to
    the code does not.
    """
    root = Path(root) if root is not None else repository_root()
    if isinstance(code_files, str) or not code_files:
        raise ValueError("code_files must be a non-empty list of paths relative to the repository root")
    lines = []
    for name in sorted({_relative(f, root) for f in code_files}):
        if not (root / name).is_file():
            raise FileNotFoundError(f"code file {name} does not exist under {root}")
        lines.append(f"{name} {code_fingerprint(root / name)}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


INFRASTRUCTURE = {  # modules that set a run up or check arguments, but do not decide what it computes
    "coursework_lib/core/environment.py",
    "coursework_lib/core/paths.py",
    "coursework_lib/core/provenance.py",
    "coursework_lib/core/artifacts.py",
    "coursework_lib/core/recording.py",
    "coursework_lib/core/validation.py",
}


def _imported_library_files(path: Path, root: Path) -> set[str]:
    """The ``coursework_lib`` module files that ``path`` imports by name (anywhere in the file)."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    files = set()
    for module in modules:
        if module.split(".")[0] == "coursework_lib":
            candidate = root.joinpath(*module.split(".")).with_suffix(".py")
            if candidate.is_file():
                files.add(candidate.relative_to(root).as_posix())
    return files


def script_code_files(script, root=None) -> list[str]:
    """The code that decides what ``script`` writes: the script and every ``coursework_lib`` module it
    imports, directly or through other library modules, less the set-up modules in :data:`INFRASTRUCTURE`.

    Returns paths relative to the repository root, sorted; pass them to :func:`stamp_artifacts`.
    """
    root = Path(root) if root is not None else repository_root()
    first = _relative(script, root)
    seen, frontier = {first}, [first]
    while frontier:
        for name in _imported_library_files(root / frontier.pop(), root) - seen - INFRASTRUCTURE:
            seen.add(name)
            frontier.append(name)
    return sorted(seen)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def current_commit(code_files=(), root=None) -> str:
    """``HEAD``'s hash, with ``-dirty`` when any of ``code_files`` differs from it; ``unknown`` outside git."""
    root = Path(root) if root is not None else repository_root()
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        return "unknown"
    changed = _git(root, "status", "--porcelain", "--", *code_files) if code_files else ""
    return head + ("-dirty" if changed else "")


def read_manifest(root=None) -> dict:
    """The parsed ``PROVENANCE.json`` (empty when it does not exist yet)."""
    path = (Path(root) if root is not None else repository_root()) / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else {}


def _write_manifest(manifest: dict, root: Path) -> None:
    text = json.dumps(dict(sorted(manifest.items())), indent=1, sort_keys=True) + "\n"
    (root / MANIFEST).write_text(text)


def stamp_artifacts(
    paths, *, command: str, code_files, root=None, commit: str | None = None, note: str | None = None
) -> dict:
    """Record in ``PROVENANCE.json`` that ``command``, running ``code_files``, wrote ``paths``.

    paths: files relative to the repository root (or absolute inside it) that the command just wrote.
    command: what a reader runs to make them again, e.g. ``"make weights-gan"``.
    code_files: the code that decides their contents, usually ``script_code_files(__file__)``.
    commit: defaults to :func:`current_commit`. note: a sentence kept with the entries (e.g. that they
    were stamped after the fact). Returns the new entries.
    """
    root = Path(root) if root is not None else repository_root()
    if not isinstance(command, str) or not command.startswith("make "):
        raise ValueError(f"command must be the make command that writes the files, got {command!r}")
    if isinstance(paths, (str, Path)) or not paths:
        raise ValueError("paths must be a non-empty list of files")
    code_files = sorted({_relative(f, root) for f in code_files})
    fingerprint = code_hash(code_files, root)
    commit = commit or current_commit(code_files, root)
    manifest = read_manifest(root)
    entries = {}
    for path in paths:
        name = _relative(path, root)
        if not (root / name).is_file():
            raise FileNotFoundError(f"cannot stamp {name}: the file does not exist")
        entries[name] = {
            "command": command,
            "code_files": code_files,
            "code_hash": fingerprint,
            "commit": commit,
            "sha256": file_sha256(root / name),
        }
        if note:
            entries[name]["note"] = note
    manifest.update(entries)
    _write_manifest(manifest, root)
    return entries


def restamp_code(paths, *, reason: str, root=None) -> dict:
    """Accept the current code for artifacts whose code changed in a way that cannot change them.

    The files must be byte-identical to what was stamped (their digest is checked); the new code hash is
    recorded with ``reason`` and the commit, in the entry's ``restamped`` list, so a reader sees every
    such decision. Retraining (the entry's command) is the other way to clear the problem.
    """
    root = Path(root) if root is not None else repository_root()
    if not isinstance(reason, str) or len(reason.split()) < 4:
        raise ValueError("reason must say in a sentence why the code change cannot change the artifacts")
    manifest = read_manifest(root)
    changed = {}
    for path in paths:
        name = _relative(path, root)
        entry = manifest.get(name)
        if entry is None:
            raise ArtifactMissing(f"{name} has no entry in {MANIFEST}; stamp it first")
        if file_sha256(root / name) != entry["sha256"]:
            raise ValueError(f"{name} changed since it was stamped; rerun `{entry['command']}` instead")
        entry["code_hash"] = code_hash(entry["code_files"], root)
        entry.setdefault("restamped", []).append(
            {"commit": current_commit(entry["code_files"], root), "reason": reason}
        )
        changed[name] = entry
    _write_manifest(manifest, root)
    return changed


def artifact_origin(path, root=None) -> dict:
    """Where a committed artifact came from, for ``recording.record(..., origin=...)``.

    Returns ``{"kind": "artifact", "path", "command", "commit", "code_hash"}``; raises
    :class:`ArtifactMissing` when the file is absent or was never stamped.
    """
    root = Path(root) if root is not None else repository_root()
    name = _relative(path, root)
    if not (root / name).is_file():
        raise ArtifactMissing(f"{name} does not exist")
    entry = read_manifest(root).get(name)
    if entry is None:
        raise ArtifactMissing(f"{name} has no entry in {MANIFEST}; the script that writes it must stamp it")
    return {"kind": "artifact", "path": name, **{k: entry[k] for k in ("command", "commit", "code_hash")}}


def artifact_problems(root=None) -> list[str]:
    """Every way the committed artifacts disagree with ``PROVENANCE.json`` or with the current code.

    Checks that each file in the artifact folders is stamped, that its bytes match the recorded digest,
    that its code files still exist and hash as recorded, and that each entry's file still exists. Each
    problem names the command to rerun.
    """
    root = Path(root) if root is not None else repository_root()
    manifest = read_manifest(root)
    problems = []
    for folder in ARTIFACT_FOLDERS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            name = path.relative_to(root).as_posix()
            if path.is_file() and not path.name.startswith(".") and name not in manifest:
                problems.append(f"{name}: not in {MANIFEST}; the script that writes it must stamp it")
    for name, entry in sorted(manifest.items()):
        rerun = f"rerun `{entry['command']}`"
        if not (root / name).is_file():
            problems.append(f"{name}: listed in {MANIFEST} but missing; {rerun}")
            continue
        if file_sha256(root / name) != entry["sha256"]:
            problems.append(f"{name}: changed since it was stamped; {rerun} (it stamps what it writes)")
        try:
            current = code_hash(entry["code_files"], root)
        except (FileNotFoundError, SyntaxError) as error:
            problems.append(f"{name}: its code cannot be hashed ({error}); {rerun}")
            continue
        if current != entry["code_hash"]:
            problems.append(f"{name}: the code that made it ({', '.join(entry['code_files'])}) changed; {rerun}")
    return problems


def origin_text(origin: dict | None) -> str:
    """One line of plain text saying where a recorded number came from (the results page's origin column)."""
    if origin is None or origin.get("kind") == "computed":
        return "computed in this build"
    commit = origin["commit"][:7] if origin.get("commit", "unknown") != "unknown" else "unknown commit"
    return f"shipped run of {origin['command']} ({origin['path']}, commit {commit})"


def main(argv=None) -> int:
    """``python -m coursework_lib.core.provenance check | stamp | restamp`` (see ``--help``)."""
    import argparse

    parser = argparse.ArgumentParser(description="Provenance of the committed artifacts (PROVENANCE.json).")
    commands = parser.add_subparsers(dest="action", required=True)
    commands.add_parser("check", help="list artifacts that disagree with their stamp or their code")
    stamp = commands.add_parser("stamp", help="record who wrote FILES")
    stamp.add_argument("--command", required=True)
    stamp.add_argument("--script", required=True, help="the script the command runs")
    stamp.add_argument("--commit", default=None)
    stamp.add_argument("--note", default=None)
    stamp.add_argument("files", nargs="+")
    restamp = commands.add_parser("restamp", help="accept a code change that cannot change FILES")
    restamp.add_argument("--reason", required=True)
    restamp.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    if args.action == "stamp":
        files = script_code_files(args.script)
        stamp_artifacts(args.files, command=args.command, code_files=files, commit=args.commit, note=args.note)
    elif args.action == "restamp":
        restamp_code(args.files, reason=args.reason)
    problems = artifact_problems()
    print("\n".join(problems) if problems else "every artifact matches its stamp and its code")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
