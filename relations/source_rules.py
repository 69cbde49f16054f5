"""Rules about sources and the weight they carry (issue 12), run by :func:`relations.check`.

- :func:`reliability_problems`: a source's grade is one the rubric in ``docs/grading.md``
  allows for its ``publisher_type`` (:data:`RELIABILITY`).
- :func:`confirmed_problems`: an event recorded as ``confirmed`` rests on a party's or an
  official body's own voice (a ``government``, ``international_org`` or ``state_media``
  source), or on at least two sources graded A or B from different publishers. A single
  aggregator repost is at most ``reported``.
- :func:`recorded_problems`: a row is recorded on or after every date it reports.

Each takes the rows of every table as ``(row number, {column: cell})`` (the header is row 1)
and a function giving a table's file name, and returns messages
``file:row:column: text (allowed: ...)``:

>>> rows = {
...     "sources": [(2, {"source_id": "s1", "publisher": "Blog", "publisher_type": "other",
...                      "reliability": "D"})],
...     "events": [(2, {"status": "confirmed", "source_ids": "s1"})],
... }
>>> confirmed_problems(rows, lambda name: f"{name}.csv")[0][:60]
'events.csv:2:status: confirmed rests on one source graded D '
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

__all__ = [
    "OWN_VOICE",
    "RELIABILITY",
    "confirmed_problems",
    "original_publisher",
    "recorded_problems",
    "reliability_problems",
]

Rows = Mapping[str, Sequence[tuple[int, Mapping[str, str]]]]
PathOf = Callable[[str], str]

#: Reliability grades (NATO/Admiralty, A-F) the rubric allows for each ``publisher_type``
#: (``data/datapackage.json``, sources; ``docs/grading.md``).
RELIABILITY = {
    "government": "AB",
    "international_org": "AB",
    "dataset": "AB",
    "independent_media": "BC",
    "think_tank": "BC",
    "state_media": "C",
    "other": "CDEF",
}
#: Publisher types that speak for a party or an official body: one of them is enough
#: for ``confirmed`` (they confirm what their government or body says or does).
OWN_VOICE = ("government", "international_org", "state_media")
_REPOST = re.compile(r"^(?P<host>.*?)\s*\((?P<original>[^()]*)\)\s*$")


def _items(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def original_publisher(publisher: str) -> str:
    """The publisher a page's text comes from: a repost names its original in brackets.

    >>> original_publisher("Devdiscourse (Reuters)"), original_publisher("Reuters")
    ('reuters', 'reuters')
    >>> original_publisher("K4S News (citing Iran International)")
    'k4s news'
    """
    found = _REPOST.match(publisher or "")
    if not found:
        return (publisher or "").strip().casefold()
    original = found["original"].strip()
    if re.match(r"(citing|via|text per|text from)\b", original, re.I):
        return found["host"].strip().casefold()
    return original.casefold()


def reliability_problems(rows: Rows, path: PathOf) -> list[str]:
    """A source's reliability grade is one the rubric allows for its ``publisher_type``."""
    out = []
    for i, r in rows.get("sources", []):
        kind, grade = (r.get("publisher_type") or "").strip(), (r.get("reliability") or "").strip()
        allowed = RELIABILITY.get(kind)
        if allowed is None or grade not in set("ABCDEF"):
            continue  # unknown types and grades are the schema's part (enum)
        if grade not in allowed:
            out.append(
                f"{path('sources')}:{i}:reliability: {grade!r} is not a grade for {kind} "
                f"(allowed: {', '.join(allowed)}, per the rubric in docs/grading.md)"
            )
    return out


def confirmed_problems(rows: Rows, path: PathOf) -> list[str]:
    """Events recorded as ``confirmed`` without a party's own voice or two A/B publishers."""
    if "events" not in rows or "sources" not in rows:
        return []
    sources = {r.get("source_id", ""): r for _, r in rows["sources"]}
    out = []
    for i, r in rows["events"]:
        if (r.get("status") or "").strip() != "confirmed":
            continue
        cited = [sources[s] for s in _items(r.get("source_ids")) if s in sources]
        if not cited:
            continue  # unknown or missing sources are list_references' and the schema's part
        if any((s.get("publisher_type") or "").strip() in OWN_VOICE for s in cited):
            continue
        good = {
            original_publisher(s.get("publisher", ""))
            for s in cited
            if (s.get("reliability") or "").strip() in ("A", "B")
        }
        if len(good) >= 2:
            continue
        grades = ", ".join(sorted({(s.get("reliability") or "?").strip() for s in cited}))
        what = "one source" if len(cited) == 1 else f"{len(cited)} sources"
        out.append(
            f"{path('events')}:{i}:status: confirmed rests on {what} graded {grades} and no "
            "party's own voice (allowed: confirmed with a government, international_org or "
            "state_media source, or two sources graded A or B from different publishers; "
            "otherwise reported)"
        )
    return out


def recorded_problems(dates: Sequence[tuple[str, int, Mapping[str, dt.date]]]) -> list[str]:
    """A row's ``recorded`` date is on or after every other date in the row.

    ``dates`` holds ``(file, row, {date column: date})`` for every row with valid dates.
    """
    today = dt.date.today()
    out = []
    for file, i, d in dates:
        if "recorded" not in d:
            continue
        # a date in the future is plausible_dates' part: reported once, by that rule
        late = [(col, day) for col, day in d.items() if col != "recorded" and d["recorded"] < day <= today]
        if late:
            col, day = max(late, key=lambda cd: cd[1])
            out.append(
                f"{file}:{i}:recorded: {d['recorded']} is before the row's {col} {day} "
                "(allowed: on or after every date the row reports; a row cannot be recorded "
                "before what it records)"
            )
    return out
