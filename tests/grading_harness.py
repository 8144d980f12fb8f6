"""Helpers for autograding tests: a temporary course, filled-in submissions, scores.

Every helper works on a course directory made by `make_course`, a copy of the
repository's nbgrader configuration with one assignment generated from solutions/, so
tests never touch the repository's own gradebook or submitted/ folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from conftest import BIN, REPO


def make_course(root: Path, assignment: str, cell_timeout: int | None = None) -> Path:
    """A course directory at root with the repository's config and the assignment
    generated.

    cell_timeout overrides the per-cell time limit for this course only (the last
    assignment in nbgrader_config.py wins).
    """
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    if cell_timeout is not None:
        config += f"\nc.Execute.timeout = {int(cell_timeout)}\n"
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    (root / ".nbgrader").mkdir(exist_ok=True)  # the gradebook's folder (make does this)
    shutil.copytree(REPO / "solutions" / assignment, root / "solutions" / assignment)
    nbgrader(root, "generate_assignment", assignment, "--force")
    return root


def nbgrader(
    course: Path, *args: str, check: bool = True, timeout: int = 900
) -> subprocess.CompletedProcess:
    """Run nbgrader in the course directory with this environment's bin/ on PATH.

    With check=False a non-zero exit status is returned instead of raised (nbgrader
    exits 1 when any one submission could not be graded, after grading all the others).
    """
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f"nbgrader {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def notebook_names(course: Path, assignment: str) -> list[str]:
    return sorted(p.name for p in (course / "solutions" / assignment).glob("*.ipynb"))


def student_version(course: Path, assignment: str, name: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "exercises" / assignment / name, as_version=4)


def filled(course: Path, assignment: str, name: str) -> nbformat.NotebookNode:
    """The student version with every answer cell completed from the solution."""
    source = nbformat.read(course / "solutions" / assignment / name, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = student_version(course, assignment, name)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = "\n".join(
                line
                for line in answers[meta["grade_id"]].splitlines()
                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
            )
    return nb


def cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    """The one cell of nb with this grade_id."""
    found = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    ]
    assert len(found) == 1, f"expected one cell {grade_id!r}, found {len(found)}"
    return found[0]


def with_answer(
    nb: nbformat.NotebookNode, grade_id: str, source: str
) -> nbformat.NotebookNode:
    """A copy of nb whose answer cell grade_id holds source."""
    nb = nbformat.from_dict(nb)
    cell(nb, grade_id).source = source.strip()
    return nb


def submit(course: Path, assignment: str, student: str,
           notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    """Put a submission at submitted/<student>/<assignment>/ (an empty folder for {}).
    """
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)
    return folder


def autograde(
    course: Path, assignment: str, check: bool = True
) -> subprocess.CompletedProcess:
    """Autograde every submission of the assignment in one nbgrader run."""
    return nbgrader(course, "autograde", assignment, "--force", check=check)


def scores(
    course: Path, assignment: str, student: str
) -> dict[str, tuple[float, float]]:
    """(score, max_score) per autograded code cell, for one student."""
    return {
        name: (score, max_score)
        for name, (score, max_score, _) in grades(course, assignment, student).items()
    }


def grades(
    course: Path, assignment: str, student: str
) -> dict[str, tuple[float, float, bool]]:
    """(score, max_score, needs_manual_grade) per autograded code cell, for one student.
    """
    with Gradebook(f"sqlite:///{course}/.nbgrader/gradebook.db") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: (grade.score, grade.max_score, grade.needs_manual_grade)
                for notebook in submission.notebooks for grade in notebook.grades
                if grade.cell.cell_type == "code"}


def students(course: Path, assignment: str) -> set[str]:
    """Students with a submission of the assignment recorded in the gradebook."""
    with Gradebook(f"sqlite:///{course}/.nbgrader/gradebook.db") as gradebook:
        return {s.student.id for s in gradebook.find_assignment(assignment).submissions}
