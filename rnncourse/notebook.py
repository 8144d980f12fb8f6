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


def glue_markdown(key, text):
    """Glue Markdown (a table, say) for the book and return it for display here.

    The page shows it with a ``{glue:md}`` directive and ``:format: myst``, so that its
    links to other chapters (``[chapter 4](04_rnn_bptt.ipynb)``) resolve in the book as
    they do in Jupyter; the code cell that makes it is tagged ``remove-output``, so the
    book shows it once.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    glue(key, Markdown(text), display=False)
    return Markdown(text)
