"""Chapter 7's figures: the optimal discriminator, the two generator losses, the 1-D GAN's rotation,
quality against training time, sample grids, the static twin of the latent explorer and the
explorer's one judged sample. They draw what they are given and compute nothing: the closed forms are
in :mod:`coursework_lib.maths.gan_theory`, the latent walks in :func:`coursework_lib.models.gan.latent_walks`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from coursework_lib.viz.images import plot_image_rows

LABELS = {
    "source": "source DCGAN",
    "small": "our small DCGAN",
    "conditional": "our conditional DCGAN",
    "clustered": "our clustered DCGAN",
}
COLOURS = {"source": "tab:blue", "small": "tab:red", "conditional": "tab:green", "clustered": "tab:purple"}


def plot_optimal_discriminator(x, p_data, p_model, d_star):
    """A data density, a model density and the optimal discriminator D* = p_data / (p_data + p_model),
    all (n,) at the points x (n,): see ``gan_theory.optimal_discriminator_example``."""
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.plot(x, p_data, label=r"$p_\mathrm{data}(x)$")
    ax.plot(x, p_model, label=r"$p_g(x)$")
    ax.plot(x, d_star, "k--", label=r"$D^*(x) = p_\mathrm{data} / (p_\mathrm{data} + p_g)$")
    ax.axhline(0.5, color="grey", lw=0.6)
    ax.set_xlabel("x")
    ax.set_ylabel("density / probability")
    ax.set_title("The best discriminator for a fixed generator")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def plot_generator_losses(d, minimax, non_saturating, minimax_slope, non_saturating_slope):
    """Both generator losses and the size of their slopes with respect to the logit, all (n,) against
    D(G(z)) = d (n,): see ``gan_theory.generator_loss_curves``. The minimax loss is flat where the
    discriminator rejects the fakes, exactly where the generator needs to learn."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    axes[0].plot(d, minimax, label=r"minimax: $\log(1 - D(G(z)))$")
    axes[0].plot(d, non_saturating, label=r"non-saturating: $-\log D(G(z))$")
    axes[0].set_ylabel("generator loss")
    axes[1].plot(d, minimax_slope, label="minimax")
    axes[1].plot(d, non_saturating_slope, label="non-saturating")
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
        axes[0].plot(
            minutes,
            [row["confident_fraction"] for row in log],
            "o-",
            ms=3,
            color=COLOURS.get(name),
            label=LABELS.get(name, name),
        )
        axes[1].plot(
            minutes, [row["fid_cnn"] for row in log], "o-", ms=3, color=COLOURS.get(name), label=LABELS.get(name, name)
        )
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


def plot_latent_walks(walks: dict):
    """Static twin of the latent explorer: rows of images ({description: (steps, 28, 28) in [0, 1]}),
    one row per walk or nudged coordinate, as ``gan.latent_walks`` returns them."""
    return plot_image_rows(walks, label_above=True, size=0.9)


def plot_judged_sample(image, label=None, confidence: float | None = None):
    """One generated image (28, 28) in [0, 1], titled with the judge's label and confidence (in
    [0, 1]) when they are given: the latent explorer's view."""
    fig, ax = plt.subplots(figsize=(2.6, 2.8))
    ax.imshow(image, cmap="gray", vmin=0, vmax=1)
    ax.axis("off")
    if label is not None:
        ax.set_title(f"judge: {label} ({confidence:.0%} sure)", fontsize=9)
    return fig
