"""Compressed-sensing helpers against independent computations (scipy.stats, exact sparse recovery)."""

import numpy as np
import pytest
from scipy import stats

from coursework_lib.evaluation.image_quality import mse_per_image
from coursework_lib.maths import measurements as ms
from coursework_lib.restoration import compressed_sensing as cs
from coursework_lib.restoration.generators import DenseGenerator


def test_mse_and_standard_error():
    rng = np.random.default_rng(0)
    X, X_hat = rng.random((7, 784)), rng.random((7, 784))
    np.testing.assert_allclose(mse_per_image(X, X_hat), [np.mean((a - b) ** 2) for a, b in zip(X_hat, X)])
    values = rng.random(30)
    mean, se = cs.mean_and_stderr(values)
    assert mean == pytest.approx(values.mean()) and se == pytest.approx(stats.sem(values))


def test_measure_rows_noise_has_the_requested_norm():
    A = ms.gaussian_measurement_matrix(50, seed=1)
    X = np.random.default_rng(2).random((4, 784))
    np.testing.assert_allclose(np.linalg.norm(cs.measure_rows(A, X, 0.1, seed=3) - X @ A.T, axis=1), 0.1)


def test_lasso_recovers_a_sparse_image_from_enough_measurements():
    rng = np.random.default_rng(4)
    X = np.zeros((2, 784))
    for row in X:
        row[rng.choice(784, 20, replace=False)] = rng.uniform(0.5, 1.0, 20)
    A = ms.gaussian_measurement_matrix(300, seed=5)
    X_hat = cs.lasso_recover(A, X @ A.T, 1e-5)
    assert mse_per_image(X, X_hat).max() < 1e-3
    assert X_hat.min() >= 0 and X_hat.max() <= 1


def test_summarize_sweep_against_scipy():
    rng = np.random.default_rng(9)
    results = {
        50: {"gen_mse": rng.random(12), "lasso_mse": None, "alpha": None},
        25: {"gen_mse": rng.random(12), "lasso_mse": rng.random(12), "alpha": 1e-4},
    }
    summary = cs.summarize_sweep(results)
    assert list(summary) == [25, 50]
    for m, entry in results.items():
        mean, se = summary[m]["generator"]
        assert mean == pytest.approx(entry["gen_mse"].mean()) and se == pytest.approx(stats.sem(entry["gen_mse"]))
    assert summary[25]["lasso"][1] == pytest.approx(stats.sem(results[25]["lasso_mse"]))
    assert summary[50]["lasso"] is None and summary[25]["alpha"] == 1e-4


def test_sweep_records_both_methods_on_the_same_images():
    rng = np.random.default_rng(10)
    G = DenseGenerator(
        (
            (rng.normal(0, 0.3, (5, 16)).astype(np.float32), np.zeros(16, np.float32)),
            (rng.normal(0, 0.3, (16, 784)).astype(np.float32), np.zeros(784, np.float32)),
        )
    )
    X_test, X_val = rng.random((3, 784)), rng.random((2, 784))
    results = cs.compressed_sensing_sweep(
        G, X_test, X_val, (20, 40), num_restarts=1, num_steps=5, alphas=(1e-3, 1e-2), lasso=(40,), verbose=False
    )
    assert results[20]["lasso_mse"] is None and results[40]["alpha"] in (1e-3, 1e-2)
    assert results[20]["gen_mse"].shape == results[40]["lasso_mse"].shape == (3,)


def test_stratified_indices_draw_per_class_and_respect_exclusions():
    labels = np.repeat(np.arange(4), 25)
    np.random.default_rng(0).shuffle(labels)
    ev = cs.stratified_indices(labels, 5, seed=1)
    assert len(ev) == 20 and len(set(ev)) == 20
    assert np.array_equal(np.bincount(labels[ev]), [5, 5, 5, 5])
    np.testing.assert_array_equal(ev, cs.stratified_indices(labels, 5, seed=1))  # the seed fixes the draw
    va = cs.stratified_indices(labels, 3, seed=2, exclude=ev)
    assert not set(va) & set(ev) and np.array_equal(np.bincount(labels[va]), [3, 3, 3, 3])
    with pytest.raises(ValueError, match="class"):
        cs.stratified_indices(labels, 26, seed=0)
    with pytest.raises(ValueError, match="labels"):
        cs.stratified_indices(labels.astype(float), 2, seed=0)


@pytest.mark.parametrize(
    "mean, se, expected",
    [(0.020, 0.001, "ahead"), (0.0270, 0.0005, "tie"), (0.030, 0.001, "behind"), (0.0285, 0.0005, "tie")],
)
def test_verdict_uses_two_standard_errors(mean, se, expected):
    assert cs.verdict(mean, se, 0.0276) == expected
