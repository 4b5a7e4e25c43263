"""Figures that draw given results and compute nothing, one submodule per topic; every function returns
the matplotlib Figure it drew. ``images.plot_image_rows`` and ``curves.plot_histories`` serve every
chapter; chapter-specific figures live in their own submodule, e.g. ``from coursework_lib.viz import cnn``.
"""
