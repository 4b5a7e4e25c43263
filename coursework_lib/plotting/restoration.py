"""Figures of chapter 8: restored images, cost curves, the pooling operator, the CS sweep.

Images are column-major 784-vectors (see ``generators.to_image``); functions take them as columns
(784, k) like the report, or as rows where the name says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..compressed_sensing import mean_and_stderr
from ..generators import to_image


def _show(ax, image, title=None):
    ax.imshow(np.clip(image, 0, 1), cmap="gray", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    if title:
        ax.set_title(title, fontsize=9)


def plot_image_grid(X, ncols: int = 10, title: str = "", size: float = 0.7):
    """Images given as columns X: (784, k), in a grid of ncols."""
    images = to_image(np.asarray(X))
    nrows = int(np.ceil(len(images) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.5), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image in zip(axes.flat, images):
        _show(ax, image)
    fig.suptitle(title)
    return fig


def plot_restorations(rows, row_labels, col_titles=None, title: str = ""):
    """A table of images. rows: list of (784, k) arrays (one per row, e.g. ideal / observed / restored)."""
    k = np.asarray(rows[0]).shape[1]
    fig, axes = plt.subplots(len(rows), k, figsize=(1.3 * k + 0.8, 1.35 * len(rows) + 0.4), squeeze=False)
    for r, (X, label) in enumerate(zip(rows, row_labels)):
        for c, image in enumerate(to_image(np.asarray(X))):
            _show(axes[r, c], image, col_titles[c] if (col_titles is not None and r == 0) else None)
        axes[r, 0].set_ylabel(label, fontsize=9)
    fig.suptitle(title)
    return fig


def plot_cost_curves(curves: dict, title: str = "Cost during the inversion", ylabel: str = "J(Z)",
                     ax=None):
    """curves: {label: 1-D array of costs per iteration}."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for label, costs in curves.items():
        ax.plot(np.arange(1, len(costs) + 1), costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax.figure


def plot_operator(T, title: str = "Sparsity pattern of T"):
    """``plt.spy`` of a measurement matrix."""
    fig, ax = plt.subplots(figsize=(7.5, 2.2))
    ax.spy(T, markersize=0.6, aspect="auto")
    ax.set_xlabel("pixel of the 28x28 image")
    ax.set_ylabel("measurement")
    ax.set_title(title)
    return fig


def plot_cs_sweep(results: dict, floor: float | None = None, published: dict | None = None, ax=None):
    """Per-pixel MSE +- standard error against m, generator vs Lasso (like Bora et al., Fig. 1a).

    results: {m: {"gen_mse": (k,), "lasso_mse": (k,) or None}} from ``compressed_sensing_sweep``.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
    ms = sorted(results)
    gen = np.array([mean_and_stderr(results[m]["gen_mse"]) for m in ms])
    ax.errorbar(ms, gen[:, 0], yerr=gen[:, 1], marker="o", capsize=3, label="generator (VAE decoder)")
    lasso_ms = [m for m in ms if results[m]["lasso_mse"] is not None]
    if lasso_ms:
        las = np.array([mean_and_stderr(results[m]["lasso_mse"]) for m in lasso_ms])
        ax.errorbar(lasso_ms, las[:, 0], yerr=las[:, 1], marker="s", capsize=3, label="Lasso (pixel basis)")
    if published:
        ax.plot(sorted(published), [published[m] for m in sorted(published)], "k^--", alpha=0.6,
                label="published TF2 reproduction")
    if floor is not None:
        ax.axhline(floor, color="gray", ls=":", label="generator floor")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of measurements m")
    ax.set_ylabel("per-pixel MSE")
    ax.set_title("Compressed sensing on MNIST")
    ax.legend(fontsize=8)
    return ax.figure


def plot_restoration_panel(G, X, settings, noise_std: float = 0.05, seed: int = 0):
    """The widget's static twin: for each (problem, level) in settings, rows ideal / observed /
    baseline / generator for the images X (k, 784)."""
    from ..inversion import restore_images

    blocks = []
    for problem, level in settings:
        shown, generator = restore_images(G, X, problem, level, noise_std=noise_std, method="generator",
                                          num_restarts=3, num_steps=200, seed=seed)
        _, baseline = restore_images(G, X, problem, level, noise_std=noise_std, method="baseline", seed=seed)
        blocks.append((f"{problem} {level}", shown, baseline, generator))
    k = len(X)
    fig, axes = plt.subplots(len(blocks), 3 * k, figsize=(0.9 * 3 * k, 1.1 * len(blocks) + 0.5), squeeze=False)
    for r, (label, shown, baseline, generator) in enumerate(blocks):
        for i in range(k):
            for j, (image, name) in enumerate(((shown, "observed"), (baseline, "baseline"), (generator, "generator"))):
                ax = axes[r, 3 * i + j]
                _show(ax, to_image(image[i]), name if r == 0 else None)
        axes[r, 0].set_ylabel(label, fontsize=8)
    fig.suptitle("Observed / baseline / generator restoration for each degradation")
    return fig
