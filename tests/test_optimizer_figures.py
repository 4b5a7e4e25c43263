"""Chapter 4's figures and widget build without error and label their axes (no pixels compared)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from coursework_lib.course.exercises import CheckFailed, check
from coursework_lib.maths import surfaces
from coursework_lib.maths.optimizers import adam_step, constant_gradient_moments
from coursework_lib.viz import curves
from coursework_lib.viz import optimizers as optplot


def _labelled(fig):
    """Every panel has a title; x and y labels are present (small multiples label the outer panels)."""
    return (
        all(ax.get_title() for ax in fig.axes)
        and any(ax.get_xlabel() for ax in fig.axes)
        and any(ax.get_ylabel() for ax in fig.axes)
    )


def test_figures_have_labelled_axes():
    runs = {"saddle": {n: surfaces.trajectory("saddle", n, num_steps=20) for n in ("gd", "adam")}}
    figs = [
        optplot.plot_optimizer_race(runs),
        optplot.plot_lr_sensitivity(
            "quadratic", surfaces.learning_rate_runs("quadratic", ["gd", "adam"], [0.05, 0.5], num_steps=10)
        ),
        optplot.plot_explorer(
            "rosenbrock", "momentum", *surfaces.trajectory("rosenbrock", "momentum", lr=0.001, num_steps=20)
        ),
        optplot.plot_bias_correction(*constant_gradient_moments(0.9, 40), beta=0.9),
        curves.plot_histories(
            {"adam": {"test_accuracy": [0.9, 0.95]}, "sgd": {"test_accuracy": [0.5, 0.8]}},
            ("test_accuracy",),
            ylabel="test accuracy",
            percent=True,
            title="t",
        ),
    ]
    for fig in figs:
        assert _labelled(fig)
    plt.close("all")


def test_lr_sensitivity_marks_divergence():
    fig = optplot.plot_lr_sensitivity(
        "quadratic", surfaces.learning_rate_runs("quadratic", ["gd"], [0.5], num_steps=60)
    )
    assert "diverged" in fig.axes[0].get_title()
    plt.close("all")


def test_learning_rate_runs_are_the_trajectories_in_order():
    runs = surfaces.learning_rate_runs("quadratic", ["gd", "adam"], [0.05, 0.5], num_steps=5)
    assert list(runs) == [("gd", 0.05), ("gd", 0.5), ("adam", 0.05), ("adam", 0.5)]
    path, losses = surfaces.trajectory("quadratic", "adam", lr=0.5, num_steps=5)
    np.testing.assert_array_equal(runs["adam", 0.5][0], path)


def test_explorer_widget_builds_with_every_slider():
    pytest.importorskip("ipywidgets")
    from coursework_lib.widgets import optimizers as optwidgets

    w = optwidgets.optimizer_explorer(num_steps=20)
    names = {c.description for c in w.children if hasattr(c, "description")}
    assert {"surface", "optimizer", "lr", "β1", "β2", "momentum", "steps"} <= names
    sliders = [c for c in w.children if getattr(c, "description", "") in ("lr", "β1", "β2", "momentum", "steps")]
    assert not any(c.continuous_update for c in sliders)  # redraw on release, not at every drag position
    plt.close("all")


def test_adam_exercise_rejects_the_textbook_epsilon():
    """The chapter asks for Keras' form; the check's large-ε case tells the two placements apart."""

    def textbook(params, grad, m, v, t, lr, beta_1, beta_2, epsilon):
        new, s = adam_step(
            params,
            grad,
            {"m": m, "v": v, "t": t - 1},
            lr=lr,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            textbook_epsilon=True,
        )
        return new, s["m"], s["v"]

    with pytest.raises(CheckFailed, match="item 0"):
        check("ch04-adam", textbook)
    with pytest.raises(CheckFailed):
        check("ch04-momentum", lambda p, g, v, lr, mu: (p - lr * g, np.zeros_like(v)))
