"""How well can *any* denoise-then-classify pipeline do on chapter 5's noisy test digits? An estimate.

    .venv/bin/python benchmarks/denoising_ceiling.py [--epochs 12] [--out _build/ch05]

Denoising and then classifying is, taken as a whole, one classifier of noisy digits. So a classifier
trained *directly* on noisy digits, with nothing in between, estimates what the pipeline can reach.
This script trains chapter 3's improved CNN on fresh noisy training digits every epoch. The noise is
drawn blind, σ ~ U(0.1, 1.1), as for chapter 5's U-Net. Adam's step decays on a cosine to zero. After
every epoch it scores the CNN on chapter 5's noisy test sets: the same seeds, so the same noisy images.
It prints the per-epoch accuracies next to issue #5's targets and writes denoising_ceiling.json.
Takes about 10 to 15 minutes on the 2-core CPU with oneDNN. An estimate, not a bound: at low σ a good
denoiser followed by a sharp clean-digit classifier can score above it.
"""

import argparse
import json
import time
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow, seed_everything  # noqa: E402

quiet_tensorflow(onednn=True)  # before TensorFlow is imported
ROOT = Path(__file__).resolve().parents[1]

import numpy as np  # noqa: E402

from coursework_lib.core.data import load_mnist, to_unit_float  # noqa: E402
from coursework_lib.core.noise import noisy_pairs, noisy_test_sets  # noqa: E402
from coursework_lib.evaluation.classification import accuracy  # noqa: E402
from coursework_lib.evaluation.denoising import DENOISING_TARGETS  # noqa: E402
from coursework_lib.models.classifiers import build_improved_cnn, compile_classifier  # noqa: E402

TARGETS = DENOISING_TARGETS


def main(argv=None):
    import keras

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--sigmas", type=float, nargs=2, default=(0.1, 1.1), metavar=("LOW", "HIGH"))
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "ch05")
    args = parser.parse_args(argv)
    seed_everything(0)
    (x_train, y_train), (x_test, y_test) = load_mnist()
    X_train, X_test = to_unit_float(x_train)[..., None], to_unit_float(x_test)[..., None]
    noisy_test = noisy_test_sets(X_test, TARGETS)  # chapter 5's noisy test images
    steps = args.epochs * int(np.ceil(len(X_train) / args.batch_size))
    model = compile_classifier(build_improved_cnn(), lr=keras.optimizers.schedules.CosineDecay(args.lr, steps))
    rng, start, history = np.random.default_rng(1), time.perf_counter(), []
    for epoch in range(1, args.epochs + 1):
        X_noisy, _ = noisy_pairs(X_train, args.sigmas, seed=rng)
        model.fit(X_noisy, y_train, batch_size=args.batch_size, epochs=1, verbose=0)
        scores = {s: accuracy(model, noisy_test[s], y_test) for s in TARGETS}
        history.append(
            {"epoch": epoch, "seconds": time.perf_counter() - start, "accuracy": {str(s): a for s, a in scores.items()}}
        )
        print(
            f"epoch {epoch:2d}/{args.epochs} ({history[-1]['seconds']:4.0f} s)  "
            + "  ".join(f"σ = {s}: {a:.4f}" for s, a in scores.items()),
            flush=True,
        )
    for s, a in scores.items():
        print(
            f"σ = {s}: trained on noise {a:.4f}; target {TARGETS[s]:.3f} "
            f"{'within reach' if a >= TARGETS[s] else 'ABOVE this estimate'}"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    summary = {
        "sigmas": list(args.sigmas),
        "epochs": args.epochs,
        "targets": {str(s): t for s, t in TARGETS.items()},
        "history": history,
    }
    (args.out / "denoising_ceiling.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"wrote {args.out / 'denoising_ceiling.json'}")


if __name__ == "__main__":
    main()
