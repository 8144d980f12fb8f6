"""Every chapter follows the book's conventions, so that it builds and launches
anywhere."""

import re

import pytest

from conftest import REPO, read_json

CHAPTERS = sorted((REPO / "book").glob("*.ipynb"))
BIB_KEYS = set(
    re.findall(
        r"^@\w+\{([^,]+),", (REPO / "book" / "references.bib").read_text(), flags=re.M
    )
)


def sources(nb, cell_type):
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == cell_type]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_one_title_and_a_setup_cell_first(path):
    nb = read_json(path)
    markdown = sources(nb, "markdown")
    assert markdown[0].startswith("# "), (
        "the first cell must be the chapter's '# Title'"
    )
    titles = [
        line
        for text in markdown
        for line in text.splitlines()
        if re.match(r"# \S", line)
    ]
    assert len(titles) == 1, f"exactly one top-level heading expected, found {titles}"
    setup = sources(nb, "code")[0]
    assert (
        "import rnncourse" in setup
        and "except ImportError" in setup
        and "pip install" in setup
    ), "the first code cell must install rnncourse when it is missing (for Colab)"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_uses_the_course_style_glue_and_citations_that_exist(path):
    nb = read_json(path)
    code = "\n".join(sources(nb, "code"))
    markdown = "\n".join(sources(nb, "markdown"))
    assert "use_style()" in code, "chapters use rnncourse.plotting.use_style()"
    glued = set(re.findall(r"""glue(?:_number)?\(\s*f?["']([^"'{]+)""", code))
    used = set(re.findall(r"\{glue:text\}`([^`:]+)", markdown))
    assert used, "numbers in the prose come from the code via {glue:text}"
    cited = {
        key.strip()
        for keys in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", markdown)
        for key in keys.split(",")
    }
    assert cited, "a chapter cites its papers"
    assert cited <= BIB_KEYS, (
        f"citations missing from book/references.bib: {sorted(cited - BIB_KEYS)}"
    )
    assert glued, "no glue calls found"


def test_setup_cells_install_from_the_repository_the_book_links_to():
    """The Colab install and the book's repository button point to one place."""
    import yaml

    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    repository = config["repository"]["url"].rstrip("/")
    expected = f"git+{repository}@{config['repository']['branch']}"
    notebooks = CHAPTERS + sorted((REPO / "solutions").glob("*/*.ipynb"))
    found = 0
    for path in notebooks:
        for source in sources(read_json(path), "code"):
            for url in re.findall(r"rnncourse @ (\S+?)[\"']", source):
                found += 1
                assert url == expected, f"{path.name} installs {url}, not {expected}"
    assert found >= len(CHAPTERS), "every chapter's setup cell installs the package"


ASSIGNMENTS = sorted((REPO / "solutions").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=lambda p: p.stem)
def test_assignment_that_imports_rnncourse_installs_it_in_a_locked_first_cell(path):
    """On Colab or a fresh JupyterHub the learner's first run installs the package,
    and no learner can edit or delete that cell by accident."""
    nb = read_json(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if not any(re.search(r"\brnncourse\b", "".join(c["source"])) for c in code):
        return
    first = code[0]
    setup = "".join(first["source"])
    assert (
        "import rnncourse" in setup
        and "except ImportError" in setup
        and "pip install" in setup
    ), f"{path.name}: the first code cell must install rnncourse when it is missing"
    grader = first["metadata"].get("nbgrader", {})
    assert grader.get("locked") and not grader.get("solution") and not grader.get(
        "grade"
    ), f"{path.name}: the setup cell must be a locked, ungraded nbgrader cell"
