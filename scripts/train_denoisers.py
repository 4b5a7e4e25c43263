"""Train chapter 5's autoencoders and save them under weights/ (Keras native format).

    .venv/bin/python scripts/train_denoisers.py            # everything below, as shipped
    .venv/bin/python scripts/train_denoisers.py --only strided protocol
    .venv/bin/python scripts/train_denoisers.py --only strided --quick  # a smoke test on 2 000 images

Runs (name -> files; the architectures are in coursework_lib.models.autoencoders):
  strided   report 3 as listed: strided conv autoencoder, ReLU output, mean squared error, Adam,
            10 epochs of batch 32 on all 60 000 noisy training digits, validated on the noisy test
            digits, one model per sigma in 0.2, 0.6, 1.0 -> weights/ch05_strided_ae_s{02,06,10}.keras
  protocol  report 3's own measurement: its CNN, trained on the clean training digits for 20 epochs
            (batch 32), scored after every epoch on the strided models' reconstructions of the CLEAN
            test digits -> weights/ch05_source_protocol.json (per-epoch accuracies)
  dense     source 4: 784-64-784 autoencoder, sigma = 0.9, binary cross-entropy, Adam, batch 512, up to
            100 epochs, EarlyStopping(val_loss, patience 5) on a 20% split, as written (last weights
            kept); once with Gaussian noise and once with uniform noise (two readings of the notes)
            -> weights/ch05_dense_ae_s09.keras, weights/ch05_dense_ae_uniform_s09.keras
  pooling   source 1 as written: conv + max-pooling autoencoder, binary cross-entropy, Adam, batch 128,
            100 epochs on all 60 000 training digits, validated on the test digits (nothing is selected
            on them), once clean -> clean and once noisy (sigma = 0.5, our choice) -> clean; TensorBoard
            logs in logs/ch05/
            -> weights/ch05_pooling_ae_{clean,noisy}.keras
  unet      the book's denoiser: a small U-Net trained blind (one network for every noise level) on
            sigma ~ U(0.1, 1.1), fresh noise every epoch, binary cross-entropy, Adam with a cosine decay
            -> weights/ch05_unet_denoiser.keras

The per-epoch histories go to weights/ch05_histories.json (merged, so runs can be repeated one at a
time), each with a "settings" line that says what was run. Every file written is stamped in
PROVENANCE.json (command "make weights-denoisers").
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow  # noqa: E402

quiet_tensorflow(onednn=True)  # before TensorFlow is imported

ROOT = Path(__file__).resolve().parents[1]

RUN_NAMES = ("strided", "protocol", "dense", "pooling", "unet")
POOLING_NOISE_SIGMA = 0.5
# Source 1: number_of_epochs = 100, validated on the test set (about 11 s an epoch on an idle 2-core CPU,
# so the two runs take about 40 min).
POOLING_EPOCHS = 100
UNET_SIGMA_RANGE = (0.1, 1.1)
UNET_WIDTH = 16
DENSE_SIGMA = 0.9
STRIDED_EPOCHS = 10  # report 3
PROTOCOL_EPOCHS = 20  # report 3's CNN listing: epochs=20 (its best epochs are 9, 18 and 1)
UNET_EPOCHS = 10


def load_unit_images(quick: bool):
    import numpy as np

    from coursework_lib.core.data import load_mnist

    (x_train, y_train), (x_test, y_test) = load_mnist()
    X = (x_train.astype(np.float32) / 255.0)[..., None]
    X_test = (x_test.astype(np.float32) / 255.0)[..., None]
    if quick:
        return (X[:2000], y_train[:2000]), (X_test[:1000], y_test[:1000])
    return (X, y_train), (X_test, y_test)


def history_of(fit_result) -> dict:
    return {k: [float(v) for v in values] for k, values in fit_result.history.items()}


def epochs_for(epochs: int, mode: str) -> int:
    return 1 if mode == "quick" else epochs


def train_strided(data, mode, seed, log, out):
    import keras

    from coursework_lib.core import noise
    from coursework_lib.models import autoencoders as ae

    (X, _), (X_test, _) = data
    models, histories = {}, {}
    noisy_test = noise.noisy_test_sets(X_test, ae.STRIDED_AE_FILES)
    for sigma, filename in ae.STRIDED_AE_FILES.items():
        keras.utils.set_random_seed(seed)
        X_noisy = noise.add_gaussian_noise(X, sigma, seed=seed)
        model = ae.build_strided_autoencoder(output_activation="relu")
        model.compile(optimizer="adam", loss=keras.losses.MeanSquaredError())
        log(f"strided autoencoder, sigma = {sigma}")
        fit = model.fit(
            X_noisy,
            X,
            epochs=epochs_for(STRIDED_EPOCHS, mode),
            shuffle=True,
            validation_data=(noisy_test[sigma], X_test),
            verbose=2,
        )
        models[filename] = model
        histories[f"strided_ae_s{int(round(10 * sigma)):02d}"] = (
            history_of(fit),
            f"report 3 as listed: ReLU output, MSE, Adam, {epochs_for(STRIDED_EPOCHS, mode)} epochs of "
            f"batch 32 on {len(X)} noisy training digits, validated on the noisy test digits",
        )
    return models, histories


def protocol_cnn_epochs(X, y, epochs, seed, checkpoints=None):
    """Yield report 3's CNN after each of ``epochs`` epochs on (X, y), batch 32 (Keras' default, which
    the listing keeps). With a ``checkpoints`` folder, each epoch's model (optimizer included) is saved
    there, and an epoch already saved is loaded instead of trained again (so a run can resume)."""
    import keras

    from coursework_lib.models.classifiers import build_source_cnn, compile_classifier

    keras.utils.set_random_seed(seed)
    cnn = compile_classifier(build_source_cnn())
    for epoch in range(1, epochs + 1):
        path = None if checkpoints is None else Path(checkpoints) / f"protocol_cnn_epoch{epoch:02d}.keras"
        if path is not None and path.is_file():
            cnn = keras.models.load_model(path)
        else:
            cnn.fit(X, y, epochs=1, verbose=0)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                cnn.save(path)
        print(f"[{time.strftime('%H:%M:%S')}] protocol CNN epoch {epoch}/{epochs}", flush=True)
        yield cnn


def run_protocol(data, mode, seed, log, out, checkpoints=None):
    """Report 3's measurement: its CNN trained on clean digits, scored each epoch on reconstructions."""
    import keras

    from coursework_lib.evaluation.classification import accuracy
    from coursework_lib.models import autoencoders as ae

    (X, y), (X_test, y_test) = data
    restored = {}
    for sigma, filename in ae.STRIDED_AE_FILES.items():
        model = keras.models.load_model(out / filename)
        restored[sigma] = ae.denoise(model, X_test)  # the CLEAN test digits, as the report's listing
    scores = {str(s): [] for s in restored}
    scores["clean"] = []
    epochs = epochs_for(PROTOCOL_EPOCHS, mode)
    for epoch, cnn in enumerate(protocol_cnn_epochs(X, y, epochs, seed, checkpoints)):
        for sigma, images in restored.items():
            scores[str(sigma)].append(accuracy(cnn, images, y_test))
        scores["clean"].append(accuracy(cnn, X_test, y_test))
        log(f"protocol epoch {epoch + 1}/{epochs}: " + ", ".join(f"{k} {v[-1]:.4f}" for k, v in scores.items()))
    result = {
        "settings": (
            f"report 3's CNN (Adam, cross-entropy from logits, batch 32) trained on {len(X)} clean training "
            f"digits for {epochs} epochs; after each epoch, its accuracy on the strided autoencoders' "
            "reconstructions of the clean test digits (key: sigma the autoencoder was trained at) and on "
            "the clean test digits"
        ),
        "mode": mode,
        "val_accuracy": scores,
    }
    path = out / ae.SOURCE_PROTOCOL_FILE
    path.write_text(json.dumps(result, indent=1) + "\n")
    return {}, {}, [path]


def train_dense(data, mode, seed, log, out):
    import keras

    from coursework_lib.core import noise
    from coursework_lib.models import autoencoders as ae

    (X, _), _ = data
    X_flat = X.reshape(len(X), -1)
    models, histories = {}, {}
    for kind, filename in (("gaussian", ae.DENSE_AE_FILE), ("uniform", ae.DENSE_AE_UNIFORM_FILE)):
        keras.utils.set_random_seed(seed)
        add = noise.add_gaussian_noise if kind == "gaussian" else noise.add_uniform_noise
        X_noisy = add(X_flat, DENSE_SIGMA, seed=seed)  # clipped, as the notes' training set
        model = ae.build_dense_autoencoder()
        model.compile(optimizer="adam", loss="binary_crossentropy")
        stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5)
        fit = model.fit(
            X_noisy,
            X_flat,
            batch_size=512,
            epochs=epochs_for(100, mode),
            validation_split=0.2,
            callbacks=[stop],
            verbose=2,
        )
        models[filename] = model
        key = "dense_ae_s09" if kind == "gaussian" else "dense_ae_uniform_s09"
        histories[key] = (
            history_of(fit),
            f"source 4 as written, {kind} noise x 0.9 (clipped): BCE, Adam, batch 512, up to 100 epochs, "
            f"EarlyStopping(val_loss, patience 5) on a 20% split; stopped after {len(fit.history['loss'])}",
        )
    return models, histories


def train_pooling(data, mode, seed, log, out):
    """Source 1's network, loss and settings: all training digits, validated on the test digits."""
    import keras

    from coursework_lib.core import noise
    from coursework_lib.models import autoencoders as ae

    (X, _), (X_test, _) = data
    noisy_test = noise.noisy_test_sets(X_test, [POOLING_NOISE_SIGMA])[POOLING_NOISE_SIGMA]
    models, histories = {}, {}
    for kind in ("clean", "noisy"):
        keras.utils.set_random_seed(seed)
        X_in = X if kind == "clean" else noise.add_gaussian_noise(X, POOLING_NOISE_SIGMA, seed=seed)
        X_test_in = X_test if kind == "clean" else noisy_test
        model = ae.build_pooling_autoencoder()
        model.compile(optimizer="adam", loss="binary_crossentropy")
        board = keras.callbacks.TensorBoard(log_dir=str(ROOT / "logs" / "ch05" / f"pooling_{kind}"))
        epochs = epochs_for(POOLING_EPOCHS, mode)
        start = time.perf_counter()
        fit = model.fit(
            X_in,
            X,
            batch_size=128,
            epochs=epochs,
            shuffle=True,
            validation_data=(X_test_in, X_test),
            callbacks=[board],
            verbose=2,
        )
        per_epoch = (time.perf_counter() - start) / epochs
        models[ae.POOLING_AE_FILES[kind]] = model
        what = "clean -> clean" if kind == "clean" else f"noisy (sigma = {POOLING_NOISE_SIGMA}) -> clean"
        histories[f"pooling_ae_{kind}"] = (
            history_of(fit),
            f"source 1's network and loss, {what}: BCE, Adam, batch 128, {epochs} epochs (source 1: 100) "
            f"on {len(X)} training digits, validated on the {len(X_test)} test digits as source 1 did; "
            f"{per_epoch:.0f} s per epoch here",
        )
    return models, histories


def train_unet(data, mode, seed, log, out):
    import keras
    import numpy as np

    from coursework_lib.core import noise
    from coursework_lib.models import autoencoders as ae

    (X, _), _ = data
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    split = int(0.95 * len(X))
    X_val_noisy, _ = noise.noisy_pairs(X[split:], UNET_SIGMA_RANGE, seed=rng)
    epochs = epochs_for(UNET_EPOCHS, mode)
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
    settings = f"ours: U-Net width {UNET_WIDTH}, blind sigma ~ U{UNET_SIGMA_RANGE}, BCE, cosine Adam, {epochs} epochs"
    return {ae.UNET_FILE: model}, {"unet_denoiser": (history, settings)}


def save_for_inference(model, path):
    """Save an uncompiled copy (no optimizer state: a third of the size) in Keras' native format."""

    copy = model.__class__.from_config(model.get_config())  # clone_model kept Adam's state
    copy.set_weights(model.get_weights())
    copy.save(path)


TRAINERS = {
    "dense": train_dense,
    "pooling": train_pooling,
    "strided": train_strided,
    "protocol": run_protocol,
    "unet": train_unet,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=RUN_NAMES, default=list(RUN_NAMES))
    parser.add_argument("--quick", action="store_true", help="2 000 images, 1 epoch: a smoke test (not stamped)")
    parser.add_argument("--out", type=Path, default=ROOT / "weights")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checkpoints", type=Path, help="a folder for the protocol CNN's per-epoch models")
    args = parser.parse_args(argv)

    from coursework_lib.core import provenance
    from coursework_lib.models import autoencoders as ae

    def log(message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    mode = "quick" if args.quick else "full"
    data = load_unit_images(args.quick)
    args.out.mkdir(parents=True, exist_ok=True)
    history_path = args.out / ae.HISTORY_FILE
    for name in args.only:
        start = time.perf_counter()
        log(f"training {name}")
        extra = {"checkpoints": args.checkpoints} if name == "protocol" else {}
        result = TRAINERS[name](data, mode, args.seed, log, args.out, **extra)
        models, histories = result[:2]
        written = list(result[2]) if len(result) > 2 else []
        for filename, model in models.items():
            save_for_inference(model, args.out / filename)
            written.append(args.out / filename)
        seconds = time.perf_counter() - start
        if histories:
            merged = json.loads(history_path.read_text()) if history_path.is_file() else {}
            for key, (history, settings) in histories.items():
                merged[key] = {"history": history, "seconds": seconds, "mode": mode, "settings": settings}
            history_path.write_text(json.dumps(merged, indent=1) + "\n")
            written.append(history_path)
        log(f"{name} done in {seconds:.0f} s -> {', '.join(p.name for p in written)}")
        if mode == "full" and args.out.resolve() == (ROOT / "weights").resolve():
            provenance.stamp_artifacts(
                written,
                command="make weights-denoisers",
                code_files=provenance.script_code_files(Path(__file__)),
            )


if __name__ == "__main__":
    main()
