"""Chapter 6's figures: the KL check, rows of images (reconstruction, denoising, colourisation,
interpolation), the alpha sweep, the 2-D latent map and the static twin of the latent explorer.

Each figure draws results computed beforehand (``maths.vae_theory.kl_estimates``, ``maths.latent.latent_grid`` and
``latent_sweep`` for the codes, ``models.vae.decode`` for the images); none runs a model or a sampler.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from coursework_lib.core.images import tile_images
from coursework_lib.viz.images import plot_image_rows


def plot_kl_check(mu_values, by_mu: dict, log_var_values, by_log_var: dict):
    """Closed-form KL of N(mu, sigma^2) vs N(0, 1), its Monte-Carlo estimate (±3 standard errors) and
    the source's -KL, against mu (left, sigma^2 = 1) and against log sigma^2 (right, mu = 0).

    mu_values: (n,), by_mu: ``maths.vae_theory.kl_estimates(mu_values, zeros)``; log_var_values: (m,),
    by_log_var: ``kl_estimates(zeros, log_var_values)`` (dicts of arrays: closed, monte_carlo,
    standard_error, source).
    """
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    sweeps = [
        (r"$\mu$ (with $\sigma^2 = 1$)", mu_values, by_mu),
        (r"$\log\sigma^2$ (with $\mu = 0$)", log_var_values, by_log_var),
    ]
    for ax, (label, values, kl) in zip(axes, sweeps):
        ax.plot(values, kl["closed"], label="KL, closed form")
        ax.errorbar(
            values,
            kl["monte_carlo"],
            yerr=3 * np.asarray(kl["standard_error"]),
            fmt="o",
            ms=4,
            label="KL, Monte Carlo (±3 s.e.)",
        )
        ax.plot(values, kl["source"], "--", label="source's expression (= −KL)")
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xlabel(label)
        ax.set_ylabel("nats")
        ax.set_title("KL of one coordinate from N(0, 1)")
    axes[0].legend(fontsize=8)
    return fig


def plot_latent_map(images, extent: float, num: int, title: str = "Decoded 2-D latent grid"):
    """The decoder's output on ``maths.latent.latent_grid(extent, num)``: one mosaic with z1, z2 axes.

    images: (num * num, h, w, 1), in the grid's row-major order.
    """
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.imshow(tile_images(images, num, pad=0), cmap="gray", extent=(-extent, extent, -extent, extent))
    ax.grid(False)
    ax.set_xlabel("$z_1$"), ax.set_ylabel("$z_2$"), ax.set_title(title)
    return fig


def plot_latent_scatter(ax, mu, labels, title: str = "", limit: float | None = None):
    """Posterior means of labelled examples in a 2-D latent space, with the prior's 1 and 2 sigma circles.

    limit: half-width of the axes (default: at least 4, wide enough for 99% of the points).
    """
    if limit is None:
        limit = max(4.0, 1.1 * float(np.percentile(np.abs(mu), 99)))
    points = ax.scatter(mu[:, 0], mu[:, 1], c=labels, cmap="tab10", s=3, alpha=0.7, vmin=-0.5, vmax=9.5)
    t = np.linspace(0, 2 * np.pi, 200)
    for radius in (1, 2):
        ax.plot(radius * np.cos(t), radius * np.sin(t), "k--", lw=0.8)
    ax.set_xlim(-limit, limit), ax.set_ylim(-limit, limit), ax.set_aspect("equal")
    ax.set_xlabel("$\\mu_1$"), ax.set_ylabel("$\\mu_2$"), ax.set_title(title, fontsize=10)
    return points


def plot_alpha_sweep(results):
    """results: list of dicts with keys alpha, mu (n, 2), labels (n,), samples (k, h, w, 1), psnr, kl.

    Top row: the test set's posterior means; bottom row: decoded draws from the prior.
    """
    n = len(results)
    fig, axes = plt.subplots(2, n, figsize=(3.2 * n, 6.6), squeeze=False)
    for ax_top, ax_bottom, res in zip(axes[0], axes[1], results):
        points = plot_latent_scatter(
            ax_top,
            res["mu"],
            res["labels"],
            f"α = {res['alpha']:g}\nPSNR {res['psnr']:.1f} dB, KL {res['kl']:.1f} nats",
        )
        samples = res["samples"]
        ax_bottom.imshow(tile_images(samples, int(np.sqrt(len(samples)))), cmap="gray", vmin=0, vmax=1)
        ax_bottom.grid(False), ax_bottom.set_xticks([]), ax_bottom.set_yticks([])
        ax_bottom.set_title("samples z ~ N(0, I)", fontsize=10)
    fig.colorbar(points, ax=axes[0, -1], ticks=range(10), label="digit", fraction=0.08, pad=0.04)
    return fig


def plot_latent_sweep(images, dims, values, title: str = ""):
    """Static twin of the latent explorer: row d shows the decoded codes of ``latent_sweep``, the base
    code with coordinate ``dims[d]`` set to each of ``values``.

    images: (len(dims) * len(values), h, w, c), the decoder's output on
    ``maths.latent.latent_sweep(base, dims, values)``, in that order.
    """
    images, values = np.asarray(images), np.asarray(values)
    k = len(values)
    if len(images) != len(dims) * k:
        raise ValueError(f"images must hold len(dims) * len(values) = {len(dims) * k} images, got {len(images)}")
    rows = {f"$z_{{{d + 1}}}$": images[i * k : (i + 1) * k] for i, d in enumerate(dims)}
    return plot_image_rows(rows, title, col_titles=[f"{v:+.1f}" for v in values])
