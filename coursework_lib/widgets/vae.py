"""Chapter 6's widget: slide the first latent coordinates of a VAE and watch the decoded image change.
Its static twin is ``viz.vae.plot_latent_sweep``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from coursework_lib.models import vae as V
from coursework_lib.widgets import Explorer


def latent_explorer(vae, base=None, num_sliders: int = 4, extent: float = 3.0):
    """Sliders for z_1 .. z_k (k = min(num_sliders, latent_dim)); the other coordinates stay at ``base``
    (default: zeros, the prior's mean). Shows decode(z). Each redraw runs the decoder, so the sliders
    redraw when released. Returns an :class:`Explorer`."""
    import ipywidgets as widgets

    latent_dim = vae.latent_dim
    base = np.zeros(latent_dim, np.float32) if base is None else np.asarray(base, np.float32).copy()
    if base.shape != (latent_dim,):
        raise ValueError(f"base must have shape ({latent_dim},), got {base.shape}")
    k = min(num_sliders, latent_dim)

    def draw(**values):
        z = base.copy()
        for d in range(k):
            z[d] = values[f"z{d + 1}"]
        image = V.decode(vae, z[None])[0]
        fig, ax = plt.subplots(figsize=(2.5, 2.5))
        ax.imshow(image[..., 0] if image.shape[-1] == 1 else image, cmap="gray", vmin=0, vmax=1)
        ax.axis("off")
        ax.set_title("decode(z)")
        plt.show()

    sliders = {
        f"z{d + 1}": widgets.FloatSlider(
            value=float(base[d]),
            min=-extent,
            max=extent,
            step=0.1,
            description=f"z{d + 1}",
            continuous_update=False,
        )
        for d in range(k)
    }
    return Explorer(widgets.interactive(draw, **sliders))
