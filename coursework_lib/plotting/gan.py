"""Chapter 7's figures: the optimal discriminator, the two generator losses, the 1-D GAN's rotation,
quality against training time, sample grids, and the static twin of the latent explorer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import gan
from ..image_grid import tile_images

LABELS = {"source": "source DCGAN", "small": "our small DCGAN", "conditional": "our conditional DCGAN",
          "clustered": "our clustered DCGAN"}
COLOURS = {"source": "tab:blue", "small": "tab:red", "conditional": "tab:green", "clustered": "tab:purple"}


def _normal_pdf(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2 * np.pi))


def plot_optimal_discriminator():
    """A two-bump data density, a one-bump model density, and D* = p_data / (p_data + p_model)."""
    x = np.linspace(-4, 6, 500)
    p_data = 0.5 * _normal_pdf(x, -1.0, 0.6) + 0.5 * _normal_pdf(x, 2.5, 0.8)
    p_model = _normal_pdf(x, 1.0, 1.2)
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.plot(x, p_data, label=r"$p_\mathrm{data}(x)$")
    ax.plot(x, p_model, label=r"$p_g(x)$")
    ax.plot(x, gan.optimal_discriminator(p_data, p_model), "k--",
            label=r"$D^*(x) = p_\mathrm{data} / (p_\mathrm{data} + p_g)$")
    ax.axhline(0.5, color="grey", lw=0.6)
    ax.set_xlabel("x")
    ax.set_ylabel("density / probability")
    ax.set_title("The best discriminator for a fixed generator")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def plot_generator_losses():
    """Both generator losses and their slopes against D(G(z)): the minimax loss is flat where the
    discriminator rejects the fakes, exactly where the generator needs to learn."""
    d = np.linspace(1e-3, 1 - 1e-3, 400)
    logits = np.log(d) - np.log1p(-d)
    minimax = np.array([gan.minimax_generator_loss([l]) for l in logits])
    non_saturating = np.array([gan.generator_loss([l]) for l in logits])
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    axes[0].plot(d, minimax, label=r"minimax: $\log(1 - D(G(z)))$")
    axes[0].plot(d, non_saturating, label=r"non-saturating: $-\log D(G(z))$")
    axes[0].set_ylabel("generator loss")
    # slopes with respect to the logit, the quantity back-propagated into the generator
    axes[1].plot(d, np.abs(np.gradient(minimax, logits)), label="minimax")
    axes[1].plot(d, np.abs(np.gradient(non_saturating, logits)), label="non-saturating")
    axes[1].set_ylabel("|d loss / d logit|")
    for ax in axes:
        ax.set_xlabel("D(G(z)): how real the judge finds a fake")
        ax.legend(fontsize=8)
    axes[0].set_title("Two generator losses")
    axes[1].set_title("Their gradients: early on D(G(z)) ≈ 0")
    return fig


def plot_linear_gan(trajectory, real_mean: float = 2.0):
    """The 1-D GAN's parameters per step: generator offset b and discriminator slope w circle around
    the equilibrium (b = real mean, w = 0) instead of settling on it."""
    trajectory = np.asarray(trajectory)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    steps = np.arange(len(trajectory))
    axes[0].plot(steps, trajectory[:, 1], label="generator offset b")
    axes[0].plot(steps, trajectory[:, 2], label="discriminator slope w")
    axes[0].axhline(real_mean, color="grey", ls=":", lw=1, label="data mean")
    axes[0].set_xlabel("training step")
    axes[0].set_ylabel("parameter value")
    axes[0].legend(fontsize=8)
    axes[0].set_title("Parameters over time")
    axes[1].plot(trajectory[:, 1], trajectory[:, 2], lw=1)
    axes[1].plot(trajectory[0, 1], trajectory[0, 2], "ks", label="start")
    axes[1].plot(real_mean, 0, "k*", ms=12, label="equilibrium")
    axes[1].set_xlabel("generator offset b")
    axes[1].set_ylabel("discriminator slope w")
    axes[1].legend(fontsize=8)
    axes[1].set_title("The same run in the (b, w) plane")
    return fig


def plot_training_log(log, title: str = ""):
    """Losses of both players per epoch from a training log (list of per-epoch dicts)."""
    epochs = [row["epoch"] for row in log]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(epochs, [row["d_loss"] for row in log], "o-", ms=3, label="discriminator loss")
    ax.plot(epochs, [row["g_loss"] for row in log], "o-", ms=3, label="generator loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean loss over the epoch")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig


def plot_quality_vs_time(logs: dict, targets: dict | None = None, target_label: str = "source's best"):
    """Confident fraction and Fréchet distance against CPU minutes of training, one line per run
    ({architecture: log}); ``targets`` ({"confident_fraction": v, "fid_cnn": v}) draws the levels to match."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for name, log in logs.items():
        minutes = [row["cpu_seconds_total"] / 60 for row in log]
        axes[0].plot(minutes, [row["confident_fraction"] for row in log], "o-", ms=3,
                     color=COLOURS.get(name), label=LABELS.get(name, name))
        axes[1].plot(minutes, [row["fid_cnn"] for row in log], "o-", ms=3, color=COLOURS.get(name),
                     label=LABELS.get(name, name))
    for ax, key in zip(axes, ("confident_fraction", "fid_cnn")):
        if targets and key in targets:
            ax.axhline(targets[key], color="grey", ls="--", lw=1, label=target_label)
        ax.set_xscale("log")
        ax.set_xlabel("training time (CPU minutes, log scale)")
        ax.legend(fontsize=8)
    axes[0].set_ylabel("fraction with confidence ≥ 0.9")
    axes[0].set_title("Samples the judge is sure about (higher is better)")
    axes[1].set_ylabel("Fréchet distance in CNN features")
    axes[1].set_yscale("log")
    axes[1].set_title("Distance to the test set (lower is better)")
    return fig


def plot_samples(rows: dict, ncols: int = 10, size: float = 0.9):
    """Rows of generated images ({title: (n, 28, 28) in [0, 1]}), one mosaic per row."""
    fig, axes = plt.subplots(len(rows), 1, figsize=(size * ncols, size * 1.1 * sum(
        int(np.ceil(len(v) / ncols)) for v in rows.values()) + 0.4 * len(rows)), squeeze=False)
    for ax, (title, images) in zip(axes[:, 0], rows.items()):
        ax.imshow(tile_images(images, ncols), cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    return fig


def plot_class_counts(counts: dict):
    """Bars of how many samples the judge puts in each digit class ({name: (10,) counts})."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    width = 0.8 / len(counts)
    for i, (name, c) in enumerate(counts.items()):
        ax.bar(np.arange(10) + (i - (len(counts) - 1) / 2) * width, c, width, label=name)
    ax.set_xticks(range(10))
    ax.set_xlabel("digit predicted by the judge")
    ax.set_ylabel("number of samples")
    ax.set_title("Class coverage of 10 000 samples")
    ax.legend(fontsize=8)
    return fig


def plot_latent_walks(generator, pairs=((0, 1), (2, 3), (4, 5)), steps: int = 9, nudge_dims=(0, 1, 2),
                      nudge: float = 3.0):
    """Static twin of the latent explorer: straight-line walks between pairs of latent vectors (seeds),
    then one latent vector nudged along single coordinates from -nudge to +nudge."""
    noise_dim = gan.noise_dimension(generator)
    rows = {}
    for a, b in pairs:
        path = gan.interpolate_latents(gan.latent_vectors(1, a, noise_dim)[0], gan.latent_vectors(1, b, noise_dim)[0],
                                       steps)
        rows[f"walk from seed {a} to seed {b}"] = gan.generate(generator, path)
    base = gan.latent_vectors(1, pairs[0][0], noise_dim)[0]
    for dim in nudge_dims:
        z = np.repeat(base[None], steps, axis=0)
        z[:, dim] += np.linspace(-nudge, nudge, steps, dtype=np.float32)
        rows[f"seed {pairs[0][0]}, coordinate {dim} moved by -{nudge:g} … +{nudge:g}"] = gan.generate(generator, z)
    return plot_samples(rows, ncols=steps)
