"""Sentences written from the data: the bottom line up front and the notable changes.

Each sentence comes with the ids of the rows it rests on (events, claims, agreements,
indicators). Words are picked by the thresholds in ``sentences.yaml``; numbers are
written as people write them.

>>> verb(2, 3), verb(2, 4), verb(10, 20), verb(10, 12), verb(0, 6), verb(9, 3)
('was about the same', 'rose', 'rose sharply', 'was about the same', 'rose sharply', 'fell sharply')
>>> number(1234), number(12.5), number(-3.25)
('1,234', '12.5', '−3.25')
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .analysis import changes, comparable, compared, indicator_board, previous_window
from .core import per_briefing
from .html import fmt_date
from .scope import picked_text

if TYPE_CHECKING:
    from .core import Briefing

__all__ = ["bottom_line", "change_sentences", "number", "verb"]

Sentence = tuple[str, list[str]]
MAX_REFS = 3
#: The claims a "new positions" sentence names (the most recent ones) and links.
NAMED_CLAIMS = 2
#: How many change sentences an executive briefing writes (the first, in table order).
EXECUTIVE_CHANGES = 3


@cache
def texts() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(Path(__file__).with_name("sentences.yaml").read_text(encoding="utf-8"))


def number(value: float) -> str:
    """An integer with thousands separators, else at most two decimals; a real minus sign."""
    if pd.isna(value):
        return "n/a"
    v = float(value)
    s = f"{int(v):,}" if v.is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    return s.replace("-", "−")


def verb(previous: float, current: float, kind: str = "counts") -> str:
    """``rose sharply``, ``rose``, ``was about the same``, ``fell`` or ``fell sharply``."""
    t, w = texts()["thresholds"][kind], texts()["words"]
    if pd.isna(previous) or pd.isna(current):
        return w["same"]
    diff = float(current) - float(previous)
    rel = abs(diff) / abs(previous) if previous else float("inf")
    if abs(diff) >= t["sharp_abs"] and rel >= t["sharp_rel"]:
        return w["sharp_up"] if diff > 0 else w["sharp_down"]
    if abs(diff) >= t["abs"] and rel >= t["rel"]:
        return w["up"] if diff > 0 else w["down"]
    return w["same"]


def notable(previous: float, current: float, kind: str = "counts") -> bool:
    return verb(previous, current, kind) != texts()["words"]["same"]


def _key_first(ev: pd.DataFrame, n: int = MAX_REFS) -> list[str]:
    if ev.empty:
        return []
    order = ev.assign(_k=~ev["key_event"].fillna(False)).sort_values(["_k", "date", "event_id"])
    return list(order["event_id"].head(n))


def _period(b: Briefing) -> tuple[str, str]:
    """The compared window and the one before, as people write them (a briefing of the whole
    record compares its last 12 months)."""
    window = compared(b.scope)
    now = b.period if window == b.scope else f"last 12 months: {window.period}"
    return now, previous_window(window).period


def _compared_events(b: Briefing) -> pd.DataFrame:
    """The briefing's events in the compared window (all of them unless it is the whole record)."""
    window = compared(b.scope)
    return b.events if window == b.scope else window.events(b.events)


@per_briefing
def bottom_line(b: Briefing) -> list[Sentence]:
    """Three to six bullets: activity, the biggest domain change, contacts, milestones,
    claims with new positions, indicators that changed state."""
    tpl = texts()["bluf"]
    ch = changes(b).set_index("metric")
    ev = _compared_events(b)
    period, prev_period = _period(b)
    out: list[Sentence] = []
    cur, prev = ch.loc["events", "current"], ch.loc["events", "previous"]
    if not comparable(b):
        first = fmt_date(b.table("events")["date"].min())
        s = "" if cur == 1 else "s"
        text = tpl["activity_first"].format(current=number(cur), s=s, period=period, first=first)
        out.append((text, _key_first(ev)))
        out += [_milestones(b), _claims(b), _indicators(b)]
        return out
    if cur == 0:
        out.append((tpl["activity_empty"].format(period=period, domains=picked_text(b.domains)), []))
    else:
        text = tpl["activity"].format(
            current=number(cur), s="" if cur == 1 else "s", previous=number(prev), period=period,
            previous_period=prev_period, verb=verb(prev, cur),
        )  # fmt: skip
        out.append((text, _key_first(ev)))
    doms = ch[ch.index.str.startswith("events: ")]
    doms = doms[[notable(r.previous, r.current) for r in doms.itertuples()]]
    if len(doms) and len(b.domains) != 1:
        top = doms.assign(a=doms["change"].abs()).sort_values(["a"], ascending=False).index[0]
        r = doms.loc[top]
        dom = top.removeprefix("events: ")
        text = tpl["domain"].format(
            Domain=dom.capitalize(), verb=verb(r.previous, r.current),
            previous=number(r.previous), current=number(r.current),
        )  # fmt: skip
        out.append((text, _key_first(ev[ev["domain"].astype(str) == dom])))
    c = ch.loc["high-level contacts"]
    if notable(c.previous, c.current):
        from ..plot import contact_events

        text = tpl["contacts"].format(
            verb=verb(c.previous, c.current), previous=number(c.previous), current=number(c.current)
        )
        out.append((text, _key_first(contact_events(ev))))
    out.append(_milestones(b))
    out.append(_claims(b))
    out.append(_indicators(b))
    return out[:6]


def _milestones(b: Briefing) -> Sentence:
    tpl = texts()["bluf"]
    items: list[tuple[pd.Timestamp, str, str]] = [
        (r.signed, f"{r.title} signed ({fmt_date(r.signed)})", r.agreement_id)
        for r in b.agreements.itertuples()
    ]
    key = b.events[b.events["key_event"].fillna(False)]
    items += [
        (r.date, f"{r.title} ({fmt_date(r.date, r.date_precision)})", r.event_id) for r in key.itertuples()
    ]
    items.sort(key=lambda x: (x[0], x[2]))
    if not items:
        return tpl["no_milestones"], []
    picked = items[-3:]  # the three newest, in date order
    more = f" (and {len(items) - 3} earlier)" if len(items) > 3 else ""
    text = tpl["milestones"].format(items="; ".join(t for _, t, _ in picked) + more)
    return text, [i for _, _, i in picked]


def _claims(b: Briefing) -> Sentence:
    tpl = texts()["bluf"]
    pos = b.shown("claim_positions")
    pos = pos[b.scope.in_window(pos["date"])]
    if pos.empty:
        return tpl["no_claims"], []
    claims = b.table("claims").set_index("claim_id")
    said = pos[pos["position"].astype(str) != "no_comment"]
    said = pd.concat([said, pos[~pos["claim_id"].isin(set(said["claim_id"]))]])  # only "no comment": keep it
    latest = said.sort_values(["date", "position_id"]).groupby("claim_id").tail(1).sort_values("date")
    ids = list(latest["claim_id"])
    items = [
        f"“{claims.loc[r.claim_id, 'statement']}” ({r.party} {str(r.position).replace('_', ' ')}, "
        f"{fmt_date(r.date)})"
        for r in latest.tail(NAMED_CLAIMS).itertuples()
    ]
    n = len(ids)
    # the links are the claims the sentence names, no others
    text = tpl["claims"].format(n=number(n), s="" if n == 1 else "s", items="; ".join(items))
    return text, ids[-NAMED_CLAIMS:]


def _indicators(b: Briefing) -> Sentence:
    tpl = texts()["bluf"]
    board = indicator_board(b)
    moved = board[board["changed"]]
    if moved.empty:
        return tpl["no_indicators"], []
    items = [f"{r.name}: {r.state} ({fmt_date(r.since)})" for r in moved.head(3).itertuples()]
    more = f" and {len(moved) - 3} more" if len(moved) > 3 else ""
    n = len(moved)
    text = tpl["indicators"].format(n=number(n), s="" if n == 1 else "s", items="; ".join(items) + more)
    return text, list(moved["indicator_id"].head(MAX_REFS))


def _label(metric: str) -> str:
    """``events: diplomacy`` -> ``Diplomacy events``; ``events`` -> ``Recorded events``.

    >>> _label("events: diplomacy"), _label("events"), _label("high-level contacts")
    ('Diplomacy events', 'Recorded events', 'High-level contacts')
    """
    if metric == "events":
        return "Recorded events"
    if metric.startswith("events: "):
        return f"{metric.removeprefix('events: ').capitalize()} events"
    return metric[0].upper() + metric[1:]


@per_briefing
def change_sentences(b: Briefing) -> list[Sentence]:
    """One sentence per figure that moved notably against the previous window (or a year ago)."""
    from ..plot import contact_events

    tpl = texts()["changed"]
    if not comparable(b):
        first = fmt_date(b.table("events")["date"].min())
        return [(tpl["no_earlier"].format(first=first), [])]
    ch = changes(b)
    _, prev_period = _period(b)
    ev = _compared_events(b)
    out: list[Sentence] = []
    for r in ch.itertuples():
        kind = "goldstein" if r.metric.startswith("cooperation index (sum)") else "counts"
        if r.metric.endswith("(mean)"):
            continue
        refs: list[str] = []
        if r.metric.startswith("events: "):
            refs = _key_first(ev[ev["domain"].astype(str) == r.metric.removeprefix("events: ")])
        elif r.metric == "high-level contacts":
            refs = _key_first(contact_events(ev))
        elif r.metric == "events":
            refs = _key_first(ev)
        fields = {"Metric": _label(r.metric), "current": number(r.current)}
        if notable(r.previous, r.current, kind):
            out.append((tpl["row"].format(
                verb=verb(r.previous, r.current, kind), previous=number(r.previous),
                previous_period=prev_period, **fields), refs))  # fmt: skip
        year = getattr(r, "year_earlier", None)
        if year is not None and notable(year, r.current, kind):
            out.append((tpl["row_year"].format(
                verb=verb(year, r.current, kind), year_earlier=number(year), **fields), refs))  # fmt: skip
    if not out:
        t = texts()["thresholds"]["counts"]
        out.append((tpl["none"].format(abs=t["abs"], rel_pct=f"{t['rel']:.0%}"), []))
    return out[:EXECUTIVE_CHANGES] if b.length == "executive" else out
