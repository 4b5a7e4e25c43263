"""Chapter 6's figures (coursework_lib.viz.vae) draw the arrays they are given, and nothing else."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from coursework_lib.viz import vae as vae_plots


def _estimates(n, offset):
    closed = np.arange(n, dtype=float) + offset
    return {"closed": closed, "monte_carlo": closed + 0.1, "standard_error": np.full(n, 0.01), "source": -closed}


def test_plot_kl_check_draws_the_given_estimates():
    mu_values, lv_values = np.linspace(-1, 1, 3), np.linspace(-2, 2, 5)
    by_mu, by_lv = _estimates(3, 0.0), _estimates(5, 10.0)
    fig = vae_plots.plot_kl_check(mu_values, by_mu, lv_values, by_lv)
    for ax, values, kl in zip(fig.axes, (mu_values, lv_values), (by_mu, by_lv)):
        closed, source = ax.lines[0], ax.lines[-2]  # the last line is the axhline at 0
        np.testing.assert_array_equal(closed.get_xdata(), values)
        np.testing.assert_array_equal(closed.get_ydata(), kl["closed"])
        np.testing.assert_array_equal(source.get_ydata(), kl["source"])
        markers = [line for line in ax.lines if line.get_marker() == "o"]
        np.testing.assert_allclose(markers[0].get_ydata(), kl["monte_carlo"])
    plt.close("all")


def test_plot_latent_sweep_puts_one_coordinate_per_row():
    values = np.array([-1.0, 0.0, 1.0])
    images = np.stack([np.full((4, 4, 1), i / 6) for i in range(6)])  # 2 dims x 3 values
    fig = vae_plots.plot_latent_sweep(images, dims=(0, 1), values=values, title="t")
    axes = np.array(fig.axes).reshape(2, 3)
    assert [ax.get_ylabel() for ax in axes[:, 0]] == ["$z_{1}$", "$z_{2}$"]
    assert [ax.get_title() for ax in axes[0]] == ["-1.0", "+0.0", "+1.0"]
    assert axes[1, 2].images[0].get_array()[0, 0] == pytest.approx(5 / 6)
    with pytest.raises(ValueError, match="images"):
        vae_plots.plot_latent_sweep(images[:5], dims=(0, 1), values=values)
    plt.close("all")
