"""The grader: instructor notebooks score full marks, student editions zero, and no cheating or broken
submission (tests/adversarial/catalogue.py) scores more than an honest wrong answer, leaks reference
values, damages files or leaves processes behind. Every chapter in notebooks/ is covered automatically."""

import csv
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest
from adversarial import catalogue  # tests/ is on sys.path: see conftest.py

from coursework_lib.course import exercises
from coursework_lib.course.grading import Limits, codec, grade_batch, load_chapter, sandbox
from coursework_lib.course.grading import notebooks as nbmod
from coursework_lib.course.grading.grader import submission_seed
from coursework_lib.course.student_edition import write_student_editions

from .conftest import IS_ROOT, ROOT, pool_processes

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FAST = Limits(exercise_seconds=5, cell_seconds=2, call_seconds=2, submission_seconds=20, memory_bytes=1 << 30)
SEED = 424242


def _sandbox_processes():
    """Processes of any sandbox uid of the pool (every grading run's, not only this test's)."""
    return pool_processes() if IS_ROOT else []


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("student")
    write_student_editions(ROOT / "notebooks", folder)
    return folder


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_instructor_full_marks_and_student_edition_zero(path, student_dir, tmp_path):
    if not load_chapter(path).exercises:
        pytest.skip("no exercises in this chapter")
    chapter = path.name[:2]
    private = tmp_path / "subs"
    private.mkdir(mode=0o700)
    shutil.copy(path, private / "instructor.ipynb")
    shutil.copy(student_dir / path.name, private / "student.ipynb")
    results = grade_batch(
        [private / "instructor.ipynb", private / "student.ipynb"],
        chapter,
        tmp_path / "out",
        jobs=2,
        notebooks_dir=ROOT / "notebooks",
    )
    instructor, student = results
    assert instructor.score == instructor.max_score > 0, [e.feedback for e in instructor.exercises]
    assert student.score == 0
    for item in student.exercises:
        assert "NotImplementedError" in item.feedback


def test_results_json_is_gradescope_format_and_csv_has_every_submission(tmp_path):
    private = tmp_path / "subs"
    private.mkdir(mode=0o700)
    for name in ("a", "b"):
        shutil.copy(NOTEBOOKS[0], private / f"{name}.ipynb")
    (private / "c.ipynb").write_text("not json")
    results = grade_batch(sorted(private.glob("*.ipynb")), "01", tmp_path / "out", seed=1, jobs=2)
    for result in results:
        data = json.loads((tmp_path / "out" / result.name / "results.json").read_text())
        assert set(data) >= {"score", "tests", "execution_time", "output"}
        assert data["score"] == sum(t["score"] for t in data["tests"])
        for test in data["tests"]:
            assert set(test) >= {"name", "score", "max_score", "output", "status"}
    rows = list(csv.DictReader(open(tmp_path / "out" / "grades.csv")))
    assert [r["submission"] for r in rows] == ["a", "b", "c"]
    assert [float(r["score"]) for r in rows] == [5, 5, 0]
    assert "not valid JSON" in rows[2]["error"]


def test_command_line_grades_a_folder(tmp_path):
    private = tmp_path / "subs"
    private.mkdir(mode=0o700)
    shutil.copy(NOTEBOOKS[0], private / "x.ipynb")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "coursework_lib.course.grading",
            "--chapter",
            "01",
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "1",
            str(private),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "x: 5 / 5" in run.stdout
    assert (tmp_path / "out" / "x" / "results.json").is_file()
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "coursework_lib.course.grading",
            "--chapter",
            "99",
            "--out",
            str(tmp_path / "out"),
            str(private),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "chapter" in bad.stderr


def test_every_registered_exercise_can_be_sent_to_the_sandbox():
    for exercise in exercises.all_exercises().values():
        manifest, arrays = codec.encode_args(exercise.draw_cases(1))
        json.dumps(manifest)
        assert all(type(a) is np.ndarray and a.dtype.kind in "biuf" for a in arrays.values())


def test_decoder_rejects_malformed_results(tmp_path):
    box = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with pytest.raises(codec.MalformedResult):
            codec.read_result(box, 1)
        (tmp_path / "result.json").write_text('{"error": null, "cases": [{"ok": true, "value": {"t": "eval"}}]}')
        with pytest.raises(codec.MalformedResult):
            codec.read_result(box, 1)
        (tmp_path / "result.json").write_text('{"error": null, "cases": []}')
        with pytest.raises(codec.MalformedResult, match="one answer per case"):
            codec.read_result(box, 1)
        (tmp_path / "result.json").write_text(
            '{"error": null, "cases": [{"ok": true, "value": {"t": "tuple", "items": '
            '[{"t": "float", "v": "nan"}, {"t": "npint", "v": "3"}, {"t": "npfloat", "v": "0.5", "bits": 32}]}}]}'
        )
        error, answers = codec.read_result(box, 1)
        value = answers[0][1]
        assert error is None and type(value) is tuple and np.isnan(value[0]) and value[1] == 3
        assert type(value[2]) is np.float32
        (tmp_path / "result.json").unlink()
        secret = tmp_path / "secret.json"
        secret.write_text('{"error": "TOP-SECRET", "cases": []}')
        (tmp_path / "result.json").symlink_to(secret)  # a link the sandbox made is never followed
        with pytest.raises(codec.MalformedResult):
            codec.read_result(box, 1)
    finally:
        os.close(box)


def test_only_used_setup_imports_are_sent_and_never_the_library():
    imports = ("import numpy as np", "import keras")
    assert nbmod.imports_needed(imports, ["def f(Z):\n    return np.exp(Z)\n"]) == ["import numpy as np"]
    chapter = load_chapter(NOTEBOOKS[0])
    assert not any("coursework_lib" in statement for statement in chapter.imports)
    assert {"activations", "mlp", "check"} <= chapter.library_names


# --------------------------------------------------------------------------- adversarial catalogue


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory, student_dir):
    folder = tmp_path_factory.mktemp("adversarial")
    subs, out = folder / "subs", folder / "out"
    subs.mkdir(mode=0o700)
    decoy = folder / "decoy.txt"
    decoy.write_text("original")
    decoy_harness = folder / "harness_copy.py"
    shutil.copy(sandbox.HARNESS, decoy_harness)
    secret = folder / "secret.txt"
    secret.write_text("TOP-SECRET-REFERENCE")
    secret.chmod(0o600)
    exercise = exercises.get_exercise(catalogue.TARGET)
    public = [(args, exercise.reference(*args)) for args in exercise.draw_cases(exercises.PUBLIC_SEED)]
    ctx = {
        "student": json.loads((student_dir / NOTEBOOKS[0].name).read_text()),
        "instructor": json.loads(NOTEBOOKS[0].read_text()),
        "decoy": str(decoy),
        "decoy_harness": str(decoy_harness),
        "secret": str(secret),
        "out_results": str(out / "write_grader_and_result_files" / "results.json"),
        "public_cases": public,
    }
    entries = [e for e in catalogue.ENTRIES if IS_ROOT or not e.root_only]
    paths = [catalogue.write_submission(e, ctx, subs) for e in entries]
    start = time.monotonic()
    results = grade_batch(paths, "01", out, seed=SEED, jobs=2, limits=FAST, max_bytes=10 << 20)
    seconds = time.monotonic() - start
    return {
        "entries": entries,
        "results": dict(zip([e.name for e in entries], results)),
        "out": out,
        "decoy": decoy,
        "decoy_harness": decoy_harness,
        "seconds": seconds,
    }


def test_no_cheat_beats_an_honest_wrong_answer(adversarial):
    results = adversarial["results"]
    honest_wrong = results["honest_wrong"].score
    assert honest_wrong == 0 and results["honest_right"].score == 2
    for entry in adversarial["entries"]:
        result = results[entry.name]
        assert entry.min_score <= result.score <= max(entry.max_score, honest_wrong), (
            entry.name,
            result.score,
            [e.feedback for e in result.exercises],
        )
        assert result.max_score == 5  # points come from the instructor notebook
        assert not result.error.startswith("internal"), (entry.name, result.error)


def test_every_submission_gets_a_valid_results_file_with_a_reason(adversarial):
    for entry in adversarial["entries"]:
        data = json.loads((adversarial["out"] / entry.name / "results.json").read_text())
        assert data["score"] == adversarial["results"][entry.name].score
        for test in data["tests"]:
            assert test["status"] == "passed" or test["output"], entry.name
            assert len(test["output"]) < 2000


def _reference_strings(name):
    exercise = exercises.get_exercise(catalogue.TARGET)
    seed = submission_seed(SEED, name)
    strings = set()
    for args in exercise.draw_cases(seed):
        for value in np.ravel(exercise.reference(*args)):
            forms = {repr(float(value)), f"{value:.6g}", f"{value:.4f}"}
            strings.update(s for s in forms if len(s) > 6)  # distinctive values only (not 0.5, 1.0)
    return strings


def test_feedback_leaks_no_reference_values(adversarial):
    for entry in adversarial["entries"]:
        text = (adversarial["out"] / entry.name / "results.json").read_text()
        leaked = [s for s in _reference_strings(entry.name) if s in text]
        assert not leaked, (entry.name, leaked)


def test_specific_reasons(adversarial):
    feedback = {name: r.exercises[0].feedback for name, r in adversarial["results"].items()}
    assert "numpy.ndarray" in feedback["ndarray_subclass"] or "Always" in feedback["ndarray_subclass"]
    assert "Liar" in feedback["always_equal_object"]
    assert "time limit" in feedback["ignore_signals_busy_loop"]
    assert "longer than" in feedback["long_sleep_in_function"] or "time limit" in feedback["long_sleep_in_function"]
    assert "MemoryError" in feedback["memory_bomb"] or "longer than" in feedback["memory_bomb"]
    assert "MemoryError" in feedback["one_huge_allocation"]
    assert "not valid JSON" in feedback["invalid_json"] and "format 3" in feedback["nbformat_v3"]
    assert "no cell with exercise id" in feedback["metadata_removed"]
    assert "NaN" in feedback["nan_answer"]


@pytest.mark.skipif(not IS_ROOT, reason="file and process isolation needs the grader to run as root")
def test_files_are_untouched_and_no_process_survives(adversarial):
    assert adversarial["decoy"].read_text() == "original"
    assert adversarial["decoy_harness"].read_text() == sandbox.HARNESS.read_text()
    assert _sandbox_processes() == []
    assert "TOP-SECRET" not in (adversarial["out"] / "read_other_files" / "results.json").read_text()
