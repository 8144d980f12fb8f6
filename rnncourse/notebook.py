"""What the chapters share when they run as pages of the book."""

import numpy as np


def glue_number(key, value):
    """Glue a plain Python number, so that the text can format it
    ({glue:text}`key:.2f`).

    ``value`` may be a NumPy scalar or a 0-d array: it is turned into a Python int or
    float first, and nothing is displayed where the code runs.
    """
    from myst_nb import glue   # only needed while a chapter executes

    glue(key, np.asarray(value).item(), display=False)
