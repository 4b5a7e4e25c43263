"""Train the chapter 6 VAEs and write their small weights to weights/.

    make weights-vae                    # the three shipped patch VAEs (offline data)
    make weights-vae DATASET=lfw        # the source's data: LFW faces (downloads ~230 MB the first time)
    .venv/bin/python scripts/train_vae.py --tasks recon --epochs 2 --max-train 2000   # a quick try

Three copies of the scaled convolutional VAE (coursework_lib.models.vae.build_conv_vae) are trained, with
the source's augmentation done by Keras preprocessing layers inside the tf.data pipeline (settings per task
in DEFAULTS below):

    recon    image -> the same image, on alpha * MSE + KL
    denoise  image + N(0, sigma^2), sigma ~ U(0.05, 0.25) per image, clipped -> the clean image, on
             alpha * MSE + KL
    colour   grey image (BT.709 luminance, one channel) -> its two chroma coordinates, added to the grey
             input (coursework_lib.models.vae.ChromaVAE: the input's luminance is kept), on the source's
             alpha * RMSE + KL

DATASET=patches (the default) trains on 32x32 colour patches of the bundled training photographs
(coursework_lib.core.patches.TRAIN_IMAGES) and writes weights/vae_patches_<task>.weights.h5 and .json
(the settings and how training went; read back by coursework_lib.models.vae.load_pretrained), then stamps
them in PROVENANCE.json. DATASET=lfw trains on LFW faces at 32x32 (scikit-learn's fetch_lfw_people, a
random tenth held out) and writes (and stamps) weights/vae_lfw_<task>.*; without a connection and without the files on
disk it stops at once, before any training, saying what it tried to download and how to supply the
files, and leaves nothing behind.

Seeds are fixed; results still vary slightly across machines. Runs with other settings (--epochs, --alpha,
--reconstruction, --max-train) are not stamped as the shipped ones.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow

quiet_tensorflow()  # before TensorFlow is imported

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TASKS = ("recon", "denoise", "colour")
# The shipped settings of each task: the reconstruction term, alpha and the number of epochs.
# Reconstruction and denoising train on alpha * MSE + KL (the Gaussian-likelihood form; chapter 6 measures
# it against the source's RMSE), the colouriser on the source's alpha * RMSE + KL. Its latent code must
# guess colour from grey, which is ambiguous: a small alpha (a strong pull to the prior) keeps it from
# painting the confident colours of its training photographs (two-epoch trials, scored on the test
# photographs: alpha 1e4 -> below the grey baseline, alpha 1e3 -> above it; see chapter 6).
DEFAULTS = {
    "recon": {"reconstruction": "mse", "alpha": 50000.0, "epochs": 8},
    "denoise": {"reconstruction": "mse", "alpha": 50000.0, "epochs": 8},
    "colour": {"reconstruction": "rmse", "alpha": 1000.0, "epochs": 4},
}
LFW_FILES = "lfw-funneled.tgz (about 230 MB), pairsDevTrain.txt, pairsDevTest.txt and pairs.txt"
LFW_URL = "https://ndownloader.figshare.com/files/ (scikit-learn's mirror of http://vis-www.cs.umass.edu/lfw/)"
DOWNLOAD_TIMEOUT_S = 30


class LFWUnavailable(RuntimeError):
    """LFW faces are neither on disk nor downloadable; the message says how to supply them."""


def default_lfw_home() -> Path:
    """Where scikit-learn keeps its datasets: $SCIKIT_LEARN_DATA or ~/scikit_learn_data."""
    return Path(os.environ.get("SCIKIT_LEARN_DATA", Path.home() / "scikit_learn_data")).expanduser()


def load_lfw(data_home, size: int = 32, fetch=None):
    """LFW faces in colour, (n, size, size, 3) float32 in [0, 1], downloaded all-or-nothing.

    data_home: the folder that holds (or will hold) ``lfw_home/``. fetch: the loader, default
    ``coursework_lib.core.patches.load_lfw_faces`` (tests pass a fake). When ``lfw_home/`` is already
    there, nothing is downloaded. Otherwise the download goes into a temporary folder inside data_home
    and is moved into place only when complete; on any failure the temporary folder (and data_home, if
    this call created it) is removed and :class:`LFWUnavailable` says what was tried and how to supply
    the files by hand.
    """
    if fetch is None:
        from coursework_lib.core.patches import load_lfw_faces as fetch
    data_home = Path(data_home)
    final = data_home / "lfw_home"
    if final.is_dir():
        try:
            return fetch(size=size, data_home=data_home, download_if_missing=False)[0]
        except Exception as error:
            raise LFWUnavailable(_lfw_help(data_home, f"the files in {final} could not be read: {error}")) from None
    created = not data_home.exists()
    data_home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lfw_download_", dir=data_home))
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)  # fail fast when a connection hangs
    try:
        X = fetch(size=size, data_home=staging, download_if_missing=True)[0]
        (staging / "lfw_home").rename(final)
        return X
    except Exception as error:
        cause = str(error).splitlines()[0].removeprefix("LFW faces are not available: ").rstrip(".")
        raise LFWUnavailable(_lfw_help(data_home, f"the download failed: {cause}")) from None
    finally:
        socket.setdefaulttimeout(previous_timeout)
        shutil.rmtree(staging, ignore_errors=True)
        if created and data_home.is_dir() and not any(data_home.iterdir()):
            data_home.rmdir()


def _lfw_help(data_home: Path, what: str) -> str:
    return (
        f"LFW faces are not available ({what}).\n"
        f"Tried to download {LFW_FILES} from {LFW_URL} with scikit-learn's fetch_lfw_people.\n"
        "Nothing was written. To supply the data: on a machine with internet access run\n"
        "    python -c 'from sklearn.datasets import fetch_lfw_people; fetch_lfw_people(color=True)'\n"
        f"and copy ~/scikit_learn_data/lfw_home to {data_home / 'lfw_home'} (or download lfw-funneled.tgz,\n"
        f"unpack it there as {data_home / 'lfw_home' / 'lfw_funneled'}/<Name>/<Name>_0001.jpg and put the\n"
        "three pairs*.txt files beside it); then run  make weights-vae DATASET=lfw LFW_HOME=<that folder>.\n"
        "Offline, `make weights-vae` trains on the bundled photographs instead."
    )


def load_data(args):
    """-> (X_train, X_test, prefix): (n, 32, 32, 3) float32 arrays in [0, 1] and the weights' name prefix."""
    if args.dataset == "lfw":
        X = load_lfw(args.lfw_home)
        order = np.random.default_rng(args.seed).permutation(len(X))
        cut = len(X) // 10
        return X[order[cut:]], X[order[:cut]], "vae_lfw"
    from coursework_lib.core.patches import load_patches

    X_train, _ = load_patches("train")
    X_test, _ = load_patches("test")
    return X_train, X_test, "vae_patches"


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


def train_one(task, X_train, X_test, args, name):
    import keras

    from coursework_lib.core.patches import build_augmenter
    from coursework_lib.models import vae as V

    keras.utils.set_random_seed(args.seed)
    chosen = {k: getattr(args, k) for k in DEFAULTS[task]}
    reconstruction, alpha, epochs = (
        {**DEFAULTS[task], **{k: v for k, v in chosen.items() if v is not None}}[k] for k in DEFAULTS[task]
    )
    in_channels = 1 if task == "colour" else 3
    settings = dict(
        input_shape=[32, 32, in_channels],
        output_channels=3,
        latent_dim=args.latent_dim,
        widths=list(V.SCALED_WIDTHS),
        alpha=alpha,
        reconstruction=reconstruction,
        keep_luminance=task == "colour",
    )

    def build(seed=None):
        return V.build_conv_vae(
            tuple(settings["input_shape"]),
            3,
            args.latent_dim,
            V.SCALED_WIDTHS,
            alpha,
            seed=seed,
            name=name,
            reconstruction=reconstruction,
            keep_luminance=settings["keep_luminance"],
        )

    model = build(args.seed)
    model.compile(optimizer=keras.optimizers.Adam(args.lr))
    train = make_dataset(X_train, task, args.batch_size, args.seed, build_augmenter(seed=args.seed))
    test = make_dataset(X_test, task, 256, args.seed + 1)
    start = time.perf_counter()
    history = model.fit(train, validation_data=test, epochs=epochs, verbose=2)
    seconds = time.perf_counter() - start
    fresh = build()
    fresh.set_weights(model.get_weights())  # weights only: the optimizer state is not shipped
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fresh.save_weights(out / f"{name}.weights.h5")
    info = {
        **settings,
        "task": task,
        "dataset": args.dataset,
        "epochs": epochs,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "seed": args.seed,
        "num_train_patches": int(len(X_train)),
        "train_seconds": round(seconds, 1),
        "final": {k: float(v[-1]) for k, v in history.history.items()},
        "made_by": "scripts/train_vae.py",
    }
    (out / f"{name}.json").write_text(json.dumps(info, indent=2) + "\n")
    print(f"{task}: saved to {out} after {seconds:.0f} s; final {info['final']}", flush=True)
    return [out / f"{name}.weights.h5", out / f"{name}.json"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("patches", "lfw"), default="patches")
    parser.add_argument("--lfw-home", type=Path, default=None, help="folder holding lfw_home/ (LFW only)")
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--epochs", type=int, default=None, help="default: DEFAULTS of each task")
    parser.add_argument("--reconstruction", choices=("rmse", "mse"), default=None, help="default: DEFAULTS")
    parser.add_argument("--alpha", type=float, default=None, help="default: DEFAULTS of each task")
    parser.add_argument("--latent-dim", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--max-train", type=int, default=0, help="use at most this many images (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(ROOT / "weights"))
    args = parser.parse_args(argv)
    tasks = args.tasks.split(",")
    for task in tasks:
        if task not in TASKS:
            parser.error(f"unknown task {task!r}; choose from {', '.join(TASKS)}")
    args.lfw_home = args.lfw_home if args.lfw_home is not None else default_lfw_home()

    try:
        X_train, X_test, prefix = load_data(args)
    except LFWUnavailable as error:
        print(error, file=sys.stderr, flush=True)
        return 2
    if args.max_train:
        X_train = X_train[np.random.default_rng(args.seed).permutation(len(X_train))[: args.max_train]]
    print(f"{len(X_train)} training images, {len(X_test)} test images ({args.dataset})", flush=True)
    written = []
    for task in tasks:
        written += train_one(task, X_train, X_test, args, f"{prefix}_{task}")
    chosen = any(getattr(args, k) is not None for k in ("epochs", "reconstruction", "alpha"))
    shipped = not (args.max_train or chosen) and Path(args.out).resolve() == ROOT / "weights"
    if shipped:  # files in weights/ are stamped, LFW ones too (they are not committed, but the check sees them)
        from coursework_lib.core import provenance

        provenance.stamp_artifacts(
            written,
            command="make weights-vae" + (" DATASET=lfw" if args.dataset == "lfw" else ""),
            code_files=provenance.script_code_files(Path(__file__)),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
