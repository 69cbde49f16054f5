"""Teaching handouts: student copies (no solutions) and teacher copies (executed, with rubrics).

The lessons are nbgrader source notebooks built from their YAML (:mod:`relations.lessons`).
Solution code sits between nbgrader's markers in cells tagged ``solution``::

    ### BEGIN SOLUTION
    answer_2_3 = ...
    ### END SOLUTION

For teachers who do not use nbgrader, ``relations handout`` writes:

* the **student** copy: solutions replaced by a stub, hidden tests and model answers
  removed; as ``ipynb`` nothing is executed (students run it); as ``html`` or ``pdf`` the
  context cells are executed — every table and chart the student needs — while the
  exercise cells stay empty (the context is run without any solution cell);
* the **teacher** copy: executed with solutions, hidden tests, model answers and rubrics.

``pdf`` is the ``html`` page printed by :mod:`relations.pdf` on A4.

>>> from relations.handout import lesson_path
>>> lesson_path("2").name
'02_is_it_an_alliance.ipynb'
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .paths import notebooks_dir

__all__ = ["BEGIN", "FORMATS", "STUB", "build_all", "build_handout", "lesson_path", "lessons", "student_copy"]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN = re.compile(r"\n?### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)
STUB = "= ...  # YOUR ANSWER HERE"
WRITE_HERE = (
    "*Write your answer here.*\n\n"
    '<div class="relations-answer-space" style="min-height:7em;border:1px dashed #999"></div>'
)
FORMATS = ("ipynb", "html", "pdf")
_BLOCK = re.compile(rf"{re.escape(BEGIN)}.*?{re.escape(END)}", re.S)
_ASSIGNED = re.compile(r"^(\w+)\s*=", re.M)


def lessons() -> list[Path]:
    """The lesson notebooks, in order."""
    return sorted((notebooks_dir() / "teaching").glob("[0-9][0-9]_*.ipynb"))


def lesson_path(lesson: str | int) -> Path:
    """A lesson by number (``2``), stem (``02_is_it_an_alliance``) or file name."""
    key = str(lesson).strip()
    for path in lessons():
        if key in (path.name, path.stem) or (key.isdigit() and int(path.name[:2]) == int(key)):
            return path
    known = ", ".join(f"{int(p.name[:2])} ({p.stem})" for p in lessons())
    raise ValueError(f"unknown lesson {lesson!r} (known: {known})")


def _role(cell: Any) -> str | None:
    return cell.metadata.get("relations", {}).get("role")


def _stub(block: re.Match[str]) -> str:
    names = _ASSIGNED.findall(block.group(0))
    return f"{names[-1] if names else 'answer'} {STUB}"


def student_copy(nb: Any) -> Any:
    """Remove solutions, hidden tests, model answers, outputs and nbgrader metadata."""
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            cell.source = _BLOCK.sub(_stub, cell.source) if cell.cell_type == "code" else WRITE_HERE
        cell.source = HIDDEN.sub("\n", cell.source)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("nbgrader", None)
    return nb


def _teacher_copy(nb: Any) -> Any:
    """Markdown answer cells show 'Model answer and rubric' instead of nbgrader's markers."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "solution" in cell.metadata.get("tags", []):
            body = cell.source.replace(BEGIN, "").replace(END, "").strip()
            cell.source = f"#### Teacher copy: model answer and rubric\n\n{body}"
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    return nb


def _execute(nb: Any, name: str, *, timeout: int, data_dir: Any) -> Any:
    import nbformat

    from .render import execute_quietly
    from .validation import check

    root = check(data_dir, use_cache=True).root  # bad data: one clear error, no kernel
    with tempfile.TemporaryDirectory(prefix="relations-lesson-") as tmp, _data_env(root):
        src = Path(tmp) / f"in-{name}"
        nbformat.write(nb, src)
        return execute_quietly(src, Path(tmp) / name, timeout=timeout, cwd=tmp)


def _student_with_context(path: Path, *, timeout: int, data_dir: Any) -> Any:
    """The student copy with the outputs of its context cells, run without any exercise cell."""
    import copy

    import nbformat

    nb = student_copy(nbformat.read(path, as_version=4))
    context = copy.deepcopy(nb)
    keep = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" or _role(c) is None]
    context.cells = [context.cells[i] for i in keep]
    ran = _execute(context, path.name, timeout=timeout, data_dir=data_dir)
    for i, cell in zip(keep, ran.cells, strict=True):
        if cell.cell_type == "code":
            nb.cells[i].outputs = cell.outputs
            nb.cells[i].execution_count = cell.execution_count
    return nb


def build_handout(
    lesson: str | int,
    *,
    audience: str,
    fmt: str = "ipynb",
    output_dir: str | os.PathLike[str] = "handouts",
    timeout: int = 300,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the ``student`` or ``teacher`` copy of a lesson as ``ipynb``, ``html`` or ``pdf``.

    Executed copies (teacher; student html/pdf) run against ``data_dir`` (default:
    ``$RELATIONS_DATA`` or the bundled data), which is checked first:
    :class:`~relations.DataError` or ``FileNotFoundError`` before any kernel starts.
    """
    import nbformat

    from .errors import ParameterError
    from .render import atomic_write

    if audience not in ("student", "teacher"):
        raise ParameterError("audience", f"{audience!r} (allowed: student, teacher)")
    if fmt not in FORMATS:
        raise ParameterError("format", f"{fmt!r} (allowed: {', '.join(FORMATS)})")
    path = lesson_path(lesson)
    if audience == "student" and fmt == "ipynb":
        nb = student_copy(nbformat.read(path, as_version=4))
    elif audience == "student":
        nb = _student_with_context(path, timeout=timeout, data_dir=data_dir)
    else:
        nb = _execute(nbformat.read(path, as_version=4), path.name, timeout=timeout, data_dir=data_dir)
        nb = _teacher_copy(nb)
    out = Path(output_dir) / audience / f"{path.stem}.{fmt}"
    if fmt == "ipynb":
        return atomic_write(out, nbformat.writes(nb) + "\n")
    page = _html(nb, path, audience)
    if fmt == "html":
        return atomic_write(out, page)
    from .pdf import for_print, html_to_pdf

    with tempfile.TemporaryDirectory(prefix="relations-handout-") as tmp:
        printable = Path(tmp) / f"{path.stem}.html"
        printable.write_text(for_print(page, "a4"), encoding="utf-8")
        return html_to_pdf(printable, out, paper="a4", timeout=max(timeout, 60))


def _html(nb: Any, path: Path, audience: str) -> str:
    from nbconvert import HTMLExporter

    from .render import TEMPLATES

    exporter = HTMLExporter(template_name="briefing", extra_template_basedirs=[str(TEMPLATES)])
    title = f"{_title(nb, path)} ({audience} copy)"
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


@contextlib.contextmanager
def _data_env(root: Path) -> Iterator[None]:
    """Point ``$RELATIONS_DATA`` (which the lesson's kernel inherits) at ``root`` for a while."""
    from .paths import ENV_VAR

    before = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(root)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = before


def _title(nb: Any, path: Path) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return path.stem


def build_all(
    *,
    audience: str,
    fmt: str = "html",
    output_dir: str | os.PathLike[str] = "handouts",
    timeout: int = 300,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Build every lesson and ``<output_dir>/<audience>/index.html`` linking them; return the index.

    Each audience has its own folder and index, so building the student set never
    overwrites the teacher's index (or the other way round).
    """
    import nbformat

    from .render import atomic_write

    items = []
    for path in lessons():
        built = build_handout(
            path.stem, audience=audience, fmt=fmt, output_dir=output_dir, timeout=timeout, data_dir=data_dir
        )
        title = _title(nbformat.read(path, as_version=4), path)
        items.append(f'<li><a href="{html.escape(built.name)}">{html.escape(title)}</a></li>')
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>relations lessons</title>'
        "<style>body{font-family:sans-serif;max-width:800px;margin:2rem auto}</style></head><body>"
        f"<h1>relations lessons ({html.escape(audience)} copies)</h1><ol>{''.join(items)}</ol>"
        "</body></html>\n"
    )
    return atomic_write(Path(output_dir) / audience / "index.html", page)
