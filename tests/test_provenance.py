import hashlib
import json

import pytest

from coursework_lib.core import provenance
from coursework_lib.core.artifacts import ArtifactMissing


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "coursework_lib" / "maths").mkdir(parents=True)
    (tmp_path / "coursework_lib" / "core").mkdir(parents=True)
    (tmp_path / "scripts").mkdir()
    (tmp_path / "weights").mkdir()
    (tmp_path / "coursework_lib" / "maths" / "model.py").write_text(
        '"""A model."""\nfrom coursework_lib.core import data\n\n\ndef f(x):\n    """Doubles."""\n    return 2 * x\n'
    )
    (tmp_path / "coursework_lib" / "core" / "data.py").write_text("N = 3\n")
    (tmp_path / "coursework_lib" / "core" / "environment.py").write_text("SEED = 1\n")
    (tmp_path / "scripts" / "train.py").write_text(
        "from coursework_lib.core.environment import SEED\nfrom coursework_lib.maths.model import f\n"
    )
    (tmp_path / "weights" / "model.bin").write_bytes(b"\x00\x01weights")
    return tmp_path


def test_script_code_files_follow_library_imports_but_not_set_up(repo):
    assert provenance.script_code_files("scripts/train.py", root=repo) == [
        "coursework_lib/core/data.py",
        "coursework_lib/maths/model.py",
        "scripts/train.py",
    ]


def test_code_hash_ignores_docstrings_comments_and_layout_but_not_code(repo):
    files = ["coursework_lib/maths/model.py"]
    before = provenance.code_hash(files, root=repo)
    model = repo / "coursework_lib" / "maths" / "model.py"
    model.write_text(
        '"""Another docstring."""\nfrom coursework_lib.core import data  # a comment\n\ndef f(x):\n  return 2 * x\n'
    )
    assert provenance.code_hash(files, root=repo) == before
    model.write_text("from coursework_lib.core import data\n\ndef f(x):\n    return 3 * x\n")
    assert provenance.code_hash(files, root=repo) != before


def test_stamp_records_an_independent_sha256_and_the_command(repo):
    files = provenance.script_code_files("scripts/train.py", root=repo)
    provenance.stamp_artifacts(["weights/model.bin"], command="make weights-x", code_files=files, root=repo)
    entry = json.loads((repo / "PROVENANCE.json").read_text())["weights/model.bin"]
    assert entry["sha256"] == hashlib.sha256(b"\x00\x01weights").hexdigest()
    assert entry["command"] == "make weights-x" and entry["code_files"] == files
    assert provenance.artifact_problems(root=repo) == []
    origin = provenance.artifact_origin("weights/model.bin", root=repo)
    assert origin["kind"] == "artifact" and origin["command"] == "make weights-x"


def test_problems_name_the_command_to_rerun(repo):
    files = provenance.script_code_files("scripts/train.py", root=repo)
    provenance.stamp_artifacts(["weights/model.bin"], command="make weights-x", code_files=files, root=repo)
    (repo / "coursework_lib" / "core" / "data.py").write_text("N = 4\n")
    (repo / "weights" / "new.bin").write_bytes(b"unstamped")
    problems = provenance.artifact_problems(root=repo)
    assert any("weights/new.bin" in p and "not in PROVENANCE.json" in p for p in problems)
    assert any("code that made it" in p and "make weights-x" in p for p in problems)
    (repo / "weights" / "model.bin").write_bytes(b"retrained by hand")
    assert any("changed since it was stamped" in p for p in provenance.artifact_problems(root=repo))


def test_restamp_keeps_the_reason_and_refuses_changed_files(repo):
    files = provenance.script_code_files("scripts/train.py", root=repo)
    provenance.stamp_artifacts(["weights/model.bin"], command="make weights-x", code_files=files, root=repo)
    (repo / "coursework_lib" / "core" / "data.py").write_text("N = 3\nM = 5\n")
    with pytest.raises(ValueError, match="reason"):
        provenance.restamp_code(["weights/model.bin"], reason="ok", root=repo)
    provenance.restamp_code(["weights/model.bin"], reason="M is a new constant nothing reads", root=repo)
    assert provenance.artifact_problems(root=repo) == []
    entry = provenance.read_manifest(repo)["weights/model.bin"]
    assert entry["restamped"][0]["reason"] == "M is a new constant nothing reads"
    (repo / "weights" / "model.bin").write_bytes(b"different")
    with pytest.raises(ValueError, match="rerun `make weights-x`"):
        provenance.restamp_code(["weights/model.bin"], reason="M is a new constant nothing reads", root=repo)


def test_bad_arguments_are_named(repo):
    with pytest.raises(ValueError, match="command"):
        provenance.stamp_artifacts(["weights/model.bin"], command="python x.py", code_files=["scripts/train.py"])
    with pytest.raises(ValueError, match="code_files"):
        provenance.code_hash([], root=repo)
    with pytest.raises(ArtifactMissing, match="no entry"):
        provenance.artifact_origin("weights/model.bin", root=repo)
    with pytest.raises(ValueError, match="inside"):
        provenance.artifact_origin("/etc/passwd", root=repo)


def test_origin_text_says_computed_or_names_the_command():
    assert provenance.origin_text(None) == "computed in this build"
    origin = {"kind": "artifact", "path": "weights/a.json", "command": "make weights-gan", "commit": "abcdef123456"}
    assert provenance.origin_text(origin) == "shipped run of make weights-gan (weights/a.json, commit abcdef1)"
