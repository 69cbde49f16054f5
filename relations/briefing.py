"""The briefing: filtered data and the sections the briefing notebook shows.

The notebook only calls these methods; every section is built here, so the
logic is tested once and every text that comes from the data is HTML-escaped
(only http(s) URLs become links).

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31")
>>> b.start.year, b.end.year
(2025, 2025)
>>> b.headline().html.startswith('<div class="relations-headline">')
True
"""

from __future__ import annotations

import html
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from .loaders import data_hash, load
from .params import domains as schema_domains
from .params import validate_parameters
from .schema import read_package

__all__ = ["Briefing", "HTMLBlock", "link"]

CONTESTED = ("alleged", "denied", "disputed")


class HTMLBlock:
    """A piece of HTML that Jupyter renders (and nbconvert exports) as is."""

    def __init__(self, html_text: str) -> None:
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # plain-text fallback, no markup
        return f"<HTMLBlock {len(self.html)} characters>"


def esc(value: Any) -> str:
    """Escape any value for HTML text or attributes."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def link(url: Any, text: Any) -> str:
    """An ``<a>`` for http(s) URLs; anything else is shown as escaped text."""
    u = str(url or "").strip()
    if u.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(u)}" rel="noopener noreferrer">{esc(text)}</a>'
    return esc(text)


def _fmt_date(ts: Any, precision: str | None = None) -> str:
    if ts is None or pd.isna(ts):
        return ""
    if precision == "year":
        return ts.strftime("%Y")
    if precision == "month":
        return ts.strftime("%b %Y")
    return ts.strftime("%d %b %Y")


def _status(value: Any) -> str:
    """A coloured status badge (confirmed, reported, alleged, denied, disputed...)."""
    return f'<span class="status status-{esc(value)}">{esc(value)}</span>'


def _headline(title: Any, summary: Any) -> str:
    """An event's title in bold with its summary below."""
    return f"<strong>{esc(title)}</strong><br><small>{esc(summary)}</small>"


def _table(headers: Sequence[str], rows: list[list[str]], *, css: str) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="relations-table {css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


@dataclass
class Briefing:
    """A briefing over a date window and a set of domains.

    Build it with :meth:`from_parameters`, which validates the parameters the
    same way ``relations brief`` does.
    """

    title: str
    start: pd.Timestamp
    end: pd.Timestamp
    domains: list[str]
    events: pd.DataFrame
    agreements: pd.DataFrame
    sources: pd.DataFrame
    parameters: dict[str, Any] = field(default_factory=dict)
    data_dir: str | None = None

    @classmethod
    def from_parameters(
        cls,
        *,
        start: str = "",
        end: str = "",
        domains: Sequence[str] = (),
        title: str = "The Russia–Iran partnership",
        data_dir: str | os.PathLike[str] | None = None,
    ) -> Briefing:
        """Validate the parameters, load the tables and cut them to the window."""
        raw = {
            "start": start,
            "end": end,
            "domains": list(domains),
            "title": title,
            "data_dir": str(data_dir or ""),
        }
        p = validate_parameters(raw)
        ddir = p["data_dir"] or None
        events = load("events", data_dir=ddir)
        agreements = load("agreements", data_dir=ddir)
        sources = load("sources", data_dir=ddir)
        lo = pd.Timestamp(p["start"]) if p["start"] else events["date"].min()
        hi = pd.Timestamp(p["end"]) if p["end"] else events["date"].max()
        picked = p["domains"] or schema_domains(ddir)
        mask = events["date"].between(lo, hi) & events["domain"].astype(str).isin(picked)
        window = events[mask].sort_values(["date", "event_id"]).reset_index(drop=True)
        agr = agreements[agreements["signed"].between(lo, hi)].sort_values("signed")
        return cls(
            p["title"],
            lo,
            hi,
            p["domains"],
            window,
            agr.reset_index(drop=True),
            sources,
            parameters=p,
            data_dir=ddir,
        )

    # -- helpers -------------------------------------------------------------
    def _event_rows(self, events: pd.DataFrame) -> list[list[str]]:
        """Table rows (date, development, domain, status, sources) for some events."""
        return [
            [
                esc(_fmt_date(r.date, r.date_precision)),
                _headline(r.title, r.summary),
                esc(r.domain),
                _status(r.status),
                self._source_links(r.source_ids),
            ]
            for r in events.itertuples()
        ]

    @cached_property
    def _source_link_by_id(self) -> dict[str, str]:
        """Each source's link (its publisher, pointing to its URL), built once per briefing."""
        return {r.source_id: link(r.url, r.publisher) for r in self.sources.itertuples()}

    def _source_links(self, ids: Sequence[str]) -> str:
        known = self._source_link_by_id
        return "; ".join(known.get(sid, esc(sid)) for sid in ids)

    @property
    def period(self) -> str:
        return f"{_fmt_date(self.start)} – {_fmt_date(self.end)}"

    # -- sections ------------------------------------------------------------
    def header(self) -> HTMLBlock:
        """Title, period and domains of the briefing."""
        doms = ", ".join(self.domains) if self.domains else "all domains"
        return HTMLBlock(
            f'<h1 class="relations-title">{esc(self.title)}</h1>'
            f'<p class="relations-scope">Period: {esc(self.period)} · Domains: {esc(doms)} · '
            f"{len(self.events)} events from the relations evidence base</p>"
        )

    def headline(self) -> HTMLBlock:
        """Headline numbers: events, their status, sources and agreements in the window."""
        ev = self.events
        n = len(ev)
        counts = ev["status"].astype(str).value_counts()
        confirmed = int(counts.get("confirmed", 0))
        contested = int(sum(counts.get(s, 0) for s in CONTESTED))
        cited = {s for ids in ev["source_ids"] for s in ids}
        top = ev["domain"].astype(str).value_counts().head(3)
        figures = [
            ("events in the record", f"{n}"),
            ("confirmed", f"{confirmed} ({confirmed / n:.0%})" if n else "0"),
            ("contested (alleged, denied, disputed)", f"{contested}"),
            ("agreements signed", f"{len(self.agreements)}"),
            ("distinct sources cited", f"{len(cited)}"),
            ("busiest domains", ", ".join(f"{d} ({c})" for d, c in top.items()) or "none"),
        ]
        cells = "".join(
            f'<div class="relations-figure"><span class="value">{esc(v)}</span>'
            f'<span class="label">{esc(k)}</span></div>'
            for k, v in figures
        )
        return HTMLBlock(f'<div class="relations-headline">{cells}</div>')

    def key_developments(self, *, limit: int = 40) -> HTMLBlock:
        """The key events of the window (milestones first, then the most recent)."""
        ev = self.events
        if ev.empty:
            return HTMLBlock("<p>No events in this window.</p>")
        key = ev[ev["key_event"].fillna(False)]
        rest = ev[~ev["key_event"].fillna(False)].sort_values("date", ascending=False)
        picked = pd.concat([key, rest]).head(limit).sort_values("date")
        rows = self._event_rows(picked)
        note = (
            f"<p><small>{len(picked)} of {len(ev)} events shown: milestones first, then the "
            "most recent.</small></p>"
        )
        return HTMLBlock(
            note
            + _table(
                ["date", "development", "domain", "status", "sources"], rows, css="relations-developments"
            )
        )

    def _figure(self, fn_name: str, **kwargs):
        import matplotlib.pyplot as plt

        from . import plot

        fn = getattr(plot, fn_name)
        ax = fn(self.events, **kwargs)
        fig = ax.figure
        plt.close(fig)
        return fig

    def timeline(self, **kwargs):
        """The timeline chart of the window (a matplotlib Figure)."""
        return self._figure("timeline", **kwargs)

    def activity(self, **kwargs):
        """Events per quarter by domain (a matplotlib Figure)."""
        return self._figure("activity", **kwargs)

    def status_breakdown(self, **kwargs):
        """Share of each domain's events by status (a matplotlib Figure)."""
        return self._figure("status_breakdown", **kwargs)

    def contested_claims(self) -> HTMLBlock:
        """Events that rest on alleged, denied or disputed claims, with who says what."""
        ev = self.events[self.events["status"].astype(str).isin(CONTESTED)]
        if ev.empty:
            return HTMLBlock("<p>No alleged, denied or disputed events in this window.</p>")
        rows = [
            [
                esc(_fmt_date(r.date, r.date_precision)),
                _headline(r.title, r.summary),
                _status(r.status),
                esc(", ".join(r.actors)),
                self._source_links(r.source_ids),
            ]
            for r in ev.itertuples()
        ]
        return HTMLBlock(
            _table(["date", "claim", "status", "actors", "sources"], rows, css="relations-claims")
        )

    def agreements_table(self) -> HTMLBlock:
        """Agreements signed in the window with their key terms."""
        ag = self.agreements
        if ag.empty:
            return HTMLBlock("<p>No agreements signed in this window.</p>")

        def val(v: Any, fmt=str) -> str:
            return "unknown" if v is None or pd.isna(v) else esc(fmt(v))

        rows = [
            [
                esc(_fmt_date(r.signed)),
                f"<strong>{esc(r.title)}</strong>"
                + (f"<br><small>{esc(r.notes)}</small>" if not pd.isna(r.notes) else ""),
                esc(r.kind),
                esc(", ".join(r.parties)),
                esc(r.signed_place),
                val(r.in_force, _fmt_date),
                val(r.duration_years),
                val(r.n_articles),
                val(r.mutual_defence, lambda b: "yes" if b else "no"),
                self._source_links(r.source_ids),
            ]
            for r in ag.itertuples()
        ]
        headers = [
            "signed",
            "agreement",
            "kind",
            "parties",
            "place",
            "in force",
            "years",
            "articles",
            "mutual defence",
            "sources",
        ]
        return HTMLBlock(_table(headers, rows, css="relations-agreements"))

    # -- evidence-base sections ----------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """Any table of the data package (loaded once per briefing)."""
        return self._tables[name] if name in self._tables else self._load(name)

    @cached_property
    def _tables(self) -> dict[str, pd.DataFrame]:
        return {}

    def _load(self, name: str) -> pd.DataFrame:
        self._tables[name] = load(name, data_dir=self.data_dir)
        return self._tables[name]

    def _years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def cooperation_index(self, **kwargs):
        """Monthly Goldstein sum by direction with event counts (a matplotlib Figure)."""
        return self._figure("cooperation_index", **kwargs)

    def contacts(self, **kwargs):
        """High-level meetings, visits and calls per quarter (a matplotlib Figure)."""
        return self._figure("contacts", **kwargs)

    def _plot(self, fn_name: str, *args, **kwargs):
        import matplotlib.pyplot as plt

        from . import plot

        ax = getattr(plot, fn_name)(*args, **kwargs)
        plt.close(ax.figure)
        return ax.figure

    def treaty_comparison(self) -> HTMLBlock:
        """The 2025 treaty against the 2001 treaty and the 2024 Russia–North Korea treaty."""
        from .plot.treaties import TREATIES

        ag = self.table("agreements").set_index("agreement_id")
        rows = []
        for aid, label in TREATIES.items():
            if aid not in ag.index:
                continue
            r = ag.loc[aid]
            defence = "unknown" if pd.isna(r["mutual_defence"]) else ("yes" if r["mutual_defence"] else "no")
            rows.append(
                [
                    f"<strong>{esc(label)}</strong><br><small>{esc(r['title'])}</small>",
                    esc(_fmt_date(r["signed"]))
                    + (f", {esc(r['signed_place'])}" if not pd.isna(r["signed_place"]) else ""),
                    "unknown" if pd.isna(r["in_force"]) else esc(_fmt_date(r["in_force"])),
                    "unknown" if pd.isna(r["n_articles"]) else esc(r["n_articles"]),
                    "unknown" if pd.isna(r["duration_years"]) else esc(r["duration_years"]),
                    esc(defence),
                    self._source_links(r["source_ids"]),
                ]
            )
        headers = ["treaty", "signed", "in force", "articles", "years", "mutual defence", "sources"]
        return HTMLBlock(_table(headers, rows, css="relations-treaties"))

    def treaty_matrix(self, **kwargs):
        """ATOP obligations of the three treaties side by side (a matplotlib Figure)."""
        return self._plot("treaty_matrix", self.table("agreement_provisions"), **kwargs)

    def treaty_provisions(
        self, agreement_id: str = "rus-irn-comprehensive-strategic-partnership-treaty-2025"
    ) -> HTMLBlock:
        """Article-level coding of one treaty, with alternative codings and sources."""
        pr = self.table("agreement_provisions")
        pr = pr[pr["agreement_id"] == agreement_id]
        rows = [
            [
                esc("" if pd.isna(r.article) else f"Art. {r.article}"),
                esc(r.area),
                esc(r.summary)
                + (
                    f"<br><small>ATOP {esc(r.atop_obligation)}: {esc(r.value)}"
                    + (
                        f"; alternative {esc(r.alternative_value)}: {esc(r.alternative_note)}"
                        if not pd.isna(r.alternative_value)
                        else ""
                    )
                    + "</small>"
                    if not pd.isna(r.atop_obligation)
                    else ""
                ),
                self._source_links(r.source_ids),
            ]
            for r in pr.itertuples()
        ]
        return HTMLBlock(
            _table(["article", "area", "provision", "sources"], rows, css="relations-provisions")
        )

    def arms_transfers(self, **kwargs):
        """Transfers by direction, category and status (a matplotlib Figure)."""
        return self._plot("arms_transfers", self.table("arms_transfers"), **kwargs)

    def arms_table(self) -> HTMLBlock:
        """Transfers recorded, with numbers, status and the claim they rest on."""
        at = self.table("arms_transfers").sort_values(["supplier", "category", "designation"])
        claims = self.table("claims").set_index("claim_id")

        def numbers(lo, hi) -> str:
            vals = [v for v in (lo, hi) if not pd.isna(v)]
            if not vals:
                return "unknown"
            if len(vals) == 1 or vals[0] == vals[1]:
                return esc(vals[0])
            return f"{esc(vals[0])}–{esc(vals[1])}"

        rows = [
            [
                esc(f"{r.supplier}→{r.recipient}"),
                f"<strong>{esc(r.designation)}</strong><br><small>{esc(r.description)}</small>",
                esc(r.category),
                esc("" if pd.isna(r.delivery_years) else r.delivery_years),
                numbers(r.number_low, r.number_high),
                _status(r.status)
                + (
                    f"<br><small>claim: {esc(claims.loc[r.claim_id, 'statement'])}</small>"
                    if not pd.isna(r.claim_id) and r.claim_id in claims.index
                    else ""
                ),
                self._source_links(r.source_ids),
            ]
            for r in at.itertuples()
        ]
        headers = ["direction", "system", "category", "deliveries", "number", "status", "sources"]
        return HTMLBlock(_table(headers, rows, css="relations-arms"))

    def trade(self, **kwargs):
        """Russia–Iran trade by reporter, with comparators (a matplotlib Figure)."""
        kwargs.setdefault("comparators", ("CHN", "TUR", "IND"))
        return self._plot("trade", self.table("trade"), **kwargs)

    def trade_table(self) -> HTMLBlock:
        """Every Russia–Iran figure in the window's years, by reporter; the preferred one marked."""
        tr = self.table("trade")
        tr = tr[(tr["partner_b"] == "IRN") & tr["year"].isin(list(self._years()))].sort_values(
            ["year", "period_type", "reporter"]
        )
        rows = [
            [
                esc(r.year),
                esc(r.period) + f"<br><small>{esc(r.period_type)}</small>",
                esc(r.reporter),
                esc(r.flow),
                "not given" if pd.isna(r.value_usd) else f"${r.value_usd / 1e9:,.2f} bn",
                "preferred" if r.preferred else "",
                esc("" if pd.isna(r.notes) else r.notes),
                self._source_links(r.source_ids),
            ]
            for r in tr.itertuples()
        ]
        if not rows:
            return HTMLBlock("<p>No trade figures for the years of this window.</p>")
        headers = ["year", "period", "reporter", "flow", "value", "", "notes", "sources"]
        return HTMLBlock(_table(headers, rows, css="relations-trade"))

    def projects_table(self) -> HTMLBlock:
        """Energy, nuclear, transport, finance and space projects with their figures."""
        pj = self.table("projects").sort_values(["sector", "name"])

        def fig(r) -> str:
            vals = [v for v in (r.value_low, r.value_high) if not pd.isna(v)]
            if not vals:
                return ""
            span = (
                f"{vals[0]:,.4g}"
                if len(vals) == 1 or vals[0] == vals[1]
                else f"{vals[0]:,.4g}–{vals[1]:,.4g}"
            )
            return f"{esc(span)} {esc('' if pd.isna(r.unit) else r.unit)}"

        rows = [
            [
                f"<strong>{esc(r.name)}</strong>"
                + (f"<br><small>{esc(r.notes)}</small>" if not pd.isna(r.notes) else ""),
                esc(r.sector),
                esc(str(r.status).replace("_", " ")),
                fig(r),
                self._source_links(r.source_ids),
            ]
            for r in pj.itertuples()
        ]
        return HTMLBlock(
            _table(["project", "sector", "status", "figures", "sources"], rows, css="relations-projects")
        )

    def claims_board(self, **kwargs):
        """Each claim, its status and each party's latest position (a matplotlib Figure)."""
        return self._plot("claims_board", self.table("claims"), self.table("claim_positions"), **kwargs)

    def claims_table(self) -> HTMLBlock:
        """Claims with every dated position and its source: who says what."""
        cl = self.table("claims").sort_values("first_reported")
        pos = self.table("claim_positions").sort_values("date")
        rows = []
        for c in cl.itertuples():
            said = "".join(
                f"<li><strong>{esc(p.party)}</strong> {esc(str(p.position).replace('_', ' '))} "
                f"({esc(_fmt_date(p.date))}): {esc(p.statement_summary)} "
                f"<small>[{self._source_links(p.source_ids)}]</small></li>"
                for p in pos[pos["claim_id"] == c.claim_id].itertuples()
            )
            extra = [
                x
                for x in (
                    None if pd.isna(c.likelihood) else f"likelihood: {c.likelihood}",
                    None if pd.isna(c.confidence) else f"confidence: {c.confidence}",
                    None if pd.isna(c.preferred_note) else c.preferred_note,
                )
                if x
            ]
            rows.append(
                [
                    esc(_fmt_date(c.first_reported)),
                    f"<strong>{esc(c.statement)}</strong>"
                    + (f"<br><small>{esc('; '.join(extra))}</small>" if extra else "")
                    + f"<ul>{said}</ul>",
                    _status(c.status),
                    self._source_links(c.source_ids),
                ]
            )
        return HTMLBlock(
            _table(
                ["first reported", "claim and positions", "status", "sources"],
                rows,
                css="relations-claimsboard",
            )
        )

    def who_is_who(self) -> HTMLBlock:
        """Office holders in the window, with role changes that fall inside it."""
        pe = self.table("people")
        start = pe["start"].fillna(pd.Timestamp.min)
        end = pe["end"].fillna(pd.Timestamp.max)
        inside = pe[(start <= self.end) & (end >= self.start)].sort_values(["country", "role", "start"])
        rows = [
            [
                esc(r.country),
                esc(r.role),
                f"<strong>{esc(r.name)}</strong>",
                esc(_fmt_date(r.start)) or "unknown",
                esc(_fmt_date(r.end)) or "in office",
                "change in window"
                if (not pd.isna(r.start) and self.start <= r.start <= self.end)
                or (not pd.isna(r.end) and self.start <= r.end <= self.end)
                else "",
                self._source_links(r.source_ids),
            ]
            for r in inside.itertuples()
        ]
        if not rows:
            return HTMLBlock("<p>No office holders recorded for this window.</p>")
        return HTMLBlock(
            _table(["country", "role", "name", "from", "to", "", "sources"], rows, css="relations-people")
        )

    def frictions(self) -> HTMLBlock:
        """Events of the window that show friction between Moscow and Tehran."""
        ev = self.events[self.events["friction"].fillna(False)]
        if ev.empty:
            return HTMLBlock("<p>No frictions recorded in this window.</p>")
        rows = self._event_rows(ev)
        return HTMLBlock(
            _table(["date", "friction", "domain", "status", "sources"], rows, css="relations-frictions")
        )

    def sources_and_methods(self) -> HTMLBlock:
        """Parameters, package version, data hash, method and licence."""
        from . import __version__

        pkg = read_package(self.data_dir)
        licence = ", ".join(x.get("name", "") for x in pkg.descriptor.get("licenses", []))
        params = "".join(
            f"<tr><th>{esc(k)}</th><td>{esc(v if v not in ('', [], None) else '(default)')}</td></tr>"
            for k, v in self.parameters.items()
            if k != "data_dir"
        )
        method = esc(pkg.descriptor.get("description", "")).replace("\n\n", "</p><p>")
        cited = sorted(
            {s for ids in self.events["source_ids"] for s in ids}
            | {s for ids in self.agreements["source_ids"] for s in ids}
        )
        src = self.sources[self.sources["source_id"].isin(cited)].sort_values("publisher")
        items = "".join(
            f"<li>{link(r.url, r.title)} — {esc(r.publisher)}"
            f"{', ' + esc(_fmt_date(r.published)) if not pd.isna(r.published) else ''}"
            f" <small>[{esc(r.publisher_type)}]</small></li>"
            for r in src.itertuples()
        )
        from .provenance import environment, table_hashes

        env = environment()
        deps = esc(", ".join(f"{k} {v}" for k, v in env["dependencies"].items()))
        hashes = "".join(
            f"<tr><td>{esc(name)}</td><td><code>{esc(h)}</code></td></tr>"
            for name, h in table_hashes(self.data_dir).items()
        )
        return HTMLBlock(
            '<table class="relations-params">'
            f"{params}"
            f"<tr><th>period used</th><td>{esc(self.period)}</td></tr>"
            f"<tr><th>relations version</th><td>{esc(__version__)}</td></tr>"
            f"<tr><th>Python</th><td>{esc(platform.python_version())}</td></tr>"
            f"<tr><th>data (SHA-256)</th><td><code>{esc(data_hash(data_dir=self.data_dir))}</code></td></tr>"
            f"<tr><th>data licence</th><td>{esc(licence)}</td></tr>"
            f"<tr><th>git commit</th><td>{esc(env['git_commit'] or 'not a git checkout')}</td></tr>"
            f"<tr><th>dependencies</th><td>{deps}</td></tr>"
            "</table>"
            f'<h3>Data files (SHA-256)</h3><table class="relations-hashes">{hashes}</table>'
            f"<h3>Method</h3><p>{method}</p>"
            f'<h3>Sources cited in this briefing ({len(src)})</h3><ol class="relations-sources">{items}</ol>'
        )


def default_window(data_dir: str | os.PathLike[str] | None = None) -> tuple[str, str]:
    """First and newest event dates of the record (the default briefing window)."""
    ev = load("events", data_dir=data_dir)
    return ev["date"].min().date().isoformat(), ev["date"].max().date().isoformat()
