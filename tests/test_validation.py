import numpy as np
import pytest

from coursework_lib.core.validation import as_float_array, check_choice, check_finite_number, check_positive_int


def test_ints_become_float64_and_float32_is_kept():
    assert as_float_array([1, 2], "x").dtype == np.float64
    assert as_float_array(np.zeros(2, np.float32), "x").dtype == np.float32


def test_shape_with_wildcards():
    as_float_array(np.zeros((3, 4)), "X", shape=(None, 4))
    with pytest.raises(ValueError, match=r"X must have shape \(any, 5\), got \(3, 4\)"):
        as_float_array(np.zeros((3, 4)), "X", shape=(None, 5))


@pytest.mark.parametrize("bad", [[1 + 2j], [[1, 2], [3]], "12", [np.inf]])
def test_rejections_name_the_argument(bad):
    with pytest.raises((TypeError, ValueError), match="weights"):
        as_float_array(bad, "weights")


def test_scalar_checks():
    assert check_positive_int(3, "n") == 3
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="n must be a positive integer"):
            check_positive_int(bad, "n")
    with pytest.raises(ValueError, match="lr must be positive"):
        check_finite_number(-1.0, "lr", positive=True)
    with pytest.raises(ValueError, match="lr must be a finite"):
        check_finite_number(float("nan"), "lr")
    with pytest.raises(ValueError, match="mode must be one of"):
        check_choice("x", "mode", {"a", "b"})


def test_as_unit_images_rejects_pixels_in_0_255_with_the_fix():
    from coursework_lib.core.validation import as_unit_images

    X = np.array([[0.0, 0.5, 1.0]])
    assert as_unit_images(X, "X").dtype == np.float32
    with pytest.raises(ValueError, match="divide by 255"):
        as_unit_images(np.array([[0, 128, 255]], dtype=np.uint8), "X")
    with pytest.raises(ValueError, match=r"X must have pixels in \[0, 1\].*divide by 255"):
        as_unit_images(np.array([[0.0, 128.0, 255.0]]), "X")
    with pytest.raises(ValueError, match=r"pixels in \[0, 1\]"):
        as_unit_images(np.array([[-0.5, 0.2]]), "X")
    assert as_unit_images(np.array([[1.4]]), "X", tolerance=1.0).shape == (1, 1)


def test_as_unit_images_max_value_admits_a_models_overshoot_but_not_0_255():
    from coursework_lib.core.validation import as_unit_images

    assert as_unit_images(np.array([[0.0, 1.9]]), "X", max_value=4.0).dtype == np.float32
    with pytest.raises(ValueError, match=r"X must have pixels in \[0, 1\] \(a model's output up to 4\).*X / 255"):
        as_unit_images(np.array([[0.0, 200.0]]), "X", max_value=4.0)
    with pytest.raises(ValueError, match=r"got values in \[0, 1\.2\].*np\.clip\(X, 0, 1\)"):
        as_unit_images(np.array([[0.0, 1.2]]), "X")  # strict by default: images from data
    with pytest.raises(ValueError, match=r"\(X \+ 1\) / 2"):
        as_unit_images(np.array([[-1.0, 1.0]]), "X")
