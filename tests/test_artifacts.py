"""Paths and the one reader of committed training records."""

import json

import pytest

from coursework_lib.core import artifacts, paths


def test_weights_dir_is_the_repository_folder_unless_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSEWORK_WEIGHTS", raising=False)
    assert (paths.weights_dir() / "mnist_cnn.keras").is_file()
    assert paths.weights_dir().parent == paths.PACKAGE_PARENT
    monkeypatch.setenv("COURSEWORK_WEIGHTS", str(tmp_path))
    assert paths.weights_dir() == tmp_path


def test_project_root_is_the_nearest_folder_with_a_toc(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSEWORK_ROOT", raising=False)
    (tmp_path / "_toc.yml").write_text("root: intro\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert paths.project_root() == tmp_path


def test_read_json_artifact_reads_and_names_the_command(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({"seconds": 12.5}))
    assert artifacts.read_json_artifact("run.json", "make weights-x", tmp_path) == {"seconds": 12.5}
    with pytest.raises(artifacts.ArtifactMissing, match="make weights-x"):
        artifacts.read_json_artifact("missing.json", "make weights-x", tmp_path)
    with pytest.raises(FileNotFoundError):
        artifacts.read_json_artifact("missing.json", "make weights-x", tmp_path)
    with pytest.raises(ValueError, match="filename"):
        artifacts.read_json_artifact("", "make weights-x", tmp_path)
