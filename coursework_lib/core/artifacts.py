"""Reading the committed records that training scripts write beside their weights (``weights/*.json``).

Every training record in the book is read through :func:`read_json_artifact`, so a missing file always
gets the same message: which file, and which ``make`` command writes it.
"""

from __future__ import annotations

import json
from pathlib import Path

from coursework_lib.core.paths import weights_dir


class ArtifactMissing(FileNotFoundError):
    """A committed artifact is not there; the message names the command that makes it."""


def read_json_artifact(filename: str, made_by: str, directory=None):
    """The parsed JSON of ``<directory>/<filename>`` (default directory: :func:`weights_dir`).

    made_by: the command that writes the file (e.g. ``"make weights-cnn"``), quoted in the error.
    """
    if not isinstance(filename, str) or not filename:
        raise ValueError(f"filename must be a non-empty string, got {filename!r}")
    path = Path(directory if directory is not None else weights_dir()) / filename
    if not path.is_file():
        raise ArtifactMissing(f"{path} does not exist; run `{made_by}` from the project root to make it")
    return json.loads(path.read_text())
