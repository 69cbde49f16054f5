"""The help texts of the ``relations`` command: descriptions and examples (see
:mod:`relations.cli_parser`). Every command's ``--help`` fits an 80-column terminal.

>>> max(len(line) for line in EPILOG_BRIEF.splitlines()) <= 80
True
"""

from __future__ import annotations

__all__ = [
    "DESCRIPTION_BATCH",
    "DESCRIPTION_BRIEF",
    "DESCRIPTION_HANDOUT",
    "EPILOG_BATCH",
    "EPILOG_BRIEF",
    "EPILOG_HANDOUT",
    "EPILOG_SITE",
    "SITE_DESCRIPTION",
    "wrapped",
]

EPILOG_BRIEF = """\
examples:
  relations brief                                   whole record, every domain
  relations brief --start 2022-02-24 --end 2022-12-31
  relations brief --domain arms --domain military --start 2022-01-01
      (one briefing on two domains since 2022; --title names it)
  relations brief --format ipynb --output-dir out/  executed notebook only
  relations brief --length full --format pdf        every section, A4 PDF

Writes <output-dir>/briefing_<start>_<end>[_<domains>][_full].html
(self-contained, no code, images embedded) and the executed .ipynb beside it.
Bad parameters are rejected before any notebook runs (exit code 2); a failing
notebook exits with 1, names the cell and keeps the partial notebook as
<name>.failed.ipynb.
"""


EPILOG_BATCH = """\
example spec (every quarter from 2024Q1 to 2026Q2 x three domain groups = 30
briefings; quarters after the newest event are refused):
  output_dir: briefings/quarterly
  grid:
    periods: {quarters: [2024Q1, 2026Q2]}
    domains: [[arms, military], [energy, trade, finance, transport], []]

explicit parameter sets work too:
  briefings:
    - {start: 2025-01-01, end: 2025-06-30, domains: [legal],
       title: "The treaty year"}
"""

#: ``relations site --help``, wrapped by hand to 80 columns (the raw formatter keeps lines as written).
SITE_DESCRIPTION = """\
Build the course as a static site that works offline: it opens from disk in any
browser, with no network and no CDN. It holds a home page, every lesson (student
view and notebook download), a teacher area with the teacher copies and how to
grade them, the latest executive briefing and a data dictionary with every table
as CSV."""

EPILOG_SITE = """\
Every lesson is executed twice (student view, teacher copy) and the briefing
once, each cell within --timeout seconds: a build takes a few minutes.

examples:
  relations site --output-dir site/          then open site/index.html
  relations site --output-dir site/ --quiet  no progress messages
"""

EPILOG_HANDOUT = """\
examples:
  relations handout 2 --student
  relations handout 3 --teacher --format html
  relations handout --all --teacher --format html --output-dir handouts/"""


#: ``relations brief --help``: filled to 80 columns by :func:`wrapped`.
DESCRIPTION_BRIEF = (
    "Execute the briefing notebook for a date window and domains, and write "
    "a self-contained HTML briefing plus the executed notebook."
)

#: ``relations batch --help``: filled to 80 columns by :func:`wrapped`.
DESCRIPTION_BATCH = (
    "Render every briefing a YAML spec asks for (explicit parameter sets and/or a "
    "grid of periods x domain groups) in parallel processes, skipping those whose inputs are "
    "unchanged, and write index.html linking them all. Exit code 0 if all went well, 1 if any "
    "briefing failed, 2 for a bad spec, 130 on Ctrl-C (143 on SIGTERM): running briefings are "
    "stopped and the index lists them as cancelled."
)

#: ``relations handout --help``: filled to 80 columns by :func:`wrapped`.
DESCRIPTION_HANDOUT = (
    "Build teaching handouts from notebooks/teaching: the student copy keeps the "
    "exercise stubs and drops the solutions (as html or pdf it shows the context cells' tables and "
    "charts); the teacher copy is executed with solutions, model answers and rubrics."
)


def wrapped(text: str) -> str:
    """A description filled to 80 columns (the raw formatter, kept for the examples in the
    epilogs, would print it as one long line)."""
    import textwrap

    return "\n\n".join(textwrap.fill(part, 80) for part in text.split("\n\n"))
