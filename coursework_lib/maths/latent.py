"""Points and paths in a latent space, shared by the VAE (chapter 6) and the GAN (chapter 7): straight-line
interpolation, a 2-D grid of codes, and sweeps of one coordinate at a time."""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int


def interpolate_latents(z0, z1, steps: int = 8) -> np.ndarray:
    """Points (1 - t) z0 + t z1 for ``steps`` evenly spaced t from 0 to 1, both ends included.

    z0, z1: (d,) of one shape -> (steps, d) float32.
    """
    z0 = as_float_array(z0, "z0", ndim=1)
    z1 = as_float_array(z1, "z1", ndim=1)
    if z0.shape != z1.shape:
        raise ValueError(f"z0 and z1 must have the same shape, got {z0.shape} and {z1.shape}")
    t = np.linspace(0.0, 1.0, check_positive_int(steps, "steps"))[:, None]
    return ((1.0 - t) * z0 + t * z1).astype(np.float32)


def latent_grid(extent: float = 2.5, num: int = 15):
    """A num x num grid of 2-D latent points in [-extent, extent]^2, first row at the top (largest z2).

    -> (num * num, 2) float32, row-major (z1 varies fastest).
    """
    extent = check_finite_number(extent, "extent", positive=True)
    num = check_positive_int(num, "num")
    values = np.linspace(-extent, extent, num)
    z1, z2 = np.meshgrid(values, values[::-1])
    return np.stack([z1.ravel(), z2.ravel()], axis=1).astype(np.float32)


def latent_sweep(base, dims, values):
    """Codes that move one latent coordinate at a time away from ``base``.

    base: (latent_dim,); dims: the coordinates to move (ints in [0, latent_dim)); values: (k,) the
    values each takes. -> (len(dims) * k, latent_dim) float32: block d is ``base`` with coordinate
    ``dims[d]`` set to each of ``values`` in turn.
    """
    base = as_float_array(base, "base", ndim=1, dtype=np.float32)
    values = as_float_array(values, "values", ndim=1)
    dims = [int(d) for d in dims]
    if not dims or any(not 0 <= d < base.size for d in dims):
        raise ValueError(f"dims must be a non-empty list of ints in [0, {base.size}), got {dims}")
    Z = np.repeat(base[None], len(dims) * len(values), axis=0)
    for i, d in enumerate(dims):
        Z[i * len(values) : (i + 1) * len(values), d] = values
    return Z
