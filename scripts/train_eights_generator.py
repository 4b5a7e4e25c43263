"""Train the report's generator of eights and write it, with four test eights, as MATLAB files.

    .venv/bin/python scripts/train_eights_generator.py      (or: make weights-ch08)

Writes (all small, committed):
  data/eights/data21.mat          A_1 (128x10), B_1 (128x1), A_2 (784x128), B_2 (784x1);
                                  X = 1 / (1 + exp(A_2 max(A_1 Z + B_1, 0) + B_2)), Z ~ N(0, I_10)
  data/eights/data22.mat          X_i (784x4) four ideal eights from the MNIST *test* set,
                                  X_n (784x4) = X_i + Gaussian noise (std 0.1)   [inpainting, problem 2]
  data/eights/test_images_sr.mat  X_i (784x4) the same eights,
                                  X_n (49x4)  = 4x4 block means of X_i + Gaussian noise (std 0.05)
                                                                                 [super-resolution, problem 3]
Vectors are column-major 28x28 images (MATLAB order; plot X.reshape(28, 28).T).

How it is trained: as the decoder of a variational auto-encoder (encoder 784-256-2x10, decoder exactly
the source's 10-128-784), on the 5851 training eights of MNIST. We chose a VAE over a GAN because on a
shared 2-core CPU it trains in a couple of minutes, deterministically, with a single loss to watch and
no mode collapse or discriminator balancing; its decoder has exactly the source's architecture and maps
N(0, I) to eights, which is all the inversion needs. The decoder's logits are negated to match the
source's sign convention X = 1 / (1 + exp(W2)).
"""

import argparse
from pathlib import Path

from coursework_lib.core.environment import quiet_tensorflow, seed_everything  # noqa: E402

quiet_tensorflow()  # before TensorFlow is imported
ROOT = Path(__file__).resolve().parents[1]

import numpy as np  # noqa: E402
from scipy.io import savemat  # noqa: E402

from coursework_lib.core.data import load_mnist, to_unit_float  # noqa: E402
from coursework_lib.maths.measurements import average_pooling_matrix  # noqa: E402
from coursework_lib.restoration.generators import DenseGenerator, source_generator_from_decoder, to_vector  # noqa: E402
from coursework_lib.training.vae_decoders import train_vae_decoder  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "eights")
    args = parser.parse_args(argv)
    seed_everything(args.seed)
    (x_train, y_train), (x_test, y_test) = load_mnist()
    eights = to_unit_float(x_train[y_train == 8]).reshape(-1, 784)
    # train on column-major vectors so the generator speaks the source's pixel order
    eights = to_vector(eights.reshape(-1, 28, 28)).T.astype(np.float32)
    print(f"training the eights VAE on {len(eights)} images for {args.epochs} epochs", flush=True)
    decoder = DenseGenerator(
        train_vae_decoder(
            eights,
            latent_dim=10,
            decoder_hidden=(128,),
            encoder_hidden=(256,),
            num_epochs=args.epochs,
            batch_size=128,
            lr=1e-3,
            seed=args.seed,
        )
    )
    generator = source_generator_from_decoder(decoder)
    path = generator.save_mat(args.out / "data21.mat")
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")

    rng = np.random.default_rng(args.seed + 8)
    test_eights = to_unit_float(x_test[y_test == 8])
    chosen = np.sort(rng.choice(len(test_eights), size=4, replace=False))
    X_i = to_vector(test_eights[chosen]).astype(np.float64)  # (784, 4)
    X_n = X_i + 0.1 * rng.standard_normal(X_i.shape)
    savemat(args.out / "data22.mat", {"X_i": X_i, "X_n": X_n})
    T = average_pooling_matrix(28, 4)
    X_low = T @ X_i + 0.05 * rng.standard_normal((T.shape[0], 4))
    savemat(args.out / "test_images_sr.mat", {"X_i": X_i, "X_n": X_low})
    print(
        f"wrote {args.out / 'data22.mat'} and {args.out / 'test_images_sr.mat'} "
        f"(MNIST test-set eights {chosen.tolist()})"
    )


if __name__ == "__main__":
    main()
