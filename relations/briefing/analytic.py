"""The analytic sections: bottom line up front, what changed, key judgements, indicators,
and the evidence appendix that every generated sentence links to.

Sentences carry numbered links (``[3]``) to rows of the evidence appendix, which shows
each row the sentence rests on with its date, status and sources.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2026-01-01", end="2026-03-31")
>>> refs = evidence_ids(b)
>>> len(refs) == len(set(refs)) > 0
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .analysis import (
    changes,
    comparable,
    compared,
    indicator_board,
    judgements_valid,
    previous_window,
    year_earlier,
)
from .bluf import bottom_line, change_sentences, number
from .core import per_briefing
from .html import HTMLBlock, Markup, badge, esc, fmt_date, missing, render
from .sections import note, source_links, table

if TYPE_CHECKING:
    from .core import Briefing

__all__ = ["evidence_ids", "evidence_rows"]


@per_briefing
def evidence_ids(b: Briefing) -> list[str]:
    """Every row id that a generated sentence, a judgement or an indicator cites, in order."""
    ids: list[str] = []
    for _, refs in bottom_line(b) + change_sentences(b):
        ids += refs
    if b.length == "executive":  # judgements and indicators cite their sources directly
        return list(dict.fromkeys(ids))
    for r in judgements_valid(b).itertuples():
        ids += list(r.basis)
    for r in indicator_board(b).itertuples():
        ids += [r.indicator_id, *r.evidence_ids]
    return list(dict.fromkeys(ids))


def _refs(b: Briefing, ids: list[str]) -> Markup:
    numbers = {rid: i + 1 for i, rid in enumerate(evidence_ids(b))}
    links = [
        Markup('<a href="#evidence-{0}" title="evidence row {0}">[E{1}]</a>').format(rid, numbers[rid])
        for rid in ids
        if rid in numbers
    ]
    return Markup(" ").join(links)


def _sentences(b: Briefing, items: list[tuple[str, list[str]]], css: str) -> HTMLBlock:
    bullets = [(text, _refs(b, refs)) for text, refs in items]
    return HTMLBlock(render("bullets.html.j2", bullets=bullets, css=css))


def bluf(b: Briefing) -> list[Any]:
    return [_sentences(b, bottom_line(b), "relations-bluf")]


def what_changed(b: Briefing) -> list[Any]:
    if not comparable(b):
        return [_sentences(b, change_sentences(b), "relations-changed")]
    ch = changes(b)
    window = compared(b.scope)
    prev, ago = previous_window(window), year_earlier(window)
    now = "this window" if window == b.scope else f"last 12 months ({window.period})"
    keep = ch[(ch["current"] != 0) | (ch["previous"] != 0) | ~ch["metric"].str.startswith("events: ")]
    if b.length == "executive":  # only the three domains that moved most; the rest in the full briefing
        doms = keep[keep["metric"].str.startswith("events: ") & (keep["change"] != 0)]
        top = doms.assign(a=doms["change"].abs()).sort_values("a", ascending=False, kind="stable").head(3)
        keep = keep[~keep["metric"].str.startswith("events: ") | keep["metric"].isin(set(top["metric"]))]
    headers = ["figure", f"previous ({prev.period})", now, "change"]
    if ago is not None:
        headers += [f"a year earlier ({ago.period})", "change on the year"]
    rows = []
    for r in keep.itertuples():
        row = [r.metric, number(r.previous), number(r.current), _signed(r.change)]
        if ago is not None:
            row += [number(r.year_earlier), _signed(r.change_on_year)]
        rows.append(row)
    return [
        table(headers, rows, "relations-changes"),
        _sentences(b, change_sentences(b), "relations-changed"),
    ]


def _signed(value: float) -> str:
    if pd.isna(value):
        return "n/a"
    return ("+" if value > 0 else "") + number(value)


def judgements(b: Briefing) -> list[Any]:
    j = judgements_valid(b)
    if j.empty:
        return [note("No judgement of ours covers this window and these domains.")]
    brief = b.length == "executive"
    rows = []
    for r in j.itertuples():
        said = Markup("<strong>{}</strong>").format(r.statement)
        if brief:  # the question tells two judgements of one day apart
            said = Markup("<small>{}</small><br>{}").format(r.question, said)
        else:
            said += Markup("<br><small>Would change if: {}</small>").format(r.would_change_if)
        assessed = Markup("{}<br><small>{} confidence</small>").format(r.likelihood, r.confidence)
        row = [said, assessed] if brief else [esc(r.question), said, assessed]
        row.append(_as_of(b, r.as_of))
        if not brief:
            row.append(_refs(b, list(r.basis)))
        row.append(source_links(b, r.source_ids))
        rows.append(row)
    headers = ([] if brief else ["question"]) + ["our judgement", "our assessment (ICD 203)", "as of"]
    headers += ([] if brief else ["rests on"]) + ["sources"]
    return [table(headers, rows, "relations-judgements", list(j["judgement_id"]), compact=brief)]


#: A judgement made longer than this before the window's end is marked as possibly dated.
STALE_AFTER_DAYS = 182


def _as_of(b: Briefing, as_of: pd.Timestamp) -> Markup:
    """The judgement's date, and how old it is at the window's end when that is over six months."""
    months = (b.end - as_of).days * 12 // 365
    if (b.end - as_of).days <= STALE_AFTER_DAYS:
        return Markup("{}").format(fmt_date(as_of))
    return Markup("{}<br><small>{} months before the window's end: may be dated</small>").format(
        fmt_date(as_of), months
    )


def indicators(b: Briefing) -> list[Any]:
    board = indicator_board(b)
    if board.empty:
        return [note("No indicator to watch belongs to the domains of this briefing.")]
    brief = b.length == "executive"
    rows = []
    for r in board.itertuples():
        name = Markup("<strong>{}</strong>{}").format(r.name, Markup(" ★") if r.changed else "")
        row = [name, esc(r.direction), badge(r.state), fmt_date(r.since) or "—"]
        if not brief:
            row += [esc(r.note), _refs(b, [r.indicator_id, *r.evidence_ids])]
        rows.append([*row, source_links(b, r.source_ids)])
    headers = ["indicator", "signals", "state at window end", "since"]
    headers += ([] if brief else ["what the record shows", "evidence"]) + ["sources"]
    return [table(headers, rows, "relations-indicators", list(board["indicator_id"]), compact=brief)]


@per_briefing
def evidence_rows(b: Briefing) -> pd.DataFrame:
    """The cited rows: number, id, kind, date, text, status and source ids."""
    t = b.table
    lookups = [
        ("event", t("events"), "event_id", "date", "title", "status"),
        ("claim", t("claims"), "claim_id", "first_reported", "statement", "status"),
        ("agreement", t("agreements"), "agreement_id", "signed", "title", "status"),
        ("transfer", t("arms_transfers"), "transfer_id", None, "designation", "status"),
        ("project", t("projects"), "project_id", "start", "name", "status"),
        ("indicator", t("indicators"), "indicator_id", None, "name", None),
    ]
    found: dict[str, dict[str, Any]] = {}
    for kind, df, key, date, text, status in lookups:
        for r in df[df[key].isin(set(evidence_ids(b)))].to_dict("records"):
            found[r[key]] = {
                "id": r[key],
                "kind": kind,
                "date": r[date] if date else pd.NaT,
                "text": r[text],
                "status": "" if status is None or missing(r[status]) else str(r[status]),
                "source_ids": list(r.get("source_ids") or []),
            }
    # an indicator is evidence through its state at the window's end, as the indicator table shows it
    for r in indicator_board(b).itertuples():
        if r.indicator_id in found:
            found[r.indicator_id].update(date=r.since, status=r.state, source_ids=list(r.source_ids))
    rows = [found[i] for i in evidence_ids(b) if i in found]
    frame = pd.DataFrame(rows, columns=["id", "kind", "date", "text", "status", "source_ids"])
    frame.insert(0, "number", range(1, len(frame) + 1))
    return frame


def evidence(b: Briefing) -> list[Any]:
    ev = evidence_rows(b)
    if ev.empty:
        return [note("No sentence above cites a row.")]
    if b.length == "executive":
        items = [
            (r.id, r.number, fmt_date(r.date), r.kind, r.text, badge(r.status) if r.status else "",
             source_links(b, r.source_ids))
            for r in ev.itertuples()
        ]  # fmt: skip
        return [HTMLBlock(render("evidence_list.html.j2", items=items))]
    rows = [
        [
            Markup('<span id="evidence-{}">E{}</span>').format(r.id, r.number),
            esc(r.kind),
            fmt_date(r.date),
            Markup("{}<br><small><code>{}</code></small>").format(r.text, r.id),
            badge(r.status) if r.status else "",
            source_links(b, r.source_ids),
        ]
        for r in ev.itertuples()
    ]
    headers = ["#", "kind", "date", "row", "status", "sources"]
    return [table(headers, rows, "relations-evidence", list(ev["id"]))]


#: The table and key column behind each frame that the shown sections list.
FRAMES = {
    "key_developments": ("events", "event_id"),
    "contested": ("events", "event_id"),
    "frictions": ("events", "event_id"),
    "agreements": ("agreements", "agreement_id"),
    "arms_transfers": ("arms_transfers", "transfer_id"),
    "claims": ("claims", "claim_id"),
    "claim_positions": ("claim_positions", "position_id"),
    "projects": ("projects", "project_id"),
    "trade": ("trade", "trade_id"),
    "people": ("people", "role_id"),
    "agreement_provisions": ("agreement_provisions", "provision_id"),
    "judgements": ("judgements", "judgement_id"),
    "indicators": ("indicators", "indicator_id"),
}
#: Rows listed per table in the "New in the record" section (the rest are counted).
NEW_PER_TABLE = 10


@per_briefing
def new_rows(b: Briefing) -> pd.DataFrame:
    """Rows that the sections of this briefing show, recorded on or after its ``since`` date
    (``table, key, recorded, label``), newest first and, within a day, the rows added last
    (furthest down their table) first."""
    from ..loaders import recorded_since
    from .registry import shown_frames

    rows = recorded_since(b.parameters["since"], data_dir=b.data_dir)
    keep = {
        (FRAMES[name][0], k)
        for name, frame in shown_frames(b).items()
        if name in FRAMES
        for k in frame[FRAMES[name][1]]
    }
    mask = [(t, k) in keep for t, k in zip(rows["table"], rows["key"], strict=True)]
    shown = rows[mask].reset_index(drop=True)
    # within a day, the rows added last first: new rows are appended to their tables, so a
    # since-date on a day of many revisions still lists what was added
    tables = {t: i for i, t in enumerate(dict.fromkeys(shown["table"]))}  # package order
    shown = shown.assign(
        _day=shown["recorded"].dt.normalize(), _table=shown["table"].map(tables), _row=range(len(shown))
    )
    order = ["_day", "_table", "_row"]
    shown = shown.sort_values(order, ascending=[False, True, False], kind="stable")
    return shown.drop(columns=order).reset_index(drop=True)


def new_since(b: Briefing) -> list[Any]:
    rows = new_rows(b)
    if rows.empty:
        return [note("Nothing in this briefing was added to the record or revised since that date.")]
    listed = rows.groupby("table", sort=False).head(NEW_PER_TABLE)
    counts = rows["table"].value_counts()
    code = Markup("<code>{}</code>")
    body = [
        [fmt_date(r.recorded), r.table.replace("_", " "), esc(r.label), code.format(r.key)]
        for r in listed.itertuples()
    ]
    keys = [f"{t}:{k}" for t, k in zip(listed["table"], listed["key"], strict=True)]
    parts: list[Any] = [
        table(
            ["recorded", "table", "row", "key"],
            body,
            "relations-since",
            keys,
            compact=b.length == "executive",
        )
    ]
    more = [
        f"{n - NEW_PER_TABLE} more in {t.replace('_', ' ')}" for t, n in counts.items() if n > NEW_PER_TABLE
    ]
    if more:
        parts.append(note(f"Up to {NEW_PER_TABLE} rows per table are listed; " + "; ".join(more) + "."))
    return parts
