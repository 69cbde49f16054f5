"""What the rules of :func:`relations.check` share: the rows they read and readers of cells.

>>> cell_items(" RUS; IRN ;; ")
['RUS', 'IRN']
>>> a_or_an("alleged"), a_or_an("denied")
('an alleged', 'a denied')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from .schema import Package, Table

__all__ = ["Rows", "Rule", "a_or_an", "cell_items", "dated_rows", "table_path", "text_cells"]

#: Rows of every table: ``(row number in the file, {column: cell})``; the header is row 1.
Rows = dict[str, list[tuple[int, dict[str, str]]]]
#: A rule: the package and its rows in, problems (``file:row:column: message``) out.
Rule = Callable[[Package, Rows], list[str]]


def a_or_an(word: str) -> str:
    """``word`` with its indefinite article."""
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


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


def text_cells(pkg: Package, rows: Rows, types: tuple[str, ...]) -> Iterator[tuple[Table, int, str, str]]:
    """``(table, row, column, cell)`` for every non-blank cell of a field of one of ``types``."""
    for t in pkg.tables:
        names = [f.name for f in t.fields if f.type in types]
        for i, r in rows.get(t.name, []):
            for col in names:
                if r.get(col):
                    yield t, i, col, r[col]
