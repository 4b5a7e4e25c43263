"""Chapter 5's figures: encoded codes laid out as pictures, accuracy against noise level, the quality table,
and the static twin of the denoising widget. Every function returns the matplotlib Figure it drew (loss
curves and rows of digits are drawn by ``viz.curves`` and ``viz.images``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def code_as_image(codes) -> np.ndarray:
    """Codes (n, h, w, c) laid out as (n, h, w·c) pictures: the c feature maps side by side."""
    codes = np.asarray(codes)
    if codes.ndim != 4:
        raise ValueError(f"codes must have shape (n, h, w, c), got {codes.shape}")
    n, h, w, c = codes.shape
    return codes.transpose(0, 1, 3, 2).reshape(n, h, c * w)


def plot_accuracy_vs_sigma(results: dict, clean_accuracy: float | None = None, targets: dict | None = None):
    """results: {model name: {sigma: accuracy in [0, 1]}}; optional clean-image accuracy (a horizontal
    line) and {sigma: target accuracy} (crosses). Accuracy is shown in per cent."""
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for name, by_sigma in results.items():
        sigmas = sorted(by_sigma)
        ax.plot(sigmas, [100 * by_sigma[s] for s in sigmas], "-o", label=name)
    if targets:
        ax.plot(list(targets), [100 * t for t in targets.values()], "kx", ms=9, label="target")
    if clean_accuracy is not None:
        ax.axhline(100 * clean_accuracy, color="grey", ls=":", label="judge on clean images")
    ax.set(
        xlabel="noise level σ",
        ylabel="judge's accuracy on the test set (%)",
        title="Denoise, then classify with a CNN trained on clean digits",
    )
    ax.legend(fontsize=8)
    return fig


def plot_sigma_grid(judged: dict, sigmas, clean):
    """Static twin of the denoising widget. judged: {sigma: dict from autoencoders.denoise_and_judge}
    for the same k clean digits (k, 28, 28[, 1]). Rows: each sigma's noisy and denoised digits, with the
    classifier's prediction and confidence above the denoised ones; the last row shows the clean digits."""
    clean = np.asarray(clean).reshape(len(clean), 28, 28)
    k = len(clean)
    fig, axes = plt.subplots(2 * len(sigmas) + 1, k, figsize=(1.05 * k, 1.15 * (2 * len(sigmas) + 1)), squeeze=False)
    for r, sigma in enumerate(sigmas):
        result = judged[sigma]
        for j in range(k):
            for offset, key in ((0, "noisy"), (1, "denoised")):
                ax = axes[2 * r + offset, j]
                ax.imshow(result[key][j, ..., 0], cmap="gray", vmin=0, vmax=1)
                if offset == 1:
                    ax.set_title(f"{result['label'][j]} ({100 * result['confidence'][j]:.0f}%)", fontsize=7)
                if j == 0:
                    ax.set_ylabel(f"σ={sigma:g}\n{key}", fontsize=7)
    for j in range(k):
        axes[-1, j].imshow(clean[j], cmap="gray", vmin=0, vmax=1)
    axes[-1, 0].set_ylabel("clean", fontsize=7)
    for ax in axes.flat:
        ax.set_xticks([]), ax.set_yticks([])
        ax.grid(False)
    fig.suptitle("Noisy → denoised, with the judge's prediction (confidence)", fontsize=10)
    return fig


def quality_table_markdown(table: dict, sigmas) -> str:
    """table: {model: {sigma: {"accuracy", "psnr", "ssim"}}} -> a Markdown table, one row per model,
    'accuracy % / PSNR dB / SSIM' per noise level; '—' where a model was not evaluated."""
    header = "| model | " + " | ".join(f"σ = {s:g}: acc % / PSNR dB / SSIM" for s in sigmas) + " |"
    lines = [header, "|---|" + "---|" * len(sigmas)]
    for model, by_sigma in table.items():
        cells = []
        for s in sigmas:
            r = by_sigma.get(s)
            cells.append("—" if r is None else f"{100 * r['accuracy']:.2f} / {r['psnr']:.2f} / {r['ssim']:.3f}")
        lines.append(f"| {model} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def readings_table_markdown(readings: dict) -> str:
    """A Markdown table of :func:`coursework_lib.evaluation.denoising.dense_source_readings`' output:
    one row per (noise kind, test clipping), the accuracies in per cent."""
    lines = [
        "| noise (σ = 0.9 scale) | test set | noisy digits | denoised digits |",
        "|---|---|---|---|",
    ]
    for (kind, clipping), row in readings.items():
        lines.append(f"| {kind} | {clipping} | {100 * row['noisy']:.1f}% | {100 * row['denoised']:.1f}% |")
    return "\n".join(lines)
