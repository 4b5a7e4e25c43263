"""Chapter 7's figures draw the arrays they are given, and the latent explorer builds its sliders."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from coursework_lib.maths import gan_theory
from coursework_lib.models import gan
from coursework_lib.viz import gan as gan_plots


def test_theory_figures_draw_the_given_curves():
    x = np.linspace(0, 1, 5)
    fig = gan_plots.plot_optimal_discriminator(x, x**2, 1 - x, np.full(5, 0.3))
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), x**2)
    np.testing.assert_array_equal(ax.lines[2].get_ydata(), np.full(5, 0.3))
    fig = gan_plots.plot_generator_losses(x, -x, x, 2 * x, 3 * x)
    assert len(fig.axes) == 2
    np.testing.assert_array_equal(fig.axes[1].lines[1].get_ydata(), 3 * x)
    assert fig.axes[1].get_ylabel() == "|d loss / d logit|"
    gan_plots.plot_optimal_discriminator(**gan_theory.optimal_discriminator_example())
    gan_plots.plot_generator_losses(**gan_theory.generator_loss_curves())
    trajectory = gan_theory.linear_gan_trajectory([1.0, 0.0, 0.0, 0.0], steps=10)
    fig = gan_plots.plot_linear_gan(trajectory)
    np.testing.assert_array_equal(fig.axes[1].lines[0].get_xdata(), trajectory[:, 1])
    plt.close("all")


def test_latent_walks_and_judged_sample_draw_what_they_are_given():
    walks = {"a": np.zeros((4, 28, 28)), "b": np.ones((4, 28, 28))}
    fig = gan_plots.plot_latent_walks(walks)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["a", "", "", "", "b", "", "", ""]
    assert len(fig.axes) == 8 and all(len(ax.images) == 1 for ax in fig.axes)  # two rows of four images
    np.testing.assert_array_equal(fig.axes[4].images[0].get_array(), np.ones((28, 28)))
    fig = gan_plots.plot_judged_sample(np.zeros((28, 28)), 7, 0.934)
    assert fig.axes[0].get_title() == "judge: 7 (93% sure)"
    assert gan_plots.plot_judged_sample(np.zeros((28, 28))).axes[0].get_title() == ""
    plt.close("all")


def test_figures_and_widget_build():
    generator = gan.build_small_generator(width=4)
    fig = gan_plots.plot_latent_walks(gan.latent_walks(generator, pairs=((0, 1),), steps=4, nudge_dims=(0,)))
    assert len(fig.axes) == 2 * 4  # one walk and one nudged coordinate, four steps each
    pytest.importorskip("ipywidgets")
    from coursework_lib.widgets import gan as gan_widgets

    widget = gan_widgets.latent_explorer(generator)
    names = {c.description for c in widget.children if hasattr(c, "description")}
    assert {"seed A", "seed B", "A → B", "coordinate", "nudge"} <= names
    plt.close("all")
