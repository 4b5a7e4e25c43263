"""Train the chapter 6 patch VAEs and write their small weights to weights/.

    .venv/bin/python scripts/train_vae.py                 # all three, the shipped settings
    .venv/bin/python scripts/train_vae.py --tasks recon --epochs 2 --max-train 2000   # a quick try

Run by `make weights-vae`. Three copies of the scaled convolutional VAE
(coursework_lib.models.vae.build_conv_vae) are trained on 32x32 colour patches of the bundled training
photographs (coursework_lib.core.patches.TRAIN_IMAGES), with the source's augmentation done by Keras
preprocessing layers inside the tf.data pipeline:

    recon    patch -> the same patch
    denoise  patch + N(0, sigma^2), sigma ~ U(0.05, 0.25) per patch, clipped -> the clean patch
    colour   grey patch (BT.709 luminance, one channel) -> the colour patch

Each writes weights/vae_patches_<task>.weights.h5 (model weights only, no optimizer state) and a .json
with the settings and how training went (read back by coursework_lib.models.vae.load_pretrained).
Seeds are fixed; results still vary slightly across machines.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow

quiet_tensorflow()  # before TensorFlow is imported

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def make_dataset(X, task, batch_size, seed, augmenter=None):
    import tensorflow as tf

    from coursework_lib.core.patches import LUMA_WEIGHTS

    ds = tf.data.Dataset.from_tensor_slices(X)
    if augmenter is not None:
        ds = ds.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if augmenter is not None:
        ds = ds.map(lambda x: tf.clip_by_value(augmenter(x, training=True), 0.0, 1.0))
    luma = tf.constant(LUMA_WEIGHTS, dtype=tf.float32)
    if task == "denoise":

        def noisy(x):
            sigma = tf.random.uniform((tf.shape(x)[0], 1, 1, 1), 0.05, 0.25, seed=seed)
            return tf.clip_by_value(x + sigma * tf.random.normal(tf.shape(x), seed=seed), 0.0, 1.0), x

        ds = ds.map(noisy)
    elif task == "colour":
        ds = ds.map(lambda x: (tf.tensordot(x, luma, axes=1)[..., None], x))
    return ds.prefetch(2)


def train_one(task, X_train, X_test, args):
    import keras

    from coursework_lib.core.patches import build_augmenter
    from coursework_lib.models import vae as V

    keras.utils.set_random_seed(args.seed)
    in_channels = 1 if task == "colour" else 3
    settings = dict(
        input_shape=[32, 32, in_channels],
        output_channels=3,
        latent_dim=args.latent_dim,
        widths=list(V.SCALED_WIDTHS),
        alpha=args.alpha,
    )
    model = V.build_conv_vae(
        tuple(settings["input_shape"]),
        3,
        args.latent_dim,
        V.SCALED_WIDTHS,
        args.alpha,
        seed=args.seed,
        name=f"vae_patches_{task}",
    )
    model.compile(optimizer=keras.optimizers.Adam(args.lr))
    train = make_dataset(X_train, task, args.batch_size, args.seed, build_augmenter(seed=args.seed))
    test = make_dataset(X_test, task, 256, args.seed + 1)
    start = time.perf_counter()
    history = model.fit(train, validation_data=test, epochs=args.epochs, verbose=2)
    seconds = time.perf_counter() - start
    fresh = V.build_conv_vae(
        tuple(settings["input_shape"]), 3, args.latent_dim, V.SCALED_WIDTHS, args.alpha, name=f"vae_patches_{task}"
    )
    fresh.set_weights(model.get_weights())  # weights only: the optimizer state is not shipped
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fresh.save_weights(out / f"vae_patches_{task}.weights.h5")
    info = {
        **settings,
        "task": task,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "seed": args.seed,
        "num_train_patches": int(len(X_train)),
        "train_seconds": round(seconds, 1),
        "final": {k: float(v[-1]) for k, v in history.history.items()},
        "made_by": "scripts/train_vae.py",
    }
    (out / f"vae_patches_{task}.json").write_text(json.dumps(info, indent=2) + "\n")
    print(f"{task}: saved to {out} after {seconds:.0f} s; final {info['final']}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="recon,denoise,colour")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=50000.0)
    parser.add_argument("--latent-dim", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--max-train", type=int, default=0, help="use at most this many patches (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(ROOT / "weights"))
    args = parser.parse_args()

    from coursework_lib.core.patches import load_patches

    X_train, _ = load_patches("train")
    X_test, _ = load_patches("test")
    if args.max_train:
        X_train = X_train[np.random.default_rng(args.seed).permutation(len(X_train))[: args.max_train]]
    print(f"{len(X_train)} training patches, {len(X_test)} test patches", flush=True)
    for task in args.tasks.split(","):
        if task not in ("recon", "denoise", "colour"):
            raise SystemExit(f"unknown task {task!r}")
        train_one(task, X_train, X_test, args)


if __name__ == "__main__":
    main()
