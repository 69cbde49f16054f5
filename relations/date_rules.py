"""The date rules of :func:`relations.check`: plausible dates, ``recorded`` dates, and dates
in the right order within a row (listed in :data:`relations.rules.RULES`).

>>> from relations.schema import read_package
>>> end_after_start(read_package(), {"projects": [(2, {"start": "2024-05-01", "end": "2024-04-30"})]})
['projects.csv:2:end: 2024-04-30 is before start 2024-05-01 (allowed: on or after start)']
"""

from __future__ import annotations

import datetime as dt

from .rules import RECORDED_EARLIEST, Rows, dated_rows, earliest_date
from .schema import Package

__all__ = ["end_after_start", "in_force_after_signed", "plausible_dates", "recorded_dates"]


def plausible_dates(pkg: Package, rows: Rows) -> list[str]:
    """Every date lies between :data:`EARLIEST` (2001 in the analytic tables) and today.

    ``recorded`` has its own rule, :func:`recorded_dates`.
    """
    today = dt.date.today()
    return [
        f"{t.path}:{i}:{col}: {day} is not a plausible date (allowed: {earliest_date(t.name)} to {today})"
        for t, i, parsed in dated_rows(pkg, rows)
        for col, day in parsed.items()
        if col != "recorded" and not earliest_date(t.name) <= day <= today
    ]


def recorded_dates(pkg: Package, rows: Rows) -> list[str]:
    """``recorded``, when a row entered the record, lies between :data:`RECORDED_EARLIEST` and today.

    That it is present and a valid date is the schema's part (``required``, type ``date``).
    """
    today = dt.date.today()
    return [
        f"{t.path}:{i}:recorded: {d['recorded']} is not a plausible recorded date (allowed: "
        f"{RECORDED_EARLIEST} to {today}, the day the row entered the record or last changed)"
        for t, i, d in dated_rows(pkg, rows)
        if "recorded" in d and not RECORDED_EARLIEST <= d["recorded"] <= today
    ]


def in_force_after_signed(pkg: Package, rows: Rows) -> list[str]:
    """An agreement enters into force on or after its signature."""
    return [
        f"{t.path}:{i}:in_force: {d['in_force']} is before the signature on "
        f"{d['signed']} (allowed: on or after the signed date)"
        for t, i, d in dated_rows(pkg, rows)
        if "signed" in d and "in_force" in d and d["in_force"] < d["signed"]
    ]


def end_after_start(pkg: Package, rows: Rows) -> list[str]:
    """In every table with ``start`` and ``end`` dates, the end is not before the start."""
    return [
        f"{t.path}:{i}:end: {d['end']} is before start {d['start']} (allowed: on or after start)"
        for t, i, d in dated_rows(pkg, rows)
        if "start" in d and "end" in d and d["end"] < d["start"]
    ]
