"""The book's configuration lists what exists and keeps what must not be built out of
it."""

import yaml

from conftest import REPO

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
TOC = yaml.safe_load((REPO / "_toc.yml").read_text())


def toc_entries():
    return [TOC["root"]] + [
        c["file"] for part in TOC["parts"] for c in part["chapters"]
    ]


def test_every_toc_entry_exists():
    for entry in toc_entries():
        matches = [p for p in REPO.glob(f"{entry}.*") if p.suffix in (".md", ".ipynb")]
        assert matches, f"_toc.yml lists {entry}, which does not exist"


def test_every_chapter_and_assignment_is_in_the_toc():
    entries = set(toc_entries())
    for notebook in sorted((REPO / "book").glob("*.ipynb")) + sorted(
        (REPO / "exercises").glob("*/*.ipynb")
    ):
        entry = notebook.relative_to(REPO).with_suffix("").as_posix()
        assert entry in entries, f"{entry} exists but is not listed in _toc.yml"


def test_build_excludes_environment_solutions_tests_and_output():
    patterns = CONFIG["exclude_patterns"]
    for required in (".venv/**", "solutions/**", "tests/**", "_build/**", ".*"):
        assert required in patterns, f"_config.yml exclude_patterns lacks {required!r}"


def test_student_notebooks_render_without_execution():
    assert "exercises/*/*.ipynb" in CONFIG["execute"]["exclude_patterns"]
    assert CONFIG["execute"]["execute_notebooks"] == "cache"
    assert CONFIG["execute"]["timeout"] > 0


def test_launch_buttons_and_offline_math_are_configured():
    assert CONFIG["repository"]["branch"] == "main"
    assert CONFIG["repository"]["url"].startswith("https://github.com/")
    buttons = CONFIG["launch_buttons"]
    assert (
        buttons["binderhub_url"] and buttons["colab_url"] and buttons["thebe"] is True
    )
    assert "sphinx-mathjax-offline" in CONFIG["sphinx"]["extra_extensions"]
    assert (REPO / CONFIG["bibtex_bibfiles"][0]).exists()
