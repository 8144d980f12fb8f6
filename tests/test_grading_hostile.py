"""Autograding survives hostile and broken submissions, and a wrong answer still does
not score.

One temporary course, one autograde run, one student per case next to a correct student
("complete"). Every case must let the run finish, be recorded as described below, and
leave the other students' results intact. The per-cell time limit is lowered for this
course only.

What nbgrader 0.9.6 does, as asserted here:
- a cell that runs forever is interrupted after the per-cell time limit: that part
  scores 0;
- a cell that raises: the part that depends on it scores 0;
- a kernel that dies: the whole submission fails ("Kernel died"), the student is
  recorded with 0 on every part, each marked as needing a manual grade, and nbgrader
  exits with status 1 after grading everyone else;
- a flood of output is cut to 1000 lines (LimitOutput; a single long line is kept whole)
  and grading goes on;
- an edited locked test cell is restored from the gradebook before running
  (OverwriteCells), and the log reports the checksum that the submitted cell had;
- a deleted test cell is not run: its part scores 0 and is marked as needing a manual
  grade;
- an empty submission folder is skipped ("No notebooks were matched"): no submission
  recorded;
- a renamed notebook is skipped ("Skipping unknown notebook"): the student is recorded
  with 0 on every part, each marked as needing a manual grade, and nbgrader exits with
  status 1.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbgrader.utils import compute_checksum

import grading_harness as harness
from grading_fixtures.hopfield_02 import WRONG_ANSWERS

ASSIGNMENT = "02_hopfield"
NOTEBOOK = "02_hopfield.ipynb"
CELL_TIMEOUT = 8

# Replaces the checkers used by the visible tests, so that they pass whatever the
# answer.
CHEAT = """
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None
np.isclose = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
isinstance = lambda *args: True
"""


def _submissions(course):
    complete = harness.filled(course, ASSIGNMENT, NOTEBOOK)
    answer = {gid: harness.cell(complete, gid).source for gid in WRONG_ANSWERS}
    cases = {
        "complete": complete,
        "loop-in-function": harness.with_answer(
            complete,
            "hebbian_weights",
            "def hebbian_weights(patterns):\n    while True:\n        pass",
        ),
        "loop-top-level": harness.with_answer(
            complete, "energy", "while True:\n    pass\n" + answer["energy"]
        ),
        "raises": harness.with_answer(
            complete,
            "async_recall",
            "raise RuntimeError('half-finished')\n" + answer["async_recall"],
        ),
        "kernel-dies": harness.with_answer(
            complete, "energy", "import os\nos._exit(1)\n" + answer["energy"]
        ),
        "flood": harness.with_answer(
            complete,
            "hebbian_weights",
            answer["hebbian_weights"] + "\nprint('x' * 5_000_000)\nfor i in "
            "range(20_000):\n    print(i)",
        ),
    }
    edited = harness.with_answer(complete, "energy", WRONG_ANSWERS["energy"])
    harness.cell(edited, "test_energy").source = "pass"
    cases["edited-test"] = edited
    for name, base in (
        (
            "deleted-test-wrong",
            harness.with_answer(complete, "energy", WRONG_ANSWERS["energy"]),
        ),
        ("deleted-test-right", nbformat.from_dict(complete)),
    ):
        base.cells.remove(harness.cell(base, "test_energy"))
        cases[name] = base
    for grade_id, wrong in WRONG_ANSWERS.items():
        cases[f"cheat-{grade_id}"] = harness.with_answer(
            complete, grade_id, wrong + "\n" + CHEAT
        )
    return cases


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = harness.make_course(
        tmp_path_factory.mktemp("hostile"), ASSIGNMENT, cell_timeout=CELL_TIMEOUT
    )
    cases = _submissions(course)
    for student, nb in cases.items():
        harness.submit(course, ASSIGNMENT, student, {NOTEBOOK: nb})
    harness.submit(course, ASSIGNMENT, "empty", {})
    harness.submit(course, ASSIGNMENT, "renamed", {"hopfield.ipynb": cases["complete"]})
    result = harness.autograde(course, ASSIGNMENT, check=False)
    log = result.stdout + result.stderr
    return course, cases, result, log


def _section(log: str, student: str) -> str:
    """The part of the autograde log about one student."""
    parts = re.split(
        r"(?=\[AutogradeApp \| INFO\] Creating/updating student with ID ')", log
    )
    found = [
        p
        for p in parts
        if p.startswith(
            f"[AutogradeApp | INFO] Creating/updating student with ID '{student}'"
        )
    ]
    assert len(found) == 1, f"no log section for {student}"
    return found[0]


def _assert_only_part_lost(course, student, part):
    scores = harness.scores(course, ASSIGNMENT, student)
    assert scores[f"test_{part}"][0] == 0, (
        f"{student}: test_{part} scored {scores[f'test_{part}']}"
    )
    others = {t: s for t, s in scores.items() if t != f"test_{part}" and s[0] != s[1]}
    assert not others, f"{student} also lost points on {others}"


def test_run_finishes_and_keeps_every_other_result(graded):
    course, cases, result, log = graded
    # nbgrader grades everyone, then exits 1 because two submissions could not be graded
    assert result.returncode == 1, log[-3000:]
    assert "There was an error processing assignment: " in log
    assert set(cases) | {"renamed"} == harness.students(course, ASSIGNMENT)
    complete = harness.scores(course, ASSIGNMENT, "complete")
    assert complete and all(
        score == max_score > 0 for score, max_score in complete.values()
    ), complete


def test_infinite_loop_scores_zero_on_its_part_after_the_time_limit(graded):
    course, _, _, log = graded
    _assert_only_part_lost(course, "loop-in-function", "hebbian_weights")
    _assert_only_part_lost(course, "loop-top-level", "energy")
    for student in ("loop-in-function", "loop-top-level"):
        assert f"Timeout waiting for execute reply ({CELL_TIMEOUT}s)" in _section(
            log, student
        )


def test_raising_cell_scores_zero_on_its_part(graded):
    course, *_ = graded
    _assert_only_part_lost(course, "raises", "async_recall")


def test_dead_kernel_records_the_student_with_zero_for_manual_review(graded):
    course, _, _, log = graded
    assert "Kernel died" in _section(log, "kernel-dies")
    grades = harness.grades(course, ASSIGNMENT, "kernel-dies")
    assert grades and all(
        score == 0 and needs_manual for score, _, needs_manual in grades.values()
    ), grades
    assert not any((course / "autograded" / "kernel-dies").rglob("*.ipynb")), (
        "the failed submission is removed"
    )


def test_output_flood_is_truncated_and_graded(graded):
    course, *_ = graded
    scores = harness.scores(course, ASSIGNMENT, "flood")
    assert all(score == max_score for score, max_score in scores.values()), scores
    # LimitOutput keeps at most 1000 lines of a cell's output, however long each line is
    autograded = nbformat.read(
        course / "autograded" / "flood" / ASSIGNMENT / NOTEBOOK, as_version=4
    )
    text = "".join(
        o.get("text", "") for o in harness.cell(autograded, "hebbian_weights").outputs
    )
    assert text.count("\n") <= 1000 and "... Output truncated ..." in text


def test_edited_test_cell_is_restored_and_reported(graded):
    course, cases, _, log = graded
    _assert_only_part_lost(course, "edited-test", "energy")
    # the autograded notebook runs the instructor's test cell, hidden tests included
    source = nbformat.read(course / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    autograded = nbformat.read(
        course / "autograded" / "edited-test" / ASSIGNMENT / NOTEBOOK, as_version=4
    )
    assert (
        harness.cell(autograded, "test_energy").source
        == harness.cell(source, "test_energy").source
    )
    # nbgrader logs a checksum change for every test cell with hidden tests; the edit
    # shows as the checksum of what was submitted, which differs from that of the
    # untouched cell
    pattern = (r"Attribute 'checksum' for cell test_energy has changed! "
               r"\(should be: \w+, got: (\w+)\)")
    got = re.findall(pattern, _section(log, "edited-test"))
    untouched = re.findall(pattern, _section(log, "complete"))
    assert got == [compute_checksum(harness.cell(cases["edited-test"], "test_energy"))]
    assert untouched and untouched != got


def test_deleted_test_cell_scores_zero_and_needs_manual_grade(graded):
    course, *_ = graded
    for student in ("deleted-test-wrong", "deleted-test-right"):
        _assert_only_part_lost(course, student, "energy")
        _, _, needs_manual = harness.grades(course, ASSIGNMENT, student)["test_energy"]
        assert needs_manual, (
            f"{student}: a deleted test cell should be flagged for a manual grade"
        )


@pytest.mark.parametrize("part", sorted(WRONG_ANSWERS))
def test_replacing_the_checkers_does_not_make_a_wrong_answer_score(graded, part):
    course, *_ = graded
    _assert_only_part_lost(course, f"cheat-{part}", part)


def test_empty_submission_is_skipped_and_not_recorded(graded):
    course, _, _, log = graded
    assert re.search(
        r"No notebooks were matched by "
        r"'[^']*/submitted/empty/02_hopfield/\*\.ipynb'",
        log,
    )
    assert "empty" not in harness.students(course, ASSIGNMENT)


def test_renamed_notebook_is_recorded_with_zero_for_manual_review(graded):
    course, _, _, log = graded
    section = _section(log, "renamed")
    assert "Skipping unknown notebook: " in section and "hopfield.ipynb" in section
    grades = harness.grades(course, ASSIGNMENT, "renamed")
    assert grades and all(
        score == 0 and needs_manual for score, _, needs_manual in grades.values()
    ), grades
