"""Where the book's files live: the project root and the folder of trained weights."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_PARENT = Path(__file__).resolve().parents[2]  # the checkout that holds coursework_lib/


def project_root() -> Path:
    """The book's root folder: ``$COURSEWORK_ROOT``, else the nearest parent of the working directory
    with ``_toc.yml``, else the working directory."""
    if os.environ.get("COURSEWORK_ROOT"):
        return Path(os.environ["COURSEWORK_ROOT"])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file():
            return folder
    return here


def weights_dir() -> Path:
    """Where trained weights live: ``$COURSEWORK_WEIGHTS`` or the repository's ``weights/`` folder."""
    if os.environ.get("COURSEWORK_WEIGHTS"):
        return Path(os.environ["COURSEWORK_WEIGHTS"])
    return PACKAGE_PARENT / "weights"
