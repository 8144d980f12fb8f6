"""The README's instructor table and learner steps, walked as a newcomer would.

A temporary course holds what a fresh clone has: nbgrader_config.py, one assignment's
solutions/ and the committed exercises/, and no gradebook. Every command is the one the
README documents, run with the repository's Makefile in that course
(`make -f <repo>/Makefile -C <course> ...`, which uses the repository's .venv):

- instructor: collect -> `make autograde` (as the first step) -> `make formgrader` (the
  manual-grade step: the formgrader answers, then a written answer gets its score as the
  formgrader would set it) -> `make feedback` -> `make grades`;
- learner: `make validate` on a complete, a hanging, an edited and a syntax-error
  notebook, without NOTEBOOK=, and `python -m rnncourse.grading validate` in the current
  environment.

Each step's exit status and output are checked, and no output carries the noise these
commands used to print (the kernel's TCP warning, SQLAlchemy's SAWarning, nbgrader's
false checksum alarms, an unknown config option, a traceback).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

import grading_harness as harness
from conftest import BIN, REPO

ASSIGNMENT = "05_gradients"
README = (REPO / "README.md").read_text(encoding="utf-8")
NOISE = ["running over TCP without encryption", "SAWarning", "display_data_priority",
         "Traceback", "not recognized"]


def make(course, *args, timeout=900):
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "-f",
            str(REPO / "Makefile"),
            "-C",
            str(course),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def output(result) -> str:
    return result.stdout + result.stderr


def assert_quiet(result):
    text = output(result)
    for noise in NOISE:
        assert noise not in text, f"{noise!r} in the output:\n{text}"


def answer_and_test_ids(notebook):
    cells = [c.metadata.get("nbgrader", {}) for c in notebook.cells]
    answers = [m["grade_id"] for c, m in zip(notebook.cells, cells)
               if m.get("solution") and c.cell_type == "code"]
    tests = [m["grade_id"] for m in cells if m.get("grade") and not m.get("solution")]
    return answers, tests


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """What a fresh clone holds for one assignment, with five collected submissions."""
    root = tmp_path_factory.mktemp("readme_course")
    shutil.copy(REPO / "nbgrader_config.py", root)
    for folder in ("solutions", "exercises"):
        shutil.copytree(REPO / folder / ASSIGNMENT, root / folder / ASSIGNMENT)
    assert not (root / ".nbgrader").exists()
    name = f"{ASSIGNMENT}.ipynb"
    complete = filled(root)
    answers, tests = answer_and_test_ids(complete)
    edited = nbformat.from_dict(complete)
    test_cell = harness.cell(edited, tests[1])
    test_cell.source = re.sub(r"^(\s*)(assert|np\.testing\.\w+)\b.*$", r"\1pass",
                              test_cell.source, flags=re.M)
    submissions = {
        "complete": complete,
        "edited-test": edited,
        "syntax-error": harness.with_answer(complete, answers[-1],
                                            f"def {answers[-1]}(\n    return 1"),
        "untouched": harness.student_version(root, ASSIGNMENT, name),
    }
    for student, nb in submissions.items():
        harness.submit(root, ASSIGNMENT, student, {name: nb})
    (root / "submitted" / "empty-folder" / ASSIGNMENT).mkdir(parents=True)
    hanging = harness.with_answer(
        complete,
        answers[0],
        f"def {answers[0]}(*args, **kwargs):\n    while True:\n        pass",
    )
    nbformat.write(hanging, root / "hanging.ipynb")
    return root, answers, tests


def filled(root):
    """The released notebook with the solution's answers (the harness needs a course
    with a generated assignment; this course has none yet, as after a fresh clone)."""
    source = nbformat.read(root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                           as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(root / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                       as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = "\n".join(
                line
                for line in answers[meta["grade_id"]].splitlines()
                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
            )
    return nb


def test_the_readme_documents_these_commands():
    for command in ("make autograde ASSIGNMENT=<id>", "make formgrader",
                    "make feedback ASSIGNMENT=<id>", "make grades",
                    "make validate NOTEBOOK=exercises/02_hopfield/02_hopfield.ipynb",
                    "python -m rnncourse.grading validate exercises/", "make lab",
                    "submitted/<student>/<id>/<id>.ipynb"):
        assert command in README, f"the README no longer documents {command!r}"
    assert "nbgrader formgrader" not in README, "nbgrader has no formgrader subcommand"


def test_reading_the_config_creates_nothing(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    code = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    from traitlets.config import Config

    config = Config()
    exec(
        compile(code, str(tmp_path / "nbgrader_config.py"), "exec"),
        {
            "get_config": lambda: config,
            "__file__": str(tmp_path / "nbgrader_config.py"),
        },
    )
    assert not (tmp_path / ".nbgrader").exists()
    assert config.Exchange.root == str(tmp_path / ".nbgrader" / "exchange")


@pytest.fixture(scope="module")
def autograded(course):
    root, _, _ = course
    result = make(root, "autograde", f"ASSIGNMENT={ASSIGNMENT}")
    return root, result


def test_autograde_is_the_first_step_after_collecting(autograded, course):
    root, result = autograded
    _, _, tests = course
    text = output(result)
    assert result.returncode == 0, text
    assert_quiet(result)
    assert "No assignment with ID" not in text
    lines = {line.split()[0]: line for line in text.splitlines()
             if line.startswith("  ") and line.split()}
    total = sum(max_score for _, max_score in
                harness.scores(root, ASSIGNMENT, "complete").values())
    assert f"{total:g} / " in lines["complete"], text
    assert (
        "edited locked cells" in lines["edited-test"]
        and tests[1] in lines["edited-test"]
    )
    assert "edited" not in lines["complete"] and "edited" not in lines["untouched"]
    assert "NOT GRADED" in lines["empty-folder"]
    # the false alarm for every unedited test cell is gone; the real edit is still
    # logged
    alarms = re.findall(r"Attribute 'checksum' for cell (\S+) has changed", text)
    assert alarms == [tests[1]], alarms


def test_grades_warn_before_manual_grading_then_export(autograded):
    root, _ = autograded
    before = make(root, "grades")
    assert before.returncode == 0, output(before)
    assert_quiet(before)
    assert "still needs manual grading" in output(before)
    assert "empty-folder submitted" in output(before)
    assert (root / "grades.csv").exists()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manual_grade_ids(root):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root}/.nbgrader/gradebook.db") as gradebook:
        return [(grade.id, grade.max_score)
                for submission in gradebook.find_assignment(ASSIGNMENT).submissions
                for notebook in submission.notebooks for grade in notebook.grades
                if grade.needs_manual_grade]


def test_formgrader_serves_and_its_manual_grades_count(autograded):
    """`make formgrader` starts JupyterLab with the formgrader; the written answers get
    their scores through the formgrader's own API, as its grading page sends them."""
    root, _ = autograded
    port, token = free_port(), "readme-flow-test"
    args = (f"JUPYTER_ARGS=--no-browser --port={port} --ServerApp.ip=127.0.0.1 "
            f"--IdentityProvider.token={token}"
            + (" --allow-root" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""))
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    server = subprocess.Popen(["make", "-s", "-f", str(REPO / "Makefile"),
                               "-C", str(root), "formgrader", args],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page, deadline = None, time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                page = opener.open(f"{base}/formgrader?token={token}", timeout=10)
                break
            except OSError:
                time.sleep(1)
        assert page is not None, f"no formgrader:\n{server.stdout.read()}"
        assert page.geturl().endswith("/formgrader/manage_assignments"), page.geturl()
        assert "Manage Assignments" in page.read().decode()
        lab = opener.open(f"{base}/assignments?course_id=", timeout=10)
        assert b'"success": true' in lab.read(), "JupyterLab's Assignments panel fails"
        to_grade = manual_grade_ids(root)
        assert to_grade, "the written answers should wait for manual grading"
        for grade_id, max_score in to_grade:
            request = urllib.request.Request(
                f"{base}/formgrader/api/grade/{grade_id}", method="PUT",
                data=json.dumps({"manual_score": max_score}).encode(),
                headers={"Authorization": f"token {token}"})
            assert (
                json.load(opener.open(request, timeout=30))["manual_score"] == max_score
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert not manual_grade_ids(root)
    after = make(root, "grades")
    assert "still needs manual grading" not in output(after), output(after)


def test_feedback_names_the_parts_and_marks_the_hidden_tests(autograded):
    root, _ = autograded
    result = make(root, "feedback", f"ASSIGNMENT={ASSIGNMENT}")
    assert result.returncode == 0, output(result)
    assert_quiet(result)
    page = (
        root / "feedback" / "complete" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    ).read_text()
    summary = re.findall(r'<li><a href="#[^"]+">([^<]+)</a>', page)
    assert summary and not any(item == "Test cell" for item in summary), summary
    assert all(item.startswith("Part ") for item in summary), summary
    assert "hidden tests: the grader ran them here" in page


def validate(course, notebook):
    return make(course, "validate", f"NOTEBOOK={notebook}", "TIMEOUT=8")


def test_validate_a_complete_notebook(autograded):
    root, _ = autograded
    result = validate(root, f"submitted/complete/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    assert result.returncode == 0, output(result)
    assert_quiet(result)
    assert "FAILED" not in output(result) and "PASSED" in output(result)


def test_validate_reports_every_part_of_a_hanging_notebook(course):
    root, answers, tests = course
    result = validate(root, "hanging.ipynb")
    text = output(result)
    assert result.returncode != 0
    assert_quiet(result)
    assert "TIMED OUT" in text and "infinite loop" in text
    for test_id in tests:
        assert test_id in text, f"{test_id} is not reported:\n{text}"
    assert text.count("PASSED") == len(tests) - 1, text


def test_validate_detects_an_edited_test_cell(course):
    root, _, tests = course
    result = validate(root, f"submitted/edited-test/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    text = output(result)
    assert result.returncode != 0, text
    assert (
        "EDITED" in text and tests[1] in text and "the grader uses the original" in text
    )


def test_validate_reports_a_syntax_error_in_an_answer_cell(course):
    root, answers, tests = course
    result = validate(root, f"submitted/syntax-error/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    text = output(result)
    assert result.returncode != 0
    assert "ANSWER ERROR" in text and "SyntaxError" in text and answers[-1] in text
    assert "NameError" not in text


def test_validate_says_not_answered_and_lists_written_parts(course):
    root, _, _ = course
    result = validate(root, f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    text = output(result)
    assert result.returncode != 0
    assert "NOT ANSWERED" in text and "Written answers still to write" in text


def test_validate_without_a_notebook_prints_one_line_of_usage(course):
    root, _, _ = course
    result = make(root, "validate")
    assert result.returncode != 0
    assert "usage: make validate NOTEBOOK=" in output(result)
    assert "Traceback" not in output(result)
    assert len(output(result).strip().splitlines()) == 1, output(result)


def test_the_check_runs_in_the_current_environment_without_make(course):
    root, _, _ = course
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rnncourse.grading",
            "validate",
            f"submitted/complete/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
            "--timeout",
            "60",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, output(result)
    missing = subprocess.run([sys.executable, "-m", "rnncourse.grading", "validate"],
                             cwd=root, capture_output=True, text=True)
    assert missing.returncode == 2 and "usage:" in missing.stderr
