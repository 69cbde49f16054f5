"""The event-based sections of a briefing, and the dispatcher for all of them.

Each builder takes the :class:`~relations.briefing.core.Briefing` and returns the
parts of its section (HTML blocks and matplotlib figures). A section says in one line
what scope it shows, says "Nothing in this window" when it has nothing to show, and a
section whose domains are not picked is left out with one line saying so.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2030-01-01", end="2030-12-31")
>>> "Nothing in this window" in b.section("key_developments").html()
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .html import HTMLBlock, Markup, badge, esc, fmt_date, link, render

if TYPE_CHECKING:
    from .core import Briefing, Section

CONTESTED = ("alleged", "denied", "disputed")
NOTHING = "Nothing in this window."
#: Fewer events than this make shares by status too thin to read as proportions.
MIN_EVENTS_FOR_SHARES = 10
KEY_DEVELOPMENTS = 40


def build(b: Briefing, name: str) -> Section:
    from .core import Section, section_texts

    if name == "header":
        return Section("header", b.title, [HTMLBlock(header_html(b))])
    text = section_texts()[name]
    heading = text["heading"]
    anchor = f"sec-{name}"
    if not b.covers(name):
        line = (
            f"Left out: this section covers {', '.join(text['domains'])}; "
            f"this briefing is limited to {', '.join(b.domains)}."
        )
        block = render("section_head.html.j2", anchor=anchor, heading=heading, intro="", scope=line)
        return Section(name, heading, [HTMLBlock(block)], left_out=True)
    head = render(
        "section_head.html.j2",
        anchor=anchor,
        heading=heading,
        intro=text.get("intro", ""),
        scope=b.scope_line(name),
    )
    parts = [HTMLBlock(head), *BUILDERS[name](b)]
    return Section(name, heading, parts)


def note(text: str) -> HTMLBlock:
    """One line in place of a chart or table (nothing to show, too little data, left out)."""
    return HTMLBlock(Markup('<p class="relations-note"><em>{}</em></p>').format(text))


def figure(fn_name: str, *args: Any, **kwargs: Any) -> Any:
    """Draw with a plot helper and return the chart as a PNG image ready for display.

    The figure is drawn and saved here, so that any warning matplotlib gives while
    drawing is caught by :meth:`Briefing.section` and sent to the log, never into the
    briefing.
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image

    from .. import plot

    ax = getattr(plot, fn_name)(*args, **kwargs)
    buf = io.BytesIO()
    try:
        ax.figure.savefig(buf, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    finally:
        plt.close(ax.figure)
    return Image(data=buf.getvalue(), format="png")


def source_links(b: Briefing, ids: Any) -> Markup:
    known = _links(b)
    return Markup("; ").join(known.get(s, esc(s)) for s in ids)


def _links(b: Briefing) -> dict[str, Markup]:
    cache = b.__dict__.setdefault("_source_links", {})
    if not cache:
        cache.update({r.source_id: link(r.url, r.publisher) for r in b.sources.itertuples()})
    return cache


def headline_cell(title: Any, summary: Any) -> Markup:
    return Markup("<strong>{}</strong><br><small>{}</small>").format(esc(title), esc(summary))


def event_rows(b: Briefing, events: pd.DataFrame) -> list[list[Any]]:
    return [
        [
            fmt_date(r.date, r.date_precision),
            headline_cell(r.title, r.summary),
            esc(r.domain),
            badge(r.status),
            source_links(b, r.source_ids),
        ]
        for r in events.itertuples()
    ]


def table(headers: list[str], rows: list[list[Any]], css: str, keys: list[str] | None = None) -> HTMLBlock:
    """A table; ``keys`` (one row id per row) become ``data-row`` attributes."""
    return HTMLBlock(render("table.html.j2", headers=headers, rows=rows, css=css, keys=keys or []))


# -- header and headline ------------------------------------------------------
def header_html(b: Briefing) -> Markup:
    from .. import data_hash
    from .core import section_texts

    newest = b.newest_event
    lag = (b.end - newest).days
    contents = [(f"sec-{name}", t["heading"]) for name, t in section_texts().items() if b.covers(name)]
    return render(
        "header.html.j2",
        title=b.title,
        period=b.period,
        domains=", ".join(b.domains) if b.domains else "all domains",
        n_events=len(b.events),
        newest=fmt_date(newest),
        version=data_hash(data_dir=b.data_dir)[:12],
        lag=lag,
        contents=contents,
    )


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
    key = ev[ev["key_event"].fillna(False)]
    rest = ev[~ev["key_event"].fillna(False)].sort_values(["date", "event_id"], ascending=False)
    picked = pd.concat([key, rest]).head(KEY_DEVELOPMENTS).sort_values(["date", "event_id"])
    shown = note(f"{len(picked)} of {len(ev)} events shown: milestones first, then the most recent.")
    headers = ["date", "development", "domain", "status", "sources"]
    rows = event_rows(b, picked)
    return [shown, table(headers, rows, "relations-developments", list(picked["event_id"]))]


def timeline(b: Briefing) -> list[Any]:
    return [figure("timeline", b.events)] if len(b.events) else [note(NOTHING)]


def activity(b: Briefing) -> list[Any]:
    ev = b.events
    if ev.empty:
        return [note(NOTHING)]
    parts = [figure("activity", ev)]
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
    coded = ev[ev["goldstein"].notna()] if "goldstein" in ev else ev.iloc[0:0]
    parts = [figure("cooperation_index", ev)] if len(coded) else [note(f"{NOTHING} (no coded events)")]
    contacts = plot.contact_events(ev)
    parts.append(figure("contacts", ev) if len(contacts) else note("No high-level contacts in this window."))
    return parts


def contested(b: Briefing) -> list[Any]:
    ev = b.events[b.events["status"].astype(str).isin(CONTESTED)]
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
    ev = b.events[b.events["friction"].fillna(False)]
    if ev.empty:
        return [note(NOTHING)]
    headers = ["date", "friction", "domain", "status", "sources"]
    return [table(headers, event_rows(b, ev), "relations-frictions", list(ev["event_id"]))]


def shown_frames(b: Briefing) -> dict[str, pd.DataFrame]:
    """The rows each section shows, by table (for the sources list and its count)."""
    from .evidence import TREATIES, treaty_in_window

    frames = {"events": b.events, "agreements": b.agreements}
    if b.covers("treaty") and treaty_in_window(b):
        frames["treaties"] = b.table("agreements")[b.table("agreements")["agreement_id"].isin(TREATIES)]
        frames["agreement_provisions"] = evidence_provisions(b)
    if b.covers("military"):
        frames["arms_transfers"] = b.shown("arms_transfers")
    if b.covers("economy"):
        frames["trade"] = b.shown("trade")
        frames["projects"] = b.shown("projects")
    if b.covers("claims"):
        frames["claims"] = b.shown("claims")
        frames["claim_positions"] = b.shown("claim_positions")
    if b.covers("people"):
        frames["people"] = b.shown("people")
    return frames


def evidence_provisions(b: Briefing) -> pd.DataFrame:
    from .evidence import MAIN_TREATY

    pr = b.shown("agreement_provisions")
    return pr[pr["agreement_id"] == MAIN_TREATY]


def _builders() -> dict[str, Callable[[Briefing], list[Any]]]:
    from . import evidence, methods

    return {
        "headline": headline,
        "key_developments": key_developments,
        "timeline": timeline,
        "activity": activity,
        "temperature": temperature,
        "contested": contested,
        "agreements": evidence.agreements,
        "treaty": evidence.treaty,
        "military": evidence.military,
        "economy": evidence.economy,
        "claims": evidence.claims,
        "people": evidence.people,
        "frictions": frictions,
        "sources": methods.sources_and_methods,
    }


class _Lazy(dict):
    def __missing__(self, key: str) -> Callable[[Briefing], list[Any]]:
        self.update(_builders())
        return dict.__getitem__(self, key)


BUILDERS: dict[str, Callable[[Briefing], list[Any]]] = _Lazy()
