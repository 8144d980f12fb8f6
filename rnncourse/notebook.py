"""What the chapters share when they run as pages of the book."""

import numpy as np

# The MIME prefix under which myst-nb's ``glue(..., display=False)`` records a value
# (``myst_nb.ext.glue.GLUE_PREFIX``; tests/test_notebook_glue.py checks they agree).
GLUE_PREFIX = "application/papermill.record/"


def glue(key, value, display=True):
    """``myst_nb.glue``, without importing myst-nb: record ``value``'s display under
    ``key`` for the book's ``{glue:...}`` roles and directives.

    Same arguments and the same output as myst-nb's (tests/test_notebook_glue.py
    compares them): a display_data whose metadata names the key; with
    ``display=False`` its MIME types carry :data:`GLUE_PREFIX`, so that Jupyter shows
    nothing. myst-nb's own ``glue`` imports Sphinx on its first call, which takes
    seconds in every chapter, and a learner's Jupyter (Colab, Binder) need not have
    myst-nb at all.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show

    bundle, metadata = format_display_data(value)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": key, "mime_prefix": prefix}
    show({prefix + mime: data for mime, data in bundle.items()}, raw=True,
         metadata=metadata)


def glue_number(key, value):
    """Glue a plain Python number, so that the text can format it
    ({glue:text}`key:.2f`).

    ``value`` may be a NumPy scalar or a 0-d array: it is turned into a Python int or
    float first, and nothing is displayed where the code runs.
    """
    glue(key, np.asarray(value).item(), display=False)


def glue_markdown(key, text):
    """Glue Markdown (a table, say) for the book and return it for display here.

    The page shows it with a ``{glue:md}`` directive and ``:format: myst``, so that its
    links to other chapters (``[chapter 4](04_rnn_bptt.ipynb)``) resolve in the book as
    they do in Jupyter; the code cell that makes it is tagged ``remove-output``, so the
    book shows it once.
    """
    from IPython.display import Markdown

    glue(key, Markdown(text), display=False)
    return Markdown(text)
