"""Lessons: content lives in YAML beside the notebooks; notebooks are built from it and committed clean;
teacher copies execute with every exercise right; no answer is shown before its exercise; student copies
hold no solution; the checker gives specific feedback for right, partly right and wrong answers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest

import relations
from relations import teaching
from relations.handout import BEGIN, STUB, build_all, build_handout, lesson_path, lessons
from relations.lessons import all_exercises, lesson_files
from relations.lessons import lessons as lesson_specs
from relations.lessons.build import build

MIXED = {"lookup", "computation", "chart", "sources", "versions", "written"}


def test_seven_lessons_each_with_eight_mixed_exercises_goals_readings_and_summary():
    specs = lesson_specs()
    assert len(specs) >= 7 and len(lessons()) == len(specs) == len(lesson_files())
    sources = relations.load("sources").set_index("source_id")
    kinds: Counter[str] = Counter()
    for spec in specs:
        assert len(spec.exercises) >= 8, spec.path.name
        assert len({e.kind for e in spec.exercises.values()}) >= 4, spec.path.name
        assert any(e.check == "written" for e in spec.exercises.values()), spec.path.name
        kinds.update(e.kind for e in spec.exercises.values())
        nb = nbformat.read(spec.notebook, as_version=4)
        head = nb.cells[0].source
        assert "Learning goals" in head and "Readings" in head
        assert nb.cells[-1].source.startswith("## Summary")
        assert spec.readings, spec.path.name
        for sid in spec.readings:  # every reading is a source of the record, linked by its URL
            assert f"]({sources.loc[sid, 'url']})" in head, sid
    assert set(kinds) >= MIXED
    titles = {s.title for s in specs}
    assert "Reading sources critically" in titles and "Writing a key judgement" in titles


def test_exercises_are_numbered_in_the_order_they_appear():
    """A student reads 3.1, 3.2, 3.3...: never 3.4 before 3.3 (the YAML, the notebook and its grade ids)."""
    for spec in lesson_specs():
        want = [f"{spec.number}.{i}" for i in range(1, len(spec.exercises) + 1)]
        shown = [c["exercise"] for c in spec.cells if "exercise" in c]
        assert shown == want, f"{spec.path.name}: exercises appear as {shown}"
        assert list(spec.exercises) == want, f"{spec.path.name}: exercises defined as {list(spec.exercises)}"
        nb = nbformat.read(spec.notebook, as_version=4)
        headings = re.findall(r"^### Exercise (\S+) ", "\n".join(c.source for c in nb.cells), re.M)
        assert headings == want, f"{spec.notebook.name}: headings {headings}"


VERDICTS = {"right": r"right|correct", "partly": r"partly|partially", "wrong": r"not yet|wrong|incorrect"}


def test_no_feedback_repeats_its_verdict():
    """The checker prints the verdict ("✔ right."); a feedback text starting "Right." reads it twice."""
    for ex in all_exercises().values():
        texts = [("right", ex.right), ("wrong", ex.wrong), *(("partly", p["say"]) for p in ex.partly)]
        for level, text in texts:
            assert not re.match(rf"\W*({VERDICTS[level]})\b", text, re.I), f"{ex.id} ({level}): {text!r}"


def test_notebooks_are_built_from_their_yaml():
    assert build(check_only=True) == [], "run: python -m relations.lessons.build"


def test_content_is_data_not_python():
    """Questions and feedback come from the YAML files, not from literals in teaching.py."""
    text = Path(teaching.__file__).read_text(encoding="utf-8")
    for ex in all_exercises().values():
        assert ex.question.strip()[:40] not in text
        assert all(t not in text for t in (ex.right, ex.wrong) if t)  # a written answer has no verdicts


def test_nbgrader_metadata_on_every_exercise():
    for spec in lesson_specs():
        nb = nbformat.read(spec.notebook, as_version=4)
        ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
        assert len(ids) == len(set(ids)), "grade ids are unique"
        for ex in spec.exercises.values():
            cells = [c for c in nb.cells if c.metadata.get("relations", {}).get("exercise") == ex.id]
            roles = [c.metadata["relations"]["role"] for c in cells]
            graded = [c for c in cells if c.metadata.get("nbgrader", {}).get("grade")]
            assert len(graded) == 1 and graded[0].metadata["nbgrader"]["points"] == ex.points
            if ex.check == "written":
                assert roles == ["question", "answer"] and graded[0].cell_type == "markdown"
                assert graded[0].metadata["nbgrader"]["solution"] is True
            else:
                assert roles == ["question", "solution", "check"]
                sol, chk = cells[1], cells[2]
                assert sol.source.startswith(BEGIN) and sol.source.rstrip().endswith("### END SOLUTION")
                assert sol.metadata["nbgrader"]["solution"] and not chk.metadata["nbgrader"]["solution"]
                assert "### BEGIN HIDDEN TESTS" in chk.source and f'teaching.check("{ex.id}"' in chk.source


def _answer_cells(nb):
    """(index of the question cell, exercise) for every exercise of a notebook, in order."""
    found = []
    for i, c in enumerate(nb.cells):
        meta = c.metadata.get("relations", {})
        if meta.get("role") == "question":
            found.append((i, all_exercises()[meta["exercise"]]))
    return found


def _shows(text: str, value) -> bool:
    """Whether an output text shows a distinctive answer: a row id (kebab-case) or a non-round number."""
    if isinstance(value, str) and "-" in value and len(value) >= 8:  # an id, not a category value
        return re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text, re.I) is not None
    if isinstance(value, float) and value != int(value):
        return re.search(rf"(?<![\d.]){re.escape(repr(value))}(?!\d)", text) is not None
    return False


def _listed(text: str, value) -> bool:
    """Whether an id is shown as one row among the candidates of a look-up ("which treaty in the
    agreements table..."): beside at least four other ids of a column that holds it. Tables show
    ids in full (``teaching.table``), so a list of candidates names the answer without giving it."""
    if not isinstance(value, str):
        return False
    for name in relations.tables():
        table = relations.load(name)
        for column in table.columns:
            ids = table[column]
            if str(ids.dtype) != "string" or not (ids == value).any():
                continue
            others = set(ids.dropna().unique()) - {value}
            if sum(_shows(text, other) for other in others) >= 4:
                return True
    return False


def test_no_answer_is_named_before_its_exercise_in_the_source():
    """Spoilers (cells that display an answer, such as the treaty matrix for the coding exercise)
    come after the exercise; the question comes before its solution and check."""
    for path in lessons():
        nb = nbformat.read(path, as_version=4)
        for i, ex in _answer_cells(nb):
            earlier = "\n".join(c.source for c in nb.cells[:i] if c.cell_type == "code")
            for spoiler in ex.spoilers:
                assert spoiler not in earlier, f"{path.name}: {spoiler!r} before exercise {ex.id}"
    matrix = nbformat.read(lesson_path(2), as_version=4)
    first_matrix = next(i for i, c in enumerate(matrix.cells) if "treaty_matrix" in c.source)
    coding = dict((ex.id, i) for i, ex in _answer_cells(matrix))
    assert first_matrix > coding["2.2"], "lesson 2 shows the reference coding before its exercise"


@pytest.fixture(scope="module")
def teacher_copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("teacher")
    build_all(audience="teacher", fmt="ipynb", output_dir=out)
    return {p.name: nbformat.read(out / "teacher" / p.name, as_version=4) for p in lessons()}


@pytest.mark.notebooks
def test_teacher_copies_execute_and_every_answer_is_right(teacher_copies):
    for name, nb in teacher_copies.items():
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, name
        checks = [c for c in nb.cells if c.metadata.get("relations", {}).get("role") == "check"]
        verdicts = [o["data"]["text/plain"] for c in checks for o in c.outputs if "data" in o]
        assert len(verdicts) == len(checks) and all("✔ right" in v for v in verdicts), verdicts
        answers = [c for c in nb.cells if "written" in c.metadata.get("tags", [])]
        assert all("Model answer" in c.source and "Rubric" in c.source for c in answers)


@pytest.mark.notebooks
def test_no_answer_is_printed_before_its_exercise(teacher_copies):
    """Scan each teacher notebook in order: no output before an exercise shows its answer."""
    for name, nb in teacher_copies.items():
        for i, ex in _answer_cells(nb):
            if ex.check == "written":
                continue
            want = teaching.expected(ex.id)
            values = want.values() if isinstance(want, dict) else want if isinstance(want, set) else [want]
            for cell in nb.cells[:i]:
                for out in cell.get("outputs", []):
                    text = "".join(str(v) for v in out.get("data", {}).values()) + str(out.get("text", ""))
                    leaked = [v for v in values if _shows(text, v) and not _listed(text, v)]
                    assert not leaked, f"{name}: answer {leaked} to {ex.id} shown before it"


def test_student_copies_hold_no_solution_and_no_output(tmp_path):
    for path in lessons():
        out = build_handout(path.stem, audience="student", fmt="ipynb", output_dir=tmp_path)
        raw = json.loads(out.read_text())
        text = out.read_text()
        assert BEGIN not in text and "END SOLUTION" not in text and "HIDDEN TESTS" not in text
        assert "Model answer" not in text and "Rubric" not in text
        original = nbformat.read(path, as_version=4)
        for cell in original.cells:
            if "solution" in cell.metadata.get("tags", []):
                solution = cell.source.split(BEGIN)[1].split("### END SOLUTION")[0].strip()
                assert solution not in text, f"{path.name} leaks {solution!r}"
        code = [c for c in raw["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
        auto = [e for e in teaching.exercises(int(path.name[:2])) if e.check != "written"]
        assert sum(STUB in "".join(c["source"]) for c in code) == len(auto)
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


# (exercise, right answer, partly right answer, wrong answer), derived here with pandas
def _cases():
    ev = relations.load("events")
    since = int((ev["date"] >= "2022-02-24").sum())
    since_jan = int((ev["date"] >= "2022-01-01").sum())
    counts = ev[ev["date"] >= "2022-02-24"]["domain"].astype(str).value_counts()
    ref = {"defense": "no", "offense": "no", "neutral": "yes", "nonagg": "yes", "consul": "yes"}
    pos = dict(teaching.latest_positions("cl-fath360-delivery"))
    tr = relations.load("trade")
    pref = tr[(tr["flow"] == "turnover") & (tr["period_type"] == "calendar") & tr["preferred"]]
    val = pref.set_index(["partner_b", "year"])["value_usd"].astype(float)
    share = round(100 * val[("IRN", 2023)] / val[("CHN", 2023)], 1)
    bilateral = ev[(ev["date"].dt.year >= 2022) & (ev["direction"].astype(str) != "third party")]
    years = bilateral.groupby(bilateral["date"].dt.year)["goldstein"].sum().sort_values(ascending=False)
    src = relations.load("sources")
    state = int((src["publisher_type"] == "state_media").sum())
    kj = relations.load("judgements")
    return [
        ("1.1", since, since_jan, 3),
        ("1.2", counts.index[0], counts.index[1], "sport"),
        ("2.1", "no", None, "yes"),
        ("2.2", ref, {**ref, "neutral": "no", "nonagg": "no", "consul": "no"}, {**ref, "defense": "yes"}),
        ("2.3", "rus-prk-comprehensive-strategic-partnership-treaty-2024", "Korea", "rus-irn-treaty-2001"),
        ("3.1", "denied", "alleged", "confirmed"),
        ("3.2", pos, {**pos, "IRN": "confirms"}, {"IRN": "confirms"}),
        ("3.5", False, None, True),
        ("4.5", share, share / 100, 50.0),
        ("5.1", 8.0, 3.0, -5),
        ("5.2", int(years.index[0]), int(years.index[1]), 1999),
        ("5.6", "b", "a", "z"),
        ("6.1", state, int((src["publisher_type"] == "government").sum()), 1),
        ("7.1", kj["question"].nunique(), len(kj), 0),
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


def test_answers_of_the_wrong_form_are_wrong_not_errors():
    assert not teaching.check("1.1", "many").form_ok
    assert teaching.check("2.2", "no").level == "wrong"
    assert teaching.check("3.7", "other").form_ok is False


def test_written_answers_are_noted_not_judged():
    assert teaching.check("7.8", "too short").level == "partly"
    assert teaching.check("7.8", "word " * 60).level == "noted"


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown exercise '9.9' \(known: 1.1, 1.2"):
        teaching.check("9.9", 1)


def test_every_goal_and_summary_line_of_every_lesson_is_text():
    """A colon in an unquoted YAML list item makes a mapping; the handout then prints a dict."""
    from pathlib import Path

    import yaml

    for path in sorted((Path(__file__).resolve().parent.parent / "notebooks" / "teaching").glob("*.yaml")):
        lesson = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("goals", "summary"):
            items = lesson.get(key) or []
            if isinstance(items, list):
                assert all(isinstance(i, str) for i in items), (path.name, key)
