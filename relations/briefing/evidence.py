"""The evidence-base sections: agreements, the treaty, arms, economy, claims, people, sources.

Each builder shows only the rows :class:`~relations.briefing.scope.Scope` keeps for the
briefing's window and domains.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31")
>>> treaty_in_window(b)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .charts import figure
from .html import Markup, badge, esc, fmt_date, fmt_number, fmt_range, missing, render
from .sections import NOTHING, headline_cell, note, source_links, table

if TYPE_CHECKING:
    from .core import Briefing

MAIN_TREATY = "rus-irn-comprehensive-strategic-partnership-treaty-2025"
TREATIES = {
    "rus-irn-treaty-2001": "Russia–Iran 2001",
    MAIN_TREATY: "Russia–Iran 2025",
    "rus-prk-comprehensive-strategic-partnership-treaty-2024": "Russia–DPRK 2024",
}


def _unknown(value: Any, fmt=str) -> Any:
    return "unknown" if missing(value) else fmt(value)


def _small(text: Any) -> Markup:
    return Markup("") if missing(text) else Markup("<br><small>{}</small>").format(text)


def agreements(b: Briefing) -> list[Any]:
    ag = b.agreements
    if ag.empty:
        return [note(NOTHING)]
    rows = [
        [
            fmt_date(r.signed),
            Markup("<strong>{}</strong>{}").format(r.title, _small(r.notes)),
            esc(r.kind),
            ", ".join(r.parties),
            esc(r.signed_place),
            _unknown(r.in_force, fmt_date),
            _unknown(r.duration_years),
            _unknown(r.n_articles),
            _unknown(r.mutual_defence, lambda v: "yes" if v else "no"),
            source_links(b, r.source_ids),
        ]
        for r in ag.itertuples()
    ]
    headers = ["signed", "agreement", "kind", "parties", "place", "in force", "years", "articles"]
    return [
        table([*headers, "mutual defence", "sources"], rows, "relations-agreements", list(ag["agreement_id"]))
    ]


def treaty_in_window(b: Briefing) -> bool:
    ag = b.table("agreements")
    signed = ag.loc[ag["agreement_id"] == MAIN_TREATY, "signed"]
    return bool(len(signed)) and bool(b.scope.in_window(signed).iloc[0])


def treaty(b: Briefing) -> list[Any]:
    if not treaty_in_window(b):
        return [note("Nothing in this window.")]
    ag = b.table("agreements").set_index("agreement_id")
    rows = []
    keys = []
    for aid, label in TREATIES.items():
        if aid not in ag.index:
            continue
        keys.append(aid)
        r = ag.loc[aid]
        place = "" if missing(r["signed_place"]) else f", {r['signed_place']}"
        rows.append(
            [
                Markup("<strong>{}</strong><br><small>{}</small>").format(label, r["title"]),
                fmt_date(r["signed"]) + place,
                _unknown(r["in_force"], fmt_date),
                _unknown(r["n_articles"]),
                _unknown(r["duration_years"]),
                _unknown(r["mutual_defence"], lambda v: "yes" if v else "no"),
                source_links(b, r["source_ids"]),
            ]
        )
    headers = ["treaty", "signed", "in force", "articles", "years", "mutual defence", "sources"]
    parts: list[Any] = [table(headers, rows, "relations-treaties", keys)]
    from .registry import evidence_provisions

    pr = evidence_provisions(b)
    matrix = b.table("agreement_provisions")
    matrix = matrix[matrix["agreement_id"].isin(TREATIES)]
    parts.append(figure("treaty_matrix", matrix))
    prow = []
    for r in pr.itertuples():
        atop = Markup("")
        if not missing(r.atop_obligation):
            alt = (
                Markup("; alternative {}: {}").format(r.alternative_value, r.alternative_note)
                if not missing(r.alternative_value)
                else Markup("")
            )
            atop = Markup("<br><small>ATOP {}: {}{}</small>").format(r.atop_obligation, r.value, alt)
        article = "" if missing(r.article) else f"Art. {r.article}"
        prow.append(
            [article, esc(r.area), Markup("{}{}").format(r.summary, atop), source_links(b, r.source_ids)]
        )
    if prow:
        parts.append(
            table(
                ["article", "area", "provision", "sources"],
                prow,
                "relations-provisions",
                list(pr["provision_id"]),
            )
        )
    else:
        parts.append(note("No article of the treaty falls in the domains of this briefing."))
    return parts


def military(b: Briefing) -> list[Any]:
    at = b.shown("arms_transfers")
    if at.empty:
        return [note(NOTHING)]
    claims = b.table("claims").set_index("claim_id")
    rows = []
    for r in at.itertuples():
        claim = Markup("")
        if not missing(r.claim_id) and r.claim_id in claims.index:
            claim = Markup("<br><small>claim: {}</small>").format(claims.loc[r.claim_id, "statement"])
        rows.append(
            [
                f"{r.supplier}→{r.recipient}",
                Markup("<strong>{}</strong>{}").format(r.designation, _small(r.description)),
                esc(r.category),
                "" if missing(r.order_year) else str(r.order_year),
                esc(r.delivery_years),
                fmt_range(r.number_low, r.number_high),
                Markup("{}{}").format(badge(r.status), claim),
                source_links(b, r.source_ids),
            ]
        )
    headers = ["direction", "system", "category", "ordered", "deliveries", "number", "status", "sources"]
    charts = [figure("arms_transfers", at)]
    from .. import plot

    if plot.has_data("arms_quantities", at):
        charts.append(figure("arms_quantities", at))
    return [*charts, table(headers, rows, "relations-arms", list(at["transfer_id"]))]


def economy(b: Briefing) -> list[Any]:
    parts: list[Any] = []
    tr = b.shown("trade")
    rus_irn = tr[tr["partner_b"] == "IRN"]
    if tr["year"].nunique() >= 2:
        parts.append(figure("trade", tr, comparators=("CHN", "TUR", "IND")))
    elif len(tr):
        parts.append(note("One year of trade figures: no chart; see the table."))
    if not b.scope.covers(["trade"]):
        parts.append(note("Trade: left out, as trade is not among the picked domains."))
    elif rus_irn.empty:
        parts.append(note(f"Trade: {NOTHING}"))
    else:
        rows = [
            [
                str(r.year),
                Markup("{}<br><small>{}</small>").format(r.period, r.period_type),
                esc(r.reporter),
                esc(r.flow),
                "not given" if missing(r.value_usd) else f"${r.value_usd / 1e9:,.2f} bn",
                "preferred" if r.preferred else "",
                esc(r.notes),
                source_links(b, r.source_ids),
            ]
            for r in rus_irn.itertuples()
        ]
        headers = ["year", "period", "reporter", "flow", "value", "", "notes", "sources"]
        parts.append(table(headers, rows, "relations-trade", list(rus_irn["trade_id"])))
    pj = b.shown("projects")
    if pj.empty:
        parts.append(note(f"Projects: {NOTHING}"))
        return parts
    prow = [
        [
            Markup("<strong>{}</strong>{}").format(r.name, _small(r.notes)),
            esc(r.sector),
            str(r.status).replace("_", " "),
            fmt_date(r.start),
            ""
            if missing(r.value_low) and missing(r.value_high)
            else fmt_range(r.value_low, r.value_high, r.unit),
            source_links(b, r.source_ids),
        ]
        for r in pj.itertuples()
    ]
    parts.append(
        table(
            ["project", "sector", "status", "started", "figures", "sources"],
            prow,
            "relations-projects",
            list(pj["project_id"]),
        )
    )
    return parts


def claims(b: Briefing) -> list[Any]:
    cl = b.shown("claims")
    if cl.empty:
        return [note(NOTHING)]
    pos = b.shown("claim_positions")
    parts: list[Any] = [figure("claims_board", cl, pos)] if len(pos) else []
    rows = []
    for c in cl.itertuples():
        mine = pos[pos["claim_id"] == c.claim_id]
        said = render(
            "positions.html.j2",
            positions=[
                (
                    p.position_id,
                    p.party,
                    str(p.position).replace("_", " "),
                    fmt_date(p.date) or "undated",
                    p.statement_summary,
                    source_links(b, p.source_ids),
                )
                for p in mine.itertuples()
            ],
        )
        ours = "; ".join(
            x
            for x in (
                None if missing(c.likelihood) else f"likelihood {c.likelihood}",
                None if missing(c.confidence) else f"{c.confidence} confidence",
            )
            if x
        )
        rows.append(
            [
                fmt_date(c.first_reported),
                Markup("<strong>{}</strong>{}{}").format(c.statement, _small(c.preferred_note), said),
                badge(c.status),
                ours or "not assessed",
                source_links(b, c.source_ids),
            ]
        )
    headers = ["first reported", "claim and positions in the window", "parties", "our assessment", "sources"]
    parts.append(table(headers, rows, "relations-claimsboard", list(cl["claim_id"])))
    return parts


def people(b: Briefing) -> list[Any]:
    pe = b.shown("people")
    if pe.empty:
        return [note(NOTHING)]

    def changed(r) -> str:
        inside = any(not missing(d) and b.start <= d <= b.end for d in (r.start, r.end))
        return "change in window" if inside else ""

    rows = [
        [
            esc(r.country),
            esc(r.role),
            Markup("<strong>{}</strong>").format(r.name),
            fmt_date(r.start) or "unknown",
            fmt_date(r.end) or "in office",
            changed(r),
            source_links(b, r.source_ids),
        ]
        for r in pe.itertuples()
    ]
    return [
        table(
            ["country", "role", "name", "from", "to", "", "sources"],
            rows,
            "relations-people",
            list(pe["role_id"]),
        )
    ]


__all__ = ["MAIN_TREATY", "TREATIES", "fmt_number", "headline_cell", "treaty_in_window"]
