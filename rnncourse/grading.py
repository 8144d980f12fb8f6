"""The graded assignments' commands: the learner's check and the instructor's steps.

    python -m rnncourse.grading validate exercises/02_hopfield/02_hopfield.ipynb
    python -m rnncourse.grading autograde 02_hopfield   # make autograde ASSIGNMENT=...
    python -m rnncourse.grading feedback 02_hopfield    # make feedback ASSIGNMENT=...
    python -m rnncourse.grading check                   # make grades runs it first

``validate`` runs a notebook top to bottom in a fresh kernel, as the grader will, and
reports every part: passed, failed (with the error), not answered yet, an error in the
answer cell (a syntax error, say), or timed out (an infinite loop?). It says which
locked test cells were edited (nbgrader's checksum of the cell no longer matches: the
grader uses the original) and which written answers are still empty. It exits with
status 0 only when every visible test passes and no test cell was edited. It runs only
what is in the notebook: the hidden tests are not there and are not revealed.

``autograde`` registers the assignment in the gradebook from ``solutions/`` (as
``make exercises`` does), autogrades every submission in ``submitted/``, and prints one
line per student: the score, the parts that still need manual grading, and the test
cells the student really edited. nbgrader warns that every test cell with hidden tests
"has changed" (it compares the submitted cell with the source version, hidden tests
included: upstream jupyter/nbgrader#1961); those false alarms are left out of the log.

``check`` warns before grades or feedback are exported: a submission with no autograded
notebook (it would be exported as 0) and submissions still waiting for manual grading.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearHiddenTests
from traitlets import List, Unicode

CELL_TIMEOUT_S = 120
HIDDEN_TESTS_MARK = "# [hidden tests: the grader ran them here; their code is hidden]"
USAGE = ("usage: make validate NOTEBOOK=exercises/<id>/<id>.ipynb "
         "(the notebook's path from the repository root)")


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _error(cell) -> dict | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


def _edited(cell) -> bool:
    """A locked cell whose content no longer has the checksum nbgrader recorded."""
    from nbgrader.utils import compute_checksum

    meta = _nbgrader(cell)
    return bool(meta.get("locked") and meta.get("checksum")
                and compute_checksum(cell) != meta["checksum"])


# --- the learner's check --------------------------------------------------------------

@dataclass
class Part:
    """One test cell's result. status: passed, failed, not answered, answer error,
    timed out, not run."""

    grade_id: str
    status: str
    message: str = ""
    edited: bool = False


@dataclass
class Report:
    parts: list[Part] = field(default_factory=list)
    unanswered_written: list[str] = field(default_factory=list)
    edited_cells: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (bool(self.parts) and all(p.status == "passed" for p in self.parts)
                and not self.edited_cells)


def _describe_error(error: dict) -> str:
    value = str(error.get("evalue", ""))
    # IPython names a cell's code after a temporary file: "(3591226587.py, line 1)"
    value = re.sub(r"\(\d+\.py, (line \d+)\)", r"(\1)", value)
    return f"{error.get('ename', 'Error')}: {value}".strip().rstrip(":")


def _timed_out(error: dict | None) -> bool:
    return bool(error) and error.get("ename") == "KeyboardInterrupt"


def _answer_status(answer, timeout: int) -> tuple[str, str] | None:
    """What went wrong in an answer cell, or None."""
    grade_id = _nbgrader(answer).get("grade_id", "?")
    error = _error(answer)
    if error is None:
        return None
    if _timed_out(error):
        return ("timed out", f"your answer cell `{grade_id}` ran for {timeout} s "
                             "without finishing (an infinite loop?)")
    if error.get("ename") == "NotImplementedError":
        return ("not answered", f"`{grade_id}` is not answered yet (it still raises "
                                "NotImplementedError)")
    return ("answer error", f"your answer cell `{grade_id}` raised "
                            f"{_describe_error(error)}")


def validate(path: str | Path, timeout: int = CELL_TIMEOUT_S) -> Report:
    """Execute the notebook at ``path`` in a fresh kernel and report every part.

    Every cell may run ``timeout`` seconds; a cell that runs longer is interrupted and
    the remaining cells still run.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no notebook at {path}: expected a path like "
            "exercises/02_hopfield/02_hopfield.ipynb (from the repository root)")
    nb = nbformat.read(path, as_version=4)
    report = Report()
    report.edited_cells = [_nbgrader(c)["grade_id"] for c in nb.cells if _edited(c)]
    client = NotebookClient(nb, timeout=timeout, interrupt_on_timeout=True,
                            allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.log.setLevel(logging.CRITICAL)       # the report below says what happened
    died = None
    try:
        client.execute()
    except DeadKernelError as error:
        died = str(error).strip().splitlines()[0] if str(error).strip() else "it died"

    answers = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if meta.get("solution") and cell.cell_type == "code":
            answers.append(cell)
            continue
        if meta.get("solution") and cell.cell_type == "markdown":
            if "YOUR ANSWER HERE" in cell.source:
                report.unanswered_written.append(meta.get("grade_id", "?"))
            continue
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        grade_id = meta.get("grade_id", "?")
        part = Part(grade_id, "passed", edited=grade_id in report.edited_cells)
        problems = [s for s in (_answer_status(a, timeout) for a in answers) if s]
        error = _error(cell)
        if died and "outputs" in cell and not cell.get("execution_count"):
            part.status, part.message = "not run", f"the kernel stopped ({died})"
        elif problems:
            part.status, part.message = problems[0]
        elif _timed_out(error):
            part.status = "timed out"
            part.message = f"the test ran for {timeout} s without finishing " \
                           "(an infinite loop in a function it calls?)"
        elif error is not None and error.get("ename") == "NotImplementedError":
            part.status = "not answered"
            names = [_nbgrader(a).get("grade_id", "?") for a in answers]
            part.message = (f"`{'`, `'.join(names)}` still raises NotImplementedError"
                            if names else "a function it calls still raises "
                            "NotImplementedError")
        elif error is not None:
            part.status, part.message = "failed", _describe_error(error)
        report.parts.append(part)
        answers = []
    return report


def print_report(report: Report, path, timeout: int) -> None:
    print(f"Checking {path} in a fresh kernel (at most {timeout} s per cell)")
    width = max((len(p.status) for p in report.parts), default=6) + 2
    for part in report.parts:
        line = f"  {part.status.upper():<{width}}{part.grade_id}"
        if part.message:
            line += f": {part.message}"
        print(line)
        if part.edited:
            print(f"  {'EDITED':<{width}}{part.grade_id}: this test cell was edited; "
                  "the grader uses the original")
    for grade_id in report.edited_cells:
        if grade_id not in {p.grade_id for p in report.parts}:
            print(f"  {'EDITED':<{width}}{grade_id}: this locked cell was edited; the "
                  "grader uses the original")
    if report.unanswered_written:
        print("Written answers still to write: " + ", ".join(report.unanswered_written))
    passed = sum(p.status == "passed" for p in report.parts)
    summary = f"Visible tests passed: {passed} of {len(report.parts)}"
    if report.edited_cells:
        summary += "; edited locked cells count as not passed: restore them"
    print(summary)


# --- the instructor's steps -----------------------------------------------------------

def _run_nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    nbgrader = Path(sys.executable).with_name("nbgrader")
    command = [str(nbgrader) if nbgrader.exists() else "nbgrader", *args]
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(command, cwd=course, env=env, capture_output=True, text=True)


def _gradebook(course: Path):
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}")


def _submissions(course: Path, assignment: str) -> list[str]:
    folder = course / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def edited_test_cells(course: Path, assignment: str, student: str) -> list[str]:
    """The locked cells of a student's submission that differ from exercises/."""
    from nbgrader.utils import compute_checksum

    edited = []
    for released in sorted((course / "exercises" / assignment).glob("*.ipynb")):
        submitted = course / "submitted" / student / assignment / released.name
        if not submitted.exists():
            continue
        original = {_nbgrader(c).get("grade_id"): c
                    for c in nbformat.read(released, as_version=4).cells
                    if _nbgrader(c).get("locked")}
        for cell in nbformat.read(submitted, as_version=4).cells:
            grade_id = _nbgrader(cell).get("grade_id")
            if grade_id in original and cell.cell_type == original[grade_id].cell_type:
                if compute_checksum(cell) != compute_checksum(original[grade_id]):
                    edited.append(grade_id)
    return edited


CHECKSUM_LINE = re.compile(r"Attribute 'checksum' for cell (\S+) has changed!")
SUBMISSION_LINE = re.compile(r"submitted[/\\]([^/\\]+)[/\\]")


def _filtered_log(text: str, edited: dict[str, list[str]]) -> list[str]:
    """nbgrader's log without its false 'checksum has changed' alarms."""
    kept, student = [], None
    for line in text.splitlines():
        found = SUBMISSION_LINE.search(line)
        if found and "Sanitizing" in line:
            student = found.group(1)
        alarm = CHECKSUM_LINE.search(line)
        if alarm and alarm.group(1) not in edited.get(student, []):
            continue
        if "| INFO]" in line:
            continue
        kept.append(line)
    return kept


def autograde(assignment: str, course: str | Path = ".") -> int:
    """Register, autograde and summarise; returns nbgrader's exit status."""
    course = Path(course).resolve()
    (course / ".nbgrader").mkdir(exist_ok=True)
    students = _submissions(course, assignment)
    if not students:
        print(f"No submissions of {assignment}: put each at "
              f"submitted/<student>/{assignment}/{assignment}.ipynb")
        return 1
    registered = _run_nbgrader(course, "generate_assignment", assignment, "--force")
    if registered.returncode:
        print(registered.stdout + registered.stderr)
        print(f"Could not register {assignment} from solutions/{assignment}/ "
              "(see above)")
        return registered.returncode
    edited = {s: edited_test_cells(course, assignment, s) for s in students}
    graded = _run_nbgrader(course, "autograde", assignment, "--force")
    for line in _filtered_log(graded.stdout + graded.stderr, edited):
        print(line)
    print(f"Autograded {assignment}: {len(students)} submission(s)")
    for student in students:
        print("  " + _student_summary(course, assignment, student, edited[student]))
    return graded.returncode


def _student_summary(course, assignment, student, edited) -> str:
    autograded = list((course / "autograded" / student / assignment).glob("*.ipynb"))
    if not autograded:
        return (f"{student:<16} NOT GRADED: no autograded notebook (see the messages "
                "above)")
    with _gradebook(course) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except Exception:
            return (f"{student:<16} NOT GRADED: not in the gradebook (see the errors "
                    "above)")
        line = f"{student:<16} {submission.score:g} / {submission.max_score:g}"
        manual = [g.name for nb in submission.notebooks for g in nb.grades
                  if g.needs_manual_grade]
    if manual:
        line += f"   needs manual grading: {', '.join(manual)}"
    if edited:
        line += (f"   edited locked cells (the grader used the originals): "
                 f"{', '.join(edited)}")
    return line


def check(course: str | Path = ".", assignment: str | None = None) -> list[str]:
    """Warnings to read before exporting grades or writing feedback."""
    course = Path(course).resolve()
    warnings = []
    if not (course / ".nbgrader" / "gradebook.db").exists():
        return ["no gradebook yet (.nbgrader/gradebook.db): run make autograde "
                "ASSIGNMENT=<id> first"]
    assignments = [assignment] if assignment else sorted(
        {p.name for s in (course / "submitted").glob("*") for p in s.glob("*")
         if p.is_dir()} if (course / "submitted").is_dir() else [])
    for a in assignments:
        for student in _submissions(course, a):
            if not list((course / "autograded" / student / a).glob("*.ipynb")):
                warnings.append(f"{student} submitted {a} but has no autograded "
                                "notebook, so the export leaves it out (run make "
                                f"autograde ASSIGNMENT={a}, then read its log)")
    with _gradebook(course) as gradebook:
        for a in gradebook.assignments:
            if assignment and a.name != assignment:
                continue
            for submission in a.submissions:
                manual = [g.name for nb in submission.notebooks for g in nb.grades
                          if g.needs_manual_grade]
                if manual:
                    warnings.append(f"{submission.student.id}'s {a.name} still needs "
                                    f"manual grading ({', '.join(manual)}): grade it "
                                    "in the formgrader (make formgrader) first")
    return warnings


def _part_titles(course: Path, assignment: str, notebook: str) -> dict[str, str]:
    """grade_id of each graded cell -> the title of the part it belongs to."""
    path = course / "exercises" / assignment / notebook
    if not path.exists():
        return {}
    titles, current = {}, None
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            heading = re.search(r"^##\s+(.+?)\s*$", cell.source, re.M)
            if heading:
                current = re.sub(r"\s*\(\s*\d+(?:\.\d+)?\s+points?[^)]*\)\s*$", "",
                                 heading.group(1))
        meta = _nbgrader(cell)
        if meta.get("grade") and current:
            kind = "written answer" if cell.cell_type == "markdown" else "tests"
            titles[meta["grade_id"]] = f"{current} ({kind})"
    return titles


def feedback(assignment: str, course: str | Path = ".") -> int:
    """nbgrader's feedback, with every part named in each page's summary."""
    course = Path(course).resolve()
    for warning in check(course, assignment):
        print(f"WARNING: {warning}")
    result = _run_nbgrader(course, "generate_feedback", assignment, "--force")
    for line in (result.stdout + result.stderr).splitlines():
        if "| INFO]" not in line:
            print(line)
    pages = sorted((course / "feedback").glob(f"*/{assignment}/*.html"))
    for page in pages:
        titles = _part_titles(course, assignment, page.with_suffix(".ipynb").name)
        text = page.read_text(encoding="utf-8")
        for grade_id, title in titles.items():
            text = re.sub(rf'(<a href="#{re.escape(grade_id)}">)(Test cell|Written '
                          rf'response|Coding free-response)(</a>)',
                          lambda m, t=title: m.group(1) + t + m.group(3), text)
        page.write_text(text, encoding="utf-8")
    print(f"Feedback for {assignment}: {len(pages)} page(s) in feedback/")
    return result.returncode


class FeedbackWithoutHiddenTests(ClearHiddenTests):
    """nbgrader feedback preprocessor: learners see which tests passed and why, not the
    hidden tests.

    Autograding runs the instructor's full test cells, hidden tests included, and a
    failed test's traceback quotes the failing line. For the feedback, each test cell's
    hidden-test region is replaced by one comment line that says where it was, and each
    error output keeps only its last line (``AssertionError: energy is wrong for N=3``).
    Used by ``nbgrader generate_feedback`` (see nbgrader_config.py).
    """

    # Declared so that the HTML exporter's default of this option for every nbconvert
    # class is recognised here too (otherwise traitlets warns on every feedback run).
    display_data_priority = List(Unicode()).tag(config=True)

    def _remove_hidden_test_region(self, cell) -> bool:
        lines, kept, inside, removed = cell.source.split("\n"), [], False, False
        for line in lines:
            if self.begin_test_delimeter in line:
                inside = removed = True
                kept.append(line[: len(line) - len(line.lstrip())] + HIDDEN_TESTS_MARK)
            elif self.end_test_delimeter in line:
                inside = False
            elif not inside:
                kept.append(line)
        if inside:
            raise RuntimeError("No end hidden tests statement found")
        cell.source = "\n".join(kept)
        return removed

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if (
            cell.get("metadata", {}).get("nbgrader", {}).get("grade")
            and cell.cell_type == "code"
        ):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [
                        f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                    ]
        return cell, resources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rnncourse.grading",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check_nb = sub.add_parser("validate", help="run a notebook and report every part")
    check_nb.add_argument("notebook", nargs="?")
    check_nb.add_argument("--timeout", type=int, default=CELL_TIMEOUT_S,
                          help=f"seconds each cell may run (default {CELL_TIMEOUT_S})")
    for name, text in (("autograde", "autograde every submission of an assignment"),
                       ("feedback", "write HTML feedback for every graded student")):
        command = sub.add_parser(name, help=text)
        command.add_argument("assignment")
        command.add_argument("--course", default=".", help="course directory")
    warn = sub.add_parser("check", help="warn about ungraded or unfinished submissions")
    warn.add_argument("assignment", nargs="?")
    warn.add_argument("--course", default=".", help="course directory")
    args = parser.parse_args(argv)

    if args.command == "validate":
        if not args.notebook:
            print(USAGE, file=sys.stderr)
            return 2
        try:
            report = validate(args.notebook, timeout=args.timeout)
        except FileNotFoundError as error:
            print(error, file=sys.stderr)
            return 2
        print_report(report, args.notebook, args.timeout)
        return 0 if report.ok else 1
    if args.command == "autograde":
        return autograde(args.assignment, args.course)
    if args.command == "feedback":
        return feedback(args.assignment, args.course)
    warnings = check(args.course, args.assignment)
    for warning in warnings:
        print(f"WARNING: {warning}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
