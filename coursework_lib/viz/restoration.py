"""Figures of chapter 8: restored images, cost curves, the pooling operator, the CS sweep.

They draw results computed in :mod:`coursework_lib.restoration` and compute nothing themselves.
Images are column-major 784-vectors (see ``restoration.generators.to_image``); functions take them as
columns (784, k) like the source, or as rows where the docstring says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from coursework_lib.restoration.generators import to_image
from coursework_lib.viz.images import plot_image_rows


def plot_cost_curves(curves: dict, title: str = "Cost during the inversion", ylabel: str = "J(Z)", ax=None):
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


def plot_cs_sweep(summary: dict, floor: float | None = None, published: dict | None = None, ax=None):
    """Per-pixel MSE +- standard error against m, generator vs Lasso (like Bora et al., Fig. 1a).

    summary: {m: {"generator": (mean, se), "lasso": (mean, se) or None}} from
    ``restoration.compressed_sensing.summarize_sweep``, optionally with "improved": (mean, se) (the
    generator with a sparse deviation); floor: the generator's floor (a float); published: {m: mse}
    drawn for comparison.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
    ms = sorted(summary)
    gen = np.array([summary[m]["generator"] for m in ms])
    ax.errorbar(ms, gen[:, 0], yerr=gen[:, 1], marker="o", capsize=3, label="generator (VAE decoder)")
    improved_ms = [m for m in ms if summary[m].get("improved") is not None]
    if improved_ms:
        imp = np.array([summary[m]["improved"] for m in improved_ms])
        ax.errorbar(improved_ms, imp[:, 0], yerr=imp[:, 1], marker="D", capsize=3, label="generator + sparse deviation")
    lasso_ms = [m for m in ms if summary[m].get("lasso") is not None]
    if lasso_ms:
        las = np.array([summary[m]["lasso"] for m in lasso_ms])
        ax.errorbar(lasso_ms, las[:, 0], yerr=las[:, 1], marker="s", capsize=3, label="Lasso (pixel basis)")
    if published:
        ax.plot(
            sorted(published),
            [published[m] for m in sorted(published)],
            "k^--",
            alpha=0.6,
            label="published TF2 reproduction",
        )
    if floor is not None:
        ax.axhline(floor, color="gray", ls=":", label="generator floor")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of measurements m")
    ax.set_ylabel("per-pixel MSE")
    ax.set_title("Compressed sensing on MNIST")
    ax.legend(fontsize=8)
    return ax.figure


def plot_restoration_panel(blocks):
    """The widget's static twin: one row per degradation, observed / baseline / generator per image.

    blocks: list of (label, observed (k, 784), baseline (k, 784), generator (k, 784)) rows, from
    ``restoration.restore.restoration_panel``.
    """
    if not blocks or any(len(block) != 4 for block in blocks):
        raise ValueError("blocks must be a non-empty list of (label, observed, baseline, generator)")
    k = len(blocks[0][1])
    rows = {}
    for label, shown, baseline, generator in blocks:
        triples = np.stack([np.asarray(shown), np.asarray(baseline), np.asarray(generator)], axis=1)  # (k, 3, 784)
        rows[label] = to_image(triples.reshape(3 * k, -1).T)
    return plot_image_rows(
        rows,
        col_titles=["observed", "baseline", "generator"] * k,
        size=0.9,
        title="Observed / baseline / generator restoration for each degradation",
    )
