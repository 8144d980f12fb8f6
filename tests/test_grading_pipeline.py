"""The graded-assignment pipeline end to end, in a temporary course directory.

For every assignment in solutions/: the committed student version equals what nbgrader
generates now; nothing of a solution or a hidden test reaches it; and an autograde round
trip gives full marks to the solution, zero to the untouched student version, and takes
exactly one part's points from an answer that is wrong in that part.
"""

from __future__ import annotations

import csv
import importlib
import subprocess
import sys

import nbformat
import pytest

import grading_harness as harness
from conftest import (
    REPO,
    assignment_ids,
    page_text,
    read_json,
    secret_lines,
)

ASSIGNMENTS = assignment_ids()


def wrong_answers(assignment: str) -> dict[str, str]:
    number, name = assignment.split("_", 1)
    return importlib.import_module(f"grading_fixtures.{name}_{number}").WRONG_ANSWERS


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def course(request, tmp_path_factory):
    """A fresh course directory with the repository's config, the assignment generated.
    """
    assignment = request.param
    return harness.make_course(
        tmp_path_factory.mktemp(f"course_{assignment}"), assignment
    ), assignment


def test_committed_student_version_equals_fresh_generation(course):
    root, assignment = course
    for generated in sorted((root / "exercises" / assignment).glob("*.ipynb")):
        committed = REPO / "exercises" / assignment / generated.name
        assert committed.exists(), (
            f"{committed.relative_to(REPO)} is missing: "
            f"run `make exercises ASSIGNMENT={assignment}`"
        )
        assert read_json(committed) == read_json(generated), (
            f"{committed.relative_to(REPO)} is out of date with solutions/: "
            f"run `make exercises ASSIGNMENT={assignment}`"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_contains_no_solution_or_hidden_test(assignment):
    for source in (REPO / "solutions" / assignment).glob("*.ipynb"):
        student_text = (REPO / "exercises" / assignment / source.name).read_text(
            encoding="utf-8"
        )
        for marker in (
            "BEGIN SOLUTION",
            "END SOLUTION",
            "BEGIN HIDDEN TESTS",
            "END HIDDEN TESTS",
        ):
            assert marker not in student_text
        secrets = secret_lines(read_json(source))
        assert secrets, "expected solution regions in the source notebook"
        leaked = [line for line in secrets if line in student_text]
        assert not leaked, (
            f"solution or hidden-test lines in the student version: {leaked[:5]}"
        )


@pytest.fixture(scope="module")
def graded(course):
    """The course after autograding three kinds of students: complete, untouched, one
    part wrong."""
    root, assignment = course
    root, assignment = course
    names = harness.notebook_names(root, assignment)
    complete = {name: harness.filled(root, assignment, name) for name in names}
    harness.submit(root, assignment, "complete", complete)
    harness.submit(
        root,
        assignment,
        "untouched",
        {name: harness.student_version(root, assignment, name) for name in names},
    )
    for grade_id, wrong_source in wrong_answers(assignment).items():
        owners = [
            name
            for name in names
            if any(
                c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
                for c in complete[name].cells
            )
        ]
        assert len(owners) == 1, f"no answer cell {grade_id!r} in {names}"
        wrong = dict(
            complete,
            **{
                owners[0]: harness.with_answer(
                    complete[owners[0]], grade_id, wrong_source
                )
            },
        )
        harness.submit(root, assignment, f"wrong-{grade_id}", wrong)

    harness.autograde(root, assignment)
    return root, assignment


def test_autograde_round_trip(graded):
    root, assignment = graded
    full = harness.scores(root, assignment, "complete")
    assert full, "no autograded test cells found"
    for test_id, (score, max_score) in full.items():
        assert max_score > 0
        assert score == max_score, (
            f"the solution loses points on {test_id}: {score}/{max_score}"
        )
    full_marks = sum(max_score for _, max_score in full.values())

    untouched = harness.scores(root, assignment, "untouched")
    assert sum(score for score, _ in untouched.values()) == 0, (
        f"the untouched student version scores {untouched}"
    )

    for grade_id in wrong_answers(assignment):
        scores = harness.scores(root, assignment, f"wrong-{grade_id}")
        lost = {
            test_id: max_score - score
            for test_id, (score, max_score) in scores.items()
            if score < max_score
        }
        assert list(lost) == [f"test_{grade_id}"], (
            f"a wrong {grade_id} should fail exactly test_{grade_id}, lost {lost}"
        )
        assert (
            sum(score for score, _ in scores.values())
            == full_marks - full[f"test_{grade_id}"][1]
        )


def test_feedback_shows_results_but_no_hidden_test_code(graded):
    root, assignment = graded
    harness.nbgrader(root, "generate_feedback", assignment, "--force")
    hidden = set()
    for source in (root / "solutions" / assignment).glob("*.ipynb"):
        hidden |= {
            " ".join(line.split())
            for line in secret_lines(read_json(source), solutions=False)
        }
    assert hidden
    for grade_id in wrong_answers(assignment):
        submitted = root / "submitted" / f"wrong-{grade_id}" / assignment
        own = {
            " ".join(line.split())
            for nb in submitted.glob("*.ipynb")
            for cell in read_json(nb)["cells"]
            for line in "".join(cell["source"]).splitlines()
        }
        pages = list(
            (root / "feedback" / f"wrong-{grade_id}" / assignment).glob("*.html")
        )
        assert pages, f"no feedback for wrong-{grade_id}"
        for page in pages:
            text = page_text(page)
            assert "Error" in text, "the feedback should show why a test failed"
            # a hidden line inside a longer line of the learner's own is no leak
            written = "\n".join(own)
            leaked = [
                line for line in hidden - own if line in text and line not in written
            ]
            assert not leaked, (
                f"feedback for wrong-{grade_id} shows hidden-test lines: {leaked[:3]}"
            )


def test_exported_grades_list_every_student_with_their_score(graded):
    root, assignment = graded
    harness.nbgrader(root, "export", "--to", "grades.csv")
    with open(root / "grades.csv", newline="") as f:
        rows = {
            row["student_id"]: row
            for row in csv.DictReader(f)
            if row["assignment"] == assignment
        }
    full = sum(
        max_score
        for _, max_score in harness.scores(root, assignment, "complete").values()
    )
    assert float(rows["complete"]["score"]) == full
    assert float(rows["untouched"]["score"]) == 0
    for grade_id in wrong_answers(assignment):
        lost = harness.scores(root, assignment, f"wrong-{grade_id}")[
            f"test_{grade_id}"
        ][1]
        assert float(rows[f"wrong-{grade_id}"]["score"]) == full - lost


def test_learner_validate_command_fails_until_every_visible_test_passes(
    course, tmp_path
):
    root, assignment = course
    for name in harness.notebook_names(root, assignment):
        untouched = tmp_path / f"untouched_{name}"
        nbformat.write(harness.student_version(root, assignment, name), untouched)
        complete = tmp_path / f"complete_{name}"
        nbformat.write(harness.filled(root, assignment, name), complete)
        command = [sys.executable, "-m", "rnncourse.grading", "validate"]
        failing = subprocess.run(
            command + [str(untouched)], capture_output=True, text=True, timeout=600
        )
        assert (
            failing.returncode == 1
            and "NOT ANSWERED" in failing.stdout
            and "NotImplementedError" in failing.stdout
        ), failing.stdout
        passing = subprocess.run(
            command + [str(complete)], capture_output=True, text=True, timeout=600
        )
        assert passing.returncode == 0 and "FAILED" not in passing.stdout, (
            passing.stdout
        )
        hidden = [
            line
            for line in secret_lines(read_json(root / "solutions" / assignment / name))
            if "assert" in line
        ]
        assert not [line for line in hidden if line in failing.stdout], (
            "validate must not reveal hidden tests"
        )
