"""Train chapter 5's autoencoders and save them under weights/ (Keras native format).

    .venv/bin/python scripts/train_denoisers.py            # the shipped weights: full settings (about 30 min)
    .venv/bin/python scripts/train_denoisers.py --fast     # fewer epochs (EPOCHS), for a quicker look
    .venv/bin/python scripts/train_denoisers.py --only strided --quick  # a smoke test on 2 000 images

Runs (name -> files, see coursework_lib.models.autoencoders for the architectures):
  dense    source 1: 784-64-784 autoencoder, sigma = 0.9 noisy -> clean, binary cross-entropy, Adam,
           batch 512, up to 100 epochs, EarlyStopping(patience 5, best weights kept) on a 20% split
           -> weights/ch05_dense_ae_s09.keras
  pooling  source 2: conv + max-pooling autoencoder, binary cross-entropy, Adam, batch 128, trained
           once clean -> clean and once noisy (sigma = 0.5) -> clean, TensorBoard logs in logs/ch05/
           -> weights/ch05_pooling_ae_{clean,noisy}.keras
  strided  source 3: strided conv autoencoder, BCE (see STRIDED_LOSS), Adam, 10 epochs, one per sigma in 0.2, 0.6, 1.0
           -> weights/ch05_strided_ae_s{02,06,10}.keras
  unet     the book's denoiser: a small U-Net trained blind (one network for every noise level) on
           sigma ~ U(0.1, 1.1), fresh noise every epoch, binary cross-entropy, Adam with a cosine decay
           -> weights/ch05_unet_denoiser.keras

The source noise (x + sigma N(0, 1), clipped to [0, 1]) is drawn once, as the sources did; every run
validates on held-out *training* images, so the test set never influences training. The per-epoch
histories go to weights/ch05_histories.json (merged, so runs can be repeated one at a time).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow  # noqa: E402

quiet_tensorflow(onednn=True)  # before TensorFlow is imported

ROOT = Path(__file__).resolve().parents[1]

RUN_NAMES = ("strided", "unet", "dense", "pooling")
POOLING_NOISE_SIGMA = 0.5
UNET_SIGMA_RANGE = (0.1, 1.1)
UNET_WIDTH = 16
# Full settings (the sources' epochs and the U-Net's own; the shipped weights) and shorter --fast ones.
EPOCHS = {
    "full": {"strided": 10, "dense": 100, "pooling": 10, "unet": 10},
    "fast": {"strided": 3, "dense": 100, "pooling": 5, "unet": 3},
}
STRIDED_BATCH = {"full": 32, "fast": 256}  # 32 is Keras' default, which the source kept
# The source trained the strided model with MSE. Here MSE through the sigmoid output collapsed to an
# all-black image within the first epoch (loss stuck at mean(x^2) = 0.113) at learning rates 3e-4, 1e-3
# and 3e-3, batch sizes 32 and 128, sigma 0.2 and 0.6; binary cross-entropy, whose gradient does not
# vanish when the sigmoid saturates, trains the same network. MSE is still logged as a metric.
STRIDED_LOSS = "binary_crossentropy"


def load_unit_images(quick: bool):
    import numpy as np

    from coursework_lib.core.data import load_mnist

    (x_train, y_train), _ = load_mnist()
    X = (x_train.astype(np.float32) / 255.0)[..., None]
    return (X[:2000], y_train[:2000]) if quick else (X, y_train)


def epochs_for(run: str, mode: str) -> int:
    return 1 if mode == "quick" else EPOCHS[mode][run]


def history_of(fit_result) -> dict:
    return {k: [float(v) for v in values] for k, values in fit_result.history.items()}


def train_dense(X, mode, seed, log):
    import keras

    from coursework_lib.core import noise
    from coursework_lib.models import autoencoders as ae

    keras.utils.set_random_seed(seed)
    X_flat = X.reshape(len(X), -1)
    X_noisy = noise.add_gaussian_noise(X_flat, 0.9, seed=seed)
    model = ae.build_dense_autoencoder()
    model.compile(optimizer="adam", loss="binary_crossentropy")
    stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
    fit = model.fit(
        X_noisy,
        X_flat,
        batch_size=512,
        epochs=epochs_for("dense", mode),
        validation_split=0.2,
        callbacks=[stop],
        verbose=2,
    )
    return {ae.DENSE_AE_FILE: model}, {"dense_ae_s09": history_of(fit)}


def train_pooling(X, mode, seed, log):
    import keras

    from coursework_lib.core import noise
    from coursework_lib.models import autoencoders as ae

    split = int(0.9 * len(X))
    models, histories = {}, {}
    for kind in ("clean", "noisy"):
        keras.utils.set_random_seed(seed)
        X_in = X if kind == "clean" else noise.add_gaussian_noise(X, POOLING_NOISE_SIGMA, seed=seed)
        model = ae.build_pooling_autoencoder()
        model.compile(optimizer="adam", loss="binary_crossentropy")
        board = keras.callbacks.TensorBoard(log_dir=str(ROOT / "logs" / "ch05" / f"pooling_{kind}"))
        fit = model.fit(
            X_in[:split],
            X[:split],
            batch_size=128,
            epochs=epochs_for("pooling", mode),
            shuffle=True,
            validation_data=(X_in[split:], X[split:]),
            callbacks=[board],
            verbose=2,
        )
        models[ae.POOLING_AE_FILES[kind]] = model
        histories[f"pooling_ae_{kind}"] = history_of(fit)
    return models, histories


def train_strided(X, mode, seed, log):
    import keras

    from coursework_lib.core import noise
    from coursework_lib.models import autoencoders as ae

    split = int(0.9 * len(X))
    models, histories = {}, {}
    for sigma, filename in ae.STRIDED_AE_FILES.items():
        keras.utils.set_random_seed(seed)
        X_noisy = noise.add_gaussian_noise(X, sigma, seed=seed)
        model = ae.build_strided_autoencoder()
        model.compile(optimizer="adam", loss=STRIDED_LOSS, metrics=["mse"])
        log(f"strided autoencoder, sigma = {sigma}")
        fit = model.fit(
            X_noisy[:split],
            X[:split],
            batch_size=STRIDED_BATCH.get(mode, 256),
            epochs=epochs_for("strided", mode),
            shuffle=True,
            validation_data=(X_noisy[split:], X[split:]),
            verbose=2,
        )
        models[filename] = model
        histories[f"strided_ae_s{int(round(10 * sigma)):02d}"] = history_of(fit)
    return models, histories


def train_unet(X, mode, seed, log):
    import keras
    import numpy as np

    from coursework_lib.core import noise
    from coursework_lib.models import autoencoders as ae

    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    split = int(0.95 * len(X))
    X_val_noisy, _ = noise.noisy_pairs(X[split:], UNET_SIGMA_RANGE, seed=rng)
    epochs = epochs_for("unet", mode)
    batch_size = 128
    steps = epochs * int(np.ceil(split / batch_size))
    model = ae.build_unet_denoiser(width=UNET_WIDTH)
    schedule = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=steps, alpha=0.05)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="binary_crossentropy", metrics=["mse"])
    history = {}
    for epoch in range(epochs):  # fresh noise, and fresh noise levels, every epoch
        X_noisy, _ = noise.noisy_pairs(X[:split], UNET_SIGMA_RANGE, seed=rng)
        fit = model.fit(
            X_noisy,
            X[:split],
            batch_size=batch_size,
            epochs=1,
            shuffle=True,
            validation_data=(X_val_noisy, X[split:]),
            verbose=0,
        )
        for key, values in fit.history.items():
            history.setdefault(key, []).extend(float(v) for v in values)
        log(f"unet epoch {epoch + 1}/{epochs}: " + ", ".join(f"{k} {v[-1]:.4f}" for k, v in history.items()))
    return {ae.UNET_FILE: model}, {"unet_denoiser": history}


def save_for_inference(model, path):
    """Save an uncompiled copy (no optimizer state: a third of the size) in Keras' native format."""

    copy = model.__class__.from_config(model.get_config())  # clone_model kept Adam's state
    copy.set_weights(model.get_weights())
    copy.save(path)


TRAINERS = {"dense": train_dense, "pooling": train_pooling, "strided": train_strided, "unet": train_unet}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=RUN_NAMES, default=list(RUN_NAMES))
    parser.add_argument("--quick", action="store_true", help="2 000 images, 1 epoch: a smoke test")
    parser.add_argument("--fast", action="store_true", help="the shortened epochs of EPOCHS['fast']")
    parser.add_argument("--resave", action="store_true", help="re-save the chapter's weights without optimizer state")
    parser.add_argument("--out", type=Path, default=ROOT / "weights")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from coursework_lib.models import autoencoders as ae

    def log(message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    if args.resave:
        import keras

        for path in sorted(args.out.glob("ch05_*.keras")):
            save_for_inference(keras.models.load_model(path, compile=False), path)
            log(f"re-saved {path.name}: {path.stat().st_size} bytes")
        return
    mode = "quick" if args.quick else "fast" if args.fast else "full"
    X, _ = load_unit_images(args.quick)
    args.out.mkdir(parents=True, exist_ok=True)
    history_path = args.out / ae.HISTORY_FILE
    for name in args.only:
        start = time.perf_counter()
        log(f"training {name}")
        models, histories = TRAINERS[name](X, mode, args.seed, log)
        for filename, model in models.items():
            save_for_inference(model, args.out / filename)
        seconds = time.perf_counter() - start
        merged = json.loads(history_path.read_text()) if history_path.is_file() else {}
        for key, history in histories.items():
            merged[key] = {"history": history, "seconds": seconds, "mode": mode}
        history_path.write_text(json.dumps(merged, indent=1) + "\n")
        log(f"{name} done in {seconds:.0f} s -> {', '.join(models)}")


if __name__ == "__main__":
    main()
