"""The hidden tests catch the mistakes learners really make.

For every assignment with a MUTANTS table in its grading fixtures (grade_id -> [(name, answer
source)]), one autograde run grades the solution and one student per mutant
(`mutant-<grade_id>-<name>`): every mutant must lose points on the part it breaks and keep
full marks on every other part. A surviving mutant means the hidden tests need strengthening.
"""

from __future__ import annotations

import importlib

import pytest

import grading_harness as harness
from conftest import assignment_ids


def mutants(assignment: str) -> dict[str, list[tuple[str, str]]]:
    number, name = assignment.split("_", 1)
    return getattr(importlib.import_module(f"grading_fixtures.{name}_{number}"), "MUTANTS", {})


ASSIGNMENTS = [a for a in assignment_ids() if mutants(a)]


def student_id(grade_id: str, name: str) -> str:
    return f"mutant-{grade_id}-{name}"


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """A temporary course with the solution and every mutant submitted and autograded once."""
    assignment = request.param
    course = harness.make_course(tmp_path_factory.mktemp(f"mutants_{assignment}"), assignment)
    notebooks = harness.notebook_names(course, assignment)
    complete = {name: harness.filled(course, assignment, name) for name in notebooks}
    harness.submit(course, assignment, "complete", complete)
    for grade_id, cases in mutants(assignment).items():
        owner = [name for name, nb in complete.items()
                 if any(c.metadata.get("nbgrader", {}).get("grade_id") == grade_id for c in nb.cells)]
        assert len(owner) == 1, f"answer cell {grade_id!r} is in {len(owner)} notebooks"
        for name, source in cases:
            submission = dict(complete, **{owner[0]: harness.with_answer(complete[owner[0]], grade_id, source)})
            harness.submit(course, assignment, student_id(grade_id, name), submission)
    harness.autograde(course, assignment)
    return course, assignment


def test_at_least_five_mutants_per_autograded_part(graded):
    course, assignment = graded
    parts = {test_id.removeprefix("test_") for test_id in harness.scores(course, assignment, "complete")}
    table = mutants(assignment)
    assert parts <= set(table), f"autograded parts without mutants: {sorted(parts - set(table))}"
    for grade_id, cases in table.items():
        assert len(cases) >= 5, f"only {len(cases)} mutants for {grade_id}"
        names = [name for name, _ in cases]
        assert len(set(names)) == len(names), f"duplicate mutant names for {grade_id}"


def test_solution_gets_full_marks(graded):
    course, assignment = graded
    complete = harness.scores(course, assignment, "complete")
    assert complete and all(score == max_score > 0 for score, max_score in complete.values()), complete


def test_every_mutant_loses_points_on_its_part_only(graded):
    course, assignment = graded
    survivors, collateral = [], []
    for grade_id, cases in mutants(assignment).items():
        for name, _ in cases:
            scores = harness.scores(course, assignment, student_id(grade_id, name))
            score, max_score = scores[f"test_{grade_id}"]
            if score >= max_score:
                survivors.append(f"{grade_id}/{name}")
            lost_elsewhere = {t: s for t, s in scores.items() if t != f"test_{grade_id}" and s[0] < s[1]}
            if lost_elsewhere:
                collateral.append(f"{grade_id}/{name}: {lost_elsewhere}")
    assert not survivors, f"mutants that keep full marks (strengthen the hidden tests): {survivors}"
    assert not collateral, f"mutants that also lose points on other parts: {collateral}"


@pytest.mark.parametrize("assignment", assignment_ids())
def test_every_assignment_has_five_mutants_for_each_autograded_answer(assignment):
    """A new assignment joins the mutation check by existing: it needs its MUTANTS table."""
    source = harness.REPO / "solutions" / assignment / f"{assignment}.ipynb"
    answers = [c["metadata"]["nbgrader"]["grade_id"] for c in harness.nbformat.read(source, as_version=4).cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    assert answers, f"{assignment} has no autograded answer cells"
    table = mutants(assignment)
    for grade_id in answers:
        assert len(table.get(grade_id, [])) >= 5, (
            f"tests/grading_fixtures needs at least 5 plausible wrong answers for {assignment}:{grade_id}")
