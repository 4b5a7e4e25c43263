import json

import numpy as np
import pytest

from coursework_lib.core import environment, recording


@pytest.fixture
def in_book(tmp_path, monkeypatch):
    (tmp_path / "_toc.yml").write_text("root: intro\n")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("COURSEWORK_ROOT", raising=False)
    monkeypatch.setitem(recording._state, "notebook", "01_test_chapter")
    return tmp_path


def test_record_writes_values_and_origins_under_the_book_root(in_book):
    recording.record("accuracy", np.float32(0.975), glue=False)
    origin = {"kind": "artifact", "path": "weights/log.json", "command": "make weights-x", "commit": "abc"}
    recording.record("seconds", 3, origin=origin, glue=False)
    path = in_book / "_build" / "metrics" / "01_test_chapter.json"
    assert json.loads(path.read_text()) == {
        "accuracy": {"value": pytest.approx(0.975), "origin": {"kind": "computed"}},
        "seconds": {"value": 3.0, "origin": origin},
    }


def test_record_refuses_an_origin_that_is_not_an_artifacts(in_book):
    with pytest.raises(TypeError, match="origin"):
        recording.record("x", 1.0, origin="weights/log.json", glue=False)


@pytest.mark.parametrize(
    "value, error", [(float("nan"), ValueError), ("0.9", TypeError), (True, TypeError), (np.zeros(3), TypeError)]
)
def test_record_rejects_non_numbers(in_book, value, error):
    with pytest.raises(error, match="value"):
        recording.record("x", value, glue=False)


def test_record_rejects_bad_names(in_book):
    with pytest.raises(ValueError, match="name must be"):
        recording.record("has space", 1.0, glue=False)


def test_record_needs_setup(monkeypatch):
    monkeypatch.setitem(recording._state, "notebook", None)
    with pytest.raises(RuntimeError, match="setup_notebook"):
        recording.record("x", 1.0, glue=False)


def test_seed_everything_makes_numpy_and_tensorflow_repeatable():
    import tensorflow as tf

    environment.seed_everything(7)
    first = (np.random.rand(), tf.random.uniform(()).numpy())
    environment.seed_everything(7)
    assert (np.random.rand(), tf.random.uniform(()).numpy()) == first
    with pytest.raises(ValueError, match="seed"):
        environment.seed_everything(-1)


def test_setup_notebook_validates_its_name():
    with pytest.raises(ValueError, match="notebook must look like"):
        environment.setup_notebook("chapter one")


def test_a_new_run_starts_the_notebooks_results_afresh(in_book):
    recording.record("old_name", 1.0, glue=False)
    recording.start_notebook("01_test_chapter")  # the next run of the chapter
    recording.record("new_name", 2.0, glue=False)
    path = in_book / "_build" / "metrics" / "01_test_chapter.json"
    assert list(json.loads(path.read_text())) == ["new_name"]


def test_record_glues_the_value_and_its_origin_as_plain_text(in_book, monkeypatch):
    import myst_nb

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: glued.setdefault(name, value))
    origin = {"kind": "artifact", "path": "weights/log.json", "command": "make weights-x", "commit": "0123456789"}
    recording.record("seconds", 3, origin=origin)
    recording.record("accuracy", 0.5)
    assert glued["seconds"] == 3.0 and glued["accuracy"] == 0.5
    assert repr(glued["seconds__origin"]) == "shipped run of make weights-x (weights/log.json, commit 0123456)"
    assert repr(glued["accuracy__origin"]) == "computed in this build"
