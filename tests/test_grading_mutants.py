"""The hidden tests catch the mistakes learners make, and never fail a right answer.

Every assignment's grading fixtures (tests/grading_fixtures/<name>_<number>.py) hold two
tables, each mapping an autograded answer cell's grade_id to [(name, answer source)]:

- MUTANTS: plausible wrong answers, at least five per part. Each must lose points on the
  part it breaks and keep full marks on every other part; a surviving mutant means the
  hidden tests need strengthening.
- ALTERNATIVES: correct answers written the way other learners would (another summation
  order, loops instead of vectorised code, float32 inputs, an in-place update, ``solve``
  instead of ``inv``, a different valid tie-break), at least three per part. Each must
  get full marks everywhere; a failing alternative means a hidden test checks something
  the instructions do not ask for, or with a tolerance tighter than a correct answer's
  rounding error.

One autograde run per assignment grades the solution and both tables in rounds, so
that the suite's time grows with the longest list of a part, not with their sum:
``mutant-round<r>`` answers every part with that part's r-th mutant at once (a part
whose list is shorter keeps the solution's answer, and must keep its full marks), and
``alt-round<r>`` with its r-th alternative (every part must keep full marks). A
mutant is caught when its own part loses points. That a wrong answer costs points on
its own part only is shown part by part by the pipeline test
(tests/test_grading_pipeline.py: each WRONG_ANSWERS entry fails exactly its part), and
by the parts of each mutant round that keep the solution's answer.
"""

from __future__ import annotations

import importlib

import pytest

import grading_harness as harness
from conftest import assignment_ids

MIN_MUTANTS, MIN_ALTERNATIVES = 5, 3


def fixtures(assignment: str):
    number, name = assignment.split("_", 1)
    return importlib.import_module(f"grading_fixtures.{name}_{number}")


def mutants(assignment: str) -> dict[str, list[tuple[str, str]]]:
    return getattr(fixtures(assignment), "MUTANTS", {})


def alternatives(assignment: str) -> dict[str, list[tuple[str, str]]]:
    return getattr(fixtures(assignment), "ALTERNATIVES", {})


ASSIGNMENTS = [a for a in assignment_ids() if mutants(a) or alternatives(a)]


def rounds(table: dict[str, list[tuple[str, str]]]) -> list[dict[str, tuple[str, str]]]:
    """Round r: {grade_id: (name, source)} of every part's r-th entry."""
    count = max((len(cases) for cases in table.values()), default=0)
    return [
        {gid: cases[r] for gid, cases in table.items() if r < len(cases)}
        for r in range(count)
    ]


def round_id(kind: str, r: int) -> str:
    return f"{kind}-round{r}"


def answer_cells(assignment: str) -> list[str]:
    source = harness.REPO / "solutions" / assignment / f"{assignment}.ipynb"
    return [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in harness.nbformat.read(source, as_version=4).cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """A temporary course with the solution and the rounds of mutants and of
    alternatives submitted, and autograded once."""
    assignment = request.param
    course = harness.make_course(
        tmp_path_factory.mktemp(f"mutants_{assignment}"), assignment
    )
    notebooks = harness.notebook_names(course, assignment)
    complete = {name: harness.filled(course, assignment, name) for name in notebooks}
    harness.submit(course, assignment, "complete", complete)

    def owner(grade_id):
        found = [
            name
            for name, nb in complete.items()
            if any(
                c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
                for c in nb.cells
            )
        ]
        assert len(found) == 1, f"answer cell {grade_id!r} is in {len(found)} notebooks"
        return found[0]

    for kind, table in (("mutant", mutants), ("alt", alternatives)):
        for r, answers in enumerate(rounds(table(assignment))):
            submission = dict(complete)
            for grade_id, (_, source) in answers.items():
                where = owner(grade_id)
                submission[where] = harness.with_answer(
                    submission[where], grade_id, source
                )
            harness.submit(course, assignment, round_id(kind, r), submission)
    harness.autograde(course, assignment)
    return course, assignment


def _check_table(assignment, table, minimum, what):
    table = table(assignment)
    for grade_id in answer_cells(assignment):
        cases = table.get(grade_id, [])
        assert len(cases) >= minimum, (
            f"tests/grading_fixtures needs at least {minimum} {what} for "
            f"{assignment}:{grade_id}, found {len(cases)}"
        )
        names = [name for name, _ in cases]
        assert len(set(names)) == len(names), f"duplicate {what} names for {grade_id}"
    unknown = set(table) - set(answer_cells(assignment))
    assert not unknown, f"{what} for answer cells that do not exist: {sorted(unknown)}"


def test_solution_gets_full_marks(graded):
    course, assignment = graded
    complete = harness.scores(course, assignment, "complete")
    assert complete and all(
        score == max_score > 0 for score, max_score in complete.values()
    ), complete


def test_every_mutant_loses_points_on_its_part(graded):
    course, assignment = graded
    survivors, collateral, ungraded = [], [], []
    for r, answers in enumerate(rounds(mutants(assignment))):
        scores = harness.scores(course, assignment, round_id("mutant", r))
        if not scores:
            ungraded.append(r)
            continue
        for grade_id, (name, _) in answers.items():
            score, max_score = scores[f"test_{grade_id}"]
            if score >= max_score:
                survivors.append(f"{grade_id}/{name}")
        tested = {f"test_{grade_id}" for grade_id in answers}
        lost = {t: s for t, s in scores.items() if t not in tested and s[0] < s[1]}
        if lost:
            in_round = {gid: name for gid, (name, _) in answers.items()}
            collateral.append(f"round {r} {in_round}: {lost}")
    assert not ungraded, f"mutant rounds that were not graded: {ungraded}"
    assert not survivors, (
        f"mutants that keep full marks (strengthen the hidden tests): {survivors}"
    )
    assert not collateral, (
        f"parts that kept the solution's answer but lost points: {collateral}"
    )


def test_every_alternative_correct_answer_gets_full_marks(graded):
    course, assignment = graded
    failed = []
    for r, answers in enumerate(rounds(alternatives(assignment))):
        scores = harness.scores(course, assignment, round_id("alt", r))
        lost = {t: s for t, s in scores.items() if s[0] < s[1]}
        if lost or not scores:
            in_round = {gid: name for gid, (name, _) in answers.items()}
            failed.append(f"round {r} {in_round}: {lost or 'not graded'}")
    assert not failed, (
        "correct answers that lose points (a hidden test checks more than the "
        f"instructions state, or too tightly): {failed}"
    )


@pytest.mark.parametrize("assignment", assignment_ids())
def test_every_assignment_has_five_mutants_for_each_autograded_answer(assignment):
    """A new assignment joins the mutation check by existing: it needs its MUTANTS."""
    assert answer_cells(assignment), f"{assignment} has no autograded answer cells"
    _check_table(assignment, mutants, MIN_MUTANTS, "plausible wrong answers (MUTANTS)")


@pytest.mark.parametrize("assignment", assignment_ids())
def test_every_assignment_has_three_alternative_answers_for_each_part(assignment):
    """...and its ALTERNATIVES: right answers that other learners would write."""
    _check_table(
        assignment, alternatives, MIN_ALTERNATIVES, "alternative correct answers"
    )
