"""Training a GAN on MNIST for many epochs (chapter 7): resumable checkpoints, a per-epoch metric log,
a fixed grid of samples per epoch assembled into an animated GIF, and the exported generator.

A run lives in a folder (``runs/gan_<architecture>/`` for ``scripts/train_gan.py``)::

    checkpoints/          tf.train.Checkpoint of both networks, both optimisers and the epoch counter
    log.jsonl             one JSON line per finished epoch (losses, seconds, judge's scores)
    frames/epoch_NNN.png  the grid of the fixed latent vectors after each epoch

and exports what the book needs, small, into ``weights/``: ``gan_<architecture>_generator.weights.h5``,
``gan_<architecture>_log.json`` (the log) and ``gan_<architecture>_progress.gif``.

Training time is measured as the process's CPU time (all threads) spent in the training steps, not wall
time, so a run that shared the machine with other work is not charged for it; wall time is logged too.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from coursework_lib.core.artifacts import read_json_artifact
from coursework_lib.core.images import tile_images
from coursework_lib.core.paths import weights_dir
from coursework_lib.core.validation import check_choice, check_positive_int
from coursework_lib.evaluation import gan_scores
from coursework_lib.maths import clustering
from coursework_lib.models import gan, model_size
from coursework_lib.training import gan_steps

GRID_SIZE = 16  # samples in the per-epoch grid (4 x 4), from latent seed GRID_SEED
GRID_SEED = 1234
CONDITIONAL_GRID_SIZE = 20  # a conditional generator's grid: the labels 0 to 19 (digits: 0-9 twice)


def exported_paths(architecture: str, directory: Path | None = None) -> dict:
    """Where a run's generator weights, metric log and GIF are exported (default: ``weights/``)."""
    directory = Path(directory) if directory is not None else weights_dir()
    stem = f"gan_{check_choice(architecture, 'architecture', gan.ARCHITECTURES)}"
    return {
        "weights": directory / f"{stem}_generator.weights.h5",
        "log": directory / f"{stem}_log.json",
        "gif": directory / f"{stem}_progress.gif",
    }


def load_generator(architecture: str, directory: Path | None = None):
    """The exported generator of ``architecture`` ("source", "small", "conditional" or "clustered"),
    ready to sample."""
    path = exported_paths(architecture, directory)["weights"]
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist; run `python scripts/train_gan.py --architecture {architecture}`"
        )
    generator = gan.get_recipe(architecture).build_generator()
    generator.load_weights(path)
    return generator


def _exported_log(architecture: str, directory: Path | None = None) -> dict:
    """The exported log file of ``architecture``: the run's settings and its "epochs"."""
    path = exported_paths(architecture, directory)["log"]
    return read_json_artifact(path.name, "make weights-gan", path.parent)


def load_log(architecture: str, directory: Path | None = None) -> list[dict]:
    """The exported per-epoch log of ``architecture``: a list of dicts, one per epoch."""
    return _exported_log(architecture, directory)["epochs"]


def load_class_frequencies(architecture: str, directory: Path | None = None) -> np.ndarray | None:
    """The share of the training images in each cluster, (k,), for a generator conditioned on clusters
    (sample it with them: ``gan.sample_images(g, n, class_frequencies=...)``); None for the others."""
    frequencies = _exported_log(architecture, directory).get("class_frequencies")
    return None if frequencies is None else np.asarray(frequencies)


def grid_image(images, ncols: int = 4, pad: int = 2) -> np.ndarray:
    """(n, 28, 28) images in [0, 1] -> one uint8 mosaic with ``ncols`` columns: dark ink on white, with
    white gaps and a white frame of ``pad`` pixels."""
    return np.round(255 * (1 - tile_images(images, ncols, pad, border=True, fill=0.0))).astype(np.uint8)


def save_gif(frame_paths, path: Path, scale: int = 2, milliseconds: int = 150) -> Path:
    """Assemble PNG frames into a looping animated GIF (the last frame held for two seconds)."""
    from PIL import Image

    frames = [Image.open(p).convert("L") for p in frame_paths]
    if not frames:
        raise ValueError("no frames to assemble")
    frames = [f.resize((f.width * scale, f.height * scale), Image.NEAREST) for f in frames]
    durations = [milliseconds] * (len(frames) - 1) + [2000]
    path.parent.mkdir(parents=True, exist_ok=True)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=durations, loop=0, optimize=True)
    return path


class GanRun:
    """One resumable training run of ``architecture`` in ``run_dir``."""

    def __init__(self, architecture: str, run_dir: Path, seed: int = 0, num_train: int | None = None):
        import tensorflow as tf

        from coursework_lib.core.data import load_mnist

        self.architecture = check_choice(architecture, "architecture", gan.ARCHITECTURES)
        self.recipe = gan.get_recipe(self.architecture)
        self.run_dir = Path(run_dir)
        self.seed = seed
        tf.keras.utils.set_random_seed(seed)
        parts = gan.build_gan(architecture)
        self.generator, self.discriminator = parts.generator, parts.discriminator
        self.g_optimizer, self.d_optimizer = parts.generator_optimizer, parts.discriminator_optimizer
        self.batch_size = parts.batch_size
        (x_train, y_train), _ = load_mnist()
        self.images = gan.to_gan_range(x_train[:num_train] if num_train else x_train)
        digits = (y_train[:num_train] if num_train else y_train).astype(np.int32)
        # What the networks are told about each training image: nothing, its digit, or its cluster.
        self.labels, self.class_frequencies, self.cluster_purity = digits, None, None
        if self.recipe.condition == "cluster":
            self.labels = clustering.pixel_clusters(x_train[: len(self.images)], self.recipe.num_classes, seed=seed)
            self.class_frequencies = clustering.cluster_frequencies(self.labels, self.recipe.num_classes)
            self.cluster_purity = clustering.cluster_purity(self.labels, digits)
        self.train_step = gan_steps.make_train_step(
            self.generator, self.discriminator, self.g_optimizer, self.d_optimizer
        )
        self.epoch = tf.Variable(0, dtype=tf.int64, name="epoch")
        parts = dict(
            generator=self.generator,
            discriminator=self.discriminator,
            g_optimizer=self.g_optimizer,
            d_optimizer=self.d_optimizer,
            epoch=self.epoch,
        )
        # The generator that is sampled, scored and exported: the moving average of the trained
        # generator's weights where the architecture asks for one, else the trained generator itself.
        decay = self.recipe.average_decay
        self.average_update = None
        self.sampled_generator = self.generator
        if decay is not None:
            self.sampled_generator = self.recipe.build_generator()
            self.sampled_generator.set_weights(self.generator.get_weights())
            average_updates = tf.Variable(0.0, trainable=False, name="average_updates")
            self.average_update = gan_steps.make_average_update(
                self.sampled_generator, self.generator, average_updates, decay
            )
            parts.update(average_generator=self.sampled_generator, average_updates=average_updates)
        self.checkpoint = tf.train.Checkpoint(**parts)
        self.manager = tf.train.CheckpointManager(self.checkpoint, self.run_dir / "checkpoints", max_to_keep=2)
        grid_size = CONDITIONAL_GRID_SIZE if self.recipe.conditional else GRID_SIZE
        self.grid_z = gan.latent_vectors(grid_size, GRID_SEED)
        self.grid_labels = gan.balanced_labels(grid_size, self.recipe.num_classes) if self.recipe.conditional else None
        self.log: list[dict] = []

    # -- resuming ------------------------------------------------------------------------------------
    def restore_latest(self) -> int:
        """Restore the latest checkpoint (if any) and the log up to it; returns the epoch reached."""
        latest = self.manager.latest_checkpoint
        if latest is None:
            return 0
        self.checkpoint.restore(latest).expect_partial()
        done = int(self.epoch.numpy())
        log_path = self.run_dir / "log.jsonl"
        if log_path.is_file():
            self.log = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
            self.log = [row for row in self.log if row["epoch"] <= done]
        self._rewrite_log()  # drop epochs trained after the checkpoint (an interrupted run)
        return done

    def _rewrite_log(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "log.jsonl").write_text("".join(json.dumps(row) + "\n" for row in self.log))

    # -- one epoch -----------------------------------------------------------------------------------
    def train_epoch(self, epoch: int) -> dict:
        """Shuffle (seeded by the epoch, so a resumed run sees the same order) and train one epoch."""
        import tensorflow as tf

        tf.keras.utils.set_random_seed(self.seed * 1000 + epoch)
        order = np.random.default_rng(self.seed * 1000 + epoch).permutation(len(self.images))
        d_losses, g_losses = [], []
        cpu, wall = time.process_time(), time.perf_counter()
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            labels = tf.constant(self.labels[batch]) if self.recipe.conditional else None
            d_loss, g_loss = self.train_step(tf.constant(self.images[batch]), labels)
            if self.average_update is not None:
                self.average_update()
            d_losses.append(float(d_loss))
            g_losses.append(float(g_loss))
        return {
            "epoch": epoch,
            "d_loss": float(np.mean(d_losses)),
            "g_loss": float(np.mean(g_losses)),
            "cpu_seconds": time.process_time() - cpu,
            "wall_seconds": time.perf_counter() - wall,
        }

    def save_frame(self, epoch: int) -> Path:
        from PIL import Image

        path = self.run_dir / "frames" / f"epoch_{epoch:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        images = gan.generate(self.sampled_generator, self.grid_z, self.grid_labels)
        ncols = 10 if self.recipe.conditional else 4
        Image.fromarray(grid_image(images, ncols=ncols)).save(path)
        return path

    # -- the whole run -------------------------------------------------------------------------------
    def train(
        self,
        epochs: int,
        checkpoint_every: int = 15,
        classifier=None,
        reference_statistics=None,
        num_eval_samples: int = gan_scores.NUM_SAMPLES,
        export_dir: Path | None = None,
        progress=print,
    ) -> list[dict]:
        """Train up to ``epochs`` (resuming from the latest checkpoint), scoring the generator with
        ``classifier`` after every epoch when one is given; checkpoints every ``checkpoint_every``
        epochs and at the end; exports to ``export_dir`` (if given) whenever it checkpoints."""
        epochs = check_positive_int(epochs, "epochs")
        checkpoint_every = check_positive_int(checkpoint_every, "checkpoint_every")
        start = self.restore_latest()
        if not start:
            self.log = []
            self._rewrite_log()
        else:
            progress(f"resumed {self.architecture} from epoch {start}")
        for epoch in range(start + 1, epochs + 1):
            row = self.train_epoch(epoch)
            row["cpu_seconds_total"] = row["cpu_seconds"] + (self.log[-1]["cpu_seconds_total"] if self.log else 0.0)
            row["wall_seconds_total"] = row["wall_seconds"] + (self.log[-1]["wall_seconds_total"] if self.log else 0.0)
            if classifier is not None:
                scores = gan_scores.score_generator(
                    self.sampled_generator,
                    classifier,
                    reference_statistics,
                    num_samples=num_eval_samples,
                    class_frequencies=self.class_frequencies,
                )
                row.update(scores)
            self.save_frame(epoch)
            self.log.append(row)
            with open(self.run_dir / "log.jsonl", "a") as f:
                f.write(json.dumps(row) + "\n")
            progress(_progress_line(self.architecture, epochs, row))
            self.epoch.assign(epoch)
            if epoch % checkpoint_every == 0 or epoch == epochs:
                self.manager.save(checkpoint_number=epoch)
                if export_dir is not None:
                    self.export(export_dir)
        if start >= epochs and export_dir is not None:
            self.export(export_dir)
        return self.log

    def export(self, directory: Path) -> dict:
        """Write the generator weights, the log (as JSON) and the GIF of all frames so far."""
        paths = exported_paths(self.architecture, directory)
        paths["weights"].parent.mkdir(parents=True, exist_ok=True)
        self.sampled_generator.save_weights(paths["weights"])
        recipe = self.recipe
        info = {
            "architecture": self.architecture,
            "batch_size": recipe.batch_size,
            "learning_rate": recipe.learning_rate,
            "beta_1": recipe.beta_1,
            "weight_average_decay": recipe.average_decay,
            "condition": recipe.condition,
            "num_classes": recipe.num_classes if recipe.conditional else None,
            "class_frequencies": None if self.class_frequencies is None else self.class_frequencies.tolist(),
            "cluster_purity": self.cluster_purity,
            "seed": self.seed,
            "num_train": len(self.images),
            "generator_parameters": model_size.count_parameters(self.generator),
            "generator_multiply_adds": model_size.multiply_adds_per_image(self.generator),
            "discriminator_multiply_adds": model_size.multiply_adds_per_image(self.discriminator),
            "epochs": self.log,
        }
        paths["log"].write_text(json.dumps(info, indent=0) + "\n")
        frames = sorted((self.run_dir / "frames").glob("epoch_*.png"))
        save_gif(frames, paths["gif"])
        return paths


def _progress_line(architecture: str, epochs: int, row: dict) -> str:
    line = (
        f"[{architecture}] epoch {row['epoch']:3d}/{epochs}  d_loss {row['d_loss']:.3f}  "
        f"g_loss {row['g_loss']:.3f}  {row['cpu_seconds']:.0f} s CPU ({row['wall_seconds']:.0f} s wall)"
    )
    if "confident_fraction" in row:
        line += (
            f"  confident {row['confident_fraction']:.3f}  class ratio {row['class_ratio']:.2f}  "
            f"FID-CNN {row['fid_cnn']:.2f}"
        )
    if "label_agreement" in row:
        line += f"  label agreement {row['label_agreement']:.3f}"
    return line


def first_epoch_matching(
    log, confident_fraction: float, fid_cnn: float = float("inf"), class_ratio: float = float("inf")
) -> dict | None:
    """The first row of a per-epoch log whose samples are at least as good as the targets on every
    measure given (confident fraction >= target, Fréchet distance <= target, class ratio <= target),
    or None if no epoch is."""
    for row in log:
        if (
            row["confident_fraction"] >= confident_fraction
            and row["fid_cnn"] <= fid_cnn
            and row["class_ratio"] <= class_ratio
        ):
            return row
    return None
