"""Chapter 3 exercises: output-size arithmetic, a single-channel convolution, the max-pool backward pass."""

import numpy as np

from ..conv import conv_output_size, correlate2d_valid, max_pool2x2_backward
from .core import Exercise, register


def conv_output_length(size, kernel_size, stride, same_padding):
    """Output length of a convolution along one axis; ``same_padding`` is 1.0 ("same") or 0.0 ("valid")."""
    return conv_output_size(int(size), int(kernel_size), int(stride), "same" if same_padding else "valid")


def _size_inputs(rng):
    return [(28, 3, 1, 0.0), (28, 3, 2, 1.0), (13, 3, 1, 0.0), (11, 3, 2, 0.0), (7, 4, 3, 1.0),
            (int(rng.integers(10, 40)), 5, 2, 0.0)]


register(Exercise(id="ch03-output-size", graded="conv_output_length", reference=conv_output_length,
                  cases=_size_inputs))


def _correlate_inputs(rng):
    return [(rng.normal(size=(5, 5)), rng.normal(size=(3, 3))), (rng.normal(size=(6, 8)), rng.normal(size=(2, 3))),
            (rng.normal(size=(4, 4)), rng.normal(size=(4, 4)))]


register(Exercise(id="ch03-correlate2d", graded="correlate2d_valid", reference=correlate2d_valid,
                  cases=_correlate_inputs))


def _pool_inputs(rng):
    return [(rng.normal(size=(h // 2, w // 2)), rng.normal(size=(h, w))) for h, w in ((2, 2), (4, 6), (8, 8))]


register(Exercise(id="ch03-max-pool-backward", graded="max_pool2x2_backward", reference=max_pool2x2_backward,
                  cases=_pool_inputs))

__all__ = ["conv_output_length"]
