"""The noise model rejects the commonest data mistake, 0-255 pixels, with the fix in the message."""

import numpy as np
import pytest

from coursework_lib.core import data, noise

ADDERS = {
    "add_gaussian_noise": lambda X: noise.add_gaussian_noise(X, 0.5, seed=0),
    "add_uniform_noise": lambda X: noise.add_uniform_noise(X, 0.5, seed=0),
    "noisy_pairs": lambda X: noise.noisy_pairs(X, (0.2, 0.6), seed=0),
    "noisy_test_sets": lambda X: noise.noisy_test_sets(X, [0.5]),
}


@pytest.fixture
def digits_0_255():
    """Four fake digits on the 0-255 scale, as MNIST's loader returns them (uint8)."""
    rng = np.random.default_rng(0)
    return (rng.random((4, 28, 28)) ** 4 * 255).round().astype(np.uint8)


@pytest.mark.parametrize("name", sorted(ADDERS))
def test_uint8_pixels_are_rejected_naming_the_fix(name, digits_0_255):
    with pytest.raises(ValueError, match=r"dtype uint8.*X / 255.*data\.to_unit_float"):
        ADDERS[name](digits_0_255)


@pytest.mark.parametrize("name", sorted(ADDERS))
def test_float_pixels_in_0_255_are_rejected_naming_the_fix(name, digits_0_255):
    with pytest.raises(ValueError, match=r"pixels in \[0, 1\].*0-255.*X / 255.*to_unit_float"):
        ADDERS[name](digits_0_255.astype(np.float32))


@pytest.mark.parametrize("name", sorted(ADDERS))
def test_values_just_above_1_are_rejected_too(name, digits_0_255):
    X = data.to_unit_float(digits_0_255)
    X[0, 0, 0] = 1.01  # e.g. a ReLU decoder's output: the noise model is for images from data only
    with pytest.raises(ValueError, match=r"pixels in \[0, 1\], got values in \[0, 1\.01\].*np\.clip"):
        ADDERS[name](X)


@pytest.mark.parametrize("name", sorted(ADDERS))
def test_the_fix_named_in_the_message_works(name, digits_0_255):
    fixed = [data.to_unit_float(digits_0_255), digits_0_255 / 255]
    for X in fixed:
        ADDERS[name](X)  # no error


def test_the_silent_failure_the_check_prevents():
    """Without the check, 0-255 pixels plus sigma = 0.5 noise clip to an almost binary image: what the
    issue saw. Here on the raw arithmetic (not the library): over 90 % of the pixels end at 0 or 1."""
    rng = np.random.default_rng(1)
    X = rng.integers(0, 256, (4, 28, 28)).astype(np.float32)
    out = np.clip(X + 0.5 * rng.standard_normal(X.shape), 0, 1)
    assert np.mean((out == 0) | (out == 1)) > 0.9
