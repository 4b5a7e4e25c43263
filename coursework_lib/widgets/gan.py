"""Chapter 7's widget: walk between two latent vectors and nudge single coordinates; the judge says
what it sees. Static twin: ``plotting.gan.plot_latent_walks``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import gan, models


def latent_explorer(generator, classifier=None, seed_a: int = 0, seed_b: int = 1, nudge_extent: float = 4.0):
    """Sliders: the seeds of the two end points, the position t on the line between them, one latent
    coordinate and how far to move it. Shows G(z) and, with a classifier, its label and confidence."""
    import ipywidgets as widgets

    noise_dim = gan.noise_dimension(generator)

    def draw(seed_a, seed_b, t, coordinate, nudge):
        za, zb = gan.latent_vectors(1, seed_a, noise_dim)[0], gan.latent_vectors(1, seed_b, noise_dim)[0]
        z = ((1 - t) * za + t * zb).astype(np.float32)
        z[coordinate] += nudge
        image = gan.generate(generator, z[None])
        fig, ax = plt.subplots(figsize=(2.6, 2.8))
        ax.imshow(image[0], cmap="gray", vmin=0, vmax=1)
        ax.axis("off")
        if classifier is not None:
            p = models.classifier_probabilities(classifier, image)[0]
            ax.set_title(f"judge: {p.argmax()} ({p.max():.0%} sure)", fontsize=9)
        plt.show()

    return widgets.interactive(
        draw, seed_a=widgets.IntSlider(seed_a, 0, 99, description="seed A"),
        seed_b=widgets.IntSlider(seed_b, 0, 99, description="seed B"),
        t=widgets.FloatSlider(0.0, min=0.0, max=1.0, step=0.05, description="A → B"),
        coordinate=widgets.IntSlider(0, 0, noise_dim - 1, description="coordinate"),
        nudge=widgets.FloatSlider(0.0, min=-nudge_extent, max=nudge_extent, step=0.25, description="nudge"))
