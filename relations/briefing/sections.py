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

from typing import TYPE_CHECKING, Any

import pandas as pd

from .html import HTMLBlock, Markup, badge, esc, fmt_date, link, render

if TYPE_CHECKING:
    from .core import Briefing, Section

NOTHING = "Nothing in this window."


def build(b: Briefing, name: str) -> Section:
    from .core import Section, section_texts

    if name == "header":
        return Section("header", b.title, [HTMLBlock(header_html(b))])
    from .registry import builders

    text = section_texts()[name]
    heading = text["heading"]
    anchor = f"sec-{name}"
    if b.length not in text["lengths"] or (name == "since" and not b.parameters.get("since")):
        return Section(name, heading, [], left_out=True)  # not part of this briefing: shows nothing
    if not b.covers(name):
        line = (
            f"Left out: this section covers {', '.join(text['domains'])}; "
            f"this briefing is limited to {', '.join(b.domains)}."
        )
        block = render("section_head.html.j2", anchor=anchor, heading=heading, intro="", scope=line)
        return Section(name, heading, [HTMLBlock(block)], left_out=True)
    scope = b.scope_line(name)
    if name == "treaty":
        from .evidence import MAIN_TREATY, treaty_in_window

        if not treaty_in_window(b):
            ag = b.table("agreements").set_index("agreement_id")
            signed = fmt_date(ag.loc[MAIN_TREATY, "signed"]) if MAIN_TREATY in ag.index else "an unknown date"
            scope = f"The 2025 treaty was signed on {signed}, outside this window ({b.period})."
    head = render(
        "section_head.html.j2",
        anchor=anchor,
        heading=heading,
        intro=text.get("intro", ""),
        scope=scope,
    )
    parts = [HTMLBlock(head), *builders()[name](b)]
    return Section(name, heading, parts)


def note(text: str) -> HTMLBlock:
    """One line in place of a chart or table (nothing to show, too little data, left out)."""
    return HTMLBlock(Markup('<p class="relations-note"><em>{}</em></p>').format(text))


def source_links(b: Briefing, ids: Any) -> Markup:
    """Links to a row's sources: the publisher's name, or in an executive briefing the
    source's number in the list at the end (``[12]``), which keeps tables narrow."""
    if b.length == "executive":
        from .methods import cited_sources

        numbers = {sid: i + 1 for i, sid in enumerate(cited_sources(b)["source_id"])}
        urls = dict(zip(b.sources["source_id"], b.sources["url"], strict=True))
        return Markup(" ").join(
            link(urls.get(s), f"[S{numbers[s]}]") if s in numbers else esc(s) for s in ids
        )
    known = _links(b)
    return Markup("; ").join(known.get(s, esc(s)) for s in ids)


def _links(b: Briefing) -> dict[str, Markup]:
    cache = b.__dict__.setdefault("_source_links", {})
    if not cache:
        cache.update({r.source_id: link(r.url, r.publisher) for r in b.sources.itertuples()})
    return cache


def headline_cell(title: Any, summary: Any) -> Markup:
    return Markup("<strong>{}</strong><br><small>{}</small>").format(esc(title), esc(summary))


def event_rows(b: Briefing, events: pd.DataFrame, *, summaries: bool = True) -> list[list[Any]]:
    return [
        [
            fmt_date(r.date, r.date_precision),
            headline_cell(r.title, r.summary) if summaries else Markup("<strong>{}</strong>").format(r.title),
            esc(r.domain),
            badge(r.status),
            source_links(b, r.source_ids),
        ]
        for r in events.itertuples()
    ]


def table(
    headers: list[str],
    rows: list[list[Any]],
    css: str,
    keys: list[str] | None = None,
    *,
    compact: bool = False,
) -> HTMLBlock:
    """A table; ``keys`` (one row id per row) become ``data-row`` attributes; ``compact``
    uses a smaller type (executive briefings)."""
    return HTMLBlock(
        render("table.html.j2", headers=headers, rows=rows, css=css, keys=keys or [], compact=compact)
    )


# -- header and headline ------------------------------------------------------
def header_html(b: Briefing) -> Markup:
    from .. import data_hash
    from ..loaders import tables
    from .core import section_texts

    newest = b.newest_event
    lag = (b.end - newest).days
    contents = [(f"sec-{name}", t["heading"]) for name, t in section_texts().items() if b.shows(name)]
    # when the curators last changed the record: the newest `recorded` date of any table
    frames = [b.table(t) for t in tables(data_dir=b.data_dir)]
    recorded = [f["recorded"].max() for f in frames if "recorded" in f]
    revised = max(r for r in recorded if r is not None and not pd.isna(r))
    return render(
        "header.html.j2",
        length=b.length,
        title=b.title,
        period=b.period,
        domains=", ".join(b.domains) if b.domains else "all domains",
        n_events=len(b.events),
        newest=fmt_date(newest),
        revised=fmt_date(revised),
        revised_after=(revised - newest).days,
        version=data_hash(data_dir=b.data_dir)[:12],
        lag=lag,
        days=(b.end - b.start).days + 1,
        uncovered=min(lag, (b.end - b.start).days + 1),
        contents=contents,
    )
