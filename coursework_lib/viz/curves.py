"""Per-epoch training curves: loss and accuracy histories of any run (chapters 2 to 6).

A *history* is a dict of per-epoch lists, as Keras' ``History.history`` or the training scripts' JSON
records give them, e.g. ``{"loss": [...], "val_loss": [...], "accuracy": [...]}``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

LINE_STYLES = ("-o", "--s", ":^")


def plot_histories(
    histories: dict,
    keys=("loss", "val_loss"),
    *,
    ylabel: str = "loss",
    title: str = "",
    percent: bool = False,
    colours: dict | None = None,
    labels: dict | None = None,
    ax=None,
):
    """One colour per run, one line style per key: ``histories`` = {run name: history}.

    keys: up to three history keys drawn for every run that has them (solid, dashed, dotted).
    percent: show values ×100. colours / labels: optional {run name: colour / legend label}.
    Returns the Figure.
    """
    if not histories:
        raise ValueError("histories must name at least one run")
    if not 1 <= len(keys) <= len(LINE_STYLES):
        raise ValueError(f"keys must name 1 to {len(LINE_STYLES)} history keys, got {keys!r}")
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for i, (run, history) in enumerate(histories.items()):
        colour = (colours or {}).get(run, f"C{i}")
        label = (labels or {}).get(run, run)
        for key, style in zip(keys, LINE_STYLES):
            if key not in history:
                continue
            values = np.asarray(history[key], dtype=float) * (100.0 if percent else 1.0)
            suffix = f": {key.replace('_', ' ')}" if len(keys) > 1 else ""
            ax.plot(np.arange(1, len(values) + 1), values, style, ms=3, color=colour, label=label + suffix)
    ax.set(xlabel="epoch", ylabel=ylabel + (" (%)" if percent else ""), title=title)
    ax.legend(fontsize=8)
    return fig or ax.figure


def plot_training_curves(
    history: dict, title: str = "Training", loss_key: str = "loss", accuracy_keys=("train_accuracy", "val_accuracy")
):
    """One run: its loss (left) and accuracies (right) per epoch. Returns the Figure."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.6))
    plot_histories({title: history}, (loss_key,), ylabel="cross-entropy loss", title=f"{title}: loss", ax=ax_loss)
    plot_histories({title: history}, tuple(accuracy_keys), ylabel="accuracy", title=f"{title}: accuracy", ax=ax_acc)
    return fig
