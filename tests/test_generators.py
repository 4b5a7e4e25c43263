"""The source's generator against an independent TensorFlow/Keras forward pass and the .mat layout."""

import numpy as np
import pytest

from coursework_lib.restoration import generators as gen


def random_generator(seed=0, latent=10, hidden=128, out=784):
    rng = np.random.default_rng(seed)
    return gen.SourceGenerator(
        rng.normal(0, 0.5, (hidden, latent)),
        rng.normal(0, 0.1, (hidden, 1)),
        rng.normal(0, 0.3, (out, hidden)),
        rng.normal(0, 0.1, (out, 1)),
    )


def test_forward_matches_keras_with_the_sources_sign():
    import keras

    G = random_generator()
    Z = np.random.default_rng(1).standard_normal((10, 6))
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(784)])
    model.set_weights([G.A1.T, G.B1[:, 0], G.A2.T, G.B2[:, 0]])
    W2 = model(Z.T.astype(np.float32)).numpy()
    expected = 1.0 / (1.0 + np.exp(W2))  # X = 1 / (1 + exp(W2)), the source's convention
    np.testing.assert_allclose(G(Z), expected.T, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(G.tf_forward(Z.T).numpy(), expected, rtol=1e-4, atol=1e-6)
    assert G(Z[:, 0]).shape == (784,)


def test_output_derivative_matches_finite_differences():
    x = np.linspace(-30, 30, 41)
    h = 1e-6
    numeric = (gen.sigmoid_of_negative(x + h) - gen.sigmoid_of_negative(x - h)) / (2 * h)
    np.testing.assert_allclose(gen.sigmoid_of_negative_derivative(x), numeric, atol=1e-8)
    np.testing.assert_allclose(gen.sigmoid_of_negative_derivative(x), -np.exp(x) / (1 + np.exp(x)) ** 2, atol=1e-12)
    np.testing.assert_allclose(gen.sigmoid_of_negative(x), 1 / (1 + np.exp(x)), rtol=1e-12)
    assert np.isfinite(gen.sigmoid_of_negative(np.array([-1e4, 1e4]))).all()


def test_mat_round_trip_in_the_sources_layout(tmp_path):
    from scipy.io import loadmat

    G = random_generator(2)
    path = G.save_mat(tmp_path / "g.mat")
    raw = loadmat(path)
    assert raw["A_1"].shape == (128, 10) and raw["B_1"].shape == (128, 1)
    assert raw["A_2"].shape == (784, 128) and raw["B_2"].shape == (784, 1)
    G2 = gen.load_generator_mat(path)
    Z = np.random.default_rng(3).standard_normal(10)
    for a, b in ((G.A1, G2.A1), (G.B1, G2.B1), (G.A2, G2.A2), (G.B2, G2.B2)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(G(Z), G2(Z), rtol=1e-12)


def test_decoder_conversion_keeps_the_images():
    rng = np.random.default_rng(4)
    dec = gen.DenseGenerator(
        (
            (rng.normal(size=(10, 16)).astype(np.float32), rng.normal(size=16).astype(np.float32)),
            (rng.normal(size=(16, 784)).astype(np.float32), rng.normal(size=784).astype(np.float32)),
        )
    )
    G = gen.source_generator_from_decoder(dec)
    z = rng.standard_normal((5, 10)).astype(np.float32)
    np.testing.assert_allclose(G(z.T).T, dec.numpy_forward(z), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(dec.tf_forward(z).numpy(), dec.numpy_forward(z), rtol=1e-4, atol=1e-6)
    # and back: as_dense_generator inverts the conversion
    back = gen.as_dense_generator(G)
    for (W, b), (W2, b2) in zip(dec.weights, back.weights):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
    assert gen.as_dense_generator(dec) is dec
    with pytest.raises(TypeError, match="G"):
        gen.as_dense_generator("generator")


def test_npz_round_trip(tmp_path):
    rng = np.random.default_rng(5)
    dec = gen.DenseGenerator(
        (
            (rng.normal(size=(3, 8)).astype(np.float32), rng.normal(size=8).astype(np.float32)),
            (rng.normal(size=(8, 784)).astype(np.float32), rng.normal(size=784).astype(np.float32)),
        )
    )
    back = gen.load_dense_generator(dec.save_npz(tmp_path / "g.npz"))
    for (W, b), (W2, b2) in zip(dec.weights, back.weights):
        np.testing.assert_array_equal(W.astype(np.float16).astype(np.float32), W2)
        np.testing.assert_array_equal(b.astype(np.float16).astype(np.float32), b2)


def test_pixel_order_is_column_major():
    image = np.arange(784.0).reshape(28, 28)
    v = gen.to_vector(image)
    np.testing.assert_array_equal(v, image.flatten(order="F"))
    np.testing.assert_array_equal(gen.to_image(v), image)
    stack = np.stack([image, image + 1])
    np.testing.assert_array_equal(gen.to_image(gen.to_vector(stack)), stack)


def test_shipped_files_have_the_sources_layout():
    from scipy.io import loadmat

    paths = gen.default_paths()
    if not paths["eights_generator"].is_file():
        pytest.skip("run scripts/train_eights_generator.py first")
    G = gen.load_generator_mat(paths["eights_generator"])
    assert (G.A1.shape, G.A2.shape) == ((128, 10), (784, 128))
    data = loadmat(paths["eights_test"])
    assert data["X_i"].shape == (784, 4) and data["X_n"].shape == (784, 4)
    assert loadmat(paths["eights_test_sr"])["X_n"].shape == (49, 4)


def test_errors_name_the_argument():
    G = random_generator()
    with pytest.raises(ValueError, match="Z"):
        G(np.zeros(9))
    with pytest.raises(ValueError, match="B1"):
        gen.SourceGenerator(G.A1, np.zeros(5), G.A2, G.B2)
    with pytest.raises(ValueError, match="images"):
        gen.to_vector(np.zeros((3, 27, 28)))


def test_to_image_reads_any_square_column_major_vector():
    low = np.arange(49.0)  # a 7x7 image stored column by column
    np.testing.assert_array_equal(gen.to_image(low), np.arange(49.0).reshape(7, 7).T)
    stack = gen.to_image(np.stack([low, 2 * low], axis=1))
    assert stack.shape == (2, 7, 7) and stack[1, 0, 1] == 2 * 7  # row 0, column 1 is element 7
    with pytest.raises(ValueError, match="s \\* s"):
        gen.to_image(np.zeros(50))
