"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


# Cases shared by the tests of rnncourse.np's recurrent cells (tests/test_np_*.py).
SIZES = [  # (T, B, D, H), including the degenerate ones
    (1, 1, 1, 1),
    (1, 3, 4, 5),
    (5, 1, 3, 1),
    (4, 2, 1, 3),
    (7, 4, 5, 6),
]
PARAMS = ("W_ih", "W_hh", "b_ih", "b_hh")
TORCH_NAMES = {"W_ih": "weight_ih_l0", "W_hh": "weight_hh_l0",
               "b_ih": "bias_ih_l0", "b_hh": "bias_hh_l0"}


def tracked_notebooks() -> list[Path]:
    """Every notebook committed (or about to be) in book/, solutions/ and exercises/."""
    found = []
    for folder in ("book", "solutions", "exercises"):
        found += [
            p
            for p in (REPO / folder).rglob("*.ipynb")
            if ".ipynb_checkpoints" not in p.parts
        ]
    return sorted(found)


def assignment_ids() -> list[str]:
    """The graded assignments: one folder per assignment in solutions/."""
    return sorted(
        p.name
        for p in (REPO / "solutions").iterdir()
        if p.is_dir() and not p.name.startswith(".")
    )


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def secret_lines(source_nb: dict, solutions: bool = True) -> set[str]:
    """Distinctive lines of every hidden test and (with ``solutions``) every solution
    region and solution-only cell, less the lines the learner sees anyway (in a visible
    test, say, or inside a longer visible line)."""
    lines, shown = set(), []
    for cell in source_nb["cells"]:
        text = "".join(cell["source"])
        meta = cell.get("metadata", {}).get("nbgrader", {})
        regions = HIDDEN_REGION.findall(text)
        if solutions:
            regions += SOLUTION_REGION.findall(text)
        if meta.get("solution") and "### BEGIN SOLUTION" not in text:
            if solutions:
                regions.append(text)  # a whole-cell answer, e.g. a written answer
            text = ""
        visible = HIDDEN_REGION.sub("", SOLUTION_REGION.sub("", text))
        shown += [line.strip() for line in visible.splitlines()]
        for region in regions:
            lines |= {
                line.strip() for line in region.splitlines() if len(line.strip()) >= 25
            }
    seen = " ".join(" ".join(shown).split())  # as a page shows it: text reflowed
    return {
        line for line in lines - set(shown) if " ".join(line.split()) not in seen
    }


class _Text(HTMLParser):
    def __init__(self, skip_tags):
        super().__init__()
        self.parts, self._skip, self.skip_tags = [], 0, skip_tags

    def handle_starttag(self, tag, attrs):
        self._skip += tag in self.skip_tags

    def handle_endtag(self, tag):
        self._skip -= tag in self.skip_tags and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(path, include_code=True) -> str:
    """The visible text of an HTML page, whitespace collapsed (code highlighting
    removed)."""
    parser = _Text(("script", "style") if include_code else ("script", "style", "pre"))
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(html.unescape("".join(parser.parts)).split())


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO



# The grading tests autograde every mutant and alternative of an assignment, which takes
# minutes per assignment; under ``pytest -n N --dist loadfile`` their assignments spread
# over the test processes, while every other file stays on one process (nbval runs a
# notebook's cells in order, in one kernel).
PER_ASSIGNMENT_FILES = (
    "tests/test_grading_mutants.py", "tests/test_grading_pipeline.py",
    "tests/test_grading_hostile.py",
)


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadFileAndAssignment(LoadFileScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            found = re.search(r"\[(?:.*-)?(\d\d_[a-z_]+)(?:-.*)?\]$", nodeid)
            if path in PER_ASSIGNMENT_FILES and found:
                return f"{path}[{found.group(1)}]"
            return path

    return LoadFileAndAssignment(config, log)
