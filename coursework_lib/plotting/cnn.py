"""Figures for chapters 2 and 3: training curves, class counts, confusion matrices."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def plot_training_curves(history: dict, title: str = "Training", loss_key: str = "loss",
                         accuracy_keys=("train_accuracy", "val_accuracy")):
    """Loss (left) and accuracies (right) per epoch from a history dict of per-epoch lists."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.6))
    epochs = np.arange(1, len(history[loss_key]) + 1)
    ax_loss.plot(epochs, history[loss_key], "o-")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title=f"{title}: loss")
    for key in accuracy_keys:
        if key in history:
            ax_acc.plot(epochs, history[key], "o-", label=key.replace("_", " "))
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title=f"{title}: accuracy")
    ax_acc.legend()
    return fig


def plot_accuracy_curves(histories: dict, title: str = "Train vs validation accuracy"):
    """One panel per run: Keras ``accuracy`` and ``val_accuracy`` per epoch. histories: name -> history."""
    fig, axes = plt.subplots(1, len(histories), figsize=(4.6 * len(histories), 3.6), squeeze=False)
    for ax, (name, history) in zip(axes.flat, histories.items()):
        epochs = np.arange(1, len(history["accuracy"]) + 1)
        ax.plot(epochs, history["accuracy"], "o-", label="train")
        ax.plot(epochs, history["val_accuracy"], "s-", label="validation")
        ax.set(xlabel="epoch", ylabel="accuracy", title=name)
        ax.legend()
    fig.suptitle(title)
    return fig


def plot_class_counts(y_train, y_test, class_names=None, title: str = "Examples per class"):
    """Side-by-side bars: how many training and test examples each class has."""
    classes = np.arange(max(y_train.max(), y_test.max()) + 1)
    train_counts, test_counts = np.bincount(y_train, minlength=len(classes)), np.bincount(y_test, minlength=len(classes))
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.bar(classes - 0.2, train_counts, width=0.4, label=f"train ({train_counts.sum()})")
    ax.bar(classes + 0.2, test_counts, width=0.4, label=f"test ({test_counts.sum()})")
    ax.set_xticks(classes, class_names if class_names is not None else classes, rotation=30 if class_names else 0)
    ax.set(xlabel="class", ylabel="number of images", title=title)
    ax.legend()
    return fig


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
        ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=7,
                color="white" if C[i, j] > C.max() / 3 else "black")
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
