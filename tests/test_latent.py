"""Latent points and paths against hand-written expectations."""

import numpy as np
import pytest

from coursework_lib.maths import latent


def test_interpolation_and_grid():
    path = latent.interpolate_latents(np.zeros(3), np.ones(3), steps=5)
    assert np.allclose(path[:, 0], [0, 0.25, 0.5, 0.75, 1])
    grid = latent.latent_grid(2.0, 3)
    assert grid.shape == (9, 2) and np.allclose(grid[0], [-2, 2]) and np.allclose(grid[-1], [2, -2])


def test_latent_sweep_moves_one_coordinate_per_block():
    base, values = np.array([0.5, -1.0, 2.0]), np.array([-1.0, 0.0, 1.0, 2.0])
    Z = latent.latent_sweep(base, dims=(2, 0), values=values)
    expected = []
    for d in (2, 0):
        for v in values:
            z = base.copy()
            z[d] = v
            expected.append(z)
    assert Z.dtype == np.float32 and np.array_equal(Z, np.array(expected, np.float32))
    with pytest.raises(ValueError, match="dims"):
        latent.latent_sweep(base, dims=(3,), values=values)
