# The course's commands. A fresh clone needs only `make book` and `make test`:
# both create .venv from the pinned requirements.txt on first use.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
# nbgrader needs `alembic` (and the kernels need the venv's python) on PATH.
RUN := PATH="$(BIN):$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)"
JOBS ?= 2
ASSIGNMENT ?= 02_hopfield

.PHONY: help venv book test exercises validate autograde feedback grades checkpoints lock clean

help:
	@echo "make book        build the HTML book into _build/html (executes every chapter)"
	@echo "make test        lint (ruff), unit tests, notebook checks (nbval), grading round trips"
	@echo "make exercises   regenerate the student notebooks in exercises/ from solutions/"
	@echo "make validate NOTEBOOK=path   run a notebook's visible tests; exits non-zero on failure"
	@echo "make autograde ASSIGNMENT=id  autograde submitted/<student>/<id>/ into the gradebook"
	@echo "make feedback ASSIGNMENT=id   write HTML feedback for every graded student"
	@echo "make grades      export the gradebook to grades.csv"
	@echo "make checkpoints retrain every shipped checkpoint from scratch (slow)"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "rnncourse needs Python 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e . || $(BIN)/python -m pip install --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

book: $(STAMP)
	$(RUN) jupyter-book build . -W -n --keep-going
	$(RUN) RNNCOURSE_REQUIRE_BUILD=1 python -m pytest -q -p no:cacheprovider tests/test_built_book.py tests/test_browser.py
	@echo "The book is in _build/html/index.html"

# Two test processes at once: one BLAS/OpenMP thread each, instead of two fighting over each core.
test: $(STAMP)
	$(RUN) ruff check .
	$(RUN) OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 python -m pytest -n $(JOBS) --dist loadfile --nbval-lax tests book solutions

exercises: $(STAMP)
	$(RUN) nbgrader generate_assignment $(ASSIGNMENT) --force

validate: $(STAMP)
	$(RUN) python -m rnncourse.grading validate "$(NOTEBOOK)"

autograde: $(STAMP)
	$(RUN) nbgrader autograde $(ASSIGNMENT) --force

feedback: $(STAMP)
	$(RUN) nbgrader generate_feedback $(ASSIGNMENT) --force

grades: $(STAMP)
	$(RUN) nbgrader export --to grades.csv

checkpoints: $(STAMP)
	$(RUN) python -m rnncourse.checkpoints --retrain

lock:
	rm -rf /tmp/rnncourse-lock && $(PYTHON) -m venv /tmp/rnncourse-lock
	/tmp/rnncourse-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned environment for building the book and running the tests (Python 3.11)."; \
	  echo "# Generated from requirements.in by 'make lock'; do not edit by hand."; \
	  /tmp/rnncourse-lock/bin/pip freeze --exclude-editable | sed 's/^torch==\(.*\)+cpu$$/torch==\1/'; } > requirements.txt

clean:
	rm -rf _build .pytest_cache
