"""Check a graded-assignment notebook the way a learner would: run it, report each test.

    python -m rnncourse.grading validate exercises/02_hopfield/02_hopfield.ipynb

runs the notebook top to bottom in a fresh kernel and prints, for every test cell,
whether it passed or the error it raised. It exits with status 0
only when every visible test passes. It runs only what is in the notebook: the hidden
tests that the instructor's grader adds are not there and are not revealed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbgrader.preprocessors import ClearHiddenTests

CELL_TIMEOUT_S = 120


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _error(cell) -> dict | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


def validate(
    path: str | Path, timeout: int = CELL_TIMEOUT_S
) -> list[tuple[str, str, str]]:
    """Execute the notebook at ``path``; return ``(grade_id, status, message)`` per
    graded cell.

    status is ``"passed"`` or ``"failed"``; message is the error a failed test raised.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no notebook at {path}: expected a path like "
            "exercises/02_hopfield/02_hopfield.ipynb"
        )
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    results = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        error = _error(cell)
        if error is None:
            results.append((meta.get("grade_id", "?"), "passed", ""))
        else:
            results.append(
                (
                    meta.get("grade_id", "?"),
                    "failed",
                    f"{error['ename']}: {error['evalue']}",
                )
            )
    return results


class FeedbackWithoutHiddenTests(ClearHiddenTests):
    """nbgrader feedback preprocessor: learners see which tests passed and why, not the
    hidden tests.

    Autograding runs the instructor's full test cells, hidden tests included, and a
    failed test's traceback quotes the failing line. For the feedback, each test cell
    loses its hidden-test region and each error output keeps only its last line
    (``AssertionError: energy is wrong for N=3``). Used by
    ``nbgrader generate_feedback`` (see nbgrader_config.py).
    """

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
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "validate", help="run a notebook and report its visible tests"
    )
    check.add_argument("notebook")
    args = parser.parse_args(argv)

    results = validate(args.notebook)
    for grade_id, status, message in results:
        print(
            f"{status.upper():>7}  {grade_id}" + (f"  ({message})" if message else "")
        )
    n_passed = sum(status == "passed" for _, status, _ in results)
    print(f"Visible tests passed: {n_passed} of {len(results)}")
    return 0 if results and n_passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
