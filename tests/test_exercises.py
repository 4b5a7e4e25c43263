"""The public-check mechanism: correct answers pass, wrong or cheating ones fail with a useful message."""

import numpy as np
import pytest

from coursework_lib.course import exercises
from coursework_lib.course.exercises import CheckFailed, check, compare_answer


def test_every_reference_passes_its_own_public_check(capsys):
    for exercise_id, exercise in exercises.all_exercises().items():
        check(exercise_id, exercise.reference)
    assert "public cases passed" in capsys.readouterr().out


def test_ids_are_namespaced_by_chapter():
    for exercise_id, exercise in exercises.all_exercises().items():
        assert exercise_id.startswith("ch") and exercise_id[2:4].isdigit()
        assert exercise.graded.isidentifier()


def test_wrong_answer_fails_with_shape_message():
    with pytest.raises(CheckFailed, match=r"expected shape \(5,\), got shape \(5, 1\)"):
        check("ch01-sigmoid", lambda Z: (1 / (1 + np.exp(-Z)))[..., None])


def test_wrong_values_report_the_first_bad_index_only():
    with pytest.raises(CheckFailed, match=r"wrong; the first is at index \(\d+,\)") as info:
        check("ch01-relu-derivative", lambda Z: np.ones_like(Z))
    assert "expected" not in str(info.value).split("index")[1]


def test_not_implemented_is_reported():
    def stub(Z):
        raise NotImplementedError

    with pytest.raises(CheckFailed, match="not implemented yet"):
        check("ch01-sigmoid", stub)


class AlwaysEqual(np.ndarray):
    def __eq__(self, other):
        return True


def test_cheating_objects_do_not_pass():
    with pytest.raises(CheckFailed, match="numpy.ndarray"):
        check("ch01-sigmoid", lambda Z: np.zeros_like(Z).view(AlwaysEqual))
    with pytest.raises(CheckFailed, match="numpy.ndarray"):
        check("ch01-sigmoid", lambda Z: Z.tolist())
    with pytest.raises(CheckFailed, match="NaN"):
        check("ch01-sigmoid", lambda Z: np.full_like(Z, np.nan))


def test_compare_answer_scalars_and_tuples():
    assert compare_answer(1.0 + 1e-9, 1.0) is None
    assert "real number" in compare_answer(True, 1.0)
    assert "tuple" in compare_answer([1.0], (1.0,))
    assert compare_answer((np.ones(2), 2.0), (np.ones(2), 2.0)) is None
    assert "item 1" in compare_answer((np.ones(2), 3.0), (np.ones(2), 2.0))


def test_unknown_id_lists_known_ones():
    with pytest.raises(KeyError, match="ch01-sigmoid"):
        exercises.get_exercise("ch99-nothing")


def test_arguments_are_copied_so_a_student_cannot_corrupt_the_reference_inputs():
    def mutating(Z):
        Z[...] = 0.0
        return np.exp(-np.logaddexp(0.0, -Z))

    with pytest.raises(CheckFailed):
        check("ch01-sigmoid", mutating)


def test_the_textbook_sigmoid_fails_on_overflow_as_the_hint_warns():
    def textbook(Z):
        return 1 / (1 + np.exp(-Z))  # exp(900) overflows, although the result rounds to 0 correctly

    with pytest.raises(CheckFailed, match="overflows"):
        check("ch01-sigmoid", textbook)
    check("ch01-sigmoid", lambda Z: np.exp(-np.logaddexp(0.0, -Z)))  # the stable form passes


def test_a_failed_check_names_the_input_and_the_returned_value_not_the_expected_one():
    with pytest.raises(CheckFailed) as info:
        check("ch01-relu-derivative", lambda Z: (Z >= 0).astype(float))  # wrong at the kink, z = 0
    message = str(info.value)
    assert "where you returned 1.0" in message and "(input there: Z[" in message and "= 0.0)" in message
    assert "\n" not in message  # one line


def test_in_ipython_a_failed_check_shows_one_line_without_a_traceback(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.run_cell("from coursework_lib.course.exercises import check\ncheck('ch01-sigmoid', lambda Z: Z)")
        shown = capsys.readouterr()
        text = shown.out + shown.err
        assert "✘ ch01-sigmoid: case 1" in text
        assert "Traceback" not in text and "compare_answer" not in text
    finally:
        shell.set_custom_exc((), None)
        InteractiveShell.clear_instance()
