"""nbgrader configuration for the course's graded assignments.

Layout (nbgrader's names in brackets):
  solutions/<id>/<id>.ipynb        the instructor's notebook with solutions and hidden
  tests [source] exercises/<id>/<id>.ipynb        the student version, generated and
  committed         [release] submitted/<student>/<id>/        collected submissions
  [submitted] autograded/, feedback/           nbgrader's output; the gradebook is
  .nbgrader/gradebook.db
Nothing but solutions/ and exercises/ is committed.
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(
    ROOT, ".nbgrader", "gradebook.db"
)
os.makedirs(os.path.join(ROOT, ".nbgrader"), exist_ok=True)

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
