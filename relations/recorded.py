"""What entered the record, or changed in substance, since a day: :func:`recorded_since`.

Every row of every table carries ``recorded``; this module lists the rows recorded on or
after a day with a short human label each (a title, a statement, a name...). Importable
from :mod:`relations.loaders` as before.

>>> LABEL_LENGTH
100
"""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd

from .schema import read_package

__all__ = ["LABELS", "LABEL_COLUMNS", "LABEL_LENGTH", "recorded_since"]


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
    from .loaders import load

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
