"""Figures of chapter 4: optimizer trajectories on test surfaces, loss curves, learning-rate
sensitivity, the explorer's figure and bias correction, drawn from runs computed in ``maths``. Each function
returns its Figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from coursework_lib.maths import surfaces as surf

COLOURS = {
    "gd": "tab:blue",
    "momentum": "tab:orange",
    "nesterov": "tab:green",
    "rmsprop": "tab:purple",
    "adam": "tab:red",
    "sgd": "tab:blue",
    "sgd_momentum": "tab:orange",
}
LABELS = {
    "gd": "GD",
    "momentum": "momentum",
    "nesterov": "Nesterov",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "sgd": "SGD",
    "sgd_momentum": "SGD + momentum",
}


def draw_contours(surface: str, ax, num: int = 200):
    """Contour lines of ``surface`` on its plot window, minima marked with a star."""
    s = surf.get_surface(surface)
    X, Y, F = surf.grid(surface, num)
    if s.log_levels:
        ax.contour(X, Y, np.log10(F - s.min_value + 1e-3), levels=20, cmap="viridis", linewidths=0.7)
    else:
        ax.contour(X, Y, F, levels=np.quantile(F, np.linspace(0.0, 0.9, 18) ** 2), cmap="viridis", linewidths=0.7)
    for p in s.minima:
        ax.plot(*p, marker="*", color="k", markersize=11, linestyle="none")
    ax.set_xlim(*s.xlim)
    ax.set_ylim(*s.ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return ax


def draw_path(path, ax, name: str, label: str | None = None):
    """One trajectory (n, 2) as a line with small dots; the part outside the window is clipped."""
    finite = np.all(np.isfinite(path), axis=1)
    path = path[finite]
    ax.plot(
        path[:, 0],
        path[:, 1],
        "-o",
        markersize=2,
        linewidth=1.2,
        color=COLOURS.get(name),
        label=label or LABELS.get(name, name),
    )
    ax.plot(*path[0], "ks", markersize=5)


def plot_trajectories(surface: str, paths: dict, ax=None, title: str | None = None):
    """Contours of ``surface`` with one trajectory per entry of ``paths`` ({optimizer name: (n, 2)})."""
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.0, 4.2))
    draw_contours(surface, ax)
    for name, path in paths.items():
        draw_path(path, ax, name)
    ax.set_title(title or surf.get_surface(surface).title)
    ax.legend(fontsize=8, loc="upper right")
    return fig or ax.figure


def plot_loss_curves(losses: dict, min_value: float, ax=None, title: str = "loss vs step"):
    """``f − f_min`` per step on a log scale, one line per optimizer ({name: (n,)})."""
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.0, 3.5))
    for name, curve in losses.items():
        gap = np.maximum(np.asarray(curve) - min_value, 1e-16)
        ax.semilogy(gap, color=COLOURS.get(name), label=LABELS.get(name, name))
    ax.set_xlabel("step")
    ax.set_ylabel("f − f_min (log scale)")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig or ax.figure


def plot_optimizer_race(runs: dict):
    """One row per surface: trajectories on the contours (left), loss curves (right).

    runs: {surface: {optimizer: (path, losses)}} as built from ``surfaces.trajectory``.
    """
    fig, axes = plt.subplots(len(runs), 2, figsize=(11.0, 4.0 * len(runs)), squeeze=False)
    for row, (surface, by_opt) in enumerate(runs.items()):
        s = surf.get_surface(surface)
        plot_trajectories(surface, {k: v[0] for k, v in by_opt.items()}, ax=axes[row, 0])
        plot_loss_curves(
            {k: v[1] for k, v in by_opt.items()}, s.min_value, ax=axes[row, 1], title=f"{s.title}: f − f_min per step"
        )
    return fig


def plot_lr_sensitivity(surface: str, runs: dict):
    """Small multiples: one row per optimizer, one column per learning rate, each panel a trajectory on
    the contours titled with the final ``f − f_min`` (or "diverged").

    runs: {(optimizer, lr): (path, losses)} from ``surfaces.learning_rate_runs``.
    """
    s = surf.get_surface(surface)
    optimizers = list(dict.fromkeys(name for name, _ in runs))
    learning_rates = list(dict.fromkeys(lr for _, lr in runs))
    fig, axes = plt.subplots(
        len(optimizers), len(learning_rates), figsize=(2.7 * len(learning_rates), 2.5 * len(optimizers)), squeeze=False
    )
    for i, name in enumerate(optimizers):
        for j, lr in enumerate(learning_rates):
            ax = axes[i, j]
            path, losses = runs[name, lr]
            draw_contours(surface, ax, num=120)
            draw_path(path, ax, name)
            final = losses[-1] - s.min_value
            verdict = "diverged" if not np.isfinite(final) or final > 1e6 else f"gap {final:.1e}"
            ax.set_title(f"{LABELS[name]}, lr={lr:g}\n{verdict}", fontsize=9)
            ax.set_xlabel("x" if i == len(optimizers) - 1 else "")
            ax.set_ylabel("y" if j == 0 else "")
            ax.tick_params(labelsize=7)
    fig.suptitle(f"Learning-rate sensitivity on the {s.title}")
    return fig


def plot_explorer(surface: str, optimizer: str, path, losses):
    """The loss-surface explorer's figure: the trajectory (left) and ``f − f_min`` per step (right).

    path (n+1, 2), losses (n+1,): one run of ``surfaces.trajectory(surface, optimizer, ...)``.
    """
    s = surf.get_surface(surface)
    fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(10.5, 4.0))
    plot_trajectories(surface, {optimizer: path}, ax=ax_path)
    plot_loss_curves(
        {optimizer: losses},
        s.min_value,
        ax=ax_loss,
        title=f"{LABELS[optimizer]}: final f − f_min = {losses[-1] - s.min_value:.2e}",
    )
    return fig


def plot_bias_correction(moments, corrected, beta: float, value: float = 1.0):
    """The moving average of a constant gradient ``value`` from 0, with and without bias correction.

    moments, corrected: (n,) from ``optimizers.constant_gradient_moments(beta, n, value)``.
    """
    t = np.arange(1, len(moments) + 1)
    fig, ax = plt.subplots(figsize=(5.5, 3.3))
    ax.plot(t, moments, label="moving average m_t")
    ax.plot(t, corrected, "--", label="bias-corrected m_t / (1 − β^t)")
    ax.axhline(value, color="k", linewidth=0.8)
    ax.set_xlabel("step t")
    ax.set_ylabel("estimate of the gradient")
    ax.set_title(f"Bias correction, β = {beta:g}, constant gradient {value:g}")
    ax.legend()
    return fig
