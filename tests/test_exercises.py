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
    verdict, shown_input, where = str(info.value).splitlines()
    assert verdict.startswith("ch01-relu-derivative: case 3 of 3: 1 of 3 values are wrong")
    case = exercises.get_exercise("ch01-relu-derivative").draw_cases(exercises.PUBLIC_SEED)[2][0]
    index = int(np.flatnonzero(case == 0.0)[0])
    assert shown_input.strip().startswith("input: Z = [") and shown_input.count(",") == case.size - 1
    assert where.strip() == f"at index ({index},): Z[{index}] = 0.0, where you returned 1.0"


def test_a_failed_check_never_shows_the_expected_value():
    exercise = exercises.get_exercise("ch01-sigmoid")
    (Z,) = exercise.draw_cases(exercises.PUBLIC_SEED)[0]
    with pytest.raises(CheckFailed) as info:
        check("ch01-sigmoid", lambda Z: np.tanh(Z))
    message = str(info.value)
    expected = 1 / (1 + np.exp(-Z[0]))  # the true sigmoid at the first wrong index, computed independently
    assert f"where you returned {float(np.tanh(Z[0]))!r}" in message
    for text in (repr(float(expected)), f"{expected:.4g}", f"{expected:.3f}"):
        assert text not in message


def test_an_exception_in_the_students_code_names_their_line_not_the_library():
    def sigmoid(Z):  # an IndexError in the student's own line
        return Z[Z.size]

    with pytest.raises(CheckFailed) as info:
        check("ch01-sigmoid", sigmoid)
    lines = str(info.value).splitlines()
    assert lines[0] == f"ch01-sigmoid: case 1 of 3: your function raised IndexError: {_index_error_text()}"
    assert lines[1].strip().startswith("input: Z = [")
    assert lines[2].strip() == "in sigmoid, line " + str(sigmoid.__code__.co_firstlineno + 1) + ": return Z[Z.size]"


def _index_error_text():
    try:
        np.zeros(5)[5]
    except IndexError as error:
        return str(error)


def test_tuple_answers_point_at_the_wrong_item_and_index():
    def momentum_update(params, grad, velocity, lr, momentum):
        new_velocity = momentum * velocity + lr * grad  # sign error
        return params + new_velocity, new_velocity

    with pytest.raises(CheckFailed) as info:
        check("ch04-momentum", momentum_update)
    verdict, _, where = str(info.value).splitlines()
    assert "item 0 of the tuple" in verdict
    assert where.strip().startswith("at index (0,) of item 0: params[0] = ")


@pytest.mark.parametrize(
    ("exercise_id", "naive"),
    [
        ("ch02-softmax-ce-gradient", "softmax_without_max"),
        ("ch07-discriminator-loss", "log_of_sigmoid"),
    ],
)
def test_each_stability_hint_is_enforced_by_a_case(exercise_id, naive):
    """The hints 'subtract each row's maximum' (2.2) and 'finite for logits of ±800' (7.1) each have a
    public case with inputs of large magnitude that the naive formula fails, as the sigmoid's does."""

    def softmax_without_max(Z, y):
        S = np.exp(Z)
        S /= S.sum(axis=1, keepdims=True)
        S[np.arange(len(y)), y] -= 1.0
        return S / len(y)

    def log_of_sigmoid(real_logits, fake_logits):
        real, fake = np.ravel(real_logits), np.ravel(fake_logits)
        with np.errstate(divide="ignore"):
            return float(-np.mean(np.log(1 / (1 + np.exp(-real)))) - np.mean(np.log(1 - 1 / (1 + np.exp(-fake)))))

    with pytest.raises(CheckFailed, match="overflows|NaN or infinite"):
        check(exercise_id, {"softmax_without_max": softmax_without_max, "log_of_sigmoid": log_of_sigmoid}[naive])
    largest = max(np.abs(a).max() for case in exercises.get_exercise(exercise_id).draw_cases(1) for a in case[:2])
    assert largest > 710  # exp overflows in float64 beyond log(max float) ~ 709.8, in every draw


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
