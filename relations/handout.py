"""Teaching handouts: student copies (no solutions, no outputs) and teacher copies (executed).

Solution code sits between nbgrader's markers in cells tagged ``solution``::

    ### BEGIN SOLUTION
    answer = ...
    ### END SOLUTION

The student copy replaces it with a stub; the teacher copy runs the lesson.

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

__all__ = ["STUB", "build_all", "build_handout", "lesson_path", "lessons", "student_copy"]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = "answer = ...  # YOUR ANSWER HERE"
_BLOCK = re.compile(rf"{re.escape(BEGIN)}.*?{re.escape(END)}", re.S)


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


def student_copy(nb: Any) -> Any:
    """Remove solutions and outputs; keep the exercise stubs and the check cells."""
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            if cell.cell_type == "code":
                cell.source = _BLOCK.sub(STUB, cell.source)
            else:
                cell.source = "*Write your answer here.*"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
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
    """Write the ``student`` or ``teacher`` copy of a lesson as ``ipynb`` or ``html``.

    The teacher copy is executed against ``data_dir`` (default: ``$RELATIONS_DATA`` or the
    bundled data), which is checked first: :class:`~relations.DataError` or
    ``FileNotFoundError`` before any kernel starts.
    """
    import nbformat

    from .errors import ParameterError
    from .render import atomic_write

    if audience not in ("student", "teacher"):
        raise ParameterError("audience", f"{audience!r} (allowed: student, teacher)")
    if fmt not in ("ipynb", "html"):
        raise ParameterError("format", f"{fmt!r} (allowed: ipynb, html)")
    path = lesson_path(lesson)
    if audience == "student":
        nb = student_copy(nbformat.read(path, as_version=4))
    else:
        from .render import execute_quietly
        from .validation import check

        root = check(data_dir, use_cache=True).root  # bad data: one clear error, no kernel
        with tempfile.TemporaryDirectory(prefix="relations-lesson-") as tmp, _data_env(root):
            nb = execute_quietly(path, Path(tmp) / path.name, timeout=timeout, cwd=tmp)
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
    out = Path(output_dir) / audience / f"{path.stem}.{fmt}"
    if fmt == "ipynb":
        return atomic_write(out, nbformat.writes(nb) + "\n")
    from nbconvert import HTMLExporter

    from .render import TEMPLATES

    exporter = HTMLExporter(template_name="briefing", extra_template_basedirs=[str(TEMPLATES)])
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": _title(nb, path)}})
    return atomic_write(out, body)


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
