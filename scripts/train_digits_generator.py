"""Train chapter 8's generator of all ten digits and save it to weights/digits_generator.npz.

    .venv/bin/python scripts/train_digits_generator.py

The generator is the decoder of a variational auto-encoder with a 20-dimensional latent space
(decoder 20-256-512-784, ReLU then sigmoid; encoder 784-512-256-2x20), trained on the 60000 MNIST
training images with a Bernoulli likelihood -- the same kind of prior Bora et al. (2017) used for
compressed sensing on MNIST (theirs: 20-500-500-784). Images are column-major 784-vectors, as in the
rest of chapter 8. The weights are stored as float16 (about 1 MB); they are cast back to float32 on load.
"""

import argparse
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow, seed_everything  # noqa: E402

quiet_tensorflow()  # before TensorFlow is imported
ROOT = Path(__file__).resolve().parents[1]

from coursework_lib.core.data import load_mnist, to_unit_float  # noqa: E402
from coursework_lib.restoration.generators import DenseGenerator, to_vector  # noqa: E402
from coursework_lib.training.vae_decoders import train_vae_decoder  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "weights" / "digits_generator.npz")
    args = parser.parse_args(argv)
    seed_everything(args.seed)
    (x_train, _), _ = load_mnist()
    X = to_vector(to_unit_float(x_train)).T.astype("float32")
    print(f"training the digits VAE on {len(X)} images for {args.epochs} epochs", flush=True)
    decoder = DenseGenerator(
        train_vae_decoder(
            X,
            latent_dim=20,
            decoder_hidden=(256, 512),
            encoder_hidden=(512, 256),
            num_epochs=args.epochs,
            batch_size=128,
            lr=1e-3,
            seed=args.seed,
        )
    )
    path = decoder.save_npz(args.out)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
