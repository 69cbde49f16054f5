"""Lessons' helpers: the small computations the lessons show, and exercise checking.

``check(exercise_id, answer)`` gives specific feedback for right, partly right and
wrong answers. The exercises — questions, expected answers, feedback — live in one YAML
file per lesson beside the notebooks (``notebooks/teaching/0N_*.yaml``, read by
:mod:`relations.lessons`); expected answers are pandas expressions over the shipped
tables, so the exercises stay right when the record grows. ``table(frame)`` shows a table
as a lesson prints it: every row, full text, blanks for missing values
(:mod:`relations.lessons.tables`).

>>> from relations import teaching
>>> fb = teaching.check("2.1", "no")
>>> fb.level
'right'
>>> teaching.check("2.1", "yes").level
'wrong'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .lessons.tables import table
from .loaders import load

__all__ = [
    "Feedback",
    "check",
    "domain_year_table",
    "exercises",
    "expected",
    "judgement_history",
    "latest_positions",
    "source_types",
    "state_at",
    "table",
    "trade_series",
    "trade_versions",
    "yearly_goldstein",
]


# -- what the lessons compute -------------------------------------------------------------


def domain_year_table(events: pd.DataFrame | None = None, *, since: str = "2018-01-01") -> pd.DataFrame:
    """Events per domain (rows) and year (columns) since ``since``.

    >>> bool(domain_year_table().columns.min() >= 2018)
    True
    """
    ev = load("events") if events is None else events
    ev = ev[ev["date"] >= since]
    return pd.crosstab(ev["domain"].astype(str), ev["date"].dt.year)


def latest_positions(claim_id: str) -> pd.Series:
    """Each party's latest dated position on a claim (party -> position).

    >>> latest_positions("cl-fath360-delivery")["USA"]
    'asserts'
    """
    pos = load("claim_positions")
    pos = pos[pos["claim_id"] == claim_id].sort_values("date")
    if pos.empty:
        known = ", ".join(sorted(load("claims")["claim_id"]))
        raise ValueError(f"unknown claim {claim_id!r} (known: {known})")
    return pos.groupby("party")["position"].last().astype(str)


def trade_series(partner: str = "IRN", *, preferred: bool = True) -> pd.Series:
    """Russia's calendar-year turnover with ``partner`` in US$ billion (preferred figures)."""
    tr = load("trade")
    tr = tr[(tr["partner_b"] == partner) & (tr["flow"] == "turnover") & (tr["period_type"] == "calendar")]
    if preferred:
        tr = tr[tr["preferred"]]
    return (tr.set_index("year")["value_usd"].astype(float) / 1e9).sort_index()


def trade_versions(year: int, partner: str = "IRN", *, flow: str = "turnover") -> pd.DataFrame:
    """Every figure for one year: reporter, period, value in US$ billion, preferred or not.

    >>> len(trade_versions(2022)) >= 2
    True
    """
    tr = load("trade")
    tr = tr[(tr["partner_b"] == partner) & (tr["year"] == year) & (tr["flow"] == flow)].copy()
    tr["value_bn"] = tr["value_usd"].astype(float) / 1e9
    return tr[["trade_id", "period", "period_type", "reporter", "value_bn", "preferred"]].reset_index(
        drop=True
    )


def yearly_goldstein(events: pd.DataFrame | None = None, *, since: int = 2022) -> pd.DataFrame:
    """Goldstein sum, mean and count per year (events between Russia and Iran, not third parties)."""
    ev = load("events") if events is None else events
    ev = ev[(ev["date"].dt.year >= since) & (ev["direction"].astype(str) != "third party")]
    return ev.groupby(ev["date"].dt.year)["goldstein"].agg(["sum", "mean", "count"]).astype(float)


def source_types(rows: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (row, cited source) with the source's publisher and publisher_type.

    ``rows`` is any table with an id in its first column and a ``source_ids`` list column.
    """
    src = load("sources") if sources is None else sources
    key = rows.columns[0]
    cited = rows[[key, "source_ids"]].explode("source_ids").rename(columns={"source_ids": "source_id"})
    cols = ["source_id", "publisher", "publisher_type", "url"]
    out = cited.merge(src[cols], on="source_id", how="left")
    out["publisher_type"] = out["publisher_type"].astype(str)
    return out.reset_index(drop=True)


def judgement_history(question_or_id: str) -> pd.DataFrame:
    """Every version of one key judgement (by its question or any version's id), oldest first."""
    kj = load("judgements")
    if question_or_id in set(kj["judgement_id"]):
        question_or_id = kj.set_index("judgement_id").loc[question_or_id, "question"]
    rows = kj[kj["question"] == question_or_id].sort_values("as_of")
    if rows.empty:
        raise ValueError(f"unknown judgement {question_or_id!r}")
    cols = ["judgement_id", "as_of", "likelihood", "confidence", "statement", "would_change_if"]
    return rows[cols].reset_index(drop=True)


def state_at(indicator_id: str, date: str) -> str:
    """An indicator's state on ``date``: the newest state row on or before it.

    >>> state_at("ind-mutual-defence-commitment", "2025-06-01")
    'not_observed'
    """
    st = load("indicator_states")
    st = st[(st["indicator_id"] == indicator_id) & (st["date"] <= pd.Timestamp(date))].sort_values("date")
    return "not_observed" if st.empty else str(st["state"].iloc[-1])


# -- exercises ----------------------------------------------------------------------------

_MARKS = {"right": "✔ right", "partly": "◐ partly right", "wrong": "✘ not yet", "noted": "✎ noted"}
_COLOURS = {"right": "#2f6b3a", "partly": "#a66a00", "wrong": "#b03a2e", "noted": "#44608a"}


@dataclass(frozen=True, repr=False)
class Feedback:
    """The verdict on an answer: ``right``, ``partly``, ``wrong`` (or ``noted`` for a written
    answer, which a teacher marks), with an explanation. ``form_ok`` says whether the answer
    has the asked-for form (a number, a dict...), whatever its value."""

    exercise: str
    level: str
    message: str
    form_ok: bool = True

    def __repr__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return f"Exercise {self.exercise}: {_MARKS[self.level]}. {self.message}"

    def _repr_html_(self) -> str:
        return (
            f'<div class="relations-feedback relations-feedback-{self.level}" '
            f'style="border-left:4px solid {_COLOURS[self.level]};padding:.3rem .6rem">'
            f"{html.escape(str(self))}</div>"
        )


def exercises(lesson: int | None = None) -> list[Any]:
    """All exercises (:class:`relations.lessons.Exercise`), or those of one lesson."""
    from .lessons import all_exercises

    return [e for e in all_exercises().values() if lesson is None or e.lesson == lesson]


def _exercise(exercise_id: str) -> Any:
    from .lessons import all_exercises

    known = all_exercises()
    if exercise_id not in known:
        raise ValueError(f"unknown exercise {exercise_id!r} (known: {', '.join(known)})")
    return known[exercise_id]


def expected(exercise_id: str) -> Any:
    """The expected answer to an auto-checked exercise, computed from the data now."""
    from .lessons import judge

    return judge.expected(_exercise(exercise_id))


def check(exercise_id: str, answer: Any) -> Feedback:
    """Judge ``answer`` to exercise ``exercise_id``: right, partly right or wrong, and why.

    An unanswered exercise (``None`` or ``...``) is 'wrong' with a hint, never an error.
    """
    from .lessons import judge

    ex = _exercise(exercise_id)
    if answer is None or answer is Ellipsis:
        return Feedback(exercise_id, "wrong", f"No answer yet: give {ex.answer_form}.", form_ok=False)
    level, message, form_ok = judge.judge(ex, answer)
    return Feedback(exercise_id, level, message, form_ok)
