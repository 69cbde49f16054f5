"""Lessons: teacher copies execute with every exercise right; student copies hold no solution and
no output; the checker gives specific feedback for right, partly right and wrong answers."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

import relations
from relations import teaching
from relations.handout import BEGIN, STUB, build_all, build_handout, lesson_path, lessons

EVENTS_SINCE_INVASION = None


def test_five_lessons_with_goals_exercises_and_marked_solutions():
    paths = lessons()
    assert len(paths) >= 5
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        assert "Learning goals" in nb.cells[0].source
        solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
        assert solutions, path.name
        for cell in solutions:
            assert cell.source.startswith(BEGIN) and cell.source.rstrip().endswith("### END SOLUTION")
        lesson = int(path.name[:2])
        ids = {e.id for e in teaching.exercises(lesson)}
        checked = {c.source.split('"')[1] for c in nb.cells if c.source.startswith("teaching.check(")}
        assert checked == ids, f"{path.name} checks {checked}, the library defines {ids}"


@pytest.mark.notebooks
def test_teacher_copies_execute_and_every_answer_is_right(tmp_path):
    index = build_all(audience="teacher", fmt="ipynb", output_dir=tmp_path)
    assert index.exists()
    for path in lessons():
        nb = nbformat.read(tmp_path / "teacher" / path.name, as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, path.name
        verdicts = [
            o["data"]["text/plain"]
            for c in nb.cells
            if c.source.startswith("teaching.check(")
            for o in c.outputs
            if "data" in o
        ]
        assert verdicts and all("✔ right" in v for v in verdicts), verdicts


def test_student_copies_hold_no_solution_and_no_output(tmp_path):
    for path in lessons():
        out = build_handout(path.stem, audience="student", fmt="ipynb", output_dir=tmp_path)
        raw = json.loads(out.read_text())
        text = out.read_text()
        assert BEGIN not in text and "END SOLUTION" not in text
        original = nbformat.read(path, as_version=4)
        for cell in original.cells:
            if "solution" in cell.metadata.get("tags", []):
                solution = cell.source.split(BEGIN)[1].split("### END SOLUTION")[0].strip()
                assert solution not in text, f"{path.name} leaks {solution!r}"
        code = [c for c in raw["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
        assert sum(STUB in "".join(c["source"]) for c in code) == len(teaching.exercises(int(path.name[:2])))
        assert any("teaching.check(" in "".join(c["source"]) for c in code), "check cells are kept"


@pytest.mark.slow
def test_handout_command_and_its_errors(tmp_path):
    run = [sys.executable, "-m", "relations.cli", "handout"]
    ok = subprocess.run(
        [*run, "1", "--student", "--output-dir", str(tmp_path)], capture_output=True, text=True
    )
    assert ok.returncode == 0 and (tmp_path / "student" / "01_reading_the_record.ipynb").exists()
    bad = subprocess.run([*run, "9", "--student"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown lesson '9' (known: 1 (01_reading_the_record)" in bad.stderr
    neither = subprocess.run([*run, "1"], capture_output=True, text=True)
    assert (
        neither.returncode == 2 and "one of the arguments --student --teacher is required" in neither.stderr
    )


def test_lesson_lookup():
    assert lesson_path(3) == lesson_path("03_weighing_contested_claims") == lesson_path("3")
    with pytest.raises(ValueError, match="unknown lesson"):
        lesson_path("alliances")


# (exercise, right answer, partly right answer, wrong answer)
def _cases():
    ev = relations.load("events")
    since = int((ev["date"] >= "2022-02-24").sum())
    since_jan = int((ev["date"] >= "2022-01-01").sum())
    counts = ev[ev["date"] >= "2022-02-24"]["domain"].astype(str).value_counts()
    ref = {"defense": "no", "offense": "no", "neutral": "yes", "nonagg": "yes", "consul": "yes"}
    pos = dict(teaching.latest_positions("cl-fath360-delivery"))
    share = round(100 * teaching.trade_series("IRN")[2023] / teaching.trade_series("CHN")[2023], 1)
    years = teaching.yearly_goldstein()["sum"].sort_values(ascending=False)
    return [
        ("1.1", since, since_jan, 3),
        ("1.2", counts.index[0], counts.index[1], "sport"),
        ("2.1", "no", None, "yes"),
        (
            "2.2",
            "rus-prk-comprehensive-strategic-partnership-treaty-2024",
            "North Korea",
            "rus-irn-treaty-2001",
        ),
        ("2.3", ref, {**ref, "neutral": "no", "nonagg": "no", "consul": "no"}, {**ref, "defense": "yes"}),
        ("3.1", "denied", "alleged", "confirmed"),
        ("3.2", pos, {**pos, "IRN": "confirms"}, {"IRN": "confirms"}),
        ("3.3", False, None, True),
        ("4.2", share, share / 100, 50.0),
        ("5.1", 8.0, 3.0, -5),
        ("5.2", int(years.index[0]), int(years.index[1]), 1999),
        ("5.3", "b", "a", "z"),
    ]


@pytest.mark.parametrize(("exercise", "right", "partly", "wrong"), _cases(), ids=[c[0] for c in _cases()])
def test_checker_feedback_levels(exercise, right, partly, wrong):
    assert teaching.check(exercise, right).level == "right"
    if partly is not None:
        fb = teaching.check(exercise, partly)
        assert fb.level == "partly", fb
        assert fb.message
    assert teaching.check(exercise, wrong).level == "wrong"
    assert teaching.check(exercise, None).message.startswith("No answer yet")


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown exercise '9.9' \(known: 1.1, 1.2"):
        teaching.check("9.9", 1)
