"""Schematic diagrams drawn with matplotlib patches and arrows. They draw; they compute nothing.

Each function returns its Figure; its title doubles as the figure's alt text.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

FORWARD_COLOUR = "black"
BACKWARD_COLOUR = "tab:red"
_BOX = {
    "value": {"boxstyle": "circle,pad=0.35", "facecolor": "white", "edgecolor": "black"},
    "op": {"boxstyle": "round,pad=0.4", "facecolor": "#dbe9f6", "edgecolor": "tab:blue"},
    "param": {"boxstyle": "square,pad=0.35", "facecolor": "#eeeeee", "edgecolor": "grey"},
    "loss": {"boxstyle": "round,pad=0.4", "facecolor": "#fde0c5", "edgecolor": "tab:orange"},
}


def _node(ax, xy, label, kind):
    ax.text(*xy, label, ha="center", va="center", fontsize=11, bbox=_BOX[kind], zorder=3)


def _arrow(ax, start, end, *, colour=FORWARD_COLOUR, rad=0.0, dashed=False, shrink=22):
    """An arrow from ``start`` to ``end`` (data coordinates); returns the Annotation holding its FancyArrowPatch."""
    return ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": colour,
            "lw": 1.4,
            "linestyle": "--" if dashed else "-",
            "shrinkA": shrink,
            "shrinkB": shrink,
            "connectionstyle": f"arc3,rad={rad}",
        },
        zorder=2,
    )


def draw_computational_graph(ax=None):
    """The computational graph of a two-layer MLP with softmax cross-entropy.

    Black arrows: the forward pass (values flow from X to the loss L). Red dashed arrows: the backward
    pass, each labelled with the gradient it carries (the equations of chapter 2).
    """
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(10.5, 4.8))
    # name: (centre, label, kind, half-width in data units)
    nodes = {
        "X": ((0.0, 2.0), "$X$", "value", 0.25),
        "W1": ((1.6, 3.6), "$W_1$", "param", 0.2),
        "b1": ((2.8, 3.6), "$b_1$", "param", 0.2),
        "Z1": ((2.2, 2.0), "$Z_1 = XW_1 + b_1$", "op", 0.85),
        "A1": ((4.6, 2.0), "$A_1 = \\mathrm{ReLU}(Z_1)$", "op", 0.9),
        "W2": ((6.4, 3.6), "$W_2$", "param", 0.2),
        "b2": ((7.6, 3.6), "$b_2$", "param", 0.2),
        "Z2": ((7.0, 2.0), "$Z_2 = A_1W_2 + b_2$", "op", 0.9),
        "y": ((9.6, 3.6), "$y$", "value", 0.2),
        "L": ((9.6, 2.0), "$L$ = cross-entropy\nof softmax$(Z_2)$", "loss", 0.95),
    }
    for xy, label, kind, _ in nodes.values():
        _node(ax, xy, label, kind)

    def right(name, dy=0.0):
        (x, y), _, _, half = nodes[name]
        return (x + half + 0.05, y + dy)

    def left(name, dy=0.0):
        (x, y), _, _, half = nodes[name]
        return (x - half - 0.05, y + dy)

    for a, b in (("X", "Z1"), ("Z1", "A1"), ("A1", "Z2"), ("Z2", "L")):
        _arrow(ax, right(a), left(b), shrink=0)
    for param, op in (("W1", "Z1"), ("b1", "Z1"), ("W2", "Z2"), ("b2", "Z2"), ("y", "L")):
        (x0, y0), (x1, y1) = nodes[param][0], nodes[op][0]
        _arrow(ax, (x0, y0 - 0.3), (x1 + 0.5 * (x0 - x1), y1 + 0.35), shrink=0)
    backward = [
        ("L", "Z2", "$dZ_2 = (\\mathrm{softmax}(Z_2) - Y)/n$"),
        ("Z2", "A1", "$dA_1 = dZ_2 W_2^\\top$"),
        ("A1", "Z1", "$dZ_1 = dA_1 \\odot \\mathbb{1}[Z_1 > 0]$"),
    ]
    for a, b, label in backward:
        (x0, y0), (x1, _) = nodes[a][0], nodes[b][0]
        _arrow(ax, (x0 - 0.3, y0 - 0.3), (x1 + 0.3, y0 - 0.3), colour=BACKWARD_COLOUR, rad=-0.35, dashed=True, shrink=0)
        ax.text((x0 + x1) / 2, y0 - 1.05, label, ha="center", va="top", color=BACKWARD_COLOUR, fontsize=10)
    for op, param, label in (("Z2", "W2", "$dW_2 = A_1^\\top dZ_2$"), ("Z1", "W1", "$dW_1 = X^\\top dZ_1$")):
        (x0, y0), (x1, y1) = nodes[op][0], nodes[param][0]
        _arrow(
            ax, (x0 - 0.5, y0 + 0.35), (x1 - 0.25, y1 - 0.1), colour=BACKWARD_COLOUR, rad=-0.3, dashed=True, shrink=0
        )
        ax.text(x1 - 0.3, y1 + 0.3, label, ha="center", va="bottom", color=BACKWARD_COLOUR, fontsize=10)
    ax.plot([], [], color=FORWARD_COLOUR, label="forward pass: values")
    ax.plot([], [], "--", color=BACKWARD_COLOUR, label="backward pass: gradients")
    ax.legend(loc="lower left", fontsize=9, frameon=False)
    ax.set(xlim=(-0.5, 10.8), ylim=(0.2, 4.4))
    ax.set_title("Computational graph of a two-layer MLP: forward values (black), backward gradients (red)")
    ax.axis("off")
    return fig or ax.figure


# The six-neuron network of report 3, section 2.5: inputs x1, x2; neurons 1-3, then 4-5, then 6.
SIX_NEURON_LAYERS = (("x1", "x2"), ("1", "2", "3"), ("4", "5"), ("6",))


def draw_six_neuron_network(ax=None):
    """Report 3's 2-3-2-1 network: inputs x_1, x_2, neurons 1 to 6, each edge labelled with its weight w_ij."""
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.0, 4.4))
    positions = {}
    for column, layer in enumerate(SIX_NEURON_LAYERS):
        for row, name in enumerate(layer):
            positions[name] = (2.6 * column, (len(layer) - 1) / 2 - row)
    for left, right in zip(SIX_NEURON_LAYERS[:-1], SIX_NEURON_LAYERS[1:]):
        for a in left:
            for b in right:
                _arrow(ax, positions[a], positions[b], shrink=16)
                (x0, y0), (x1, y1) = positions[a], positions[b]
                t = 0.25 if a == left[0] else (0.72 if a == left[-1] else 0.5)
                label = f"$w_{{{a[-1]}{b}}}$"
                ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0) + 0.07, label, fontsize=9, ha="center")
    for name, xy in positions.items():
        label = f"$x_{name[-1]}$" if name.startswith("x") else f"$f_{name}$\n$y_{name}$"
        _node(ax, xy, label, "param" if name.startswith("x") else "value")
    _arrow(ax, positions["6"], (positions["6"][0] + 1.4, positions["6"][1]), shrink=16)
    ax.text(positions["6"][0] + 1.5, 0.0, "output $y_6$", va="center", fontsize=10)
    ax.set(xlim=(-0.6, 9.9), ylim=(-1.6, 1.6))
    ax.set_title("Report 3's six-neuron network: inputs $x_1, x_2$, neurons 1-3, 4-5 and 6, weights $w_{ij}$")
    ax.axis("off")
    return fig or ax.figure
