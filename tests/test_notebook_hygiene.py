"""Committed notebooks carry no outputs, no execution counts and only clean metadata."""

import pytest

from conftest import REPO, read_json, tracked_notebooks

ALLOWED_NOTEBOOK_METADATA = {"kernelspec", "language_info"}
# mystnb: per-figure alt text
ALLOWED_CELL_METADATA = {"nbgrader", "deletable", "editable", "tags", "mystnb"}
NOTEBOOKS = tracked_notebooks()


def test_there_are_notebooks_to_check():
    assert any(p.parts[-2] == "book" for p in NOTEBOOKS), (
        "no chapter notebooks found in book/"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_is_committed_without_outputs_and_with_clean_metadata(path):
    nb = read_json(path)
    assert set(nb["metadata"]) <= ALLOWED_NOTEBOOK_METADATA, (
        f"extra notebook metadata: {set(nb['metadata']) - ALLOWED_NOTEBOOK_METADATA}"
    )
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(nb["cells"]):
        where = f"{path.name}, cell {index}"
        extra = set(cell.get("metadata", {})) - ALLOWED_CELL_METADATA
        assert not extra, f"{where}: unexpected cell metadata {sorted(extra)}"
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], (
                f"{where}: has outputs; strip them before committing"
            )
            assert cell.get("execution_count") is None, (
                f"{where}: has an execution count"
            )
