"""Load the curated tables as tidy, typed pandas DataFrames.

Types come from ``data/datapackage.json``: dates become ``datetime64``, integers
``Int64``, booleans ``boolean``, enums ordered categoricals (in the schema's order),
and ``;``-separated lists Python lists.

>>> import relations
>>> events = relations.load("events")
>>> events["status"].cat.categories[:2].tolist()
['confirmed', 'reported']
>>> isinstance(events["source_ids"].iloc[0], list)
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from typing import Any

from . import startup  # noqa: F401  # first: in the command's process, a stop while pandas loads is one line

# isort: split
import pandas as pd

from .csvfiles import printable, read_records
from .errors import DataError
from .schema import Field, Table, read_package

__all__ = [
    "TableDescription",
    "csv_safe",
    "data_hash",
    "describe",
    "load",
    "recorded_since",
    "tables",
]

#: What a cell may not start with in a CSV meant for spreadsheets (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def tables(*, data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the tables declared in the data package.

    >>> import relations
    >>> relations.tables()[:3]
    ['sources', 'events', 'agreements']
    """
    return read_package(data_dir).names


def _readable(value: str, f: Field) -> bool:
    """Whether one non-blank cell converts to ``f.type`` (used to find the row that does not)."""
    try:
        if f.type == "date":
            dt.datetime.strptime(value, "%Y-%m-%d")
        elif f.type in ("integer", "number"):
            number = float(value)
            return f.type == "number" or number.is_integer()
    except ValueError:
        return False
    return True


def _convert(series: pd.Series, f: Field, table: Table, rows: list[int]) -> pd.Series:
    blank = series.str.strip() == ""
    try:
        if f.type == "date":
            return pd.to_datetime(series.where(~blank), format="%Y-%m-%d", errors="raise")
        if f.type == "integer":
            return pd.to_numeric(series.where(~blank)).astype("Int64")
        if f.type == "number":
            return pd.to_numeric(series.where(~blank)).astype("Float64")
        if f.type == "boolean":
            return series.str.strip().str.lower().map({"true": True, "false": False}).astype("boolean")
        if f.type == "list":
            return series.map(lambda s: [p.strip() for p in s.split(f.delimiter or ",") if p.strip()])
    except (ValueError, TypeError) as exc:
        cells = zip(rows, series, blank, strict=True)
        bad = [(row, v) for row, v, b in cells if not b and not _readable(v, f)]
        row, value = bad[0] if bad else ("?", "")
        raise DataError(
            [printable(f"{table.path}:{row}:{f.name}: {value!r} cannot be read as {f.type} ({exc})")],
            header=f"table {table.name!r} does not load; run `relations check` for every problem",
        ) from exc
    if f.enum is not None:  # a value outside the vocabulary is missing here; `check` names it
        known = series.isin(list(f.enum))
        return pd.Categorical(series.where(~blank & known), categories=list(f.enum), ordered=True)
    return series.where(~blank).astype("string")


def load(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load table ``name`` as a typed DataFrame (columns in schema order).

    Parameters
    ----------
    name
        A table name; see :func:`tables`. An unknown name raises ``ValueError``
        listing the known ones.
    data_dir
        Folder with another copy of the data (default: ``$RELATIONS_DATA`` or the
        bundled data).

    >>> import relations
    >>> relations.load("agreements").dtypes["signed"]
    dtype('<M8[ns]')
    """
    pkg = read_package(data_dir)
    table = pkg.table(name)
    raw, key = _memo_key(pkg, table)
    if key in _MEMO:
        return _copy(_MEMO[key])
    header, records = read_records(pkg, table, raw)  # DataError naming file:row:column
    raw = pd.DataFrame([cells for _, cells in records], columns=header, dtype=str)
    rows = [row for row, _ in records]
    missing = [c for c in table.field_names if c not in raw.columns]
    if missing:
        raise DataError(
            [
                f"{table.path}:1:{c}: column missing (expected: {', '.join(table.field_names)})"
                for c in missing
            ]
        )
    frame = pd.DataFrame({f.name: _convert(raw[f.name], f, table, rows) for f in table.fields})
    for c in frame.columns:
        if frame[c].dtype.kind == "M":
            frame[c] = frame[c].astype("datetime64[ns]")
    frame.attrs["table"] = name
    frame.attrs["source_file"] = str(pkg.file(table))
    if key is not None:
        _MEMO[key] = frame
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
    return _copy(frame)


#: Tables kept parsed in this process (a warm batch kernel loads each one once).
MEMO_SIZE = 64
_MEMO: dict[tuple[str, str, str, str], pd.DataFrame] = {}


def _memo_key(pkg: Any, table: Table) -> tuple[bytes | None, tuple[str, str, str, str] | None]:
    """The table file's bytes (parsed by the caller: the key and the frame come from one read)
    and the memo key: the table, its file, and digests of it and of ``datapackage.json``."""
    try:
        path = pkg.file(table)
        raw = path.read_bytes()
        schema = hashlib.sha256((pkg.root / "datapackage.json").read_bytes()).hexdigest()
    except (OSError, ValueError):
        return None, None  # read_records names the problem
    return raw, (table.name, str(path), hashlib.sha256(raw).hexdigest(), schema)


def _copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy that shares nothing with the memo, the lists in list columns included."""
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: list(v) if isinstance(v, list) else v)
    out.attrs = dict(frame.attrs)
    return out


def data_hash(*, data_dir: str | os.PathLike[str] | None = None) -> str:
    """SHA-256 over ``datapackage.json`` and every table's CSV, in registry order.

    The same data gives the same hash on any machine; change one byte and it changes.
    """
    pkg = read_package(data_dir)
    h = hashlib.sha256()
    files = [("datapackage.json", pkg.root / "datapackage.json")]
    files += [(t.path, pkg.file(t)) for t in pkg.tables]  # PackageError if a link leaves the folder
    for rel, path in files:
        h.update(rel.encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cannot run as a formula when a spreadsheet opens the CSV.

    Text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
    leading ``'``; numbers, dates and missing values are left alone. Use it before
    ``to_csv`` for anything handed to spreadsheet users.

    >>> frame = pd.DataFrame({"note": ["=1+1", "+12% y/y", "fine"], "goldstein": [-2.0, 1.9, 0.0]})
    >>> csv_safe(frame)["note"].tolist()
    ["'=1+1", "'+12% y/y", 'fine']
    >>> csv_safe(frame)["goldstein"].tolist()
    [-2.0, 1.9, 0.0]
    """

    def escape(value: object) -> object:
        return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value

    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            out[c] = col.cat.rename_categories(lambda v: escape(v))
        elif pd.api.types.is_object_dtype(col.dtype) or pd.api.types.is_string_dtype(col.dtype):
            risky = col.map(lambda v: escape(v) is not v).astype(bool)
            if risky.any():
                out[c] = col.where(~risky, col[risky].map(escape))
    return out


from .description import TableDescription, describe  # noqa: E402  (describe uses load)
from .recorded import LABEL_COLUMNS, LABEL_LENGTH, LABELS, recorded_since  # noqa: E402, F401  (uses load)
