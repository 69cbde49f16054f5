"""The analytic layer's data: what changed against earlier windows, the curators' judgements
valid at a window's end, and the state of each indicator. Pure pandas, no HTML.

>>> import pandas as pd
>>> from relations.briefing.scope import Scope
>>> s = Scope(pd.Timestamp("2025-04-01"), pd.Timestamp("2025-06-30"), ())
>>> p = previous_window(s)
>>> p.start.date(), p.end.date()
(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
>>> y = year_earlier(s)
>>> y.start.date(), y.end.date()
(datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from .core import per_briefing
from .scope import Scope, row_domains

if TYPE_CHECKING:
    from .core import Briefing

__all__ = [
    "changes",
    "comparable",
    "compared",
    "indicator_board",
    "judgements_valid",
    "previous_window",
    "year_earlier",
]


def previous_window(scope: Scope) -> Scope:
    """The window of equal length that ends the day before ``scope`` starts.

    A window of whole calendar months (a month, a quarter, a year, two years...) is compared
    with as many months before it, any other window with as many days.
    """
    months = _whole_months(scope)
    if months:
        start = scope.start - pd.DateOffset(months=months)
        return replace(scope, start=start, end=scope.start - pd.Timedelta(days=1), whole_record=False)
    days = (scope.end - scope.start).days + 1
    end = scope.start - pd.Timedelta(days=1)
    return replace(scope, start=end - pd.Timedelta(days=days - 1), end=end, whole_record=False)


def _whole_months(scope: Scope) -> int:
    """How many calendar months the window spans if it starts on a first and ends on a last
    day of a month, else 0."""
    if scope.start.day != 1 or (scope.end + pd.Timedelta(days=1)).day != 1:
        return 0
    return (scope.end.year - scope.start.year) * 12 + scope.end.month - scope.start.month + 1


def compared(scope: Scope) -> Scope:
    """The window whose figures are compared with the one before: the briefing's own or, for a
    briefing of the whole record (nothing before it), its last 12 months."""
    if not scope.whole_record:
        return scope
    start = max(scope.start, scope.end - pd.DateOffset(years=1) + pd.Timedelta(days=1))
    return replace(scope, start=start, whole_record=False)


def comparable(b: Briefing) -> bool:
    """Whether the window before the compared one overlaps the record at all (a briefing that
    starts with the record has nothing earlier to compare with)."""
    return bool(previous_window(compared(b.scope)).end >= b.table("events")["date"].min())


def _is_calendar(scope: Scope, freq: str) -> bool:
    per = pd.Period(scope.start, freq=freq)
    return scope.start == per.start_time.normalize() and scope.end == per.end_time.normalize()


def year_earlier(scope: Scope) -> Scope | None:
    """The same calendar quarter or month a year earlier (``None`` for other windows, and
    for a calendar year, whose previous window already is the year before)."""
    if _is_calendar(scope, "Q") or _is_calendar(scope, "M"):
        return replace(
            scope,
            start=scope.start - pd.DateOffset(years=1),
            end=(scope.end + pd.Timedelta(days=1) - pd.DateOffset(years=1)) - pd.Timedelta(days=1),
            whole_record=False,
        )
    return None


def _metrics(b: Briefing, scope: Scope) -> dict[str, float]:
    """The figures compared between windows, for one window."""
    from ..plot import contact_events

    t = b.table
    ev = scope.events(t("events"))
    # like the chart: events among third parties about the pair are not the pair's cooperation
    coded = ev.loc[ev["direction"].astype(str) != "third party", "goldstein"].dropna().astype(float)
    out: dict[str, float] = {"events": len(ev)}
    for dom in b.domains or [str(d) for d in t("events")["domain"].cat.categories]:
        out[f"events: {dom}"] = int((ev["domain"].astype(str) == dom).sum())
    out["high-level contacts"] = len(contact_events(ev))
    out["cooperation index (sum)"] = round(float(coded.sum()), 1)
    out["cooperation index (mean)"] = round(float(coded.mean()), 2) if len(coded) else float("nan")
    out["agreements signed"] = len(scope.agreements(t("agreements")))
    pos = t("claim_positions")
    claims = t("claims")
    in_scope = claims[scope._domain_mask("claims", claims)]["claim_id"]
    moved = pos[scope.in_window(pos["date"]) & pos["claim_id"].isin(set(in_scope))]
    out["claims with new positions"] = moved["claim_id"].nunique()
    pe = scope.people(t("people"))
    changed = scope.in_window(pe["start"]) | scope.in_window(pe["end"])
    out["office changes"] = int(changed.sum())
    return out


@per_briefing
def changes(b: Briefing) -> pd.DataFrame:
    """Each figure in this window, the previous one and (for a quarter or month) a year earlier.

    Columns: ``metric``, ``current``, ``previous``, ``change`` and, where it applies,
    ``year_earlier`` and ``change_on_year``.
    """
    window = compared(b.scope)
    now = _metrics(b, window)
    before = _metrics(b, previous_window(window))
    frame = pd.DataFrame(
        {"metric": list(now), "current": list(now.values()), "previous": list(before.values())}
    )
    frame["change"] = frame["current"] - frame["previous"]
    ago = year_earlier(window)
    if ago is not None:
        frame["year_earlier"] = list(_metrics(b, ago).values())
        frame["change_on_year"] = frame["current"] - frame["year_earlier"]
    return frame


@per_briefing
def judgements_valid(b: Briefing) -> pd.DataFrame:
    """For each question, the newest judgement made on or before the window's end whose
    basis touches a picked domain (the curators' assessment, not the parties' words)."""
    j = b.table("judgements")
    j = j[j["as_of"] <= b.end].sort_values(["question", "as_of", "judgement_id"])
    latest = j.groupby("question", sort=False).tail(1)
    keep = pd.Series(
        [b.scope.covers(_domains_of(b, r.basis)) for r in latest.itertuples()], index=latest.index, dtype=bool
    )
    return latest[keep].sort_values(["as_of", "judgement_id"], ascending=[False, True]).reset_index(drop=True)


def _domains_of(b: Briefing, ids: list[str]) -> set[str]:
    """Domains of the rows that some ids name (events, claims, agreements, transfers, projects)."""
    lookups = {
        "events": ("event_id", "events"),
        "claims": ("claim_id", "claims"),
        "agreements": ("agreement_id", "agreements"),
        "arms_transfers": ("transfer_id", "arms_transfers"),
        "projects": ("project_id", "projects"),
    }
    out: set[str] = set()
    for table, (key, name) in lookups.items():
        df = b.table(name)
        for r in df[df[key].isin(set(ids))].itertuples():
            out.update(row_domains(table, r))
    return out


@per_briefing
def indicator_board(b: Briefing) -> pd.DataFrame:
    """Each indicator in a picked domain, its state at the window's end, since when it has held
    (re-checks that found the same state do not move it), when it was last checked, and whether
    it changed inside the window (those first).

    Columns: ``indicator_id``, ``name``, ``direction``, ``domain``, ``state``, ``since``,
    ``checked``, ``changed``, ``evidence_ids``, ``source_ids``, ``note``.
    """
    ind = b.table("indicators")
    ind = ind[ind["domain"].astype(str).map(lambda d: b.scope.covers([d]))]
    st = b.table("indicator_states")
    st = st[st["date"] <= b.end].sort_values(["indicator_id", "date", "state_id"])
    last = st.groupby("indicator_id").tail(1).set_index("indicator_id")
    # a change: a state that differs from the one before it (a first "not observed" is no change)
    before = st.groupby("indicator_id")["state"].shift(1).astype("string").fillna("not_observed")
    moved = st[st["state"].astype(str) != before]
    inside = set(moved.loc[b.scope.in_window(moved["date"]), "indicator_id"])
    # since: the first row of the run of equal states the indicator ends in (re-checks extend it)
    run = st["state"].astype(str) != st.groupby("indicator_id")["state"].shift(1).astype("string").fillna("")
    began = st[run].groupby("indicator_id")["date"].max()
    rows = []
    for r in ind.itertuples():
        s = last.loc[r.indicator_id] if r.indicator_id in last.index else None
        rows.append(
            {
                "indicator_id": r.indicator_id,
                "name": r.name,
                "direction": str(r.direction),
                "domain": str(r.domain),
                "state": "no record yet" if s is None else str(s["state"]).replace("_", " "),
                "since": pd.NaT if s is None else began[r.indicator_id],
                "checked": pd.NaT if s is None else s["date"],
                "changed": r.indicator_id in inside,
                "evidence_ids": [] if s is None else list(s["evidence_ids"]),
                "source_ids": [] if s is None else list(s["source_ids"]),
                "note": "" if s is None else s["note"],
            }
        )
    board = pd.DataFrame(rows, columns=[
        "indicator_id", "name", "direction", "domain", "state", "since", "checked", "changed",
        "evidence_ids", "source_ids", "note",
    ])  # fmt: skip
    return board.sort_values(["changed", "name"], ascending=[False, True]).reset_index(drop=True)
