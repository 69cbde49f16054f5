"""Real autograding: the lessons are valid nbgrader source notebooks. In a course folder in tmp_path,
``nbgrader generate_assignment`` releases every lesson; one student submits a correct and then a wrong
notebook for lesson 1; ``nbgrader autograde`` gives full marks on the autograded cells to the first and
fewer to the second, as the gradebook records."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from relations.handout import lessons
from relations.lessons import all_exercises

pytestmark = pytest.mark.slow
pytest.importorskip("nbgrader")

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])  # alembic
    env = {**os.environ, "PATH": path, "JUPYTER_CONFIG_DIR": str(course / ".jupyter")}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _submission(release: Path, source: Path, *, wrong: str | None = None) -> nbformat.NotebookNode:
    """The released notebook with the student's answers: the source's solutions (one made wrong)."""
    nb = nbformat.read(release, as_version=4)
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(source, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions and cell.metadata["nbgrader"].get("solution"):
            cell.source = solutions[grade_id].replace(BEGIN + "\n", "").replace("\n" + END, "")
            if grade_id == wrong:
                cell.source = re.sub(r"^(answer_\w+) = .*$", r"\1 = 3", cell.source, flags=re.M)
    return nb


def _scores(course: Path, assignment: str, student: str) -> tuple[float, float, float, list[str]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        sub = gb.find_submission(assignment, student)
        grades = [g for nb in sub.notebooks for g in nb.grades]
        auto = [g for g in grades if g.auto_score is not None]
        manual = sorted(g.name for g in grades if g.needs_manual_grade)
        return sum(g.auto_score for g in auto), sum(g.max_score for g in auto), sub.max_score, manual


def test_generate_submit_and_autograde(tmp_path):
    course = tmp_path / "course"
    (course / ".jupyter").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'relations'\n"
        "c.ExecutePreprocessor.timeout = 300\n"
    )
    names = []
    for path in lessons():
        name = f"lesson{int(path.name[:2])}"
        names.append(name)
        (course / "source" / name).mkdir(parents=True)
        shutil.copy(path, course / "source" / name / path.name)
        _nbgrader(course, "generate_assignment", name, "--force")
        released = nbformat.read(course / "release" / name / path.name, as_version=4)
        text = nbformat.writes(released)
        assert BEGIN not in text and "HIDDEN TESTS" not in text and "Model answer" not in text

    path = lessons()[0]
    release = course / "release" / "lesson1" / path.name
    exercises = [e for e in all_exercises().values() if e.lesson == 1]
    first = next(e for e in exercises if e.check == "number")
    written = sorted(e.grade_id for e in exercises if e.check == "written")
    _nbgrader(course, "db", "student", "add", "student1")
    submitted = course / "submitted" / "student1" / "lesson1"

    results = {}
    for label, wrong in (("correct", None), ("wrong", first.grade_id)):
        submitted.mkdir(parents=True, exist_ok=True)
        nbformat.write(_submission(release, path, wrong=wrong), submitted / path.name)
        _nbgrader(course, "autograde", "lesson1", "--student", "student1", "--force")
        results[label] = _scores(course, "lesson1", "student1")

    score, auto_max, total_max, manual = results["correct"]
    assert auto_max == sum(e.points for e in exercises if e.check != "written") > 0
    assert score == auto_max, "full marks on every autograded cell"
    assert total_max == sum(e.points for e in exercises)
    assert manual == written, "written answers wait for the teacher"
    wrong_score = results["wrong"][0]
    assert wrong_score == auto_max - first.points < score
