"""Lesson content as data: one YAML file per lesson beside its notebook.

``notebooks/teaching/0N_name.yaml`` holds the lesson's title, learning goals, readings
(``sources.source_id`` values), its cells in order, its summary and its exercises (id,
kind, question, solution, expected answer as a pandas expression over the tables,
feedback texts, points; for written answers a model answer and a rubric). The notebook
``0N_name.ipynb`` is built from it by :mod:`relations.lessons.build`
(``python -m relations.lessons.build``), as an nbgrader source notebook.

>>> from relations.lessons import all_exercises
>>> all_exercises()["2.1"].check
'text'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..paths import notebooks_dir

__all__ = ["CHECKS", "KINDS", "Exercise", "Lesson", "all_exercises", "lesson_files", "lessons", "read_lesson"]

#: What an exercise asks the student to do (a lesson mixes several).
KINDS = ("lookup", "computation", "chart", "sources", "versions", "concept", "written")
#: How an answer is compared with the expected one.
CHECKS = ("number", "text", "bool", "dict", "set", "written")


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson, as its YAML file gives it."""

    id: str
    lesson: int
    kind: str
    check: str
    question: str
    answer_form: str
    points: int = 1
    hint: str = ""
    solution: str = ""
    expected: str | None = None
    tolerance: float = 0.0
    also_right: tuple[str, ...] = ()
    values: dict[str, str] = field(default_factory=dict)
    right: str = ""
    partly: tuple[dict[str, str], ...] = ()
    wrong: str = ""
    spoilers: tuple[str, ...] = ()
    min_words: int = 0
    model_answer: str = ""
    rubric: tuple[str, ...] = ()

    @property
    def variable(self) -> str:
        """The variable the student's answer goes into, e.g. ``answer_2_3``."""
        return "answer_" + self.id.replace(".", "_")

    @property
    def grade_id(self) -> str:
        return "ex-" + self.id.replace(".", "-")


@dataclass(frozen=True)
class Lesson:
    """A lesson: number, title, goals, readings, cells, summary and exercises."""

    number: int
    title: str
    path: Path
    goals: tuple[str, ...]
    readings: tuple[str, ...]
    setup: str
    cells: tuple[dict[str, str], ...]
    summary: str
    exercises: dict[str, Exercise]

    @property
    def notebook(self) -> Path:
        return self.path.with_suffix(".ipynb")


def lesson_files() -> list[Path]:
    """The lesson YAML files, in order."""
    return sorted((notebooks_dir() / "teaching").glob("[0-9][0-9]_*.yaml"))


def _exercise(lesson: int, ex_id: str, spec: dict[str, Any], path: Path) -> Exercise:
    where = f"{path.name}: exercise {ex_id}"
    unknown = set(spec) - set(Exercise.__dataclass_fields__)
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    if spec.get("kind") not in KINDS or spec.get("check") not in CHECKS:
        raise ValueError(f"{where}: kind must be one of {KINDS}, check one of {CHECKS}")
    if spec["check"] != "written" and "expected" not in spec:
        raise ValueError(f"{where}: an auto-checked exercise needs 'expected'")
    if spec["check"] != "written" and not (spec.get("right") and spec.get("wrong")):
        raise ValueError(f"{where}: an auto-checked exercise needs 'right' and 'wrong' feedback")
    if spec["check"] == "written" and not (spec.get("model_answer") and spec.get("rubric")):
        raise ValueError(f"{where}: a written exercise needs 'model_answer' and 'rubric'")
    tuples = {k: tuple(spec[k]) for k in ("also_right", "partly", "spoilers", "rubric") if k in spec}
    return Exercise(id=ex_id, lesson=lesson, **{**spec, **tuples})


def read_lesson(path: Path) -> Lesson:
    """Read and check one lesson's YAML file."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    number = int(spec["lesson"])
    if number != int(path.name[:2]):
        raise ValueError(f"{path.name}: 'lesson: {number}' does not match the file name")
    exs = {str(k): _exercise(number, str(k), v, path) for k, v in spec["exercises"].items()}
    bad = [k for k in exs if not k.startswith(f"{number}.")]
    if bad:
        raise ValueError(f"{path.name}: exercise ids {bad} do not start with '{number}.'")
    placed = [c["exercise"] for c in spec["cells"] if "exercise" in c]
    if sorted(placed) != sorted(exs):
        raise ValueError(f"{path.name}: cells place exercises {placed}, the file defines {list(exs)}")
    return Lesson(
        number=number,
        title=spec["title"],
        path=path,
        goals=tuple(spec["goals"]),
        readings=tuple(spec.get("readings", ())),
        setup=spec["setup"],
        cells=tuple(spec["cells"]),
        summary=spec["summary"],
        exercises=exs,
    )


@functools.cache
def _cached(paths: tuple[Path, ...], stamps: tuple[float, ...]) -> tuple[Lesson, ...]:
    return tuple(read_lesson(p) for p in paths)


def lessons() -> tuple[Lesson, ...]:
    """Every lesson, read from its YAML file (re-read when a file changes)."""
    paths = tuple(lesson_files())
    return _cached(paths, tuple(p.stat().st_mtime for p in paths))


def all_exercises() -> dict[str, Exercise]:
    """Every exercise of every lesson, by id, in lesson order."""
    return {k: e for lesson in lessons() for k, e in lesson.exercises.items()}
