"""Bar charts of counts per class: a data set's labels (chapter 3) or a judge's verdicts on samples (chapter 7)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def plot_class_counts(
    counts: dict,
    class_names=None,
    *,
    xlabel: str = "class",
    ylabel: str = "number of images",
    title: str = "Examples per class",
):
    """Side-by-side bars, one colour per entry of ``counts`` = {name: (k,) counts per class}; the legend
    gives each entry's total. class_names: optional k tick labels. Returns the Figure."""
    if not counts:
        raise ValueError("counts must hold at least one entry")
    counts = {name: np.asarray(c) for name, c in counts.items()}
    k = {c.shape for c in counts.values()}
    if len(k) != 1 or len(next(iter(k))) != 1:
        raise ValueError(f"every entry of counts must be one (k,) array of the same k, got shapes {sorted(k)}")
    classes = np.arange(len(next(iter(counts.values()))))
    width = 0.8 / len(counts)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for i, (name, c) in enumerate(counts.items()):
        ax.bar(classes + (i - (len(counts) - 1) / 2) * width, c, width, label=f"{name} ({int(c.sum())})")
    ax.set_xticks(
        classes, class_names if class_names is not None else classes, rotation=30 if class_names is not None else 0
    )
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    return fig
