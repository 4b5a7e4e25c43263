"""Figures for chapter 3: a labelled image, predictions under digits, confusion matrices."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def plot_labelled_image(image, label, title: str = "A training image"):
    """One grey image with its label in the title."""
    fig, ax = plt.subplots(figsize=(3, 3))
    ax.imshow(image, cmap="gray")
    ax.set(title=f"{title}: label {label}", xlabel="column (pixel)", ylabel="row (pixel)")
    ax.grid(False)
    return fig


def plot_confusion_matrix(C, class_names, title: str = "Confusion matrix"):
    """A confusion matrix (rows: true class, columns: predicted) with counts written in the cells."""
    C = np.asarray(C)
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(np.log1p(C), cmap="Blues")
    for i, j in np.ndindex(C.shape):
        ax.text(
            j,
            i,
            str(C[i, j]),
            ha="center",
            va="center",
            fontsize=7,
            color="white" if C[i, j] > C.max() / 3 else "black",
        )
    ax.set_xticks(range(len(class_names)), class_names, rotation=45, ha="right")
    ax.set_yticks(range(len(class_names)), class_names)
    ax.set(xlabel="predicted class", ylabel="true class", title=title)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="log(1 + count)")
    return fig


def show_images_with_predictions(images, labels, predicted, title: str = "Predictions"):
    """A row of images titled "label y, predicted p" (green if right, red if wrong)."""
    fig, axes = plt.subplots(1, len(images), figsize=(2.6 * len(images), 2.9), squeeze=False)
    for ax, image, y, p in zip(axes.flat, images, labels, predicted):
        ax.imshow(image, cmap="gray")
        ax.set_title(f"label {y}, predicted {p}", color="green" if y == p else "red", fontsize=10)
        ax.axis("off")
    fig.suptitle(title)
    return fig
