"""The explorers: slow redraws happen on release, chapter 8's level box shows the level used, and every
explorer leaves a note (an ordinary output) saying how to bring it back after reopening the notebook."""

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from coursework_lib import widgets as explorers  # noqa: E402
from coursework_lib.widgets import restoration as rwidgets  # noqa: E402


@pytest.fixture
def restore_calls(monkeypatch):
    """Replace the (slow) restoration by a recorder: each redraw appends (problem, level)."""
    calls = []

    def fake_restore(G, x, problem, level, **kwargs):
        calls.append((problem, level))
        return x, x

    monkeypatch.setattr(rwidgets, "restore_images", fake_restore)
    yield calls
    plt.close("all")


def _controls(explorer):
    return {c.description: c for c in explorer.children if hasattr(c, "description")}


def test_level_box_shows_the_level_used_after_the_problem_changes_with_one_redraw(restore_calls):
    w = rwidgets.restoration_explorer(None, np.random.default_rng(0).random((3, 784)))
    boxes = _controls(w)
    assert restore_calls == [("inpainting", 300)] and boxes["level"].value == 300
    boxes["problem"].value = "super-resolution"
    assert boxes["level"].value == 4  # was left at 300 while 4 was used
    assert restore_calls[1:] == [("super-resolution", 4)]  # one redraw, with the level the box shows
    boxes["problem"].value = "compressed-sensing"
    assert boxes["level"].value == 100 and restore_calls[-1] == ("compressed-sensing", 100)


@pytest.mark.parametrize(
    ("problem", "typed", "used"),
    [("super-resolution", 5, 4), ("super-resolution", 6, 7), ("super-resolution", 3, 2), ("inpainting", 5000, 728)],
)
def test_a_level_the_problem_cannot_use_is_replaced_in_the_box(restore_calls, problem, typed, used):
    w = rwidgets.restoration_explorer(None, np.random.default_rng(0).random((3, 784)), problem=problem)
    boxes = _controls(w)
    del restore_calls[:]
    boxes["level"].value = typed
    assert boxes["level"].value == used
    assert restore_calls == [(problem, used)]


def test_valid_level_is_the_nearest_divisor_of_28_for_super_resolution():
    divisors = [f for f in range(2, 8) if 28 % f == 0]
    assert divisors == [2, 4, 7]
    for level in range(-3, 40):
        got = rwidgets.valid_level("super-resolution", level)
        clamped = min(max(level, 2), 7)
        assert got in divisors and abs(got - clamped) == min(abs(d - clamped) for d in divisors)
    assert rwidgets.valid_level("compressed-sensing", 3) == 10


def _sliders(explorer):
    return [c for c in explorer.children if hasattr(c, "continuous_update") and "Slider" in type(c).__name__]


def test_explorers_that_run_a_model_or_an_optimizer_redraw_on_release_only(restore_calls):
    import keras

    from coursework_lib.models import gan
    from coursework_lib.widgets import autoencoders, optimizers, vae
    from coursework_lib.widgets import gan as gan_widgets

    rng = np.random.default_rng(1)
    images = rng.random((4, 28, 28)).astype(np.float32)
    identity = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Rescaling(1.0)])
    judge = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    decoder = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(784, activation="sigmoid"), keras.layers.Reshape((28, 28, 1))]
    )
    built = {
        "optimizers": optimizers.optimizer_explorer(num_steps=20),
        "autoencoders": autoencoders.denoise_explorer(identity, judge, images),
        "vae": vae.latent_explorer(SimpleNamespace(latent_dim=3, decoder=decoder), num_sliders=2),
        "gan": gan_widgets.latent_explorer(gan.build_small_generator(width=4), judge),
        "restoration": rwidgets.restoration_explorer(None, rng.random((2, 784))),
    }
    for name, explorer in built.items():
        sliders = _sliders(explorer)
        assert sliders, name
        assert not any(s.continuous_update for s in sliders), name
    plt.close("all")


def test_every_explorer_displays_a_note_on_how_to_bring_it_back(monkeypatch):
    from coursework_lib.widgets import neurons

    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, **kwargs: shown.append(obj))
    explorer = neurons.neuron_explorer()
    assert isinstance(explorer, explorers.Explorer)
    explorer._ipython_display_()
    assert shown[0] is explorer.widget
    note = shown[1]["text/plain"]
    assert "model not found" in note and "run this cell again" in note
    assert explorer.children == explorer.widget.children  # controls reachable as on the widget
    plt.close("all")
