"""Student editions: solutions become stubs, nothing else changes, every graded check fails on the blank.

Cheap validation for every chapter in notebooks/ (no training cell runs): the student edition's
non-exercise cells are identical to the instructor's (which nbval executes in full), and one kernel
per chapter runs only the setup cell, then for each exercise the instructor's cell + its public check
(must pass) and the student's stub + the same check (must fail with CheckFailed).
"""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from coursework_lib.course.student_edition import (
    BEGIN,
    END,
    AuthoringError,
    stub_solution,
    student_notebook,
    write_student_editions,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _is_exercise(cell):
    return "exercise" in cell.get("metadata", {})


def test_stub_keeps_signature_indentation_and_hint():
    source = (
        'def f(x):\n    """doc"""\n    # BEGIN SOLUTION\n    # HINT: use np.exp\n    return x + 1\n    # END SOLUTION\n'
    )
    stub = stub_solution(source, "f")
    assert stub.startswith('def f(x):\n    """doc"""\n')
    assert "return x + 1" not in stub and BEGIN not in stub
    assert "    raise NotImplementedError('f: use np.exp')" in stub
    namespace = {}
    exec(stub, namespace)
    with pytest.raises(NotImplementedError, match="use np.exp"):
        namespace["f"](1)


@pytest.mark.parametrize(
    "source",
    [
        "def f():\n    # BEGIN SOLUTION\n    return 1\n",
        "def f():\n    return 1\n    # END SOLUTION\n",
        "def f():\n    return 1\n",
    ],
)
def test_malformed_solution_blocks_are_authoring_errors(source):
    with pytest.raises(AuthoringError):
        stub_solution(source, "f")


def test_metadata_outputs_and_instructor_cells():
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3"}, "grading_secret": 1},
        "cells": [
            {
                "cell_type": "code",
                "metadata": {
                    "tags": ["exercise"],
                    "nbgrader": {},
                    "exercise": {"id": "ch01-x", "points": 1, "graded": "f", "answer": "x+1"},
                },
                "source": "def f(x):\n    # BEGIN SOLUTION\n    return x + 1\n    # END SOLUTION\n",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "2"}],
                "execution_count": 3,
            },
            {"cell_type": "code", "metadata": {}, "source": 'check("ch01-x", f)', "outputs": [], "execution_count": 4},
            {"cell_type": "markdown", "metadata": {"tags": ["instructor"]}, "source": "answer: x+1"},
        ],
    }
    student = student_notebook(notebook)
    assert student["metadata"] == {"kernelspec": {"name": "python3"}}
    exercise, check = student["cells"]
    assert exercise["metadata"] == {
        "tags": ["exercise"],
        "deletable": False,
        "exercise": {"id": "ch01-x", "points": 1, "graded": "f"},
    }
    assert exercise["outputs"] == [] and exercise["execution_count"] is None
    assert check["metadata"] == {"deletable": False, "editable": False}
    assert "x + 1" not in json.dumps(student)
    notebook["cells"].append({"cell_type": "code", "metadata": {}, "source": f"{BEGIN}\n1\n{END}\n"})
    with pytest.raises(AuthoringError, match="not an exercise"):
        student_notebook(notebook)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("student")
    paths = write_student_editions(ROOT / "notebooks", folder)
    assert {p.name for p in NOTEBOOKS} <= {p.name for p in paths}
    return folder


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_changes_only_the_solutions(path, editions):
    instructor = json.loads(path.read_text())
    student = json.loads((editions / path.name).read_text())
    kept = [
        c for c in instructor["cells"] if not {"instructor", "solution"} & set(c.get("metadata", {}).get("tags", []))
    ]
    assert len(kept) == len(student["cells"])
    for old, new in zip(kept, student["cells"]):
        assert new.get("outputs", []) == [] and new.get("execution_count") is None
        if _is_exercise(old):
            assert new["metadata"]["exercise"] == {
                k: old["metadata"]["exercise"][k] for k in ("id", "points", "graded")
            }
            assert BEGIN not in _src(new) and "NotImplementedError" in _src(new)
            solution = _src(old).split(BEGIN)[1].split(END)[0]
            for line in solution.splitlines():
                if line.strip() and not line.strip().startswith("#"):
                    assert line not in _src(new).splitlines(), line
        else:
            assert _src(new) == _src(old)  # so nbval of the instructor notebook covers these cells


def _check_cell_after(cells, index):
    following = cells[index + 1]
    assert following["cell_type"] == "code" and _src(following).lstrip().startswith("check("), (
        "each exercise cell must be followed by its public check"
    )
    return following


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_public_checks_pass_for_instructor_and_fail_for_student(path, editions, tmp_path, monkeypatch):
    # the kernel's setup cell starts the chapter's metrics file afresh: keep it away from the real _build/
    monkeypatch.setenv("COURSEWORK_ROOT", str(tmp_path))
    instructor = nbformat.reads(path.read_text(), as_version=4)
    student = nbformat.reads((editions / path.name).read_text(), as_version=4)
    code = [c for c in instructor.cells if c.cell_type == "code"]
    if not any(_is_exercise(c) for c in code):
        pytest.skip("no exercises in this chapter")
    run = nbformat.v4.new_notebook(metadata=instructor.metadata)
    run.cells.append(nbformat.v4.new_code_cell(code[0].source))  # the setup cell, as written
    expectations = []
    for i, cell in enumerate(instructor.cells):
        if cell.cell_type != "code" or not _is_exercise(cell):
            continue
        check = _check_cell_after(instructor.cells, i)
        stub = next(
            c
            for c in student.cells
            if c.get("metadata", {}).get("exercise", {}).get("id") == cell.metadata["exercise"]["id"]
        )
        for source, passes in ((cell.source, True), (stub.source, False)):
            run.cells += [nbformat.v4.new_code_cell(source), nbformat.v4.new_code_cell(check.source)]
            expectations.append((cell.metadata["exercise"]["id"], len(run.cells) - 1, passes))
    NotebookClient(
        run,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    assert not [o for o in run.cells[0].outputs if o.output_type == "error"], "setup cell failed"
    for exercise_id, index, passes in expectations:
        errors = [o for o in run.cells[index].outputs if o.output_type == "error"]
        if passes:
            assert not errors, (exercise_id, errors and errors[0].evalue)
            assert any("public cases passed" in o.get("text", "") for o in run.cells[index].outputs)
        else:
            assert errors and errors[0].ename == "CheckFailed", (exercise_id, errors)
            assert "not implemented" in errors[0].evalue


def test_keep_existing_never_overwrites_a_students_copy(tmp_path):
    source = tmp_path / "notebooks"
    source.mkdir()
    (source / NOTEBOOKS[0].name).write_text(NOTEBOOKS[0].read_text(encoding="utf-8"), encoding="utf-8")
    work = tmp_path / "my-work"
    first = write_student_editions(source, work, keep_existing=True)
    assert [p.name for p in first] == [NOTEBOOKS[0].name]
    mine = work / NOTEBOOKS[0].name
    mine.write_text(mine.read_text(encoding="utf-8").replace("YOUR CODE HERE", "MY ANSWER"), encoding="utf-8")
    assert write_student_editions(source, work, keep_existing=True) == []  # the edition has not changed
    assert "MY ANSWER" in mine.read_text(encoding="utf-8")
    notebook = json.loads((source / NOTEBOOKS[0].name).read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = ["# A new edition\n"]
    (source / NOTEBOOKS[0].name).write_text(json.dumps(notebook), encoding="utf-8")
    beside = write_student_editions(source, work, keep_existing=True)
    assert [p.name for p in beside] == [NOTEBOOKS[0].stem + ".new-edition.ipynb"]
    assert "MY ANSWER" in mine.read_text(encoding="utf-8")
