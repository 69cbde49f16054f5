"""Rules for the curators' analytic tables: ``judgements``, ``indicators`` and ``indicator_states``.

Table Schema cannot say that an id in ``judgements.basis`` or ``indicator_states.evidence_ids``
must exist in *one of several* tables, nor that every indicator has a state, so these rules do
it. :func:`relations.check` runs them (rule ``analytic_references`` in :mod:`relations.rules`)
together with what the schema and the other rules check in these tables as in every other:
``source_ids`` references, valid and plausible dates (from :data:`EARLIEST`), the ICD 203
vocabulary (enums) and ``indicator_states.indicator_id`` (a foreign key).
Every problem is a message ``file:row:column: text (allowed: ...)`` with the header as row 1,
in the same form as :func:`relations.check`.

:func:`problems` takes the tables as DataFrames, either loaded by :func:`relations.load`
(lists as Python lists) or read as plain strings (``;``-separated lists), so it also works on
small hand-made frames:

>>> import pandas as pd
>>> tables = {
...     "events": pd.DataFrame({"event_id": ["ev-a"]}),
...     "judgements": pd.DataFrame([{"judgement_id": "kj-a", "basis": "ev-a;ev-b"}]),
... }
>>> problems(tables)[0][:54]
"judgements.csv:2:basis: 'ev-b' is in no evidence table"
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "ANALYTIC_TABLES",
    "CONFIDENCE",
    "EARLIEST",
    "EVIDENCE_TABLES",
    "LIKELIHOOD",
    "analytic_tables",
    "problems",
]

#: Tables whose ids may be cited in ``basis`` / ``evidence_ids``, with their id column.
EVIDENCE_TABLES: dict[str, str] = {
    "events": "event_id",
    "claims": "claim_id",
    "claim_positions": "position_id",
    "agreements": "agreement_id",
    "agreement_provisions": "provision_id",
    "arms_transfers": "transfer_id",
    "projects": "project_id",
    "memberships": "membership_id",
    "trade": "trade_id",
}
#: The curators' tables these rules look after.
ANALYTIC_TABLES = ("judgements", "indicators", "indicator_states")
#: ICD 203 likelihood terms, from least to most likely.
LIKELIHOOD = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
)
#: ICD 203 confidence levels, from lowest to highest.
CONFIDENCE = ("low", "moderate", "high")
#: Earliest plausible date of a judgement or indicator state: the 2001 basic treaty's year.
EARLIEST = dt.date(2001, 1, 1)

_ID_FIELD = {"judgements": "basis", "indicator_states": "evidence_ids"}


def _file(name: str, frame: pd.DataFrame) -> str:
    if frame.attrs.get("path"):
        return str(frame.attrs["path"])
    source = frame.attrs.get("source_file")
    return Path(source).name if source else f"{name}.csv"


def _rows(frame: pd.DataFrame) -> list[int]:
    """The file row of each record: ``attrs["rows"]`` when given, else 2, 3, ... (header is row 1)."""
    rows = frame.attrs.get("rows")
    return list(rows) if rows is not None else list(range(2, len(frame) + 2))


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _items(value: Any) -> list[str]:
    """Items of a list cell: a Python list (as loaded) or a ``;``-separated string."""
    if _blank(value):
        return []
    parts = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value).split(";")
    return [p.strip() for p in parts if p.strip()]


def _text(value: Any) -> str:
    return "" if _blank(value) else str(value).strip()


def _column(frame: pd.DataFrame, column: str) -> set[str]:
    if column not in frame:
        return set()
    return {_text(v) for v in frame[column] if _text(v)}


def problems(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Problems in the analytic tables of ``tables``, as ``file:row:column: text`` messages.

    Parameters
    ----------
    tables
        Table name to DataFrame. The analytic tables present are checked against the evidence
        tables present (:data:`EVIDENCE_TABLES`). A frame's ``attrs`` may give its ``path`` in
        the data folder (else the file name of ``source_file``, else ``<name>.csv``) and the
        file ``rows`` of its records (else 2, 3, ...: the header is row 1).

    Rules: every id in ``judgements.basis`` and ``indicator_states.evidence_ids`` exists in an
    evidence table; every indicator has at least one state.
    """
    out: list[str] = []
    known: set[str] = set()
    for name, column in EVIDENCE_TABLES.items():
        if name in tables:
            known |= _column(tables[name], column)
    evidence_names = ", ".join(EVIDENCE_TABLES)

    for name, id_field in _ID_FIELD.items():
        frame = tables.get(name)
        if frame is None or id_field not in frame:
            continue
        path = _file(name, frame)
        for row, value in zip(_rows(frame), frame[id_field], strict=True):
            out += [
                f"{path}:{row}:{id_field}: {item!r} is in no evidence table "
                f"(allowed: an id from {evidence_names})"
                for item in _items(value)
                if item not in known
            ]

    indicators, states = tables.get("indicators"), tables.get("indicator_states")
    if indicators is not None and states is not None and "indicator_id" in indicators:
        with_state = _column(states, "indicator_id")
        path, states_path = _file("indicators", indicators), _file("indicator_states", states)
        for row, value in zip(_rows(indicators), indicators["indicator_id"], strict=True):
            if _text(value) and _text(value) not in with_state:
                out.append(
                    f"{path}:{row}:indicator_id: {_text(value)!r} has no state "
                    f"(allowed: indicators with at least one row in {states_path})"
                )
    return out


def analytic_tables(*, data_dir: str | os.PathLike[str] | None = None) -> dict[str, pd.DataFrame]:
    """Load every table :func:`problems` needs (those the data package declares) with :func:`relations.load`.

    >>> problems(analytic_tables())
    []
    """
    from .loaders import load, tables

    wanted = {*EVIDENCE_TABLES, *ANALYTIC_TABLES}
    return {name: load(name, data_dir=data_dir) for name in tables(data_dir=data_dir) if name in wanted}
