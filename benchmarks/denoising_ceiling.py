"""Does denoise-then-classify reach a classifier trained directly on noisy digits? One run, every σ.

    .venv/bin/python benchmarks/denoising_ceiling.py     # make bench-denoising-ceiling
    .venv/bin/python benchmarks/denoising_ceiling.py --quick --out /tmp/x.json   # smoke test, not stamped

Denoising and then classifying is, taken as a whole, one classifier of noisy digits. So the fair
yardstick for chapter 5's pipeline is a classifier trained *directly* on noisy digits. This script, in
one run and on chapter 5's fixed noisy test sets (σ = 0.2, 0.6, 0.9, 1.0):

1. direct: fine-tunes the judge (chapter 3's improved CNN, trained on clean digits) on noisy training
   digits, fresh noise every epoch with σ ~ U(0.1, 1.1) per image (blind, as for the U-Net), Adam
   with a cosine decay, for as many noisy epochs as the pipeline's parts saw in all (the U-Net's 10
   plus the fine-tuning's 3), so the pipeline has no head start in noisy training data;
2. pipeline (frozen): scores the shipped U-Net followed by the shipped judge (chapter 3's improved
   CNN, trained on clean digits), as the chapter does;
3. pipeline (fine-tuned): chains the two into the composite ``denoise_and_classify`` and fine-tunes
   it end to end (3 epochs, the same step size and noise as the direct model),
   a cross-entropy on the class plus a binary cross-entropy of the U-Net's output against the clean
   digit (so the middle stays a denoised image).

Both trained models are scored once, after their last epoch (no epoch is picked on the test set). It
writes benchmarks/results/denoising_ceiling.json, stamps it in PROVENANCE.json, and exits with status 1
when the fine-tuned pipeline is below the direct classifier at any σ (``pipeline_minus_direct < 0``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow, seed_everything  # noqa: E402

quiet_tensorflow(onednn=True)  # before TensorFlow is imported
ROOT = Path(__file__).resolve().parents[1]

import numpy as np  # noqa: E402

from coursework_lib.core import provenance  # noqa: E402
from coursework_lib.core.data import load_mnist, to_unit_float  # noqa: E402
from coursework_lib.core.noise import noisy_pairs, noisy_test_sets  # noqa: E402
from coursework_lib.evaluation.classification import accuracy  # noqa: E402
from coursework_lib.models import autoencoders as ae  # noqa: E402
from coursework_lib.models.classifiers import compile_classifier, load_weights_model  # noqa: E402

SIGMAS = (0.2, 0.6, 0.9, 1.0)
UNET_EPOCHS = 10  # the shipped U-Net's noisy training epochs (scripts/train_denoisers.py)
TRAIN_SIGMAS = (0.1, 1.1)
JUDGE_FILE = "mnist_cnn_improved.keras"
RESULT = ROOT / "benchmarks" / "results" / "denoising_ceiling.json"


def scores(model, noisy_test, y_test):
    return {str(s): accuracy(model, noisy_test[s], y_test) for s in SIGMAS}


def fine_tune_pipeline(num_train, epochs, batch_size, lr):
    """The composite U-Net → judge, fine-tuned end to end; returns (classifying model, history)."""
    import keras

    unet = keras.models.load_model(ROOT / "weights" / ae.UNET_FILE)
    judge = load_weights_model(JUDGE_FILE)
    inputs = keras.Input((28, 28, 1))
    denoised = unet(inputs)
    logits = judge(denoised)
    train_model = keras.Model(inputs, {"denoised": denoised, "logits": logits})
    steps = epochs * int(np.ceil(num_train / batch_size))
    train_model.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(lr, steps)),
        loss={
            "denoised": keras.losses.BinaryCrossentropy(),
            "logits": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        },
    )
    classify = ae.denoise_and_classify(unet, judge)
    return train_model, classify


def main(argv=None):
    import keras

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs of end-to-end fine-tuning of the pipeline")
    parser.add_argument(
        "--direct-epochs",
        type=int,
        default=UNET_EPOCHS + 3,
        help="epochs of the direct classifier (default: as many noisy epochs as the U-Net's training plus the "
        "pipeline's fine-tuning)",
    )
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam's first step (cosine decay), both models")
    parser.add_argument("--quick", action="store_true", help="2 000 training digits, 1 epoch each")
    parser.add_argument("--out", type=Path, default=RESULT)
    args = parser.parse_args(argv)

    def log(message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    seed_everything(0)
    (x_train, y_train), (x_test, y_test) = load_mnist()
    X_train, X_test = to_unit_float(x_train)[..., None], to_unit_float(x_test)[..., None]
    epochs, direct_epochs = args.epochs, args.direct_epochs
    if args.quick:
        X_train, y_train, epochs, direct_epochs = X_train[:2000], y_train[:2000], 1, 1
    noisy_test = noisy_test_sets(X_test, SIGMAS)  # chapter 5's noisy test images
    start = time.perf_counter()

    # 1. direct: the judge itself, fine-tuned on noisy digits for as many epochs as the pipeline's parts saw
    steps = direct_epochs * int(np.ceil(len(X_train) / args.batch_size))
    direct = compile_classifier(
        load_weights_model(JUDGE_FILE), lr=keras.optimizers.schedules.CosineDecay(args.lr, steps)
    )
    rng = np.random.default_rng(1)
    for epoch in range(1, direct_epochs + 1):
        X_noisy, _ = noisy_pairs(X_train, TRAIN_SIGMAS, seed=rng)
        direct.fit(X_noisy, y_train, batch_size=args.batch_size, epochs=1, verbose=0)
        log(f"direct epoch {epoch}/{direct_epochs}")
    direct_scores = scores(direct, noisy_test, y_test)
    log(f"direct: {direct_scores}")

    # 2. and 3. the pipeline, frozen then fine-tuned end to end
    train_model, classify = fine_tune_pipeline(len(X_train), epochs, args.batch_size, args.lr)
    frozen_scores = scores(classify, noisy_test, y_test)
    log(f"pipeline (frozen): {frozen_scores}")
    rng = np.random.default_rng(1)  # the direct classifier's first noisy epochs
    for epoch in range(1, epochs + 1):
        X_noisy, _ = noisy_pairs(X_train, TRAIN_SIGMAS, seed=rng)
        train_model.fit(
            X_noisy, {"denoised": X_train, "logits": y_train}, batch_size=args.batch_size, epochs=1, verbose=0
        )
        log(f"fine-tune epoch {epoch}/{epochs}")
    pipeline_scores = scores(classify, noisy_test, y_test)
    log(f"pipeline (fine-tuned): {pipeline_scores}")

    gap = {s: pipeline_scores[s] - direct_scores[s] for s in direct_scores}
    result = {
        "command": "make bench-denoising-ceiling",
        "settings": {
            "test_sets": "chapter 5's noisy test sets (noise.noisy_test_sets), all 10 000 test digits",
            "train_sigma_range": list(TRAIN_SIGMAS),
            "training_digits": len(X_train),
            "direct": f"the judge (improved CNN trained on clean digits) fine-tuned on noisy digits, "
            f"{direct_epochs} epochs, Adam cosine from {args.lr}, batch {args.batch_size}, "
            "fresh blind noise each epoch",
            "pipeline_frozen": "shipped U-Net -> shipped judge (improved CNN trained on clean digits)",
            "pipeline": f"denoise_and_classify(U-Net trained {UNET_EPOCHS} noisy epochs, judge) fine-tuned end to end, "
            f"{epochs} epochs, Adam cosine from {args.lr}, loss = class cross-entropy + BCE(denoised, clean)",
        },
        "direct": direct_scores,
        "pipeline_frozen": frozen_scores,
        "pipeline": pipeline_scores,
        "pipeline_minus_direct": gap,
        "seconds": time.perf_counter() - start,
        "quick": bool(args.quick),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    log(f"wrote {args.out}")
    for s in SIGMAS:
        key = str(s)
        print(
            f"σ = {s}: direct {direct_scores[key]:.4f}, pipeline frozen {frozen_scores[key]:.4f}, "
            f"fine-tuned {pipeline_scores[key]:.4f}, pipeline - direct {gap[key]:+.4f}"
        )
    if not args.quick and args.out.resolve() == RESULT.resolve():
        provenance.stamp_artifacts(
            [args.out],
            command="make bench-denoising-ceiling",
            code_files=provenance.script_code_files(Path(__file__)),
        )
    missed = [s for s in SIGMAS if gap[str(s)] < 0]
    if missed:
        print(f"TARGET MISSED: the pipeline is below the direct classifier at σ = {missed}", file=sys.stderr)
        return 1
    print("target met: pipeline >= direct classifier at every σ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
