import numpy as np
import pytest

from coursework_lib.evaluation import timing


def test_time_activations_rows_are_consistent():
    rows = timing.time_activations(n=2000, repeats=1)
    assert [r["activation"] for r in rows] == ["linear", "sigmoid", "tanh", "relu"]
    for r in rows:
        assert r["python_loop_s"] > 0 and r["numpy_s"] > 0 and r["tensorflow_s"] > 0
        assert r["numpy_speedup"] == pytest.approx(r["python_loop_s"] / r["numpy_s"])


def test_tensorflow_ops_compute_the_same_activations():
    from coursework_lib.maths.activations import ACTIVATIONS

    z = np.linspace(-4, 4, 9)
    for name in ("linear", "sigmoid", "tanh", "relu"):
        np.testing.assert_allclose(timing.tensorflow_activation(name)(z).numpy(), ACTIVATIONS[name][0](z), rtol=1e-12)


def test_best_time_validates_repeats():
    with pytest.raises(ValueError, match="repeats"):
        timing.best_time(lambda: None, repeats=0)


def test_timing_table_lists_every_row_with_the_source_number():
    rows = [
        {
            "activation": "sigmoid",
            "python_loop_s": 0.5,
            "numpy_s": 0.01,
            "tensorflow_s": 0.02,
            "numpy_speedup": 50.0,
            "tensorflow_speedup": 25.0,
        }
    ]
    table = timing.timing_table_markdown(rows).splitlines()
    assert len(table) == 3
    assert table[2].split("|")[2].strip() == "1.61" and "50×" in table[2]


def test_numpy_sigmoid_matches_scipy_expit_and_never_overflows():
    from scipy.special import expit

    z = np.concatenate([np.linspace(-30, 30, 61), [-1000.0, 1000.0]])
    with np.errstate(over="raise"):
        np.testing.assert_allclose(timing.numpy_sigmoid(z), expit(z), rtol=1e-12, atol=0)
    assert timing.numpy_sigmoid(np.zeros((2, 3))).shape == (2, 3)


def test_the_numpy_column_times_numpy_not_scipy():
    assert timing.NUMPY_ACTIVATIONS["sigmoid"] is timing.numpy_sigmoid
