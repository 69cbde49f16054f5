"""A static, offline course site: lessons, teacher area, briefing and data dictionary.

``relations site`` (or :func:`build_site`) writes one folder that opens from disk in any
browser, with no network access and no CDN::

    site/
      index.html              what the course is, how to use it, links to everything
      student/NN_*.html       every lesson, student view (context run, exercises blank)
      student/NN_*.ipynb      the student notebook to download
      teacher.html            teacher area: teacher copies and how to grade with nbgrader
      teacher/NN_*.html       teacher copies (executed, with solutions and rubrics)
      briefing/briefing_*.html  the latest executive briefing
      data.html               data dictionary from data/datapackage.json
      data/*.csv              every table as CSV

Pages are Jinja2 templates (``relations/templates/site/``) with autoescaping.

>>> from relations.site import data_dictionary
>>> page = data_dictionary()
>>> "events.csv" in page and "<table" in page
True
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .outputs import atomic_write, check_output_dir

__all__ = ["SiteResult", "build_site", "data_dictionary", "render_page"]

TEMPLATES = Path(__file__).parent / "templates" / "site"
_BODY = re.compile(r"<body[^>]*>", re.I)


@dataclass
class SiteResult:
    """Where the site was written: its home page and every file it wrote."""

    index: Path
    pages: list[Path] = field(default_factory=list)


def render_page(template: str, **context: Any) -> str:
    """Render one of the site's templates (autoescaped) to a string."""
    from .briefing.html import template_environment

    return template_environment(str(TEMPLATES)).get_template(template).render(**context)


def _constraints(f: Any) -> list[str]:
    out = []
    if f.required:
        out.append("required")
    if f.pattern:
        out.append(f"pattern {f.pattern}")
    if f.max_length is not None:
        out.append(f"at most {f.max_length} characters")
    if f.minimum is not None:
        out.append(f"minimum {f.minimum:g}")
    if f.maximum is not None:
        out.append(f"maximum {f.maximum:g}")
    if f.delimiter:
        out.append(f"values separated by {f.delimiter!r}")
    return out


def _tables(data_dir: str | os.PathLike[str] | None) -> list[dict[str, Any]]:
    from .loaders import tables
    from .schema import read_package

    pkg = read_package(data_dir)
    rows = []
    for name in tables(data_dir=data_dir):
        t = pkg.table(name)
        keys = [
            f"{', '.join(fk.fields)} → {fk.ref_table}.{', '.join(fk.ref_fields)}"
            + (" (each item of the list)" if fk.is_list else "")
            for fk in t.foreign_keys
        ]
        fields = [
            {
                "name": f.name,
                "type": f.type,
                "description": f.description,
                "constraints": _constraints(f),
                "enum": list(f.enum or ()),
                "key": f.name in t.primary_key,
            }
            for f in t.fields
        ]
        rows.append(
            {
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "csv": f"data/{Path(t.path).name}",
                "source": pkg.file(t),
                "primary_key": list(t.primary_key),
                "foreign_keys": keys,
                "fields": fields,
            }
        )
    return rows


def data_dictionary(data_dir: str | os.PathLike[str] | None = None) -> str:
    """The data dictionary page (HTML): every table, its fields, types, constraints and allowed values."""
    from .schema import read_package

    pkg = read_package(data_dir)
    return render_page(
        "data.html.j2",
        title="Data dictionary",
        package_title=str(pkg.descriptor.get("title", "relations data package")),
        package_description=str(pkg.descriptor.get("description", "")),
        tables=_tables(data_dir),
    )


def _add_nav(page: str, links: list[tuple[str, str]]) -> str:
    """Put a small navigation bar (home, downloads) at the top of an nbconvert page."""
    nav = render_page("nav.html.j2", links=links)
    match = _BODY.search(page)
    if match is None:
        return nav + page
    return page[: match.end()] + nav + page[match.end() :]


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def build_site(
    output_dir: str | os.PathLike[str] = "site",
    *,
    timeout: int = 300,
    quiet: bool = True,
) -> SiteResult:
    """Build the whole course site into ``output_dir``; return its home page and files.

    The folder (or its nearest existing parent) must be writable:
    :class:`~relations.ParameterError` naming ``output_dir`` otherwise, before any work.
    Every lesson is executed twice (student view and teacher copy) and the briefing once,
    each cell within ``timeout`` seconds.
    """
    import shutil

    import nbformat

    from .handout import _title, build_handout, lessons
    from .render import render_briefing

    out = check_output_dir(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = SiteResult(index=out / "index.html")
    lesson_rows = []
    for path in lessons():
        title = _title(nbformat.read(path, as_version=4), path)
        _say(f"lesson {path.stem}: student view", quiet)
        student = build_handout(path.stem, audience="student", fmt="html", output_dir=out, timeout=timeout)
        notebook = build_handout(path.stem, audience="student", fmt="ipynb", output_dir=out)
        _say(f"lesson {path.stem}: teacher copy", quiet)
        teacher = build_handout(path.stem, audience="teacher", fmt="html", output_dir=out, timeout=timeout)
        nav = [("../index.html", "Course home"), (notebook.name, "Download the notebook (.ipynb)")]
        atomic_write(student, _add_nav(student.read_text(encoding="utf-8"), nav))
        nav = [("../index.html", "Course home"), ("../teacher.html", "Teacher area")]
        atomic_write(teacher, _add_nav(teacher.read_text(encoding="utf-8"), nav))
        result.pages += [student, notebook, teacher]
        lesson_rows.append(
            {
                "number": int(path.name[:2]),
                "title": title,
                "student": f"student/{student.name}",
                "notebook": f"student/{notebook.name}",
                "teacher": f"teacher/{teacher.name}",
            }
        )

    _say("executive briefing", quiet)
    brief = render_briefing(
        {}, output_dir=out / "briefing", formats=("html",), progress=not quiet, timeout=timeout
    )
    briefing_html = brief.outputs["html"]
    atomic_write(
        briefing_html, _add_nav(briefing_html.read_text(encoding="utf-8"), [("../index.html", "Course home")])
    )
    result.pages.append(briefing_html)

    _say("data dictionary", quiet)
    tables = _tables(None)
    for t in tables:
        result.pages.append(atomic_write(out / t["csv"], Path(t["source"]).read_bytes()))
    from .schema import read_package

    pkg = read_package()
    shutil.copyfile(pkg.root / "datapackage.json", out / "data" / "datapackage.json")
    result.pages.append(atomic_write(out / "data.html", data_dictionary()))

    briefing_link = f"briefing/{briefing_html.name}"
    result.pages.append(
        atomic_write(
            out / "teacher.html", render_page("teacher.html.j2", title="Teacher area", lessons=lesson_rows)
        )
    )
    index = render_page(
        "index.html.j2",
        title="Russia–Iran relations: a course on reading the evidence",
        lessons=lesson_rows,
        briefing=briefing_link,
        briefing_window=f"{brief.parameters['start']} to {brief.parameters['end']}",
        tables=tables,
    )
    result.pages.append(atomic_write(result.index, index))
    return result
