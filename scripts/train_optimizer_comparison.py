"""Chapter 4's full optimizer comparison on the source CNN (all 60,000 MNIST training images).

Trains ``models.build_source_cnn()`` once with each of Adam, SGD and SGD + momentum (settings in
``coursework_lib.training.optimizer_comparison.KERAS_OPTIMIZER_SETTINGS``), evaluating on the 10,000 test images
after every epoch, and writes the per-epoch accuracies to ``weights/optimizer_comparison.json`` (a few
kB; no weights are kept). The notebook ``04_optimizers`` plots and quotes this log.

    .venv/bin/python scripts/train_optimizer_comparison.py [--epochs 10] [--batch-size 32]

Batch 32 is Keras' default for ``fit``, which the source most likely used: 1,875 steps per epoch. A first
run with batch 128 and 8 epochs left plain SGD at 0.975 and still climbing. About 15 minutes on two CPU
cores with oneDNN (switched on here; the notebooks keep it off because its start-up notice goes to stderr).
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow, seed_everything  # noqa: E402

quiet_tensorflow(onednn=True)  # before TensorFlow is imported
ROOT = Path(__file__).resolve().parents[1]

from coursework_lib.training.optimizer_comparison import (
    COMPARISON_LOG,
    KERAS_OPTIMIZER_SETTINGS,
    prepare_mnist,
    train_cnn_with_optimizer,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num-train", type=int, default=None, help="a subset, for a quick smoke run")
    parser.add_argument("--out", type=Path, default=ROOT / "weights" / COMPARISON_LOG)
    args = parser.parse_args()

    seed_everything(args.seed)
    import keras
    import tensorflow as tf

    train, test = prepare_mnist(num_train=args.num_train, seed=args.seed)
    runs = {}
    for name in KERAS_OPTIMIZER_SETTINGS:
        print(f"--- {name} ---", flush=True)
        runs[name] = train_cnn_with_optimizer(
            name, train, test, num_epochs=args.epochs, batch_size=args.batch_size, seed=args.seed, verbose=2
        )
        print(
            f"{name}: final test accuracy {runs[name]['test_accuracy'][-1]:.4f} ({runs[name]['seconds']:.0f} s)",
            flush=True,
        )
    log = {
        "description": "source CNN on full MNIST; test accuracy after every epoch",
        "command": "python scripts/train_optimizer_comparison.py " + " ".join(sys.argv[1:]),
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "seed": args.seed,
        "versions": {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__},
        "machine": f"{platform.machine()}, CPU (timings inflated by other jobs sharing the cores)",
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(log, indent=1) + "\n")
    print("wrote", args.out)
    # A full run into the book's weights/ is the artifact chapter 4 quotes: record who made it.
    if args.num_train is None and args.out.resolve() == (ROOT / "weights" / COMPARISON_LOG).resolve():
        from coursework_lib.core import provenance

        provenance.stamp_artifacts(
            [args.out], command="make weights-optimizers", code_files=provenance.script_code_files(Path(__file__))
        )


if __name__ == "__main__":
    main()
