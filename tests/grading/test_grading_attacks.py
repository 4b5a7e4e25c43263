"""The attack catalogue of issue 17 (``attacks.py``) against a real grading run: every attack scores no
more than an honest wrong answer, leaks nothing into feedback, and leaves no process, file or shared
memory behind; plus a direct probe of what the sandbox can see, concurrent batches, and file names."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from coursework_lib.course import exercises
from coursework_lib.course.grading import codec, grade_batch, sandbox
from coursework_lib.course.grading.grader import submission_seed, unique_names

from . import attacks
from .conftest import CH01, FAST, IS_ROOT, ROOT, pool_processes, write_notebook

SEED = 171717


@pytest.fixture(scope="module")
def attacked(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("attacks")
    subs, out = folder / "subs", folder / "out"
    subs.mkdir(mode=0o700)
    secret = folder / "secret.txt"
    secret.write_text('{"error": "TOP-SECRET", "cases": []}')
    secret.chmod(0o600)
    shared = folder / "shared"
    shared.mkdir(mode=0o755)
    decoy = shared / "decoy.txt"
    decoy.write_text("DECOY")
    decoy.chmod(0o644)
    folder.chmod(0o755)
    instructor = json.loads(CH01.read_text())
    from coursework_lib.course.student_edition import student_notebook

    ctx = {
        "student": student_notebook(instructor),
        "instructor": instructor,
        "repo": str(ROOT),
        "secret": str(secret),
        "world_readable": str(decoy),
    }
    entries = [e for e in attacks.ENTRIES if IS_ROOT or not e.root_only]
    paths = [write_notebook(subs, f"{e.name}.ipynb", e.build(ctx)) for e in entries]
    paths.append(write_notebook(subs, "honest.ipynb", attacks.honest(ctx)))
    shm_before = _marker_segments()
    start = time.monotonic()
    results = grade_batch(paths, "01", out, seed=SEED, jobs=2, limits=FAST)
    return {
        "entries": entries,
        "results": {r.name: r for r in results},
        "out": out,
        "seconds": time.monotonic() - start,
        "shm_before": shm_before,
        "decoy": decoy,
    }


def _marker_segments() -> int:
    try:
        lines = Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
    except OSError:
        return 0
    return sum(1 for line in lines if line.split()[3] == str(attacks.SHM_MARKER_BYTES))


def test_catalogue_covers_the_eight_faults():
    faults = {e.fault for e in attacks.ENTRIES}
    # 4 (concurrency), 6 (file names) and 8 (chapter 8's public cases) are whole-batch tests below
    assert faults | {4, 6, 8} == set(range(1, 9))


def test_no_attack_scores(attacked):
    results = attacked["results"]
    assert results["honest"].score == results["honest"].max_score == 5
    for entry in attacked["entries"]:
        result = results[entry.name]
        assert result.score <= entry.max_score, (entry.name, [e.feedback for e in result.exercises])
        assert not result.error.startswith("internal"), (entry.name, result.error)


def test_static_check_names_what_was_used(attacked):
    feedback = {name: r.exercises[0].feedback for name, r in attacked["results"].items()}
    assert "coursework_lib" in feedback["import_reference_from_library"]
    assert "activations" in feedback["setup_name_activations"]
    assert "get_exercise" in feedback["registry_reference"] or ".reference" in feedback["registry_reference"]
    assert "coursework_lib" in feedback["helper_cell_imports_library"]
    for name in ("import_reference_from_library", "setup_name_activations", "registry_reference"):
        assert feedback[name].startswith("not graded") and "scored 0" in feedback[name]


def test_feedback_shows_no_paths_inputs_or_command_lines(attacked):
    text = (attacked["out"] / "exception_leaks_inputs_paths_environment" / "results.json").read_text()
    feedback = json.loads(text)["tests"][0]["output"]
    assert "ValueError" in feedback
    assert not re.search(r"/[a-z]", feedback), feedback  # no paths
    assert "seed" not in feedback and "harness" not in feedback and "bwrap" not in feedback
    exercise = exercises.get_exercise(attacks.TARGET)
    for args in exercise.hidden_cases(submission_seed(SEED, "exception_leaks_inputs_paths_environment")):
        for value in np.ravel(args[0]):
            assert f"{value:.4f}"[:-1] not in feedback  # no hidden input
    for result in attacked["results"].values():
        for item in result.exercises:
            assert "TOP-SECRET" not in item.feedback and "DECOY" not in item.feedback


@pytest.mark.skipif(not IS_ROOT, reason="process and file isolation is checked as root")
def test_nothing_survives(attacked):
    assert pool_processes() == []
    assert _marker_segments() == attacked["shm_before"] == 0
    low, high = sandbox.Limits.uid_base, sandbox.Limits.uid_base + sandbox.Limits.uid_count
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        for entry in os.scandir(folder):
            try:
                owner = entry.stat(follow_symlinks=False).st_uid
            except OSError:
                continue
            assert not low <= owner < high, entry.path
    assert attacked["decoy"].read_text() == "DECOY"


def _probe(limits=FAST):
    """Run one job in the sandbox whose graded function reports what it can see, as numbers."""
    cell = f"""import os, sys
def probe(x):
    facts = [os.path.exists({str(ROOT)!r}), os.path.exists({str(ROOT / "notebooks")!r}),
             os.path.exists("/work"), os.path.exists("/autograder"), os.getuid() == 0]
    try:
        import coursework_lib
        facts.append(True)
    except ImportError:
        facts.append(False)
    facts.append(any({str(ROOT)!r} in p for p in sys.path))
    try:
        open("/tmp/x", "w").write("x")
        facts.append(True)
    except OSError:
        facts.append(False)
    try:
        open("/usr/probe", "w")
        facts.append(True)
    except OSError:
        facts.append(False)
    import socket
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=1)
        facts.append(True)
    except OSError:
        facts.append(False)
    facts.append(len([p for p in os.listdir("/proc") if p.isdigit()]))
    import json, decimal, sqlite3, xml.dom.minidom, csv, fractions
    return np.array(facts, dtype=float)
"""
    manifest, arrays = codec.encode_args([(np.zeros(1),)])
    slots = sandbox.Slots(1, limits)
    slot = slots.acquire()
    try:
        outcome = sandbox.run_exercise(
            {"preamble": ["import numpy as np"], "cells": [cell], "graded": "probe", "args": manifest},
            arrays,
            limits,
            slots,
            slot,
            20,
        )
        try:
            error, answers = codec.read_result(outcome.box_fd, 1)
        finally:
            sandbox.discard(outcome, slots.uid(slot), slots.backend)
    finally:
        slots.release(slot)
        slots.close()
    assert error is None and answers[0][0], (error, answers, outcome.log_tail)
    return dict(
        zip(
            [
                "repo",
                "notebooks",
                "work",
                "autograder",
                "root",
                "import_library",
                "repo_on_path",
                "tmp_writable",
                "usr_writable",
                "network",
                "processes",
            ],
            answers[0][1],
        )
    )


def test_the_sandbox_sees_nothing_of_the_repository():
    facts = _probe()
    assert facts["repo"] == facts["notebooks"] == facts["work"] == facts["autograder"] == 0
    assert facts["import_library"] == facts["repo_on_path"] == 0
    assert facts["root"] == 0 and facts["usr_writable"] == 0 and facts["network"] == 0
    assert facts["tmp_writable"] == 1  # the private /tmp (and stdlib imports) work
    if sandbox.choose_backend() == "bwrap":
        assert facts["processes"] <= 3  # its own PID namespace


def test_chapter_8_hard_coded_public_pooling_answers_score_zero(tmp_path, private):
    exercise = exercises.get_exercise("ch08-pooling-matrix")
    public = sorted({(int(s), int(f)) for s, f in exercise.draw_cases(exercises.PUBLIC_SEED)})
    notebook = json.loads((ROOT / "notebooks" / "08_gan_prior_restoration.ipynb").read_text())
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("exercise", {}).get("id") == "ch08-pooling-matrix":
            solution = "".join(cell["source"]).split("# BEGIN SOLUTION\n")[1].split("    # END SOLUTION")[0]
            cell["source"] = (
                f"_PUBLIC = {public!r}\n"  # answers right exactly on the public cases
                "def average_pooling_matrix(size, factor):\n"
                "    if (size, factor) not in _PUBLIC:\n"
                "        return np.zeros(((size // factor) ** 2, size * size))\n" + solution
            )
    path = write_notebook(private, "hardcoded.ipynb", notebook)
    (result,) = grade_batch([path], "08", tmp_path / "out", jobs=1, limits=FAST)
    scores = {e.id: e.score for e in result.exercises}
    assert scores["ch08-pooling-matrix"] == 0 and scores["ch08-source-gradient"] == 3


def test_every_exercise_draws_random_hidden_cases_never_a_public_one():
    for exercise in exercises.all_exercises().values():
        public = exercise.draw_cases(exercises.PUBLIC_SEED)
        draws = [exercise.hidden_cases(seed) for seed in range(1, 9)]
        for cases in draws:
            for case in cases:
                assert not any(exercises.core.same_case(case, p) for p in public), exercise.id
        for position in range(len(public)):  # every position varies with the seed: nothing fixed
            values = [cases[position] for cases in draws if position < len(cases)]
            assert any(not exercises.core.same_case(values[0], v) for v in values[1:]), (exercise.id, position)


def test_output_names_are_sanitised_unique_and_stay_in_out(tmp_path, private, instructor):
    names = [
        "grades.csv.ipynb",
        "...ipynb",
        "s2/x.ipynb",
        "s3/x-2.ipynb",
        "s4/x.ipynb",
        "S5/X.ipynb",
        "../evil.ipynb"[3:],
        "-rf.ipynb",
    ]
    paths = [write_notebook(private, name, instructor) for name in names]
    assert unique_names(paths) == ["grades_csv", "submission", "x", "x-2", "x-3", "X-4", "evil", "rf"]
    out = tmp_path / "out"
    results = grade_batch(paths, "01", out, seed=3, jobs=2, limits=FAST)
    assert [r.score for r in results] == [5] * len(names)
    rows = list(csv.DictReader(open(out / "grades.csv")))
    assert len(rows) == len(names) and len({r["seed"] for r in rows}) == len(names)
    assert sorted(p.name for p in out.iterdir()) == sorted([*unique_names(paths), "grades.csv"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "subs"]


def _honest_and_hostile(folder: Path, instructor: dict, student: dict, count: int) -> list[Path]:
    paths = [write_notebook(folder, f"honest{i:02d}.ipynb", instructor) for i in range(count)]
    killer = json.loads(json.dumps(student))
    for cell in killer["cells"]:
        if cell.get("metadata", {}).get("exercise", {}).get("id") == attacks.TARGET:
            cell["source"] = (
                "import os, signal, time\nfor _ in range(20):\n    try:\n"
                "        os.kill(-1, signal.SIGKILL)\n    except Exception:\n        pass\n"
                "    time.sleep(0.05)\n"
            )
    paths.append(write_notebook(folder, "killer.ipynb", killer))
    return paths


def test_two_batches_at_once_return_the_scores_of_one(tmp_path, instructor, student):
    """One batch through the command line (another process), one in this process, side by side."""
    first, second = tmp_path / "a", tmp_path / "b"
    paths_a = _honest_and_hostile(first, instructor, student, 8)
    paths_b = _honest_and_hostile(second, instructor, student, 8)
    command = [
        sys.executable,
        "-m",
        "coursework_lib.course.grading",
        "--chapter",
        "01",
        "--out",
        str(tmp_path / "out_a"),
        "--jobs",
        "2",
        "--exercise-timeout",
        "8",
        *map(str, paths_a),
    ]
    other = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results_b = {}
    thread = threading.Thread(
        target=lambda: results_b.update(
            {r.name: r.score for r in grade_batch(paths_b, "01", tmp_path / "out_b", jobs=2, limits=FAST)}
        )
    )
    thread.start()
    stdout, stderr = other.communicate(timeout=300)
    thread.join(timeout=300)
    assert other.returncode == 0, stderr
    scores_a = {
        row["submission"]: float(row["score"]) for row in csv.DictReader(open(tmp_path / "out_a" / "grades.csv"))
    }
    expected = {**{f"honest{i:02d}": 5.0 for i in range(8)}, "killer": 0.0}
    assert scores_a == expected
    assert results_b == expected
