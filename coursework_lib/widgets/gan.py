"""Chapter 7's widget: walk between two latent vectors and nudge single coordinates; the judge says
what it sees. Static twin: ``viz.gan.plot_latent_walks`` of ``models.gan.latent_walks``."""

from __future__ import annotations

import matplotlib.pyplot as plt

from coursework_lib.evaluation import classification
from coursework_lib.models import gan
from coursework_lib.viz import gan as gan_plots
from coursework_lib.widgets import Explorer


def latent_explorer(generator, classifier=None, seed_a: int = 0, seed_b: int = 1, nudge_extent: float = 4.0):
    """Sliders: the seeds of the two end points, the position t on the line between them, one latent
    coordinate and how far to move it. Shows G(z) and, with a classifier, its label and confidence.
    Each redraw runs the generator (and the classifier), so the sliders redraw when released. Returns an
    :class:`Explorer`."""
    import ipywidgets as widgets

    noise_dim = gan.noise_dimension(generator)

    def draw(seed_a, seed_b, t, coordinate, nudge):
        za, zb = gan.latent_vectors(1, seed_a, noise_dim)[0], gan.latent_vectors(1, seed_b, noise_dim)[0]
        image = gan.generate(generator, gan.nudge_coordinate((1 - t) * za + t * zb, coordinate, [nudge]))
        label = confidence = None
        if classifier is not None:
            p = classification.classifier_probabilities(classifier, image)[0]
            label, confidence = int(p.argmax()), float(p.max())
        gan_plots.plot_judged_sample(image[0], label, confidence)
        plt.show()

    return Explorer(
        widgets.interactive(
            draw,
            seed_a=widgets.IntSlider(seed_a, 0, 99, description="seed A", continuous_update=False),
            seed_b=widgets.IntSlider(seed_b, 0, 99, description="seed B", continuous_update=False),
            t=widgets.FloatSlider(0.0, min=0.0, max=1.0, step=0.05, description="A → B", continuous_update=False),
            coordinate=widgets.IntSlider(0, 0, noise_dim - 1, description="coordinate", continuous_update=False),
            nudge=widgets.FloatSlider(
                0.0, min=-nudge_extent, max=nudge_extent, step=0.25, description="nudge", continuous_update=False
            ),
        )
    )
