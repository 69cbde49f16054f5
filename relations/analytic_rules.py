"""Rules for the curators' analytic tables: ``judgements``, ``indicators`` and ``indicator_states``.

Table Schema cannot say that an id in ``judgements.basis`` or ``indicator_states.evidence_ids``
must exist in *one of several* tables, so these rules do it, together with the plausibility of
their dates, the ICD 203 vocabulary, and the link between indicators and their states.
Every problem is a message ``file:row:column: text (allowed: ...)`` with the header as row 1,
in the same form as :func:`relations.check`.

:func:`problems` takes the tables as DataFrames, either loaded by :func:`relations.load`
(lists as Python lists, dates as timestamps) or read as plain strings (``;``-separated lists,
ISO dates), so it also works on small hand-made frames:

>>> import pandas as pd
>>> tables = {
...     "sources": pd.DataFrame({"source_id": ["src-a"]}),
...     "events": pd.DataFrame({"event_id": ["ev-a"]}),
...     "judgements": pd.DataFrame([{
...         "judgement_id": "kj-a", "likelihood": "likely", "confidence": "high",
...         "as_of": "2025-01-01", "basis": "ev-a;ev-b", "source_ids": "src-a",
...         "recorded": "2026-11-29"}]),
... }
>>> problems(tables, today=dt.date(2026, 11, 29))[0][:54]
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
_DATE_FIELDS = {
    "judgements": ("as_of", "recorded"),
    "indicators": ("recorded",),
    "indicator_states": ("date", "recorded"),
}


def _file(name: str, frame: pd.DataFrame) -> str:
    source = frame.attrs.get("source_file")
    return Path(source).name if source else f"{name}.csv"


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


def _date(value: Any) -> dt.date | str | None:
    """A date cell as a date; ``None`` if blank; the raw text if it is not an ISO date."""
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def _column(frame: pd.DataFrame, column: str) -> set[str]:
    if column not in frame:
        return set()
    return {_text(v) for v in frame[column] if _text(v)}


def problems(tables: Mapping[str, pd.DataFrame], *, today: dt.date | None = None) -> list[str]:
    """Problems in the analytic tables of ``tables``, as ``file:row:column: text`` messages.

    Parameters
    ----------
    tables
        Table name to DataFrame. The analytic tables present are checked; ``sources`` and the
        evidence tables (:data:`EVIDENCE_TABLES`) present are what their ids are checked against.
        A missing ``sources`` table skips the source check.
    today
        Latest allowed date (default: today).

    Rules: every id in ``judgements.basis`` and ``indicator_states.evidence_ids`` exists in an
    evidence table; every ``source_ids`` item is a ``sources.source_id``; ``as_of``, ``date`` and
    ``recorded`` lie between :data:`EARLIEST` and ``today``; ``likelihood`` and ``confidence`` use
    the ICD 203 terms; every state names a known indicator and every indicator has a state.
    """
    today = today or dt.date.today()
    out: list[str] = []
    known: set[str] = set()
    for name, column in EVIDENCE_TABLES.items():
        if name in tables:
            known |= _column(tables[name], column)
    evidence_names = ", ".join(EVIDENCE_TABLES)
    sources = tables.get("sources")
    source_ids = _column(sources, "source_id") if sources is not None else None
    source_file = _file("sources", sources) if sources is not None else "sources.csv"

    for name in ANALYTIC_TABLES:
        frame = tables.get(name)
        if frame is None:
            continue
        path = _file(name, frame)
        id_field = _ID_FIELD.get(name)
        for row, record in enumerate(frame.to_dict("records"), start=2):
            if id_field and id_field in record:
                for item in _items(record[id_field]):
                    if item not in known:
                        out.append(
                            f"{path}:{row}:{id_field}: {item!r} is in no evidence table "
                            f"(allowed: an id from {evidence_names})"
                        )
            if source_ids is not None and "source_ids" in record:
                for item in _items(record["source_ids"]):
                    if item not in source_ids:
                        out.append(
                            f"{path}:{row}:source_ids: {item!r} is not a sources.source_id "
                            f"(allowed: a source_id listed in {source_file})"
                        )
            for column in _DATE_FIELDS[name]:
                if column not in record:
                    continue
                value = _date(record[column])
                if value is None:
                    continue
                if isinstance(value, str):
                    out.append(
                        f"{path}:{row}:{column}: {value!r} is not a valid date "
                        "(allowed: an ISO date YYYY-MM-DD)"
                    )
                elif not EARLIEST <= value <= today:
                    out.append(
                        f"{path}:{row}:{column}: {value} is not a plausible date "
                        f"(allowed: {EARLIEST} to {today})"
                    )
            if name == "judgements":
                for column, vocabulary in (("likelihood", LIKELIHOOD), ("confidence", CONFIDENCE)):
                    if column not in record:
                        continue
                    value = _text(record[column])
                    if value not in vocabulary:
                        out.append(
                            f"{path}:{row}:{column}: {value!r} is not allowed "
                            f"(allowed: {', '.join(vocabulary)})"
                        )

    indicators, states = tables.get("indicators"), tables.get("indicator_states")
    if indicators is not None and states is not None:
        indicator_ids = _column(indicators, "indicator_id")
        states_path, indicators_path = _file("indicator_states", states), _file("indicators", indicators)
        if "indicator_id" in states:
            for row, value in enumerate(states["indicator_id"], start=2):
                if _text(value) not in indicator_ids:
                    out.append(
                        f"{states_path}:{row}:indicator_id: {_text(value)!r} is not an "
                        f"indicators.indicator_id (allowed: an indicator_id listed in {indicators_path})"
                    )
        with_state = _column(states, "indicator_id")
        if "indicator_id" in indicators:
            for row, value in enumerate(indicators["indicator_id"], start=2):
                if _text(value) and _text(value) not in with_state:
                    out.append(
                        f"{indicators_path}:{row}:indicator_id: {_text(value)!r} has no state "
                        f"(allowed: indicators with at least one row in {states_path})"
                    )
    return out


def analytic_tables(*, data_dir: str | os.PathLike[str] | None = None) -> dict[str, pd.DataFrame]:
    """Load every table :func:`problems` needs (those the data package declares) with :func:`relations.load`.

    >>> problems(analytic_tables())
    []
    """
    from .loaders import load, tables

    wanted = {"sources", *EVIDENCE_TABLES, *ANALYTIC_TABLES}
    return {name: load(name, data_dir=data_dir) for name in tables(data_dir=data_dir) if name in wanted}
