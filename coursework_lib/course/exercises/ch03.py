"""Chapter 3 exercises: output-size arithmetic, a single-channel convolution, the max-pool backward pass."""

from coursework_lib.maths.conv import conv_output_size, correlate2d_valid, max_pool2x2_backward

from .core import Exercise, register


def conv_output_length(size, kernel_size, stride, same_padding):
    """Output length of a convolution along one axis; ``same_padding`` is 1.0 ("same") or 0.0 ("valid")."""
    return conv_output_size(int(size), int(kernel_size), int(stride), "same" if same_padding else "valid")


def _size_inputs(rng):
    """Six (size, kernel_size, stride, same_padding) cases covering both paddings, strides 1 to 3 and a
    size that the stride does not divide; every size is drawn at random."""
    cases = []
    for kernel_size, stride, same in ((3, 1, 0.0), (3, 2, 1.0), (3, 1, 1.0), (3, 2, 0.0), (4, 3, 1.0), (5, 2, 0.0)):
        size = int(rng.integers(kernel_size + 4, 121))
        cases.append((size, kernel_size, stride, same))
    size = int(rng.integers(4, 40)) * 3 + 1
    cases[4] = (size, 4, 3, 1.0)  # a size that a stride of 3 does not divide: ceil matters
    return cases


register(Exercise(id="ch03-output-size", graded="conv_output_length", reference=conv_output_length, cases=_size_inputs))


def _correlate_inputs(rng):
    return [
        (rng.normal(size=(5, 5)), rng.normal(size=(3, 3))),
        (rng.normal(size=(6, 8)), rng.normal(size=(2, 3))),
        (rng.normal(size=(4, 4)), rng.normal(size=(4, 4))),
    ]


register(
    Exercise(id="ch03-correlate2d", graded="correlate2d_valid", reference=correlate2d_valid, cases=_correlate_inputs)
)


def _pool_inputs(rng):
    return [(rng.normal(size=(h // 2, w // 2)), rng.normal(size=(h, w))) for h, w in ((2, 2), (4, 6), (8, 8))]


register(
    Exercise(
        id="ch03-max-pool-backward", graded="max_pool2x2_backward", reference=max_pool2x2_backward, cases=_pool_inputs
    )
)

__all__ = ["conv_output_length"]
