"""rnncourse.notebook.glue writes exactly what myst-nb's glue writes (the book reads
it back), without importing myst-nb."""

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import Markdown
from IPython.utils.capture import capture_output

from rnncourse import notebook


def outputs(glue, *args, **kwargs):
    InteractiveShell.instance()
    with capture_output(stdout=False, stderr=False, display=True) as captured:
        glue(*args, **kwargs)
    return [(o.data, o.metadata) for o in captured.outputs]


def test_the_prefix_is_myst_nbs():
    from myst_nb.ext.glue import GLUE_PREFIX
    assert notebook.GLUE_PREFIX == GLUE_PREFIX


TABLE = Markdown("| a |\n|---|\n| 1 |")


@pytest.mark.parametrize("value", [3, 0.125, "reproduced", TABLE])
@pytest.mark.parametrize("display", [True, False])
def test_glue_writes_what_myst_nb_writes(value, display):
    from myst_nb import glue as myst_glue
    ours = outputs(notebook.glue, "key", value, display=display)
    theirs = outputs(myst_glue, "key", value, display=display)
    assert ours == theirs and len(ours) == 1
    data, metadata = ours[0]
    assert metadata["scrapbook"]["name"] == "key"
    assert all(mime.startswith(notebook.GLUE_PREFIX) != display for mime in data)


def test_glue_number_records_a_plain_number_and_shows_nothing():
    (data, metadata), = outputs(notebook.glue_number, "n", np.float32(0.5))
    assert data == {notebook.GLUE_PREFIX + "text/plain": "0.5"}
    assert metadata["scrapbook"] == {"name": "n", "mime_prefix": notebook.GLUE_PREFIX}
