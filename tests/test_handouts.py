"""Printable handouts: the student copy (html/pdf) shows every table and chart of the lesson's context
with its outputs, keeps the exercise cells empty, and holds no solution, hidden test, model answer or
solution output; the teacher copy adds solutions, model answers and rubrics. PDFs are A4."""

from __future__ import annotations

import ast
import re

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from test_teaching import _listed, _shows

import relations
from relations import teaching
from relations.handout import BEGIN, build_handout, lesson_path, lessons
from relations.lessons import all_exercises
from relations.pdf import find_chromium

pytestmark = pytest.mark.notebooks
LESSON = 2


def _context_counts(path):
    """Charts and tables the context (non-exercise) code cells of a lesson draw, from the source."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "relations" not in c.metadata]
    charts = sum("relations.plot." in c.source or ".plot." in c.source for c in code)
    tables = sum(not c.source.rstrip().endswith(";") and "import" not in c.source for c in code)
    return charts, tables


def _squeeze(text):
    """Text without whitespace and markdown emphasis: highlighted code is split into spans."""
    return "".join(text.split()).replace("*", "").replace("`", "")


def _solutions(path):
    nb = nbformat.read(path, as_version=4)
    found = []
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            body = cell.source.split(BEGIN)[1].split("### END SOLUTION")[0]
            found += [line.strip().lstrip("- ") for line in body.splitlines() if len(line.strip()) > 12]
    return found


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    student = build_handout(LESSON, audience="student", fmt="html", output_dir=out)
    teacher = build_handout(LESSON, audience="teacher", fmt="html", output_dir=out)
    return tuple(BeautifulSoup(page.read_text(), "html.parser") for page in (student, teacher))


def test_student_html_shows_every_context_table_and_chart(pages):
    student, _ = pages
    charts, tables = _context_counts(lesson_path(LESSON))
    images = student.find_all("img")
    assert len(images) >= charts >= 1 and all(i["src"].startswith("data:image/png") for i in images)
    assert len(student.find_all("table")) >= tables >= 1


def test_student_html_holds_no_solution_and_no_solution_output(pages):
    student, _ = pages
    text = student.get_text(" ")
    for line in _solutions(lesson_path(LESSON)):
        assert _squeeze(line) not in _squeeze(text), line
    for marker in (BEGIN, "HIDDEN TESTS", "Model answer", "Rubric", "✔ right", "✘ not yet", "◐"):
        assert marker not in text, marker
    exercises = [e for e in all_exercises().values() if e.lesson == LESSON]
    assert text.count("YOUR ANSWER HERE") == sum(e.check != "written" for e in exercises)
    assert text.count("Write your answer here") == sum(e.check == "written" for e in exercises)
    assert "Readings" in text and "Summary" in text


def test_teacher_html_adds_solutions_verdicts_and_rubrics(pages):
    _, teacher = pages
    text = teacher.get_text(" ")
    exercises = [e for e in all_exercises().values() if e.lesson == LESSON]
    assert text.count("✔ right") == sum(e.check != "written" for e in exercises)
    for e in exercises:
        if e.check == "written":
            assert "Model answer" in text and e.rubric[0].split(":", 1)[1].strip()[:30] in text
    assert all(_squeeze(line) in _squeeze(text) for line in _solutions(lesson_path(LESSON)))


@pytest.mark.skipif(find_chromium() is None, reason="needs Chromium")
def test_student_pdf_is_a4_and_holds_no_solution(tmp_path):
    from pypdf import PdfReader

    pdf = build_handout(LESSON, audience="student", fmt="pdf", output_dir=tmp_path)
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4 in points
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "YOUR ANSWER HERE" in text and "Model answer" not in text and "BEGIN SOLUTION" not in text


# -- every lesson's tables, as printed ---------------------------------------------------------

MISSING_MARKERS = {"<NA>", "NaN", "nan", "NaT", "None"}
TREATY_2025 = "rus-irn-comprehensive-strategic-partnership-treaty-2025"


def _cells(table):
    return [" ".join(c.get_text(" ").split()) for c in table.find_all(["td", "th"])]


@pytest.fixture(scope="module")
def every_student_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("every-lesson")
    built = [build_handout(p.stem, audience="student", fmt="html", output_dir=out) for p in lessons()]
    return {p.stem: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in built}


@pytest.mark.slow
def test_no_lesson_table_is_truncated_or_shows_a_missing_value_marker(every_student_page):
    """pandas cuts long text ("…"), drops rows ("...") and prints <NA>/NaN; a printed handout must not."""
    assert len(every_student_page) == len(lessons())
    for name, page in every_student_page.items():
        tables = page.find_all("table")
        assert tables, name
        for table in tables:
            for cell in _cells(table):
                assert not cell.endswith(("...", "…")), f"{name}: truncated cell {cell[-60:]!r}"
                assert cell not in MISSING_MARKERS, f"{name}: a cell reads {cell!r}"


@pytest.mark.slow
def test_lesson_2_shows_every_2025_provision_in_full(every_student_page):
    provisions = pd.read_csv(REPO / "data" / "agreement_provisions.csv", dtype=str)
    treaty = provisions[provisions["agreement_id"] == TREATY_2025]
    page = every_student_page[lesson_path(2).stem]
    table = next(t for t in page.find_all("table") if "summary" in _cells(t))
    header = [" ".join(th.get_text(" ").split()) for th in table.find("tr").find_all(["th", "td"])]
    assert header == ["article", "area", "summary"], "no index column, no truncated headers"
    rows = [_cells(tr) for tr in table.find_all("tr")[1:]]
    assert len(rows) == len(treaty)
    shown = {row[2]: row for row in rows}
    for r in treaty.itertuples():
        summary = " ".join(r.summary.split())
        assert summary in shown, f"{r.provision_id}: summary not shown in full"
        article = shown[summary][0]
        if pd.isna(r.article):  # blank, or the lesson's label for it
            assert article not in MISSING_MARKERS, f"{r.provision_id}: article reads {article!r}"
        else:  # a number, or "preamble" where the data says so
            assert article == r.article, r.provision_id


# -- no answer anywhere in the student copy; every column a look-up needs is shown -----------


def _outside(page, path, exercise):
    """The student page's cells other than the exercise's own (question, stub, check)."""
    owner = {
        c.id: c.metadata.get("relations", {}).get("exercise") for c in nbformat.read(path, as_version=4).cells
    }
    return [
        c
        for c in page.select("div.jp-Cell")
        if owner.get(c.get("id", "").removeprefix("cell-id=")) != exercise
    ]


def _passages(cells):
    """The prose of the markdown cells (goals, explanations, other questions, the summary), by sentence."""
    prose = " ".join(" ".join(c.get_text(" ").split()) for c in cells if "jp-MarkdownCell" in c["class"])
    return re.split(r"[.;:!?—]", prose)


def _names(passage, words):
    return {w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", passage, re.I)}


def _states_coding(passage, want):
    """A sentence that sorts a two-valued coding (obligation -> yes/no) into its groups: it names every
    key of one value and some, not all, keys of the other ("neutral, nonagg and consul, not defense")."""
    if not isinstance(want, dict) or len(want) < 3 or len(set(want.values())) != 2:
        return False
    named = _names(passage, want)
    groups = [{k for k, v in want.items() if v == value} for value in set(want.values())]
    return any(one <= named and 0 < len(named & other) < len(other) for one, other in (groups, groups[::-1]))


def _denies(passage, ex, want):
    """A sentence that answers a yes/no question 'no' about its emphasised term ("not *defense*")."""
    if want not in ("no", False):
        return False
    terms = re.findall(r"\*([^*]+)\*", ex.question)
    return any(re.search(rf"\b(not|no)\s+(an?\s+|the\s+)?{re.escape(t)}\b", passage, re.I) for t in terms)


@pytest.mark.slow
def test_no_answer_appears_in_the_student_copy_outside_its_exercise(every_student_page):
    """Not before the exercise, not after it, not in the summary: a distinctive value (an id, a
    non-round number) only among the candidates of a table; a coding or a yes/no answer not in prose."""
    for path in lessons():
        page = every_student_page[path.stem]
        for ex in teaching.exercises(int(path.name[:2])):
            if ex.check == "written":
                continue
            want = teaching.expected(ex.id)
            cells = _outside(page, path, ex.id)
            text = " ".join(c.get_text(" ") for c in cells)
            values = want.values() if isinstance(want, dict) else want if isinstance(want, set) else [want]
            leaked = [v for v in values if _shows(text, v) and not _listed(text, v)]
            assert not leaked, f"{path.stem}: the answer {leaked} to {ex.id} is shown outside it"
            said = [p for p in _passages(cells) if _states_coding(p, want) or _denies(p, ex, want)]
            assert not said, f"{path.stem}: the answer to {ex.id} is stated in {said}"


def _columns(ex):
    """The columns of the tables an exercise's expressions read by name ('mutual_defence'...)."""
    trees = [ast.parse(e, mode="eval") for e in (ex.expected, *ex.values.values())]
    nodes = [n for t in trees for n in ast.walk(t)]
    names = {n.id for n in nodes if isinstance(n, ast.Name)} & set(relations.tables())
    literals = {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return {c for name in names for c in relations.load(name).columns if c in literals}


@pytest.mark.slow
def test_every_column_a_look_up_needs_is_shown_in_the_student_copy(every_student_page):
    """A look-up is answered on paper: the student copy's tables show every column it reads."""
    for path in lessons():
        headers = {
            " ".join(th.get_text(" ").split())
            for table in every_student_page[path.stem].find_all("table")
            for th in table.find("tr").find_all(["th", "td"])
        }
        for ex in teaching.exercises(int(path.name[:2])):
            if ex.kind == "lookup" and ex.check != "written":
                missing = sorted(_columns(ex) - headers)
                assert not missing, f"{path.stem}: exercise {ex.id} needs {missing}, which no table shows"
