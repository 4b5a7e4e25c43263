"""The shared figures draw what they are given: every run and key becomes a line, every image a panel."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from coursework_lib.viz import curves, images


def test_plot_histories_draws_one_line_per_run_and_key():
    histories = {"a": {"loss": [3, 2, 1], "val_loss": [3.5, 2.5, 2]}, "b": {"loss": [1, 0.5]}}
    fig = curves.plot_histories(histories, ("loss", "val_loss"), title="t")
    ax = fig.axes[0]
    assert len(ax.lines) == 3  # b has no val_loss
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [3.5, 2.5, 2])
    np.testing.assert_array_equal(ax.lines[2].get_xdata(), [1, 2])
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    fig = curves.plot_histories({"a": {"acc": [0.5, 0.9]}}, ("acc",), ylabel="accuracy", percent=True)
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), [50, 90])
    with pytest.raises(ValueError, match="histories"):
        curves.plot_histories({})
    plt.close("all")


def test_plot_training_curves_has_loss_and_accuracy_panels():
    fig = curves.plot_training_curves(
        {"loss": [1, 0.5], "train_accuracy": [0.8, 0.9], "val_accuracy": [0.7, 0.85]}, title="MLP"
    )
    assert [ax.get_ylabel() for ax in fig.axes] == ["cross-entropy loss", "accuracy"]
    assert len(fig.axes[1].lines) == 2
    plt.close("all")


def test_plot_image_rows_lays_out_and_wraps_rows():
    rows = {"digits": np.zeros((4, 28, 28, 1)), "codes": np.ones((4, 4, 32)), "colour": np.zeros((2, 8, 8, 3))}
    fig = images.plot_image_rows(rows, col_titles=["0", "1", "2", "3"])
    assert len(fig.axes) == 3 * 4
    assert fig.axes[0].get_ylabel() == "digits" and fig.axes[0].get_title() == "0"
    assert len(fig.axes[11].images) == 0  # the colour row has only two images
    wrapped = images.plot_image_rows({"many": np.zeros((7, 5, 5))}, ncols=3)
    assert len(wrapped.axes) == 9 and wrapped.axes[3].get_ylabel() == ""
    with pytest.raises(ValueError, match="images must have shape"):
        images.plot_image_rows({"bad": np.zeros((2, 5, 5, 2))})
    plt.close("all")


def test_plot_class_counts_puts_one_bar_per_class_and_entry():
    from coursework_lib.viz import bars

    fig = bars.plot_class_counts({"train": np.array([5, 3, 2]), "test": np.array([1, 1, 0])})
    ax = fig.axes[0]
    assert len(ax.patches) == 6
    assert [p.get_height() for p in ax.patches[:3]] == [5, 3, 2]
    assert "train (10)" in [t.get_text() for t in ax.get_legend().get_texts()]
    with pytest.raises(ValueError, match="same k"):
        bars.plot_class_counts({"a": np.zeros(3), "b": np.zeros(4)})
    plt.close("all")


def test_restoration_panel_interleaves_observed_baseline_and_generator():
    from coursework_lib.viz import restoration as rplot

    k = 2
    observed, baseline, generator = (np.full((k, 784), v) for v in (0.1, 0.5, 0.9))
    fig = rplot.plot_restoration_panel([("inpainting", observed, baseline, generator)])
    assert len(fig.axes) == 3 * k
    assert [ax.get_title() for ax in fig.axes] == ["observed", "baseline", "generator"] * k
    assert [float(ax.images[0].get_array().mean()) for ax in fig.axes] == pytest.approx([0.1, 0.5, 0.9] * k)
    plt.close("all")


def test_restoration_widget_level_box_follows_the_problem():
    pytest.importorskip("ipywidgets")
    from helpers import random_generator

    from coursework_lib.widgets import restoration as rwidgets

    X = np.random.default_rng(0).random((2, 784))
    w = rwidgets.restoration_explorer(random_generator(), X)
    boxes = {c.description: c for c in w.children if hasattr(c, "description")}
    assert boxes["level"].value == rwidgets.LEVELS["inpainting"][3]
    boxes["problem"].value = "super-resolution"
    assert boxes["level"].value == rwidgets.LEVELS["super-resolution"][3] == 4
    assert not boxes["index"].continuous_update and not boxes["noise std"].continuous_update
    plt.close("all")


def test_image_rows_lay_out_without_layout_warnings():
    """A tight-layout warning goes to stderr, which the book build (-W) treats as an error."""
    import io
    import warnings

    long = "a row label much wider than the first image of its row, as the GAN chapter uses"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for kwargs in ({"label_above": True, "ncols": 10}, {"label_above": True, "title": "t"}, {}):
            fig = images.plot_image_rows({long: np.zeros((20, 28, 28)), "b": np.ones((3, 28, 28))}, **kwargs)
            fig.savefig(io.BytesIO(), format="png")
    plt.close("all")
