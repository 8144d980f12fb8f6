"""Binder builds the same environment the project pins, CPU-only, with the package installed."""

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
            f"binder pins {name}=={version} but requirements.txt pins {name}=={project[name]}")


def test_binder_uses_cpu_only_torch_and_installs_the_package():
    requirements = (REPO / "binder" / "requirements.txt").read_text()
    assert "torch==2.13.0+cpu" in requirements and "/whl/cpu" in requirements
    assert "python-3.11" in (REPO / "binder" / "runtime.txt").read_text()
    post_build = (REPO / "binder" / "postBuild").read_text()
    assert "pip install" in post_build and "-e ." in post_build
