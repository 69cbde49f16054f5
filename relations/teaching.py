"""Lessons' helpers: the small computations the lessons show, and exercise checking.

``check(exercise_id, answer)`` gives specific feedback for right, partly right and
wrong answers; the expected answers are computed from the shipped data, so the
exercises stay right when the record grows.

>>> from relations import teaching
>>> fb = teaching.check("2.1", "no")
>>> fb.level
'right'
>>> teaching.check("2.1", "yes").level
'wrong'
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .loaders import load

__all__ = [
    "EXERCISES",
    "Exercise",
    "Feedback",
    "check",
    "domain_year_table",
    "exercises",
    "latest_positions",
    "trade_series",
    "yearly_goldstein",
]

TREATY_2025 = "rus-irn-comprehensive-strategic-partnership-treaty-2025"
TREATY_DPRK = "rus-prk-comprehensive-strategic-partnership-treaty-2024"
INVASION = pd.Timestamp("2022-02-24")


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


def yearly_goldstein(events: pd.DataFrame | None = None, *, since: int = 2022) -> pd.DataFrame:
    """Goldstein sum, mean and count per year (events between Russia and Iran, not third parties)."""
    ev = load("events") if events is None else events
    ev = ev[(ev["date"].dt.year >= since) & (ev["direction"].astype(str) != "third party")]
    return ev.groupby(ev["date"].dt.year)["goldstein"].agg(["sum", "mean", "count"]).astype(float)


# -- exercises ----------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Feedback:
    """The verdict on an answer: ``right``, ``partly`` or ``wrong``, with an explanation."""

    exercise: str
    level: str
    message: str

    def __repr__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        mark = {"right": "✔ right", "partly": "◐ partly right", "wrong": "✘ not yet"}[self.level]
        return f"Exercise {self.exercise}: {mark}. {self.message}"

    def _repr_html_(self) -> str:
        colour = {"right": "#2f6b3a", "partly": "#a66a00", "wrong": "#b03a2e"}[self.level]
        return (
            f'<div class="relations-feedback relations-feedback-{self.level}" '
            f'style="border-left:4px solid {colour};padding:.3rem .6rem">'
            f"{html.escape(str(self))}</div>"
        )


@dataclass(frozen=True)
class Exercise:
    """A question, the form of its answer, and the function that judges an answer."""

    id: str
    lesson: int
    question: str
    answer_form: str
    judge: Callable[[Any], tuple[str, str]]


def _number(answer: Any) -> float | None:
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _text(answer: Any) -> str:
    return str(answer).strip().lower() if answer is not None else ""


def _ex_1_1(answer: Any) -> tuple[str, str]:
    ev = load("events")
    right = int((ev["date"] >= INVASION).sum())
    since_2022 = int((ev["date"] >= "2022-01-01").sum())
    n = _number(answer)
    if n == right:
        return "right", f"{right} events are dated from the invasion on: most of the record."
    if n == since_2022:
        return "partly", "That counts from 1 January 2022; the invasion began on 24 February 2022."
    if n is not None and abs(n - right) <= 0.1 * right:
        return "partly", "Close: filter on the date column with the invasion date, 2022-02-24."
    return "wrong", "Filter the events with events['date'] >= '2022-02-24' and count the rows."


def _ex_1_2(answer: Any) -> tuple[str, str]:
    ev = load("events")
    counts = ev[ev["date"] >= INVASION]["domain"].astype(str).value_counts()
    a = _text(answer)
    if a == counts.index[0]:
        return "right", f"{a} leads with {counts.iloc[0]} events. Ask whether that is activity or reporting."
    if a in counts.index[:3]:
        return "partly", f"{a} is among the three busiest domains, but not the first."
    return "wrong", "Count events per domain since 2022-02-24 (value_counts) and take the largest."


def _ex_2_1(answer: Any) -> tuple[str, str]:
    a = _text(answer)
    if a in ("no", "false", "0"):
        return "right", (
            "Art. 3 only bars helping an aggressor; nothing obliges either side to defend "
            "the other. ATOP codes defense as no."
        )
    if a in ("yes", "true", "1"):
        return "wrong", (
            "Read Art. 3 again: the parties promise not to help an attacker, which is not a "
            "promise to fight for each other."
        )
    return "wrong", "Answer with 'yes' or 'no'."


def _ex_2_2(answer: Any) -> tuple[str, str]:
    a = _text(answer)
    if a == TREATY_DPRK:
        return "right", "Only the Russia–North Korea treaty (Art. 4) promises military assistance."
    if "prk" in a or "korea" in a:
        return "partly", f"The right treaty; give its agreement_id as in the table: {TREATY_DPRK}."
    return "wrong", "Look at agreements where mutual_defence is true."


def _ex_2_3(answer: Any) -> tuple[str, str]:
    pr = load("agreement_provisions")
    ref = pr[(pr["agreement_id"] == TREATY_2025) & pr["atop_obligation"].notna()]
    if not isinstance(answer, dict):
        return "wrong", "Give a dict such as {'defense': 'no', 'offense': 'no', ...}."
    right, alt = 0, 0
    for r in ref.itertuples():
        given = _text(answer.get(r.atop_obligation))
        if given == r.value:
            right += 1
        elif not pd.isna(r.alternative_value) and given == r.alternative_value:
            alt += 1
    total = len(ref)
    if right == total:
        return "right", "Your coding matches the reference coding for all five obligations."
    if right + alt == total:
        return "partly", (
            f"{alt} of your codings match the documented alternative, not the reference: "
            "defensible, but say why in words."
        )
    if _text(answer.get("defense")) == "no":
        return (
            "partly",
            f"Defense is right; {total - right - alt} other obligation(s) differ from both codings.",
        )
    return "wrong", "Start with defense: does any article oblige the parties to fight for each other?"


def _ex_3_1(answer: Any) -> tuple[str, str]:
    status = str(load("claims").set_index("claim_id").loc["cl-fath360-delivery", "status"])
    a = _text(answer)
    if a == status:
        return "right", "Washington asserts it; Tehran and Moscow deny it: the ledger records both."
    if a in ("alleged", "disputed"):
        return "partly", "It was alleged, and it is contested; the ledger's status says more: look it up."
    return "wrong", "Look up cl-fath360-delivery in relations.load('claims')."


def _ex_3_2(answer: Any) -> tuple[str, str]:
    ref = latest_positions("cl-fath360-delivery")
    if not isinstance(answer, dict):
        return "wrong", "Give a dict party -> position, e.g. {'USA': 'asserts', 'IRN': 'denies'}."
    hits = sum(_text(answer.get(p)) == pos for p, pos in ref.items())
    if hits == len(ref) and len(answer) == len(ref):
        return "right", "Every party's latest position, as the ledger records it."
    if hits >= 2:
        return "partly", f"{hits} of {len(ref)} parties right; use the latest position of each party."
    return "wrong", "Use relations.teaching.latest_positions('cl-fath360-delivery')."


def _ex_3_3(answer: Any) -> tuple[str, str]:
    if answer is False or _text(answer) in ("false", "no"):
        return "right", (
            "Likelihood says how probable the claim is; confidence says how good the "
            "evidence is. 'Almost certain' on thin evidence is coherent, if risky."
        )
    if answer is True or _text(answer) in ("true", "yes"):
        return "wrong", "ICD 203 keeps the two apart on purpose: they answer different questions."
    return "wrong", "Answer True or False."


def _ex_4_1(answer: Any) -> tuple[str, str]:
    tr = load("trade")
    sel = tr[(tr["partner_b"] == "IRN") & (tr["year"] == 2022) & (tr["flow"] == "turnover")]
    right = int(sel["reporter"].nunique())
    n = _number(answer)
    if n == right:
        return "right", f"{right} reporters: the figures differ, and the record keeps each one."
    if n is not None and n >= 1:
        return "partly", "Count the distinct reporters of 2022 turnover, calendar and partial periods alike."
    return "wrong", "Filter trade on partner_b == 'IRN', year == 2022, flow == 'turnover'."


def _ex_4_2(answer: Any) -> tuple[str, str]:
    iran, china = trade_series("IRN"), trade_series("CHN")
    right = round(100 * iran[2023] / china[2023], 1)
    n = _number(answer)
    if n is not None and abs(n - right) <= 0.15:
        return "right", f"About {right}%: Russia's trade with Iran is a sliver of its trade with China."
    if n is not None and abs(n - right / 100) <= 0.002:
        return "partly", "That is a fraction; the question asks for percent."
    if n is not None and abs(n - right) <= 0.25 * right:
        return "partly", "Close: use the preferred calendar-year figures (trade_series)."
    return "wrong", "Divide Russia–Iran by Russia–China turnover for 2023 and multiply by 100."


def _ex_5_1(answer: Any) -> tuple[str, str]:
    value = float(load("cameo_codes").set_index("cameo_code").loc["057", "goldstein"])
    n = _number(answer)
    if n == value:
        return "right", f"Signing a formal agreement scores {value}: among the most cooperative acts."
    if n is not None and n > 0:
        return "partly", "Cooperative, yes; look up the exact value in cameo_codes."
    return "wrong", "Find cameo_code '057' in relations.load('cameo_codes')."


def _ex_5_2(answer: Any) -> tuple[str, str]:
    sums = yearly_goldstein()["sum"].sort_values(ascending=False)
    n = _number(answer)
    if n == sums.index[0]:
        return "right", f"{int(sums.index[0])}: the highest net cooperation in the record since 2022."
    if n is not None and n in list(sums.index[:2]):
        return "partly", "Second highest; compare the sums, not the means."
    return "wrong", "Use relations.teaching.yearly_goldstein() and find the year with the largest sum."


def _ex_5_3(answer: Any) -> tuple[str, str]:
    a = _text(answer)
    if a == "b":
        return (
            "right",
            "More events can mean more reporting, not more cooperation: the index counts coverage.",
        )
    if a in ("a", "c"):
        return (
            "partly",
            "True in part, but the main trap is that the index grows with the amount of reporting.",
        )
    return "wrong", "Answer with a letter: a, b or c."


EXERCISES: dict[str, Exercise] = {
    e.id: e
    for e in [
        Exercise(
            "1.1",
            1,
            "How many events in the record are dated on or after the invasion of 24 February 2022?",
            "an integer",
            _ex_1_1,
        ),
        Exercise("1.2", 1, "Which domain has the most events since the invasion?", "a domain name", _ex_1_2),
        Exercise(
            "2.1",
            2,
            "Does the 2025 treaty oblige Russia and Iran to defend each other (ATOP defense)?",
            "'yes' or 'no'",
            _ex_2_1,
        ),
        Exercise(
            "2.2",
            2,
            "Which treaty in the agreements table has a mutual-defence clause?",
            "an agreement_id",
            _ex_2_2,
        ),
        Exercise(
            "2.3",
            2,
            "Code the 2025 treaty's five ATOP obligations.",
            "a dict obligation -> 'yes'/'no'",
            _ex_2_3,
        ),
        Exercise(
            "3.1",
            3,
            "What is the status of the claim that Iran delivered Fath-360 missiles?",
            "a status",
            _ex_3_1,
        ),
        Exercise(
            "3.2",
            3,
            "What is each party's latest position on the Fath-360 claim?",
            "a dict party -> position",
            _ex_3_2,
        ),
        Exercise(
            "3.3",
            3,
            "An assessment says 'almost certain' with 'low confidence'. Is that a contradiction?",
            "True or False",
            _ex_3_3,
        ),
        Exercise(
            "4.1",
            4,
            "How many different reporters give a figure for Russia–Iran turnover in 2022?",
            "an integer",
            _ex_4_1,
        ),
        Exercise(
            "4.2",
            4,
            "Russia–Iran turnover as a percentage of Russia–China turnover in 2023 (preferred figures)?",
            "a percentage, one decimal",
            _ex_4_2,
        ),
        Exercise(
            "5.1",
            5,
            "What Goldstein value does CAMEO 057 (sign formal agreement) carry?",
            "a number",
            _ex_5_1,
        ),
        Exercise(
            "5.2",
            5,
            "In which year since 2022 is the net cooperation (Goldstein sum) highest?",
            "a year",
            _ex_5_2,
        ),
        Exercise(
            "5.3",
            5,
            "A cooperation index rises sharply in one quarter. The main reason to be careful "
            "is: (a) Goldstein values are subjective, (b) more events may mean more reporting, "
            "(c) CAMEO codes are old.",
            "a letter",
            _ex_5_3,
        ),
    ]
}


def exercises(lesson: int | None = None) -> list[Exercise]:
    """All exercises, or those of one lesson."""
    return [e for e in EXERCISES.values() if lesson is None or e.lesson == lesson]


def check(exercise_id: str, answer: Any) -> Feedback:
    """Judge ``answer`` to exercise ``exercise_id``: right, partly right or wrong, and why.

    An unanswered exercise (``None`` or ``...``) is 'wrong' with a hint, never an error.
    """
    if exercise_id not in EXERCISES:
        raise ValueError(f"unknown exercise {exercise_id!r} (known: {', '.join(EXERCISES)})")
    if answer is None or answer is Ellipsis:
        ex = EXERCISES[exercise_id]
        return Feedback(exercise_id, "wrong", f"No answer yet: give {ex.answer_form}.")
    level, message = EXERCISES[exercise_id].judge(answer)
    return Feedback(exercise_id, level, message)
