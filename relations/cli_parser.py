"""The argument parser of the ``relations`` command (see :mod:`relations.cli`).

>>> from relations.cli_parser import build_parser
>>> build_parser().parse_args(["describe", "events"]).table
'events'
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from .cli_help import (
    DESCRIPTION_BATCH,
    DESCRIPTION_BRIEF,
    DESCRIPTION_HANDOUT,
    EPILOG_BATCH,
    EPILOG_BRIEF,
    EPILOG_HANDOUT,
    EPILOG_SITE,
    SITE_DESCRIPTION,
    wrapped,
)

__all__ = ["build_parser", "positive_int"]


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
        description=wrapped(DESCRIPTION_BRIEF),
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
        description=wrapped(DESCRIPTION_BATCH),
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
        description=wrapped(DESCRIPTION_HANDOUT),
        epilog=EPILOG_HANDOUT,
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
