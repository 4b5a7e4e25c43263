"""Train chapter 7's GANs on MNIST and export them to weights/ (generator weights, metric log, GIF).

    .venv/bin/python scripts/train_gan.py --architecture source            # the source's DCGAN, 50 epochs
    .venv/bin/python scripts/train_gan.py --architecture small             # our cheaper DCGAN, 30 epochs
    .venv/bin/python scripts/train_gan.py --architecture conditional       # the same, told the digit, 15 epochs
    .venv/bin/python scripts/train_gan.py --architecture clustered         # told a k-means cluster, 15 epochs
    .venv/bin/python scripts/train_gan.py --architecture small --epochs 1 --num-train 2560   # smoke test

Runs are resumable: checkpoints go to runs/gan_<architecture>/checkpoints every --checkpoint-every
epochs (15, as in the source) and at the end; running the same command again continues from the latest
one (pass --epochs N to go further). After every epoch the generator is scored on 10 000 samples with
chapter 3's classifier (weights/mnist_cnn.keras): confident fraction, class ratio and the Fréchet
distance in the classifier's features to the MNIST test set; the line is printed and appended to
runs/gan_<architecture>/log.jsonl. On the 2-core CPU the source architecture takes about 2.5 minutes of
wall time per epoch, the small one about 30 s (CPU time is about twice the wall time: two threads).

oneDNN is switched on here (TF_ENABLE_ONEDNN_OPTS=1): it roughly halves the time per epoch on this CPU.
The notebooks keep it off, because its start-up notice goes to stderr.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow  # noqa: E402

quiet_tensorflow(onednn=True)  # before TensorFlow is imported

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_EPOCHS = {"source": 50, "small": 30, "conditional": 15, "clustered": 15}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--architecture", choices=sorted(DEFAULT_EPOCHS), default="source")
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="train up to this epoch (default: 50 for source, 30 for small, 15 for conditional and clustered)",
    )
    parser.add_argument("--checkpoint-every", type=int, default=15)
    parser.add_argument("--num-train", type=int, default=None, help="use only the first N training images")
    parser.add_argument("--num-eval-samples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--run-dir", type=Path, default=None, help="default: runs/gan_<architecture>")
    parser.add_argument("--export-dir", type=Path, default=ROOT / "weights")
    args = parser.parse_args(argv)

    from coursework_lib.core import data
    from coursework_lib.evaluation import gan_scores
    from coursework_lib.training import gan_runs
    from coursework_lib.training.classifiers import get_mnist_classifier

    classifier = get_mnist_classifier(train_if_missing=False)
    _, (x_test, _) = data.load_mnist()
    reference = gan_scores.classifier_statistics(classifier, x_test)
    run = gan_runs.GanRun(
        args.architecture,
        args.run_dir or ROOT / "runs" / f"gan_{args.architecture}",
        seed=args.seed,
        num_train=args.num_train,
    )
    run.train(
        args.epochs or DEFAULT_EPOCHS[args.architecture],
        checkpoint_every=args.checkpoint_every,
        classifier=classifier,
        reference_statistics=reference,
        num_eval_samples=args.num_eval_samples,
        export_dir=args.export_dir,
        progress=lambda line: print(line, flush=True),
    )
    exported = gan_runs.exported_paths(args.architecture, args.export_dir)
    print(f"exported to {exported}", flush=True)
    # A full run into the book's weights/ is an artifact the notebooks quote: record who made it.
    if args.num_train is None and args.export_dir.resolve() == (ROOT / "weights").resolve():
        from coursework_lib.core import provenance

        provenance.stamp_artifacts(
            list(exported.values()),
            command="make weights-gan",
            code_files=provenance.script_code_files(Path(__file__)),
        )


if __name__ == "__main__":
    main()
