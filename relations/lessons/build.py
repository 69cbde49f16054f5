"""Build each lesson notebook from its YAML file, as an nbgrader source notebook.

Every exercise becomes a question (markdown), then either

* a solution cell (``### BEGIN SOLUTION`` ... ``### END SOLUTION``; nbgrader ``solution``)
  and an autograded check cell (nbgrader ``grade`` with the exercise's points): a visible
  test that the answer has the asked-for form, a hidden test that it is right
  (``### BEGIN HIDDEN TESTS``), and the checker's feedback; or
* for a written answer, a manually graded markdown answer cell whose solution region
  holds the model answer and the rubric (teacher only).

The notebooks are committed clean (no outputs); ``python -m relations.lessons.build``
rewrites them and ``--check`` exits 1 if any is out of date.
"""

from __future__ import annotations

import sys
from typing import Any

from . import Exercise, Lesson, lessons

__all__ = ["HIDDEN_BEGIN", "HIDDEN_END", "SOLUTION_BEGIN", "SOLUTION_END", "build", "main", "render"]

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
KIND_LABELS = {
    "lookup": "look-up",
    "computation": "pandas computation",
    "chart": "reading a chart",
    "sources": "judging sources",
    "versions": "comparing versions of a figure",
    "concept": "concept",
    "written": "short written answer",
}


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, points: int = 0) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def _readings(lesson: Lesson) -> str:
    from ..loaders import load

    src = load("sources").set_index("source_id")
    missing = [s for s in lesson.readings if s not in src.index]
    if missing:
        raise ValueError(f"{lesson.path.name}: readings not in the sources table: {missing}")
    lines = []
    for sid in lesson.readings:
        row = src.loc[sid]
        date = (
            ""
            if row["published"] is None or str(row["published"]) == "NaT"
            else f", {row['published']:%Y-%m-%d}"
        )
        kind = str(row["publisher_type"]).replace("_", " ")
        lines.append(f"- [{row['title']}]({row['url']}) — {row['publisher']} ({kind}{date})")
    return "\n".join(lines)


def _head(lesson: Lesson) -> str:
    goals = "\n".join(f"{i}. {g}" for i, g in enumerate(lesson.goals, 1))
    points = sum(e.points for e in lesson.exercises.values())
    return (
        f"# Lesson {lesson.number} — {lesson.title}\n\n"
        f"**Learning goals.** By the end of this lesson you can\n{goals}\n\n"
        f"**Exercises:** {len(lesson.exercises)}, worth {points} points. Every fact comes from "
        "the package's tables, and every row of them cites its sources.\n\n"
        f"**Readings** (sources the lesson uses, from the `sources` table):\n\n{_readings(lesson)}"
    )


def _question(ex: Exercise) -> str:
    points = f"{ex.points} point" + ("s" if ex.points != 1 else "")
    text = f"### Exercise {ex.id} · {KIND_LABELS[ex.kind]} · {points}\n\n{ex.question.strip()}\n\n"
    if ex.check == "written":
        text += f"Write your answer in the cell below (at least {ex.min_words} words)."
    else:
        text += f"*Answer:* {ex.answer_form}, stored in `{ex.variable}`."
    if ex.hint:
        text += f"\n\n*Hint:* {ex.hint.strip()}"
    return text


def _solution(ex: Exercise) -> str:
    import re

    code = re.sub(r"\banswer\b", ex.variable, ex.solution.strip())
    return f"{SOLUTION_BEGIN}\n{code}\n{SOLUTION_END}"


def _check(ex: Exercise) -> str:
    return (
        f'feedback = teaching.check("{ex.id}", {ex.variable})\n'
        "assert feedback.form_ok, feedback\n"
        f"{HIDDEN_BEGIN}\n"
        'assert feedback.level == "right", feedback\n'
        f"{HIDDEN_END}\n"
        "feedback"
    )


def _written(ex: Exercise) -> str:
    rubric = "\n".join(f"- {r}" for r in ex.rubric)
    return (
        f"{SOLUTION_BEGIN}\n**Model answer.** {ex.model_answer.strip()}\n\n"
        f"**Rubric ({ex.points} points).**\n\n{rubric}\n{SOLUTION_END}"
    )


def _exercise_cells(ex: Exercise) -> list[Any]:
    from nbformat.v4 import new_code_cell, new_markdown_cell

    def meta(role: str, **extra: Any) -> dict[str, Any]:
        return {"relations": {"exercise": ex.id, "role": role}, **extra}

    cells = [new_markdown_cell(_question(ex), metadata={**meta("question"), "tags": ["exercise"]})]
    if ex.check == "written":
        nbg = _nbgrader(ex.grade_id, grade=True, solution=True, points=ex.points)
        tags = ["solution", "written"]
        cells.append(
            new_markdown_cell(_written(ex), metadata={**meta("answer"), "nbgrader": nbg, "tags": tags})
        )
        return cells
    nbg = _nbgrader(ex.grade_id, grade=False, solution=True)
    cells.append(
        new_code_cell(_solution(ex), metadata={**meta("solution"), "nbgrader": nbg, "tags": ["solution"]})
    )
    nbg = _nbgrader(ex.grade_id + "-check", grade=True, solution=False, points=ex.points)
    cells.append(new_code_cell(_check(ex), metadata={**meta("check"), "nbgrader": nbg, "tags": ["check"]}))
    return cells


def render(lesson: Lesson) -> Any:
    """The lesson's notebook (an nbformat node), built from its YAML."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [new_markdown_cell(_head(lesson)), new_code_cell(lesson.setup.strip())]
    for item in lesson.cells:
        if "md" in item:
            cells.append(new_markdown_cell(item["md"].strip()))
        elif "code" in item:
            cells.append(new_code_cell(item["code"].strip()))
        else:
            cells.extend(_exercise_cells(lesson.exercises[item["exercise"]]))
    cells.append(new_markdown_cell("## Summary\n\n" + lesson.summary.strip()))
    for i, cell in enumerate(cells):
        cell["id"] = f"l{lesson.number}-{i:03d}"
    return new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )


def build(*, check_only: bool = False) -> list[str]:
    """Write every lesson's notebook (or, with ``check_only``, list those out of date)."""
    import nbformat

    stale = []
    for lesson in lessons():
        text = nbformat.writes(render(lesson)) + "\n"
        path = lesson.notebook
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
            if not check_only:
                path.write_text(text, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check_only = "--check" in args
    stale = build(check_only=check_only)
    for name in stale:
        print(("out of date: " if check_only else "wrote ") + name)
    return 1 if check_only and stale else 0


if __name__ == "__main__":
    sys.exit(main())
