"""`make book`'s parallel pre-execution: a kernel that fails to start is started again,
and no failure of one notebook stops the others (the build executes it itself)."""

import importlib.util
import types
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "execute_parallel", REPO / "_ext" / "execute_parallel.py")
execute_parallel = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_parallel)


def write_notebook(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]),
                   path)
    return str(path)


def test_a_kernel_that_does_not_start_is_started_again(tmp_path, monkeypatch):
    calls = []

    def flaky(notebook, **kwargs):
        calls.append(kwargs["cwd"])
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")
        return types.SimpleNamespace(err=None, time=1.5)

    monkeypatch.setattr(execute_parallel, "single_nb_execution", flaky)
    monkeypatch.setattr(execute_parallel.time, "sleep", lambda s: None)
    notebook, seconds, error = execute_parallel.execute(write_notebook(tmp_path), 60,
                                                        False)
    assert len(calls) == 2 and error is None and seconds == 1.5
    assert notebook.cells[0].source == "1"


def test_failures_come_back_as_errors_not_exceptions(tmp_path, monkeypatch):
    def never_starts(notebook, **kwargs):
        raise RuntimeError("Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(execute_parallel, "single_nb_execution", never_starts)
    monkeypatch.setattr(execute_parallel.time, "sleep", lambda s: None)
    path = write_notebook(tmp_path)
    _, _, error = execute_parallel.execute(path, 60, False, attempts=2)
    assert "Kernel didn't respond" in error

    def broken(notebook, **kwargs):
        raise ValueError("bad notebook")

    monkeypatch.setattr(execute_parallel, "single_nb_execution", broken)
    _, _, error = execute_parallel.execute(path, 60, False)
    assert error == "ValueError: bad notebook"

    def cell_error(notebook, **kwargs):
        return types.SimpleNamespace(err=NameError("x"), time=0.1)

    monkeypatch.setattr(execute_parallel, "single_nb_execution", cell_error)
    _, _, error = execute_parallel.execute(path, 60, False)
    assert error == "NameError: x"
