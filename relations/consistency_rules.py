"""The consistency rules of :func:`relations.check`: rows and tables that must agree with each
other (a disputed transfer links its claim, a claim has positions, one preferred trade figure,
no orphan source, reliability by publisher type, support for "confirmed", recorded after the
dates a row reports); listed in :data:`relations.rules.RULES`.

>>> from relations.schema import read_package
>>> rows = {"claims": [(2, {"claim_id": "cl-x"})], "claim_positions": []}
>>> claims_have_positions(read_package(), rows)[0][:50]
"claims.csv:2:claim_id: 'cl-x' has no position (all"
"""

from __future__ import annotations

import re

from . import source_rules
from .rules import Rows, a_or_an, cell_items, dated_rows, earliest_date, table_path
from .schema import Package

__all__ = [
    "claims_have_positions",
    "confirmed_has_support",
    "disputed_transfers_link_claim",
    "event_id_names_date",
    "one_preferred_trade_figure",
    "recorded_after_dates",
    "reliability_matches_type",
    "sources_are_cited",
]


def disputed_transfers_link_claim(pkg: Package, rows: Rows) -> list[str]:
    """An alleged or denied arms transfer names the claim that records who says what."""
    return [
        f"{table_path(pkg, 'arms_transfers')}:{i}:claim_id: {a_or_an(r['status'])} transfer must link "
        f"its claim (allowed: a claim_id from {table_path(pkg, 'claims') if 'claims' in rows else 'claims'})"
        for i, r in rows.get("arms_transfers", [])
        if r.get("status") in ("alleged", "denied") and not (r.get("claim_id") or "").strip()
    ]


def claims_have_positions(pkg: Package, rows: Rows) -> list[str]:
    """Every claim has at least one recorded position."""
    if "claims" not in rows or "claim_positions" not in rows:
        return []
    with_position = {r.get("claim_id") for _, r in rows["claim_positions"]}
    return [
        f"{table_path(pkg, 'claims')}:{i}:claim_id: {r['claim_id']!r} has no position "
        f"(allowed: claims with at least one row in {table_path(pkg, 'claim_positions')})"
        for i, r in rows["claims"]
        if r.get("claim_id") and r["claim_id"] not in with_position
    ]


def one_preferred_trade_figure(pkg: Package, rows: Rows) -> list[str]:
    """At most one trade figure is preferred per pair of partners, year and flow."""
    out, seen = [], {}
    for i, r in rows.get("trade", []):
        if r.get("preferred") != "true":
            continue
        key = (r.get("partner_a", ""), r.get("partner_b", ""), r.get("year", ""), r.get("flow", ""))
        if key in seen:
            out.append(
                f"{table_path(pkg, 'trade')}:{i}:preferred: row {seen[key]} is already preferred for "
                f"{'/'.join(key)} (allowed: one preferred figure per pair, year and flow)"
            )
        seen.setdefault(key, i)
    return out


def sources_are_cited(pkg: Package, rows: Rows) -> list[str]:
    """Every source is cited by some row (no orphans)."""
    if "sources" not in rows:
        return []
    cited = {
        item
        for t in pkg.tables
        if "source_ids" in t.field_names
        for _, r in rows.get(t.name, [])
        for item in cell_items(r.get("source_ids"))
    }
    return [
        f"{table_path(pkg, 'sources')}:{i}:source_id: {r['source_id']!r} is cited by no row "
        "(allowed: sources that some row cites; remove orphans)"
        for i, r in rows["sources"]
        if r.get("source_id") and r["source_id"] not in cited
    ]


def reliability_matches_type(pkg: Package, rows: Rows) -> list[str]:
    """A source's reliability grade is one the rubric allows for its ``publisher_type``
    (:func:`relations.source_rules.reliability_problems`)."""
    return source_rules.reliability_problems(rows, lambda name: table_path(pkg, name))


def confirmed_has_support(pkg: Package, rows: Rows) -> list[str]:
    """A confirmed event rests on a party's own voice or two A/B publishers
    (:func:`relations.source_rules.confirmed_problems`)."""
    return source_rules.confirmed_problems(rows, lambda name: table_path(pkg, name))


def recorded_after_dates(pkg: Package, rows: Rows) -> list[str]:
    """A row is recorded on or after every date it reports
    (:func:`relations.source_rules.recorded_problems`)."""
    return source_rules.recorded_problems([(t.path, i, d) for t, i, d in dated_rows(pkg, rows)])


def event_id_names_date(pkg: Package, rows: Rows) -> list[str]:
    """An event id that names a day (``ev-2024-01-02-...``) names the event's own date, and no
    two events share a date and a title (the same event recorded twice). A date that is
    malformed or implausible, or an id used twice, is left to the rules that report it."""
    import datetime as dt

    events = rows.get("events", [])
    ids = [d.get("event_id", "") for _, d in events]
    out: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for i, d in events:
        day = d.get("date", "")
        try:
            plausible = earliest_date("events") <= dt.date.fromisoformat(day) <= dt.date.today()
        except ValueError:
            continue
        named = re.match(r"ev-(\d{4}-\d{2}-\d{2})-", d.get("event_id", ""))
        if plausible and named and named.group(1) != day and ids.count(d["event_id"]) == 1:
            out.append(
                f"events.csv:{i}:event_id: {d['event_id']!r} names the day {named.group(1)} but the "
                f"event's date is {day} (allowed: an id that starts ev-<its date>-, or names no date)"
            )
        same = (day, " ".join(d.get("title", "").casefold().split()))
        if same[1] and same in seen:
            out.append(
                f"events.csv:{i}:title: event {d.get('event_id', '')!r} repeats the date and title of "
                f"row {seen[same]} (allowed: one row per event; add sources to the first instead)"
            )
        seen.setdefault(same, i)
    return out
