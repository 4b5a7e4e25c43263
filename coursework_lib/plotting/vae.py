"""Chapter 6's figures: the KL check, rows of images (reconstruction, denoising, colourisation,
interpolation), the alpha sweep, the 2-D latent map and the static twin of the latent explorer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import vae as V
from ..image_grid import tile_images


def plot_kl_check(num_samples: int = 20_000, seed: int = 0):
    """Closed-form KL of N(mu, sigma^2) vs N(0, 1), its Monte-Carlo estimate, and the source's -KL."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    sweeps = [(r"$\mu$ (with $\sigma^2 = 1$)", np.linspace(-3, 3, 13),
               lambda t: (np.array([t]), np.array([0.0]))),
              (r"$\log\sigma^2$ (with $\mu = 0$)", np.linspace(-3, 2, 11),
               lambda t: (np.array([0.0]), np.array([t])))]
    for ax, (label, values, args) in zip(axes, sweeps):
        closed = [V.kl_divergence(*args(t)) for t in values]
        source = [V.source_kl_term(*args(t)) for t in values]
        mc = [V.kl_monte_carlo(*args(t), num_samples=num_samples, seed=seed) for t in values]
        ax.plot(values, closed, label="KL, closed form")
        ax.errorbar(values, [m for m, _ in mc], yerr=[3 * s for _, s in mc], fmt="o", ms=4,
                    label="KL, Monte Carlo (±3 s.e.)")
        ax.plot(values, source, "--", label="source's expression (= −KL)")
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xlabel(label)
        ax.set_ylabel("nats")
        ax.set_title("KL of one coordinate from N(0, 1)")
    axes[0].legend(fontsize=8)
    return fig


def plot_image_rows(rows: dict, title: str = "", ncols: int | None = None, size: float = 1.0,
                    col_titles=None):
    """One row of images per entry of ``rows`` ({label: (n, h, w, c) array}), the label on the left."""
    labels = list(rows)
    ncols = ncols or len(rows[labels[0]])
    fig, axes = plt.subplots(len(labels), ncols, figsize=(size * ncols + 1.2, size * len(labels) + 0.5),
                             squeeze=False)
    for r, label in enumerate(labels):
        images = np.asarray(rows[label])
        for c in range(ncols):
            ax = axes[r, c]
            ax.set_xticks([]), ax.set_yticks([])
            ax.grid(False)
            for spine in ax.spines.values():
                spine.set_visible(False)
            if c < len(images):
                image = images[c]
                ax.imshow(np.clip(image[..., 0] if image.shape[-1] == 1 else image, 0, 1),
                          cmap="gray", vmin=0, vmax=1)
            if c == 0:
                ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
            if r == 0 and col_titles is not None and c < len(col_titles):
                ax.set_title(str(col_titles[c]), fontsize=8)
    fig.suptitle(title)
    return fig


def plot_latent_map(images, extent: float, num: int, title: str = "Decoded 2-D latent grid"):
    """The decoder's output on ``latent_grid(extent, num)``: one mosaic with z1, z2 axes."""
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
        points = plot_latent_scatter(ax_top, res["mu"], res["labels"],
                                     f"α = {res['alpha']:g}\nPSNR {res['psnr']:.1f} dB, KL {res['kl']:.1f} nats")
        samples = res["samples"]
        ax_bottom.imshow(tile_images(samples, int(np.sqrt(len(samples)))), cmap="gray", vmin=0, vmax=1)
        ax_bottom.grid(False), ax_bottom.set_xticks([]), ax_bottom.set_yticks([])
        ax_bottom.set_title("samples z ~ N(0, I)", fontsize=10)
    fig.colorbar(points, ax=axes[0, -1], ticks=range(10), label="digit", fraction=0.08, pad=0.04)
    return fig


def plot_latent_sweep(decode, base, dims=(0, 1, 2, 3), values=np.linspace(-3, 3, 7), title: str = ""):
    """Static twin of the latent explorer: row d shows decode(base + v e_d) for each v in ``values``.

    decode: (n, latent_dim) -> (n, h, w, c) images; base: (latent_dim,).
    """
    base = np.asarray(base, dtype=np.float32)
    rows = {}
    for d in dims:
        Z = np.repeat(base[None], len(values), axis=0)
        Z[:, d] = values
        rows[f"$z_{{{d + 1}}}$"] = decode(Z)
    return plot_image_rows(rows, title, col_titles=[f"{v:+.1f}" for v in values])
