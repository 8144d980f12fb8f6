"""nbgrader configuration for the course's graded assignments.

Layout (nbgrader's names in brackets):

    solutions/<id>/<id>.ipynb      the instructor's notebooks: solutions, hidden tests
                                   [source]
    exercises/<id>/<id>.ipynb      the student versions, generated and committed
                                   [release]
    submitted/<student>/<id>/      collected submissions [submitted]
    autograded/, feedback/         nbgrader's output
    .nbgrader/gradebook.db         the gradebook; .nbgrader/exchange/ the local exchange

Nothing but solutions/ and exercises/ is committed. Reading this file creates nothing:
the Makefile's targets create .nbgrader/ where they need it.
"""

import os
import warnings

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(
    ROOT, ".nbgrader", "gradebook.db"
)

# nbgrader's exchange (release/collect through JupyterLab) lives in the course, not in
# /usr/local/share, so that JupyterLab's Assignments panel does not fail on an
# unwritable system folder. On a JupyterHub with a shared exchange, set its path here.
c.Exchange.root = os.path.join(ROOT, ".nbgrader", "exchange")

# Student versions: replace solution regions, drop hidden tests, keep no outputs.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearOutputPreprocessor.enabled = True

# Feedback: pass/fail and error messages, never the hidden tests' code.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

from rnncourse.grading import FeedbackWithoutHiddenTests  # noqa: E402

c.GenerateFeedback.preprocessors = [
    GetGrades,
    FeedbackWithoutHiddenTests,
    CSSHTMLHeaderPreprocessor,
]

# Autograding: a cell that runs forever scores zero for its part instead of hanging the
# grader.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# nbgrader 0.9 adds a new submission to the session after a query that autoflushes;
# SQLAlchemy warns that the pending object is "not in session" and then adds it anyway.
# The gradebook is right (the grading tests read it back); the warning is noise.
try:
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", message=r".* not in session, add operation along",
                            category=SAWarning)
except ImportError:  # pragma: no cover - nbgrader always brings SQLAlchemy
    pass
