"""The graded-assignment pipeline end to end, in a temporary course directory.

For every assignment in solutions/: the committed student version equals what nbgrader
generates now; nothing of a solution or a hidden test reaches it; and an autograde round
trip gives full marks to the solution, zero to the untouched student version, and takes
exactly one part's points from an answer that is wrong in that part.
"""

from __future__ import annotations

import importlib
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from conftest import REPO, assignment_ids, read_json, run_nbgrader, secret_lines

ASSIGNMENTS = assignment_ids()


def wrong_answers(assignment: str) -> dict[str, str]:
    number, name = assignment.split("_", 1)
    return importlib.import_module(f"grading_fixtures.{name}_{number}").WRONG_ANSWERS


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def course(request, tmp_path_factory):
    """A fresh course directory with the repository's config, the assignment generated."""
    assignment = request.param
    root = tmp_path_factory.mktemp(f"course_{assignment}")
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(REPO / "solutions" / assignment, root / "solutions" / assignment)
    run_nbgrader(root, "generate_assignment", assignment, "--force")
    return root, assignment


def test_committed_student_version_equals_fresh_generation(course):
    root, assignment = course
    for generated in sorted((root / "exercises" / assignment).glob("*.ipynb")):
        committed = REPO / "exercises" / assignment / generated.name
        assert committed.exists(), f"{committed.relative_to(REPO)} is missing: run `make exercises ASSIGNMENT={assignment}`"
        assert read_json(committed) == read_json(generated), (
            f"{committed.relative_to(REPO)} is out of date with solutions/: run `make exercises ASSIGNMENT={assignment}`")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_contains_no_solution_or_hidden_test(assignment):
    for source in (REPO / "solutions" / assignment).glob("*.ipynb"):
        student_text = (REPO / "exercises" / assignment / source.name).read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in student_text
        secrets = secret_lines(read_json(source))
        assert secrets, "expected solution regions in the source notebook"
        leaked = [line for line in secrets if line in student_text]
        assert not leaked, f"solution or hidden-test lines in the student version: {leaked[:5]}"


def _filled(student: nbformat.NotebookNode, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student notebook with every answer cell completed from the solution."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    filled = nbformat.from_dict(student)
    for cell in filled.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            lines = answers[grade_id].splitlines()
            cell.source = "\n".join(line for line in lines if "### BEGIN SOLUTION" not in line
                                    and "### END SOLUTION" not in line)
    return filled


def _autograded_scores(root, assignment, student):
    """(autograded score, autograded maximum) per test cell and in total for one student."""
    with Gradebook(f"sqlite:///{root}/.nbgrader/gradebook.db") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        per_cell = {}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.cell.cell_type == "code":
                    per_cell[grade.name] = (grade.score, grade.max_score)
    return per_cell


def test_autograde_round_trip(course):
    root, assignment = course
    students = {}
    for source_path in sorted((root / "solutions" / assignment).glob("*.ipynb")):
        source = nbformat.read(source_path, as_version=4)
        student = nbformat.read(root / "exercises" / assignment / source_path.name, as_version=4)
        complete = _filled(student, source)
        versions = {"complete": complete, "untouched": student}
        for grade_id, wrong_source in wrong_answers(assignment).items():
            wrong = nbformat.from_dict(complete)
            cells = [c for c in wrong.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
            assert len(cells) == 1, f"no answer cell {grade_id!r} in {source_path.name}"
            cells[0].source = wrong_source.strip()
            versions[f"wrong-{grade_id}"] = wrong
        for name, nb in versions.items():
            folder = root / "submitted" / name / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / source_path.name)
            students[name] = folder

    run_nbgrader(root, "autograde", assignment, "--force")

    complete = _autograded_scores(root, assignment, "complete")
    assert complete, "no autograded test cells found"
    for test_id, (score, max_score) in complete.items():
        assert max_score > 0
        assert score == max_score, f"the solution loses points on {test_id}: {score}/{max_score}"
    full_marks = sum(max_score for _, max_score in complete.values())

    untouched = _autograded_scores(root, assignment, "untouched")
    assert sum(score for score, _ in untouched.values()) == 0, f"the untouched student version scores {untouched}"

    for grade_id in wrong_answers(assignment):
        scores = _autograded_scores(root, assignment, f"wrong-{grade_id}")
        lost = {test_id: max_score - score for test_id, (score, max_score) in scores.items() if score < max_score}
        assert list(lost) == [f"test_{grade_id}"], f"a wrong {grade_id} should fail exactly test_{grade_id}, lost {lost}"
        assert sum(score for score, _ in scores.values()) == full_marks - complete[f"test_{grade_id}"][1]
