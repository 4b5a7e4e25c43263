"""Figures of chapter 1: activations, a neuron's response, timings. Each returns its Figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from coursework_lib.core.validation import check_finite_number
from coursework_lib.maths.activations import get_activation


def plot_activations(names=("linear", "sigmoid", "tanh", "relu", "leaky_relu"), z_range=(-4.0, 4.0)):
    """One panel per activation: f(z) and f'(z) on the same axes."""
    z = np.linspace(*z_range, 401)
    fig, axes = plt.subplots(1, len(names), figsize=(3.0 * len(names), 3.0), sharex=True)
    for ax, name in zip(np.atleast_1d(axes), names):
        f, f_prime = get_activation(name)
        alpha = {"alpha": 0.1} if name == "leaky_relu" else {}
        ax.plot(z, f(z, **alpha), label="f(z)")
        ax.plot(z, f_prime(z, **alpha), "--", label="f'(z)")
        ax.set_title(name + (" (α = 0.1)" if alpha else ""))
        ax.set_xlabel("z")
    np.atleast_1d(axes)[0].set_ylabel("value")
    np.atleast_1d(axes)[0].legend(loc="upper left")
    return fig


def plot_neuron_response(activation: str = "sigmoid", w: float = 1.0, b: float = 0.0, ax=None, x_range=(-5.0, 5.0)):
    """The output a = f(w x + b) of one neuron with one input, as x varies."""
    f, _ = get_activation(activation)
    w, b = check_finite_number(w, "w"), check_finite_number(b, "b")
    x = np.linspace(*x_range, 401)
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.0, 3.2))
    ax.plot(x, f(w * x + b))
    ax.set_title(f"{activation}: a = f({w:g}·x + {b:g})")
    ax.set_xlabel("input x")
    ax.set_ylabel("output a")
    return fig or ax.figure


def plot_neuron_grid(activations=("sigmoid", "tanh", "relu"), weights=(0.5, 1.0, 3.0), biases=(-2.0, 0.0, 2.0)):
    """Small multiples of :func:`plot_neuron_response`: one row per activation, one line per (w, b)."""
    fig, axes = plt.subplots(len(activations), 2, figsize=(9.0, 2.6 * len(activations)), sharex=True)
    x = np.linspace(-5, 5, 401)
    for row, name in enumerate(activations):
        f, _ = get_activation(name)
        for w in weights:
            axes[row, 0].plot(x, f(w * x), label=f"w = {w:g}")
        for b in biases:
            axes[row, 1].plot(x, f(x + b), label=f"b = {b:g}")
        axes[row, 0].set_ylabel(f"{name}\noutput a")
        axes[row, 0].set_title(f"{name}: varying w (b = 0)")
        axes[row, 1].set_title(f"{name}: varying b (w = 1)")
        axes[row, 0].legend(fontsize=8)
        axes[row, 1].legend(fontsize=8)
    for ax in axes[-1]:
        ax.set_xlabel("input x")
    return fig


def plot_timings(rows):
    """Bar chart (log scale) of the seconds per million evaluations from ``timing.time_activations``."""
    names = [r["activation"] for r in rows]
    methods = (("python_loop_s", "Python loop"), ("numpy_s", "NumPy, vectorised"), ("tensorflow_s", "TensorFlow op"))
    x = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for i, (key, label) in enumerate(methods):
        ax.bar(x + (i - 1) * 0.27, [r[key] for r in rows], width=0.27, label=label)
    ax.set_yscale("log")
    ax.set_xticks(x, names)
    ax.set_xlabel("activation")
    ax.set_ylabel("seconds for 10⁶ evaluations (log scale)")
    ax.legend()
    return fig
