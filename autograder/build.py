"""Write the Gradescope autograder bundle of one chapter: ``python autograder/build.py --chapter 01``.

The zip (``_build/autograder/chNN_autograder.zip`` by default) holds, at its top level as Gradescope
expects: ``setup.sh`` and ``run_autograder`` (this folder), ``requirements.txt`` (NumPy and SciPy at the
project's versions: all the grader and the sandboxed cells need), ``chapter.json`` (exercise ids, points,
graded names and the setup cell's third-party imports, taken from the instructor notebook) and the
``coursework_lib`` package sources. No notebook travels: nothing a student sees in the handed-out
edition is added, and the reference implementations stay where the sandbox cannot reach them
(``run_autograder`` makes ``/autograder/source`` 0700; bubblewrap, where Gradescope allows it, does
not mount it at all).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from coursework_lib.course.grading.notebooks import chapter_to_json, find_instructor_notebook, load_chapter  # noqa: E402

NEEDED = ("numpy", "scipy")


def requirements() -> str:
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    keep = [line for line in lines if re.match(r"^(%s)\b" % "|".join(NEEDED), line)]
    return "\n".join(keep) + "\n"


def build(chapter: str, out: Path, notebooks_dir: Path = ROOT / "notebooks") -> Path:
    """Write the bundle for ``chapter`` ("01") into ``out`` (a .zip path or a folder); returns the zip path."""
    spec = load_chapter(find_instructor_notebook(chapter, notebooks_dir))
    if not spec.exercises:
        raise ValueError(f"chapter {chapter} has no exercises to grade")
    out = Path(out)
    path = out if out.suffix == ".zip" else out / f"ch{spec.name[:2]}_autograder.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in ("setup.sh", "run_autograder"):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            bundle.writestr(info, (HERE / name).read_text())
        bundle.writestr("requirements.txt", requirements())
        bundle.writestr("chapter.json", json.dumps(chapter_to_json(spec), indent=2) + "\n")
        for source in sorted((ROOT / "coursework_lib").rglob("*.py")):
            bundle.write(source, source.relative_to(ROOT).as_posix())
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chapter", required=True, help='chapter number, e.g. "01"')
    parser.add_argument("--out", default=str(ROOT / "_build" / "autograder"), help="folder or .zip path")
    args = parser.parse_args(argv)
    path = build(args.chapter, Path(args.out))
    print(f"wrote {path} ({path.stat().st_size >> 10} KiB): upload it as the assignment's autograder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
