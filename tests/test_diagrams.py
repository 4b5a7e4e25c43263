"""Schematic diagrams and chapter 2's layer-profile figure: what they draw (they compute nothing)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from coursework_lib.viz import backprop, diagrams


def _arrows(ax, colour):
    from matplotlib.colors import to_rgba

    return [
        t
        for t in ax.texts
        if getattr(t, "arrow_patch", None) is not None and t.arrow_patch.get_edgecolor() == to_rgba(colour)
    ]


def test_computational_graph_has_nodes_forward_and_backward_arrows():
    fig = diagrams.draw_computational_graph()
    ax = fig.axes[0]
    labels = " ".join(t.get_text() for t in ax.texts)
    for name in ("$X$", "$W_1$", "$b_2$", "$y$", "dZ_2", "dW_1", "dA_1", "ReLU"):
        assert name in labels
    assert len(_arrows(ax, diagrams.FORWARD_COLOUR)) == 9
    assert len(_arrows(ax, diagrams.BACKWARD_COLOUR)) == 5
    assert "forward" in ax.get_title() and "backward" in ax.get_title()
    plt.close(fig)


def test_six_neuron_network_labels_every_weight_of_report_3():
    fig = diagrams.draw_six_neuron_network()
    labels = {t.get_text() for t in fig.axes[0].texts}
    weights = {f"$w_{{{i}{j}}}$" for i in "12" for j in "123"}
    weights |= {f"$w_{{{i}{j}}}$" for i in "123" for j in "45"} | {"$w_{46}$", "$w_{56}$"}
    assert weights <= labels and len(weights) == 14
    plt.close(fig)


def test_layer_profiles_draw_one_line_per_run_on_a_log_axis():
    fig = backprop.plot_layer_profiles({"a": np.ones(4), "b": 2.0 ** np.arange(4)}, ylabel="norm", title="t")
    ax = fig.axes[0]
    assert len(ax.lines) == 2 and ax.get_yscale() == "log" and ax.get_ylabel() == "norm"
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [1, 2, 3, 4])
    with pytest.raises(ValueError, match="profiles"):
        backprop.plot_layer_profiles({"a": np.ones((2, 2))}, ylabel="y", title="t")
    plt.close(fig)
