"""The argument parser of the ``relations`` command (see :mod:`relations.cli`).

>>> from relations.cli_parser import build_parser
>>> build_parser().parse_args(["describe", "events"]).table
'events'
"""

from __future__ import annotations

import argparse
from typing import NoReturn

__all__ = ["build_parser", "positive_int"]

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


def _domains() -> list[str]:
    from .params import domains

    try:
        return domains()
    except FileNotFoundError:
        return []


def positive_int(text: str) -> int:
    """An argparse type: a whole number above 0 (for --timeout and --jobs).

    >>> positive_int("3")
    3
    >>> positive_int("0")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a whole number above 0, got '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number above 0, got {text!r}")
    return value


def _add_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=positive_int,
        default=300,
        metavar="SECONDS",
        help="give up on a cell after this many seconds (default: 300)",
    )


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """--timeout and --quiet, shared by the commands that execute notebooks."""
    _add_timeout(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line that points to ``--help``.

    argparse prints the whole usage block above the message; for an ordinary mistake the
    message (which names the argument and the allowed values) and a pointer are clearer.
    Subcommand parsers are of the same class (``add_subparsers`` copies it).
    """

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _wrapped(text: str) -> str:
    """A description filled to 80 columns (the raw formatter, kept for the examples in the
    epilogs, would print it as one long line)."""
    import textwrap

    return "\n\n".join(textwrap.fill(part, 80) for part in text.split("\n\n"))


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = Parser(
        prog="relations",
        description=(
            "relations: a sourced evidence base on the Russia–Iran partnership. "
            "Write briefings, check the data, list the tables."
        ),
        epilog="Run 'relations COMMAND --help' for the options of each command.",
    )
    parser.add_argument("--version", action="version", version=f"relations {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    brief = sub.add_parser(
        "brief",
        help="write a sourced briefing (HTML + executed notebook)",
        description=_wrapped(
            "Execute the briefing notebook for a date window and domains, and write "
            "a self-contained HTML briefing plus the executed notebook."
        ),
        epilog=EPILOG_BRIEF,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    brief.add_argument(
        "--start",
        metavar="YYYY-MM-DD",
        default="",
        help="first day of the window, e.g. 2022-02-24 (default: first event)",
    )
    brief.add_argument(
        "--end",
        metavar="YYYY-MM-DD",
        default="",
        help="last day of the window, e.g. 2025-12-31 (default: newest event)",
    )
    brief.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        default="",
        help="add a section listing the rows of this briefing added to the record or revised on or "
        "after this day (their 'recorded' date), e.g. 2026-11-30",
    )
    doms = _domains()
    brief.add_argument(
        "--domain",
        action="append",
        dest="domains",
        default=[],
        metavar="DOMAIN",
        help="include only this domain; repeat for several, e.g. --domain arms "
        f"--domain energy (allowed: {', '.join(doms)}; default: all)",
    )
    brief.add_argument("--title", default=None, help='title at the top, e.g. --title "Arms ties since 2022"')
    brief.add_argument(
        "--output-dir",
        default="briefings",
        metavar="DIR",
        help="folder for the outputs (default: ./briefings)",
    )
    brief.add_argument(
        "--format",
        choices=["html", "ipynb", "pdf"],
        action="append",
        dest="formats",
        help="write this format; repeat for several (default: html and ipynb; pdf prints the HTML "
        "with headless Chromium, no LaTeX)",
    )
    brief.add_argument(
        "--length",
        choices=["executive", "full"],
        default="executive",
        help="executive (default): bottom line, what changed, key judgements, indicators, 15 key "
        "developments and three charts, about six A4 pages; full: every section and table, with the "
        "reproducibility appendix",
    )
    brief.add_argument(
        "--paper",
        choices=["a4", "letter"],
        default="a4",
        help="paper size of the PDF, with page numbers and bookmarks (default: a4)",
    )
    brief.add_argument(
        "--data-dir",
        default="",
        metavar="DIR",
        help="another copy of the data package (default: $RELATIONS_DATA or the bundled data)",
    )
    _add_run_options(brief)

    chk = sub.add_parser(
        "check",
        help="validate every table against the schema and across tables",
        description="Validate the data package; every problem is listed as "
        "file:row:column: message (allowed: ...). Exit code 1 if any problem is found.",
    )
    chk.add_argument(
        "--data-dir",
        default=None,
        metavar="DIR",
        help="folder with the data package (default: $RELATIONS_DATA or bundled)",
    )

    bat = sub.add_parser(
        "batch",
        help="write many briefings from a YAML spec, in parallel, with an index page",
        description=_wrapped(
            "Render every briefing a YAML spec asks for (explicit parameter sets and/or a "
            "grid of periods x domain groups) in parallel processes, skipping those whose inputs are "
            "unchanged, and write index.html linking them all. Exit code 0 if all went well, 1 if any "
            "briefing failed, 2 for a bad spec, 130 on Ctrl-C (143 on SIGTERM): running briefings are "
            "stopped and the index lists them as cancelled."
        ),
        epilog=EPILOG_BATCH,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bat.add_argument("spec", metavar="SPEC.yaml", help="the batch spec (see the example below)")
    bat.add_argument(
        "--jobs",
        type=positive_int,
        default=None,
        metavar="N",
        help="parallel processes (default: the number of cores)",
    )
    bat.add_argument(
        "--output-dir",
        default=None,
        metavar="DIR",
        help="folder for the briefings and index.html (default: the spec's output_dir, else ./briefings)",
    )
    bat.add_argument(
        "--force", action="store_true", help="re-render even briefings whose inputs are unchanged"
    )
    bat.add_argument(
        "--max-briefings",
        type=positive_int,
        default=None,
        metavar="N",
        help="allow a spec to ask for up to N briefings (default: 500)",
    )
    _add_run_options(bat)

    ver = sub.add_parser(
        "verify",
        help="re-render a briefing from its manifest and report what changed",
        description="Re-render a briefing from the manifest beside it and report 'identical' or "
        "exactly what differs: data tables, package or dependency versions, notebook, outputs. "
        "Exit code 0 if identical, 1 otherwise.",
    )
    ver.add_argument(
        "briefing", metavar="BRIEFING", help="the briefing's .html, .ipynb or .manifest.json file"
    )

    hand = sub.add_parser(
        "handout",
        help="build a lesson's student copy (no solutions) or teacher copy (executed, with solutions)",
        description=_wrapped(
            "Build teaching handouts from notebooks/teaching: the student copy keeps the "
            "exercise stubs and drops the solutions (as html or pdf it shows the context cells' tables and "
            "charts); the teacher copy is executed with solutions, model answers and rubrics."
        ),
        epilog="examples:\n  relations handout 2 --student\n  relations handout 3 --teacher --format html\n"
        "  relations handout --all --teacher --format html --output-dir handouts/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    hand.add_argument("lesson", nargs="?", help="lesson number or name, e.g. 2 or 02_is_it_an_alliance")
    who = hand.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--student",
        action="store_const",
        const="student",
        dest="audience",
        help="student copy: solutions removed; as ipynb without outputs, as html or pdf with the "
        "tables and charts of the context cells and the exercise cells left blank",
    )
    who.add_argument(
        "--teacher",
        action="store_const",
        const="teacher",
        dest="audience",
        help="teacher copy: executed, with solutions",
    )
    hand.add_argument(
        "--format",
        choices=["ipynb", "html", "pdf"],
        default=None,
        help="output format (default: ipynb; html with --all)",
    )
    hand.add_argument("--all", action="store_true", help="build every lesson and an index page")
    hand.add_argument(
        "--output-dir",
        default="handouts",
        metavar="DIR",
        help="folder for the handouts (default: ./handouts)",
    )
    hand.add_argument(
        "--data-dir",
        default=None,
        metavar="DIR",
        help="another copy of the data package for --teacher (default: $RELATIONS_DATA or bundled)",
    )
    _add_timeout(hand)

    site = sub.add_parser(
        "site",
        help="build a static, offline course site: lessons, teacher area, briefing, data dictionary",
        description=SITE_DESCRIPTION,
        epilog=EPILOG_SITE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    site.add_argument(
        "--output-dir", default="site", metavar="DIR", help="folder for the site (default: ./site)"
    )
    _add_run_options(site)

    tab = sub.add_parser(
        "tables",
        help="list the tables with their row counts and titles",
        description="List the tables of the data package.",
    )
    tab.add_argument("--data-dir", default=None, metavar="DIR")

    desc = sub.add_parser(
        "describe",
        help="describe one table: fields, types, provenance",
        description="Show the title, description, fields and provenance of one table.",
    )
    desc.add_argument("table", help="table name, e.g. events (see 'relations tables')")
    desc.add_argument("--data-dir", default=None, metavar="DIR")
    return parser
