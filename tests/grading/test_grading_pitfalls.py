"""Honest students do not lose points: BOM/CRLF notebooks, ``%`` continuation lines, helpers in other
cells, integer answers where floats are expected, float32 answers, and standard-library imports after
the privilege drop (the project's .venv lives in a 0700 home)."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from coursework_lib.course.exercises import compare_answer
from coursework_lib.course.exercises.core import FLOAT32_TOLERANCE
from coursework_lib.course.grading import grade_batch
from coursework_lib.course.grading.policy import forbidden_use, graded_sources, neutralise_magics

from .conftest import FAST, write_notebook

SIGMOID_WITH_PERCENT_CONTINUATION = (
    "%timeit -n1 1 + 1\n"
    "def sigmoid(Z):\n"
    "    two = (7\n"
    "% 5)\n"  # a continuation line that starts with %
    "    return two / 2.0 * np.exp(-np.logaddexp(0.0, -np.asarray(Z, dtype=float)))\n"
)


def _with_cells(notebook: dict, sources: dict, extra_cells=()) -> dict:
    notebook = copy.deepcopy(notebook)
    for cell in notebook["cells"]:
        exercise_id = cell.get("metadata", {}).get("exercise", {}).get("id")
        if exercise_id in sources:
            cell["source"] = sources[exercise_id]
    for source in extra_cells:
        notebook["cells"].insert(
            1, {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
        )
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory, instructor):
    folder = tmp_path_factory.mktemp("pitfalls")
    subs = folder / "subs"
    subs.mkdir(mode=0o700)
    crlf = json.dumps(
        _with_cells(
            instructor,
            {
                "ch01-sigmoid": "def sigmoid(Z):\r\n    Z = np.asarray(Z, dtype=float)\r\n"
                "    return np.exp(-np.logaddexp(0.0, -Z))\r\n"
            },
        ),
        indent=1,
    )
    notebooks = {
        "bom_crlf": b"\xef\xbb\xbf" + crlf.replace("\n", "\r\n").encode(),
        "percent_continuation": _with_cells(instructor, {"ch01-sigmoid": SIGMOID_WITH_PERCENT_CONTINUATION}),
        "cell_magic_time": _with_cells(
            instructor,
            {"ch01-sigmoid": "%%time\ndef sigmoid(Z):\n    return np.exp(-np.logaddexp(0.0, -np.asarray(Z, float)))\n"},
        ),
        "helper_in_untagged_cell": _with_cells(
            instructor,
            {"ch01-sigmoid": "def sigmoid(Z):\n    return _logistic(Z)\n"},
            [
                "def _logistic(Z):\n    return np.exp(-np.logaddexp(0.0, -_as_float(Z)))\n",
                "def _as_float(Z):\n    return np.asarray(Z, dtype=float)\n",
            ],
        ),
        "variable_in_untagged_cell": _with_cells(
            instructor, {"ch01-sigmoid": "def sigmoid(Z):\n    return ONE / (ONE + np.exp(-Z))\n"}, ["ONE = 1.0\n"]
        ),
        "int_answers": _with_cells(
            instructor,
            {"ch01-relu-derivative": "def relu_derivative(Z):\n    return (np.asarray(Z) > 0).astype(np.int64)\n"},
        ),
        "float32_answers": _with_cells(
            instructor,
            {
                "ch01-dense-forward": "def dense_forward(A_prev, W, b):\n"
                "    f = np.float32\n"
                "    return A_prev.astype(f) @ W.astype(f) + b.astype(f)\n"
            },
        ),
        "textbook_sigmoid_overflows": _with_cells(
            instructor, {"ch01-sigmoid": "def sigmoid(Z):\n    return 1 / (1 + np.exp(-np.asarray(Z, float)))\n"}
        ),
        "stdlib_after_privilege_drop": _with_cells(
            instructor,
            {
                "ch01-sigmoid": (
                    "def sigmoid(Z):\n"
                    "    import fractions, decimal, statistics, json, csv, sqlite3, xml.dom.minidom, zipfile\n"
                    "    import scipy.special\n    return scipy.special.expit(np.asarray(Z, dtype=float))\n"
                )
            },
        ),
    }
    paths = [write_notebook(subs, f"{name}.ipynb", nb) for name, nb in notebooks.items()]
    results = grade_batch(paths, "01", folder / "out", seed=99, jobs=2, limits=FAST)
    return {r.name: r for r in results}


@pytest.mark.parametrize(
    "name",
    [
        "bom_crlf",
        "percent_continuation",
        "cell_magic_time",
        "helper_in_untagged_cell",
        "int_answers",
        "float32_answers",
        "stdlib_after_privilege_drop",
    ],
)
def test_honest_submission_gets_full_marks(graded, name):
    result = graded[name]
    assert result.score == result.max_score == 5, [e.feedback for e in result.exercises]


def test_the_textbook_sigmoid_that_overflows_scores_zero_like_in_the_public_check(graded):
    """The exercise's hint warns that exp(-z) overflows for very negative z; the grader, like the public
    check, runs answers with overflow as an error, so the formula that only rounds to the right value fails."""
    sigmoid = next(e for e in graded["textbook_sigmoid_overflows"].exercises if e.id == "ch01-sigmoid")
    assert sigmoid.score == 0 and "overflow" in sigmoid.feedback


def test_a_variable_from_another_cell_is_reported_by_name(graded):
    item = graded["variable_in_untagged_cell"].exercises[0]
    assert item.score == 0 and "'ONE' is set in another cell" in item.feedback


def test_magics_are_commented_only_where_a_statement_starts():
    text = neutralise_magics(SIGMOID_WITH_PERCENT_CONTINUATION)
    assert text.startswith("# %timeit") and "\n% 5)\n" in text
    assert neutralise_magics("!ls\ns = '''\n% kept in a string\n'''\n") == "# !ls\ns = '''\n% kept in a string\n'''\n"
    assert neutralise_magics("%%bash\nrm -rf /\n").startswith("# %%bash\n# rm -rf /")
    compile(neutralise_magics("x = (5\n%   2)\n!echo\ny = 1 \\\n% 1\n"), "<cell>", "exec")


def test_helpers_are_included_transitively_and_checked():
    helpers, cells = graded_sources(
        ["def f(x):\n    return g(x)\n"],
        [
            "def g(x):\n    return h(x)\n",
            "def h(x):\n    return x\n",
            "def unused():\n    pass\n",
            "def g(x):\n    return h(x) + 0\n",
        ],
    )
    assert sorted(h.split("(")[0] for h in helpers) == ["def g", "def h"] and cells == ["def f(x):\n    return g(x)\n"]
    assert any("+ 0" in h for h in helpers)  # the last definition wins
    assert forbidden_use(["def f(x):\n    return mlp.relu(x)\n"], {"mlp"})
    assert forbidden_use(["mlp = 3\ndef f(x):\n    return mlp\n"], {"mlp"}) is None  # the student's own mlp
    assert forbidden_use(["import numpy as np\nfrom math import exp\n"]) is None


def test_integer_answers_where_floats_are_expected():
    assert compare_answer(np.array([0, 1, 1]), np.array([0.0, 1.0, 1.0])) is None
    assert compare_answer(3, 3.0) is None
    assert "too large" in compare_answer(np.array([2**60]), np.array([2.0**60]))
    assert "use .astype(float)" in compare_answer(np.array([True, False]), np.array([1.0, 0.0]))


def test_float32_answers_pass_for_every_draw_and_wrong_ones_fail():
    """The tolerance is stated (FLOAT32_TOLERANCE) and does not depend on the draw."""
    assert FLOAT32_TOLERANCE == 1e-4
    for seed in range(300):
        rng = np.random.default_rng(seed)
        A, W, b = rng.normal(size=(7, 30)), rng.normal(size=(30, 6)), rng.normal(size=6)
        expected = A @ W + b
        got = A.astype(np.float32) @ W.astype(np.float32) + b.astype(np.float32)
        assert compare_answer(got, expected) is None, seed
        wrong = (A.astype(np.float32) @ W.astype(np.float32)) * np.float32(1.01) + b.astype(np.float32)
        assert compare_answer(wrong, expected) is not None, seed
        assert compare_answer(np.float32(expected.sum()), float(expected.sum())) is None
