"""Execute the book's chapters in parallel, into the cache `jupyter-book build` reads.

Jupyter Book (``execute_notebooks: cache``) executes the notebooks one after another;
on a machine with several cores this runs them ``--jobs`` at a time, exactly as the
build would (the notebook's folder as working directory, the timeout and
``allow_errors`` of ``_config.yml``), and stores each executed notebook in
``_build/.jupyter_cache``. The build then finds every chapter there. A notebook that
fails is left out of the cache, so the build executes it again and reports its error
the usual way. With more than one job each kernel gets one BLAS/OpenMP thread (as
under ``make test``), so that the jobs do not fight over the cores.

    python _ext/execute_parallel.py [--jobs N]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import sys
import time
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "_build" / ".jupyter_cache"


def book_notebooks() -> list[Path]:
    """The notebooks of ``_toc.yml`` that the build executes (not the exercises)."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [
        entry["file"] for part in toc["parts"] for entry in part["chapters"]
    ]
    return [
        REPO / f"{name}.ipynb"
        for name in files
        if (REPO / f"{name}.ipynb").exists() and not name.startswith("exercises/")
    ]


def one_thread_each():
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def execute(path: str, timeout: int, allow_errors: bool, attempts: int = 3):
    """Execute one notebook: (executed notebook, seconds, error or None).

    Two kernels started at the same moment can pick the same free port, and then one
    of them never answers ("Kernel didn't respond"): such a start is tried again. Any
    other failure comes back as the error, for the build to execute the notebook itself.
    """
    error = None
    for attempt in range(attempts):
        notebook = nbformat.read(path, as_version=4)
        try:
            result = single_nb_execution(
                notebook,
                cwd=str(Path(path).parent),
                allow_errors=allow_errors,
                timeout=timeout,
                meta_override=True,
            )
        except RuntimeError as failure:        # the kernel did not start
            error = f"{type(failure).__name__}: {failure}"
            time.sleep(1 + attempt)
            continue
        except Exception as failure:
            return notebook, 0.0, f"{type(failure).__name__}: {failure}"
        if result.err is None:
            return notebook, result.time, None
        return notebook, result.time, f"{type(result.err).__name__}: {result.err}"
    return notebook, 0.0, error


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    timeout = int(config["execute"]["timeout"])
    allow_errors = bool(config["execute"]["allow_errors"])

    cache = get_cache(str(CACHE))
    todo = []
    for path in book_notebooks():
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            todo.append(path)
    print(f"{len(todo)} notebooks to execute, {args.jobs} at a time", flush=True)
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=args.jobs, initializer=one_thread_each if args.jobs > 1 else None
    ) as pool:
        futures = {
            pool.submit(execute, str(path), timeout, allow_errors): path
            for path in todo
        }
        for future in concurrent.futures.as_completed(futures):
            path = futures[future]
            try:
                notebook, seconds, error = future.result()
            except Exception as failure:           # the worker process itself died
                seconds, error = 0.0, f"{type(failure).__name__}: {failure}"
            name = path.relative_to(REPO)
            if error:
                print(f"{name}: failed ({error}); the build will run it again")
                continue
            record = cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(
                CacheBundleIn(
                    notebook, record.uri, data={"execution_seconds": seconds}
                ),
                check_validity=False,
                overwrite=True,
            )
            print(f"{name}: {seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
