"""Parameter and multiply-add counts against counts worked out by hand."""

from coursework_lib.models import model_size


def test_multiply_adds_by_hand():
    import keras
    from keras import layers

    conv = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 5, strides=2, padding="same")])
    assert model_size.multiply_adds_per_image(conv) == 14 * 14 * 8 * 25
    up = keras.Sequential([keras.Input((7, 7, 16)), layers.Conv2DTranspose(4, 3, strides=2, padding="same")])
    assert model_size.multiply_adds_per_image(up) == 7 * 7 * 16 * 4 * 9  # each input pixel scatters a kernel


def test_count_parameters_by_hand():
    import keras
    from keras import layers

    dense = keras.Sequential([keras.Input((784,)), layers.Dense(64), layers.BatchNormalization()])
    # 784 x 64 weights + 64 biases; batch norm keeps 4 vectors of 64 (two trainable, two running statistics)
    assert model_size.count_parameters(dense) == 784 * 64 + 64 + 4 * 64
    assert model_size.multiply_adds_per_image(dense) == 784 * 64
