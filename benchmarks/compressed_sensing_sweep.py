"""The full compressed-sensing sweep of chapter 8 (the notebook runs a smaller one).

    .venv/bin/python benchmarks/compressed_sensing_sweep.py [--images 100] [--out _build/ch08]

Generator (weights/digits_generator.npz) vs Lasso on the same A (m x 784, N(0, 1/m)), the same noise
(norm 0.1) and the same MNIST test images, m in {10, 25, 50, 100, 200, 400}; Lasso's alpha tuned per m
on 20 held-out images (the last 20 of the MNIST test set, disjoint from the test images). Prints
per-pixel MSE +- standard error, the generator's floor, and writes cs_sweep.json and cs_sweep.png.
"""

import argparse
import json
import time
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow, seed_everything  # noqa: E402

quiet_tensorflow()  # before TensorFlow is imported
ROOT = Path(__file__).resolve().parents[1]

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from coursework_lib.core.data import load_mnist, to_unit_float  # noqa: E402
from coursework_lib.restoration.compressed_sensing import (  # noqa: E402
    compressed_sensing_sweep,
    generator_floor,
    mean_and_stderr,
    summarize_sweep,
)
from coursework_lib.restoration.generators import load_digits_generator, to_vector  # noqa: E402
from coursework_lib.viz.restoration import plot_cs_sweep  # noqa: E402

PUBLISHED = {25: 0.028, 50: 0.012, 100: 0.008, 200: 0.0075}  # TF2 reproduction of Bora et al., MNIST VAE


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--restarts", type=int, default=5)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--m", type=int, nargs="+", default=[10, 25, 50, 100, 200, 400])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "ch08")
    args = parser.parse_args(argv)
    seed_everything(0)
    G = load_digits_generator()
    (_, _), (x_test, _) = load_mnist()
    X = to_vector(to_unit_float(x_test[: args.images])).T
    X_val = to_vector(to_unit_float(x_test[-20:])).T
    start = time.perf_counter()
    floor = generator_floor(G, X, num_restarts=args.restarts, num_steps=args.steps)
    print(f"generator floor min_z ||G(z) - x||^2 / 784: {floor.mean():.4f} +- {mean_and_stderr(floor)[1]:.4f}")
    results = compressed_sensing_sweep(
        G, X, X_val, args.m, num_restarts=args.restarts, num_steps=args.steps, lr=0.05 if args.steps >= 500 else 0.1
    )
    per_m = summarize_sweep(results)
    summary = {
        "floor": mean_and_stderr(floor),
        "images": args.images,
        "restarts": args.restarts,
        "steps": args.steps,
        "m": per_m,
    }
    for m in per_m:
        if m in PUBLISHED:
            verdict = "below" if summary["m"][m]["generator"][0] < PUBLISHED[m] else "NOT below"
            print(f"m = {m}: generator {summary['m'][m]['generator'][0]:.4f} is {verdict} the published {PUBLISHED[m]}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cs_sweep.json").write_text(json.dumps(summary, indent=2))
    fig = plot_cs_sweep(per_m, floor=floor.mean(), published=PUBLISHED)
    fig.savefig(args.out / "cs_sweep.png")
    print(f"wrote {args.out / 'cs_sweep.json'} and cs_sweep.png in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
