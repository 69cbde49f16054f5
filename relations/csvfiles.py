"""Read a table's CSV file the way real users save it, or say exactly what is wrong with it.

One reader serves :func:`relations.load` and :func:`relations.check`: the file must lie
inside the data folder (links are followed only while they stay inside), may start
with the UTF-8 byte-order mark spreadsheet programs write, may use CRLF or LF line
endings, and must be UTF-8 with one cell per column. Anything else raises
:class:`~relations.DataError` as ``file:row:column: message (allowed: ...)``, with the
header as row 1; rows count CSV records, blank lines included.

>>> from relations.schema import read_package
>>> pkg = read_package()
>>> header, records = read_records(pkg, pkg.table("events"))
>>> header[:2], records[0][0]
(['event_id', 'date'], 2)
"""

from __future__ import annotations

import csv
import io
import re

from .errors import DataError
from .schema import Package, Table

__all__ = ["label", "printable", "read_records"]

BOM = b"\xef\xbb\xbf"
#: Problems of one kind reported per file before the rest are summed up in one line.
SHOWN = 10

Record = tuple[int, list[str]]


def printable(text: str) -> str:
    """``text`` with control and other invisible characters escaped, safe to show in a terminal.

    >>> printable("a\\x1b[2Jb")
    'a\\\\x1b[2Jb'
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def label(column: str) -> str:
    """A column name for ``file:row:column``: as it is when printable, else quoted and escaped."""
    return column if column.isprintable() and column.strip() == column else repr(column)


def _bad_utf8(rel: str, header: list[str], records: list[Record]) -> list[str]:
    """Cells holding bytes that are not UTF-8 (decoded as lone surrogates)."""
    bad_header = any(_has_surrogate(h) for h in header)
    out = []
    for row, cells in [(1, header), *records]:
        for j, cell in enumerate(cells):
            if _has_surrogate(cell):
                named = row > 1 and j < len(header) and not bad_header
                column = label(header[j]) if named else f"column {j + 1}"
                out.append(
                    f"{rel}:{row}:{column}: not valid UTF-8 (allowed: UTF-8 text; save the file as UTF-8)"
                )
    return _capped(rel, out, "cells that are not valid UTF-8")


#: Bytes that are not UTF-8 decode (``surrogateescape``) to lone surrogates U+DC80-U+DCFF.
_SURROGATE = re.compile("[\udc80-\udcff]")


def _has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def _capped(rel: str, problems: list[str], what: str) -> list[str]:
    if len(problems) <= SHOWN:
        return problems
    return [*problems[:SHOWN], f"{rel}: {len(problems) - SHOWN} more {what}"]


def _cell_counts(rel: str, header: list[str], records: list[Record]) -> list[str]:
    out = []
    for row, cells in records:
        if cells and len(cells) != len(header):
            column = f"column {len(header) + 1}" if len(cells) > len(header) else label(header[len(cells)])
            out.append(
                f"{rel}:{row}:{column}: row has {len(cells)} cells but the header has {len(header)} "
                "(allowed: one cell per column; quote cells that contain commas)"
            )
    return _capped(rel, out, "rows with the wrong number of cells")


def _header_names(table: Table, header: list[str]) -> list[str]:
    """Blank and repeated column names (a header the columns cannot be told apart by)."""
    expected = f"expected columns: {', '.join(table.field_names)}"
    out, first = [], {}
    for j, name in enumerate(header, start=1):
        if not name.strip():
            out.append(f"{table.path}:1:column {j}: blank column name (allowed: {expected})")
        elif name in first:
            out.append(
                f"{table.path}:1:column {j}: {name!r} is already column {first[name]} "
                f"(allowed: each column name once; {expected})"
            )
        first.setdefault(name, j)
    return out


def read_records(pkg: Package, table: Table, raw: bytes | None = None) -> tuple[list[str], list[Record]]:
    """The header and the ``(row, cells)`` records of ``table`` (of ``raw``, the file's bytes
    when the caller has read them already); blank lines are skipped.

    Raises :class:`~relations.DataError` listing every problem of the file.
    """
    rel = table.path
    path = pkg.file(table)  # PackageError when a link leaves the data folder
    if raw is None:
        if not path.is_file():
            raise DataError([f"{rel}: file missing (expected in {pkg.root})"])
        raw = path.read_bytes()
    text = raw[len(BOM) :] if raw.startswith(BOM) else raw
    decoded = text.decode("utf-8", errors="surrogateescape")
    reader = csv.reader(io.StringIO(decoded, newline=""))
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        raise DataError([f"{rel}:{len(rows) + 1}: cannot be read as CSV ({exc})"]) from None
    if not rows:
        raise DataError([f"{rel}:1:column 1: the file is empty (allowed: a header row naming the columns)"])
    header = rows[0]
    records = [(i, cells) for i, cells in enumerate(rows[1:], start=2) if cells]
    bad = _bad_utf8(rel, header, records) if _has_surrogate(decoded) else []  # one scan, not one per cell
    problems = bad or _header_names(table, header) or _cell_counts(rel, header, records)
    if problems:
        raise DataError([printable(p) for p in problems])
    return header, records
