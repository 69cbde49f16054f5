"""Sections built from the events of the window: headline figures, key developments,
timeline, activity, temperature, contested claims and frictions.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31", length="executive")
>>> len(key_development_rows(b)) <= 15
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .charts import figure
from .html import HTMLBlock, badge, esc, fmt_date, render
from .sections import NOTHING, event_rows, headline_cell, note, source_links, table

if TYPE_CHECKING:
    from .core import Briefing

CONTESTED = ("alleged", "denied", "disputed")
#: Fewer events than this make shares by status too thin to read as proportions.
MIN_EVENTS_FOR_SHARES = 10
#: How many key developments each length lists.
KEY_DEVELOPMENTS = {"executive": 15, "full": 40}


#: The newest events of the window are always among the key developments, milestones or not.
NEWEST_ALWAYS = 3


def key_development_rows(b: Briefing) -> pd.DataFrame:
    """The window's newest events (:data:`NEWEST_ALWAYS`), then the newest milestones, then
    the most recent other events, up to the length's limit; shown by date."""
    ev = b.events.sort_values(["date", "event_id"], ascending=False)
    newest = ev.head(NEWEST_ALWAYS)
    ev = ev.iloc[NEWEST_ALWAYS:]
    key = ev[ev["key_event"].fillna(False)]
    rest = ev[~ev["key_event"].fillna(False)]
    limit = KEY_DEVELOPMENTS[b.length]
    return pd.concat([newest, key, rest]).head(limit).sort_values(["date", "event_id"])


def contested_rows(b: Briefing) -> pd.DataFrame:
    return b.events[b.events["status"].astype(str).isin(CONTESTED)]


def friction_rows(b: Briefing) -> pd.DataFrame:
    return b.events[b.events["friction"].fillna(False)]


def headline(b: Briefing) -> list[Any]:
    ev = b.events
    n = len(ev)
    counts = ev["status"].astype(str).value_counts()
    confirmed = int(counts.get("confirmed", 0))
    contested = int(sum(counts.get(s, 0) for s in CONTESTED))
    top = ev["domain"].astype(str).value_counts().head(3)
    figures = [
        ("events in the record", f"{n}"),
        ("confirmed (status in the record)", f"{confirmed} ({confirmed / n:.0%})" if n else "0"),
        ("contested (alleged, denied, disputed)", f"{contested}"),
        ("agreements signed", f"{len(b.agreements)}"),
        ("distinct sources cited", f"{len(b.cited_source_ids())}"),
        ("busiest domains", ", ".join(f"{d} ({c})" for d, c in top.items() if c) or "none"),
    ]
    return [HTMLBlock(render("headline.html.j2", figures=figures))]


# -- event sections -------------------------------------------------------------
def key_developments(b: Briefing) -> list[Any]:
    ev = b.events
    if ev.empty:
        return [note(NOTHING)]
    picked = key_development_rows(b)
    shown = note(
        f"{len(picked)} of {len(ev)} event{'' if len(ev) == 1 else 's'} shown: the newest "
        f"{min(NEWEST_ALWAYS, len(ev))}, then the newest milestones and other recent events."
    )
    headers = ["date", "development", "domain", "status", "sources"]
    brief = b.length == "executive"
    rows = event_rows(b, picked, summaries=not brief)
    return [shown, table(headers, rows, "relations-developments", list(picked["event_id"]), compact=brief)]


#: Display width (CSS pixels) of a chart in an executive briefing: two fit on an A4 page.
EXECUTIVE_WIDTH = 520


def _size(b: Briefing) -> dict[str, Any]:
    return {"display_width": EXECUTIVE_WIDTH} if b.length == "executive" else {}


#: Windows up to this many days are drawn per month, longer ones per quarter.
MONTHLY_UP_TO_DAYS = 366


def period_freq(b: Briefing) -> str:
    """``"MS"`` (per month) for a window of a year or less, else ``"QS"`` (per quarter): a
    quarter drawn per quarter is one bar.

    >>> from relations.briefing import Briefing
    >>> period_freq(Briefing.from_parameters(start="2026-01-01", end="2026-03-31"))
    'MS'
    """
    return "MS" if (b.scope.end - b.scope.start).days < MONTHLY_UP_TO_DAYS else "QS"


def timeline(b: Briefing) -> list[Any]:
    return [figure("timeline", b.events, **_size(b))] if len(b.events) else [note(NOTHING)]


def activity(b: Briefing) -> list[Any]:
    ev = b.events
    if ev.empty:
        return [note(NOTHING)]
    parts = [figure("activity", ev, **_size(b))]
    if b.length == "executive":
        return parts
    if len(ev) < MIN_EVENTS_FOR_SHARES:
        parts.append(
            note(
                f"Shares by status are not drawn: {len(ev)} events are too few for percentages "
                f"to mean much (at least {MIN_EVENTS_FOR_SHARES} needed)."
            )
        )
    else:
        parts.append(figure("status_breakdown", ev))
    return parts


def temperature(b: Briefing) -> list[Any]:
    from .. import plot

    ev = b.events
    if ev.empty:
        return [note(NOTHING)]
    coded = ev[ev["goldstein"].notna()] if "goldstein" in ev else ev.iloc[0:0]
    parts = (
        [figure("cooperation_index", ev, freq=period_freq(b), **_size(b))]
        if len(coded)
        else [note(f"{NOTHING} (no coded events)")]
    )
    if b.length == "executive":  # three charts in all; the contacts chart is in the full briefing
        return parts
    contacts = plot.contact_events(ev)
    parts.append(
        figure("contacts", ev, freq=period_freq(b), **_size(b))
        if len(contacts)
        else note("No high-level contacts in this window.")
    )
    return parts


def contested(b: Briefing) -> list[Any]:
    ev = contested_rows(b)
    if ev.empty:
        return [note(NOTHING)]
    rows = [
        [
            fmt_date(r.date, r.date_precision),
            headline_cell(r.title, r.summary),
            badge(r.status),
            esc(", ".join(r.actors)),
            source_links(b, r.source_ids),
        ]
        for r in ev.itertuples()
    ]
    headers = ["date", "claim", "status (parties)", "actors", "sources"]
    return [table(headers, rows, "relations-claims", list(ev["event_id"]))]


def frictions(b: Briefing) -> list[Any]:
    ev = friction_rows(b)
    if ev.empty:
        return [note(NOTHING)]
    headers = ["date", "friction", "domain", "status", "sources"]
    return [table(headers, event_rows(b, ev), "relations-frictions", list(ev["event_id"]))]
