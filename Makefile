# The course's commands. A fresh clone needs only `make book` and `make test`:
# both create .venv from the pinned requirements.txt on first use.
#
# The grading targets work on the course directory they are run in (the repository
# root, or a copy of it: `make -f <repo>/Makefile -C <course> autograde ASSIGNMENT=...`);
# the environment is always the repository's .venv.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
REPO := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
VENV ?= $(REPO)/.venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# nbgrader needs `alembic` (and the kernels need the venv's python) on PATH.
RUN := PATH="$(BIN):$$PATH" VIRTUAL_ENV="$(VENV)"
JOBS ?= 2
TIMEOUT ?= 120
# Extra options for JupyterLab (make lab / make formgrader), e.g. --port=8890.
JUPYTER_ARGS ?=

.PHONY: help venv book test exercises validate autograde feedback grades lab formgrader \
	checkpoints lock clean

help:
	@echo "make book        build the HTML book into _build/html (executes every chapter)"
	@echo "make test        lint (ruff), unit tests, notebook checks, grading round trips"
	@echo "make lab         JupyterLab from the repository root (chapters, assignments)"
	@echo "make validate NOTEBOOK=path   check a notebook's visible tests, part by part"
	@echo "make exercises ASSIGNMENT=id  regenerate exercises/<id>/ from solutions/<id>/"
	@echo "make autograde ASSIGNMENT=id  autograde submitted/<student>/<id>/"
	@echo "make formgrader  JupyterLab's formgrader, to grade written answers by hand"
	@echo "make feedback ASSIGNMENT=id   write HTML feedback for every graded student"
	@echo "make grades      export the gradebook to grades.csv"
	@echo "make checkpoints retrain every shipped checkpoint from scratch (slow)"

$(STAMP): $(REPO)/requirements.txt $(REPO)/pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "rnncourse needs Python 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install -r $(REPO)/requirements.txt
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e $(REPO) \
		|| $(BIN)/python -m pip install --no-deps -e $(REPO)
	@# Kernels of this environment log errors only: ipykernel warns on every start that
	@# the local TCP transport between the kernel and its client is unencrypted.
	mkdir -p $(VENV)/etc/ipython
	printf 'c.IPKernelApp.log_level = "ERROR"\n' > $(VENV)/etc/ipython/ipython_kernel_config.py
	touch $(STAMP)

venv: $(STAMP)

# The chapters execute $(JOBS) at a time into the build's cache, then the build renders them.
book: $(STAMP)
	$(RUN) python _ext/execute_parallel.py --jobs $(JOBS)
	$(RUN) jupyter-book build . -W -n --keep-going
	$(RUN) RNNCOURSE_REQUIRE_BUILD=1 python -m pytest -q -p no:cacheprovider tests/test_built_book.py tests/test_browser.py
	@echo "The book is in _build/html/index.html"

# Two test processes at once: one BLAS/OpenMP thread each, instead of two fighting over each core.
# A file runs in one process, the grading tests one process per assignment (tests/conftest.py).
test: $(STAMP)
	$(RUN) ruff check .
	$(RUN) OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 python -m pytest -n $(JOBS) --dist loadfile --nbval-lax tests book solutions

# JupyterLab's nbgrader panels look for the course's exchange (nbgrader_config.py).
lab: $(STAMP)
	mkdir -p .nbgrader/exchange
	$(RUN) jupyter lab $(JUPYTER_ARGS)

# A target that needs a notebook or an assignment says so in one line, before anything runs.
ifneq ($(filter validate,$(MAKECMDGOALS)),)
ifeq ($(NOTEBOOK),)
$(error usage: make validate NOTEBOOK=exercises/<id>/<id>.ipynb (the path from the repository root))
endif
endif
ifneq ($(filter exercises autograde feedback,$(MAKECMDGOALS)),)
ifeq ($(ASSIGNMENT),)
$(error usage: make $(filter exercises autograde feedback,$(MAKECMDGOALS)) ASSIGNMENT=<id>, e.g. ASSIGNMENT=02_hopfield)
endif
endif

# The learner's check. It runs in the current Python where rnncourse is already
# installed (Binder, a JupyterHub) and in .venv otherwise.
validate:
	@if [ ! -f "$(STAMP)" ] && python3 -c "import rnncourse.grading" 2>/dev/null; then \
		python3 -m rnncourse.grading validate "$(NOTEBOOK)" --timeout $(TIMEOUT); \
	else \
		$(MAKE) -s --no-print-directory -f $(REPO)/Makefile venv >&2 && \
		$(RUN) python -m rnncourse.grading validate "$(NOTEBOOK)" --timeout $(TIMEOUT); \
	fi

exercises: $(STAMP)
	mkdir -p .nbgrader
	$(RUN) nbgrader generate_assignment $(ASSIGNMENT) --force

autograde: $(STAMP)
	@$(RUN) python -m rnncourse.grading autograde $(ASSIGNMENT)

formgrader: $(STAMP)
	mkdir -p .nbgrader/exchange
	$(RUN) jupyter lab --ServerApp.default_url=/formgrader $(JUPYTER_ARGS)

feedback: $(STAMP)
	@$(RUN) python -m rnncourse.grading feedback $(ASSIGNMENT)

grades: $(STAMP)
	@$(RUN) python -m rnncourse.grading check
	@$(RUN) nbgrader export --to grades.csv --log-level=WARN
	@echo "Grades exported to grades.csv"

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
