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


def _day(value: object) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _cell(value: object) -> str:
    return "" if value is None or (not isinstance(value, list) and pd.isna(value)) else str(value)


#: A short human label for a row of each table (:func:`recorded_since`).
LABELS = {
    "sources": lambda r: f"{_cell(r['publisher'])}: {_cell(r['title'])}",
    "events": lambda r: _cell(r["title"]),
    "agreements": lambda r: _cell(r["title"]),
    "claims": lambda r: _cell(r["statement"]),
    "claim_positions": lambda r: f"{_cell(r['party'])} {_cell(r['position'])} {_cell(r['claim_id'])}",
    "agreement_provisions": lambda r: _cell(r["summary"]),
    "arms_transfers": lambda r: (
        f"{_cell(r['designation'])} ({_cell(r['supplier'])} to {_cell(r['recipient'])})"
    ),
    "trade": lambda r: (
        f"{_cell(r['partner_a'])}–{_cell(r['partner_b'])} {_cell(r['flow'])} "
        f"{_cell(r['period'])} ({_cell(r['reporter'])})"
    ),
    "projects": lambda r: _cell(r["name"]),
    "people": lambda r: f"{_cell(r['name'])}, {_cell(r['role'])} ({_cell(r['country'])})",
    "memberships": lambda r: f"{_cell(r['country'])} {_cell(r['organisation'])} {_cell(r['status'])}",
    "judgements": lambda r: f"{_cell(r['question'])} (as of {_day(r['as_of'])})",
    "indicators": lambda r: _cell(r["name"]),
    "indicator_states": lambda r: f"{_cell(r['indicator_id'])} {_cell(r['state'])} from {_day(r['date'])}",
}
#: Columns tried, in order, for the label of a table :data:`LABELS` does not know.
LABEL_COLUMNS = ("title", "name", "designation", "statement", "question", "label", "summary")
#: Longest label :func:`recorded_since` gives (longer ones end in an ellipsis).
LABEL_LENGTH = 100


def _label(name: str, row: dict, key: str, columns: list[str]) -> str:
    if name in LABELS:
        text = LABELS[name](row)
    else:
        text = next((_cell(row[c]) for c in LABEL_COLUMNS if c in columns and _cell(row[c])), key)
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def recorded_since(
    date: str | dt.date | pd.Timestamp, *, data_dir: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Every row of every table whose ``recorded`` date is on or after ``date``: what entered
    the record, or changed in substance, since then.

    Tables without ``recorded`` (the ``cameo_codes`` lookup) are left out.

    Parameters
    ----------
    date
        A day: ``"2026-11-29"``, a :class:`datetime.date` or a timestamp (its time is ignored).
    data_dir
        Folder with another copy of the data (default: ``$RELATIONS_DATA`` or the bundled data).

    Returns
    -------
    pandas.DataFrame
        Columns ``table``, ``key`` (the primary key; several key columns joined by ``", "``),
        ``recorded`` (``datetime64``) and ``label`` (a short human label: a title, statement,
        name, designation, ... at most :data:`LABEL_LENGTH` characters); newest first, then
        tables in package order and rows in file order.

    >>> import relations.loaders as loaders
    >>> new = loaders.recorded_since("2026-11-29")
    >>> list(new.columns)
    ['table', 'key', 'recorded', 'label']
    >>> bool((new["recorded"] >= "2026-11-29").all())
    True
    """
    try:
        day = pd.Timestamp(date)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"recorded_since: {date!r} is not a date (allowed: YYYY-MM-DD or a date)") from exc
    if pd.isna(day):
        raise ValueError(f"recorded_since: {date!r} is not a date (allowed: YYYY-MM-DD or a date)")
    if day.tzinfo is not None:
        day = day.tz_localize(None)
    day = day.normalize()
    pkg = read_package(data_dir)
    parts = []
    for order, table in enumerate(pkg.tables):
        if "recorded" not in table.field_names:
            continue
        frame = load(table.name, data_dir=data_dir)
        new = frame[frame["recorded"] >= day]
        columns = list(frame.columns)
        keys = [", ".join(_cell(r[k]) for k in table.primary_key) for r in new.to_dict("records")]
        parts.append(
            pd.DataFrame(
                {
                    "table": table.name,
                    "key": keys,
                    "recorded": new["recorded"].to_numpy(),
                    "label": [
                        _label(table.name, r, k, columns)
                        for r, k in zip(new.to_dict("records"), keys, strict=True)
                    ],
                    "_order": order,
                    "_row": range(len(new)),
                }
            )
        )
    out = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({"table": [], "key": [], "recorded": [], "label": [], "_order": [], "_row": []})
    )
    out = out.sort_values(["recorded", "_order", "_row"], ascending=[False, True, True], kind="stable")
    out = out.drop(columns=["_order", "_row"]).reset_index(drop=True)
    for c in ("table", "key", "label"):
        out[c] = out[c].astype("string")
    out["recorded"] = out["recorded"].astype("datetime64[ns]")
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
