"""Figures of chapter 2: quantities measured layer by layer in a deep MLP. They draw given results."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def plot_layer_profiles(profiles: dict, *, ylabel: str, title: str, log: bool = True, ax=None):
    """One line per run: ``profiles`` = {run name: values (L,)}, value l-1 belonging to layer l.

    log: logarithmic y axis (for quantities that grow or shrink geometrically). Returns the Figure.
    """
    if not profiles:
        raise ValueError("profiles must name at least one run")
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for name, values in profiles.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"profiles[{name!r}] must be a non-empty 1-D array, got shape {values.shape}")
        ax.plot(np.arange(1, values.size + 1), values, "o-", ms=3, label=name)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="layer $l$ (1 = next to the input)", ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    return fig or ax.figure
