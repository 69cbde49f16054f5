"""The rules :func:`relations.check` applies on top of Table Schema: the registry, and what
the rules share.

Table Schema (checked by frictionless) cannot state references inside ``;`` lists, actor
codes, plausible dates, rules across tables, or text hygiene; each rule is one function that
takes the package and its rows and returns problems as ``file:row:column: message (allowed:
...)``. They live in :mod:`relations.reference_rules` (references, codes, keys),
:mod:`relations.consistency_rules` (agreement between rows and tables),
:mod:`relations.date_rules` and :mod:`relations.text_rules`; :data:`RULES`, at the end of this
module, lists them in the order they run (a new rule is added there). The constants and
readers of cells they share are here: the check's cache is keyed on this file and on every
rule's source, so a change to either runs the check again.

>>> from relations.schema import read_package
>>> pkg = read_package()
>>> rows = {"events": [(2, {"actors": "RUS;Iran"})]}
>>> actor_codes(pkg, rows)[0][:60]
"events.csv:2:actors: 'Iran' is not an actor code (allowed: I"
>>> cell_items(" RUS; IRN ;; "), a_or_an("alleged")
(['RUS', 'IRN'], 'an alleged')
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator

from . import analytic_rules
from .schema import Package, Table

__all__ = [
    "EARLIEST",
    "ORGANISATIONS",
    "RECORDED_EARLIEST",
    "RULES",
    "Rows",
    "is_formula",
    "run_rules",
]

#: Rows of every table: ``(row number in the file, {column: cell})``; the header is row 1.
Rows = dict[str, list[tuple[int, dict[str, str]]]]
#: A rule: the package and its rows in, problems (``file:row:column: message``) out.
Rule = Callable[[Package, Rows], list[str]]

#: Organisations allowed in ``actors`` / ``parties`` besides ISO 3166-1 alpha-3 codes.
ORGANISATIONS = ("UN", "UNSC", "IAEA", "EU", "E3", "EAEU", "SCO", "BRICS", "NATO", "G7", "OPEC")
ISO3 = re.compile(r"^[A-Z]{3}$")
#: Earliest plausible date: the founding of the Islamic Republic (office holders such as
#: Khamenei took office before the Russian Federation existed).
EARLIEST = dt.date(1979, 4, 1)
#: Earliest plausible ``recorded`` date (when a row entered the record): the record starts
#: with the 2001 treaty, so nothing in it can have been recorded before 2001.
RECORDED_EARLIEST = dt.date(2001, 1, 1)
#: Bidirectional overrides and isolates: they reorder how text is shown ("Trojan Source").
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x1B: "ESCAPE", 0x7F: "DELETE"}
#: A signed figure at the start of a note ("+12% y/y", "-17% to $4bn") is not a formula.
_SIGNED_FIGURE = re.compile(r"[+-]\d[\d.,]*%?(?=[\s,;.]|$)")
_FORMULA_MARKS = re.compile(r"\||\w\(")  # DDE (cmd|...) and function calls (HYPERLINK(...))


def run_rules(pkg: Package, rows: Rows) -> list[str]:
    """Every problem every rule in :data:`RULES` finds."""
    return [p for fn in RULES for p in fn(pkg, rows)]


def a_or_an(word: str) -> str:
    """``word`` with its indefinite article."""
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


_a = a_or_an  # relations.validation words its messages with it too


def cell_items(cell: str | None) -> list[str]:
    """The items of a ``;`` list cell, stripped, blanks left out."""
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def table_path(pkg: Package, name: str) -> str:
    """The file of table ``name`` as the package names it (``events.csv``)."""
    return pkg.table(name).path


def dated_rows(pkg: Package, rows: Rows) -> Iterator[tuple[Table, int, dict[str, dt.date]]]:
    """``(table, row, {date column: date})`` for every row; blank and malformed dates left out."""
    for t in pkg.tables:
        names = [f.name for f in t.fields if f.type == "date"]
        for i, r in rows.get(t.name, []):
            parsed = {}
            for col in names:
                try:
                    parsed[col] = dt.date.fromisoformat((r.get(col) or "").strip())
                except ValueError:
                    continue  # blank or malformed: frictionless reports malformed ones
            yield t, i, parsed


def earliest_date(table: str) -> dt.date:
    """Earliest plausible date in ``table``: the curators' judgements and indicator states
    look at the partnership since the 2001 treaty (:data:`relations.analytic_rules.EARLIEST`)."""
    return analytic_rules.EARLIEST if table in analytic_rules.ANALYTIC_TABLES else EARLIEST


def text_cells(pkg: Package, rows: Rows, types: tuple[str, ...]) -> Iterator[tuple[Table, int, str, str]]:
    """``(table, row, column, cell)`` for every non-blank cell of a field of one of ``types``."""
    for t in pkg.tables:
        names = [f.name for f in t.fields if f.type in types]
        for i, r in rows.get(t.name, []):
            for col in names:
                if r.get(col):
                    yield t, i, col, r[col]


def control_character(text: str) -> str | None:
    """The first control or bidirectional-override character of ``text``, named; else None."""
    for c in text:
        if (unicodedata.category(c) == "Cc" and c not in "\t\n\r") or c in BIDI:
            name = unicodedata.name(c, "") or _CONTROL_NAMES.get(ord(c), "")
            return f"U+{ord(c):04X}" + (f" ({name})" if name else "")
    return None


def is_formula(text: str) -> bool:
    """Whether a spreadsheet opening the CSV would run ``text`` as a formula.

    >>> is_formula("=1+1"), is_formula("+12% y/y, a record"), is_formula("-2+3+cmd|' /C calc'!A0")
    (True, False, True)
    """
    if text[:1] not in ("=", "+", "-", "@"):
        return False
    return not (text[0] in "+-" and _SIGNED_FIGURE.match(text) and not _FORMULA_MARKS.search(text))


# The rules use the readers above; RULES lists them in the order they run.
from .consistency_rules import (  # noqa: E402
    claims_have_positions,
    confirmed_has_support,
    disputed_transfers_link_claim,
    event_id_names_date,
    one_preferred_trade_figure,
    recorded_after_dates,
    reliability_matches_type,
    sources_are_cited,
)
from .date_rules import end_after_start, in_force_after_signed, plausible_dates, recorded_dates  # noqa: E402
from .reference_rules import (  # noqa: E402
    actor_codes,
    analytic_references,
    cameo_also_once,
    goldstein_matches_cameo,
    list_references,
    reviews_name_rows,
)
from .text_rules import no_control_characters, no_spreadsheet_formulas  # noqa: E402

#: Every rule, in the order they run; :func:`run_rules` applies them.
RULES: list[Rule] = [
    list_references,
    actor_codes,
    plausible_dates,
    recorded_dates,
    in_force_after_signed,
    end_after_start,
    goldstein_matches_cameo,
    cameo_also_once,
    event_id_names_date,
    disputed_transfers_link_claim,
    claims_have_positions,
    one_preferred_trade_figure,
    sources_are_cited,
    reliability_matches_type,
    confirmed_has_support,
    recorded_after_dates,
    reviews_name_rows,
    analytic_references,
    no_control_characters,
    no_spreadsheet_formulas,
]
