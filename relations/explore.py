"""An interactive explorer of the events for JupyterLab (ipywidgets).

The filtering and the HTML it shows are plain functions, tested without a browser;
:class:`Explorer` only wires them to widgets.

>>> import relations
>>> from relations.explore import filter_events
>>> events = relations.load("events")
>>> part = filter_events(events, domains=["nuclear"], search="bushehr")
>>> set(part["domain"].astype(str)) <= {"nuclear"}
True
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .briefing import esc, link
from .loaders import load

__all__ = ["Explorer", "event_detail_html", "events_table_html", "filter_events"]


def filter_events(
    events: pd.DataFrame,
    *,
    start: Any = None,
    end: Any = None,
    domains: Sequence[str] = (),
    actors: Sequence[str] = (),
    statuses: Sequence[str] = (),
    search: str = "",
) -> pd.DataFrame:
    """Events within [start, end] whose domain, status and actors match and whose title contains ``search``.

    Empty selections mean "any"; the search ignores case.
    """
    mask = pd.Series(True, index=events.index)
    if start is not None and str(start) != "":
        mask &= events["date"] >= pd.Timestamp(start)
    if end is not None and str(end) != "":
        mask &= events["date"] <= pd.Timestamp(end)
    if domains:
        mask &= events["domain"].astype(str).isin(list(domains))
    if statuses:
        mask &= events["status"].astype(str).isin(list(statuses))
    if actors:
        wanted = set(actors)
        mask &= events["actors"].map(lambda a: bool(wanted & set(a)))
    if search.strip():
        mask &= events["title"].str.contains(search.strip(), case=False, regex=False, na=False)
    return events[mask]


def events_table_html(events: pd.DataFrame, sources: pd.DataFrame, *, limit: int = 150) -> str:
    """An HTML table of events (newest first) with clickable, escaped source links."""
    by_id = sources.set_index("source_id")
    rows = []
    for r in events.sort_values("date", ascending=False).head(limit).itertuples():
        links = "; ".join(
            link(by_id.loc[s, "url"], by_id.loc[s, "publisher"]) if s in by_id.index else esc(s)
            for s in r.source_ids
        )
        rows.append(
            f'<tr data-event-id="{esc(r.event_id)}"><td>{esc(r.date.strftime("%Y-%m-%d"))}</td>'
            f"<td>{esc(r.title)}</td><td>{esc(r.domain)}</td><td>{esc(r.status)}</td><td>{links}</td></tr>"
        )
    more = (
        f"<p><small>Showing the newest {limit} of {len(events)}.</small></p>" if len(events) > limit else ""
    )
    return (
        '<table class="relations-explorer-table" style="border-collapse:collapse;font-size:12px">'
        "<thead><tr><th>date</th><th>title</th><th>domain</th><th>status</th><th>sources</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{more}"
    )


def event_detail_html(
    event_id: str, events: pd.DataFrame, sources: pd.DataFrame, claims: pd.DataFrame
) -> str:
    """One event with its summary, every source (title, publisher, type) and its linked claim."""
    hit = events[events["event_id"] == event_id]
    if hit.empty:
        return "<p>Pick an event.</p>"
    r = hit.iloc[0]
    src = sources[sources["source_id"].isin(r["source_ids"])]
    items = "".join(
        f"<li>{link(s.url, s.title)} — {esc(s.publisher)} <small>[{esc(s.publisher_type)}]</small></li>"
        for s in src.itertuples()
    )
    claim = ""
    if "claim_id" in r and not pd.isna(r["claim_id"]):
        c = claims[claims["claim_id"] == r["claim_id"]]
        if not c.empty:
            row = c.iloc[0]
            ours = ""
            if "likelihood" in row and not pd.isna(row["likelihood"]):
                conf = "" if pd.isna(row.get("confidence")) else f", {esc(row['confidence'])} confidence"
                ours = f" · our assessment: {esc(row['likelihood'])}{conf}"
            claim = (
                '<p class="relations-explorer-claim">Rests on the claim: '
                f"<strong>{esc(row['statement'])}</strong> (parties: {esc(row['status'])}{ours})</p>"
            )
    return (
        f'<div class="relations-explorer-detail"><h4>{esc(r["title"])}</h4>'
        f"<p>{esc(r['date'].strftime('%d %B %Y'))} · {esc(r['domain'])} · {esc(r['status'])} · "
        f"actors: {esc(', '.join(r['actors']))}</p><p>{esc(r['summary'])}</p>{claim}"
        f"<p>Sources:</p><ul>{items}</ul></div>"
    )


class Explorer:
    """Filters (dates, domains, actors, status, title search), a timeline, a table and a detail view.

    In a notebook, ``Explorer()`` as the last line of a cell shows it; every change of a
    control recomputes :meth:`filtered` and refreshes the count, chart, table and list.
    """

    def __init__(
        self, *, start: str = "", end: str = "", data_dir: str | os.PathLike[str] | None = None
    ) -> None:
        import ipywidgets as w

        self.events = load("events", data_dir=data_dir)
        self.sources = load("sources", data_dir=data_dir)
        self.claims = load("claims", data_dir=data_dir)
        months = pd.date_range(
            self.events["date"].min().to_period("M").start_time, self.events["date"].max(), freq="MS"
        )
        options = [(m.strftime("%b %Y"), m) for m in months]
        lo = 0 if not start else max(0, int(months.searchsorted(pd.Timestamp(start), side="right")) - 1)
        hi = (
            len(months) - 1
            if not end
            else max(lo, int(months.searchsorted(pd.Timestamp(end), side="right")) - 1)
        )
        layout = w.Layout(width="auto")
        self.dates = w.SelectionRangeSlider(
            options=options,
            index=(lo, hi),
            description="Dates",
            layout=w.Layout(width="95%"),
            continuous_update=False,
        )
        self.domain = w.SelectMultiple(
            options=list(self.events["domain"].cat.categories), rows=7, description="Domain", layout=layout
        )
        counts = pd.Series([a for acts in self.events["actors"] for a in acts]).value_counts()
        self.actor = w.SelectMultiple(
            options=list(counts.index[:20]), rows=7, description="Actor", layout=layout
        )
        self.status = w.SelectMultiple(
            options=list(self.events["status"].cat.categories), rows=5, description="Status", layout=layout
        )
        self.search = w.Text(placeholder="search titles, e.g. treaty", description="Search")
        self.search.add_class("relations-explorer-search")
        self.count = w.HTML()
        self.count.add_class("relations-explorer-count")
        self.chart = w.Output()
        self.chart.add_class("relations-explorer-chart")
        self.table = w.HTML()
        self.pick = w.Dropdown(description="Event", layout=w.Layout(width="95%"))
        self.detail = w.HTML()
        for control in (self.dates, self.domain, self.actor, self.status, self.search):
            control.observe(self.update, names="value")
        self.pick.observe(self._show_detail, names="value")
        self.update()

    def filtered(self) -> pd.DataFrame:
        """The events the controls select now."""
        lo, hi = self.dates.value
        end = (pd.Timestamp(hi) + pd.offsets.MonthEnd(0)) if hi is not None else None
        return filter_events(
            self.events,
            start=lo,
            end=end,
            domains=self.domain.value,
            actors=self.actor.value,
            statuses=self.status.value,
            search=self.search.value,
        )

    def _chart_png(self, part: pd.DataFrame) -> bytes:
        """The timeline of ``part`` as PNG bytes, drawn on a bare Figure.

        No pyplot and no backend: the process's backend and rcParams stay as they are.
        """
        from matplotlib.figure import Figure

        from . import plot

        with plot.house_style():
            fig = Figure(figsize=(11, 5.5), layout="constrained")
        plot.timeline(part, ax=fig.add_subplot(), max_labels=6, title=None)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80, bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()

    def update(self, *_: Any) -> None:
        """Recompute the selection and refresh the count, chart, table and event list."""
        from IPython.display import Image, display

        part = self.filtered()
        self.count.value = f"<b>{len(part)}</b> of {len(self.events)} events selected"
        self.table.value = events_table_html(part, self.sources)
        self.chart.clear_output(wait=True)
        with self.chart:
            display(Image(self._chart_png(part)))
        newest = part.sort_values("date", ascending=False).head(300)
        self.pick.options = [(f"{r.date:%Y-%m-%d} {r.title}", r.event_id) for r in newest.itertuples()]
        self._show_detail()

    def _show_detail(self, *_: Any) -> None:
        self.detail.value = event_detail_html(self.pick.value or "", self.events, self.sources, self.claims)

    def widget(self):
        """The whole explorer as one widget."""
        import ipywidgets as w

        controls = w.HBox([self.domain, self.actor, self.status])
        return w.VBox(
            [
                self.dates,
                controls,
                self.search,
                self.count,
                self.chart,
                self.table,
                w.HTML("<h4>Event detail</h4>"),
                self.pick,
                self.detail,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
