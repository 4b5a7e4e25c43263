"""Small builders shared by several test files (not tests themselves)."""

import numpy as np

from coursework_lib.restoration.generators import SourceGenerator


def random_generator(seed=0, latent=10, hidden=128, out=784):
    """A random generator of the eights' shape, ``SourceGenerator`` latent -> hidden -> out, seeded."""
    rng = np.random.default_rng(seed)
    return SourceGenerator(
        rng.normal(0, 0.5, (hidden, latent)),
        rng.normal(0, 0.1, (hidden, 1)),
        rng.normal(0, 0.3, (out, hidden)),
        rng.normal(0, 0.1, (out, 1)),
    )
