"""Binder builds the same environment the project pins, CPU-only, with the package
installed."""

import re

from conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def pins(path):
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_binder_pins_agree_with_project_pins():
    project = pins(REPO / "requirements.txt")
    binder = pins(REPO / "binder" / "requirements.txt")
    assert {"torch", "numpy", "matplotlib", "myst-nb"} <= set(binder)
    for name, version in binder.items():
        assert name in project, f"binder pins {name}, which requirements.txt does not"
        assert version.split("+")[0] == project[name].split("+")[0], (
            f"binder pins {name}=={version} but requirements.txt pins "
            f"{name}=={project[name]}"
        )


def test_binder_uses_cpu_only_torch_and_installs_the_package():
    requirements = (REPO / "binder" / "requirements.txt").read_text()
    assert "torch==2.13.0+cpu" in requirements and "/whl/cpu" in requirements
    assert "python-3.11" in (REPO / "binder" / "runtime.txt").read_text()
    post_build = (REPO / "binder" / "postBuild").read_text()
    assert "pip install" in post_build and "-e ." in post_build


# What a chapter imports, by distribution name (module names that differ are mapped).
DISTRIBUTION = {"myst_nb": "myst-nb"}
PROVIDED_BY_JUPYTER = {"IPython", "rnncourse"}


def chapter_imports():
    import ast
    import json
    import sys

    found = set()
    for path in sorted((REPO / "book").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            # an IPython magic becomes `pass`, keeping the indentation
            source = "\n".join(
                line[: len(line) - len(line.lstrip())] + "pass"
                if line.lstrip().startswith(("%", "!"))
                else line
                for line in "".join(cell["source"]).splitlines()
            )
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    found.add(node.module.split(".")[0])
    return {
        DISTRIBUTION.get(m, m)
        for m in found
        if m not in sys.stdlib_module_names and m not in PROVIDED_BY_JUPYTER
    }


def test_binder_and_colab_install_everything_the_chapters_import():
    imported = chapter_imports()
    assert {"numpy", "torch", "matplotlib"} <= imported, imported   # the scan works
    binder = set(pins(REPO / "binder" / "requirements.txt"))
    assert imported <= binder, (
        f"binder/requirements.txt lacks {sorted(imported - binder)}"
    )
    # Colab's setup cell pip-installs the package; torch is preinstalled there.
    pyproject = (REPO / "pyproject.toml").read_text()
    declared = set(
        re.findall(
            r'"([A-Za-z0-9_.\-]+)"',
            pyproject.split("dependencies = [", 1)[1].split("]", 1)[0],
        )
    )
    assert imported - {"torch"} <= declared, (
        f"pyproject.toml dependencies lack {sorted(imported - {'torch'} - declared)}"
    )
