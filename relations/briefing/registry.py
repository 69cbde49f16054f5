"""Which builder makes each section, and which rows the shown sections list.

The sources list and its count are taken over :func:`shown_frames`, so the headline,
the sources section and every table agree.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31", domains=["energy"], length="full")
>>> "arms_transfers" in shown_frames(b), "projects" in shown_frames(b)
(False, True)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from .core import per_briefing

if TYPE_CHECKING:
    from .core import Briefing

__all__ = ["builders", "evidence_provisions", "shown_frames"]


def evidence_provisions(b: Briefing) -> pd.DataFrame:
    """The articles of the 2025 treaty whose area is a picked domain."""
    from .evidence import MAIN_TREATY

    pr = b.shown("agreement_provisions")
    return pr[pr["agreement_id"] == MAIN_TREATY]


@per_briefing
def shown_frames(b: Briefing) -> dict[str, pd.DataFrame]:
    """The rows that the tables of the shown sections list, by name."""
    from . import events
    from .analysis import indicator_board, judgements_valid
    from .analytic import evidence_rows
    from .evidence import TREATIES, treaty_in_window

    shows = b.shows
    frames: dict[str, pd.DataFrame] = {}
    if shows("key_developments"):
        frames["key_developments"] = events.key_development_rows(b)
    if shows("contested"):
        frames["contested"] = events.contested_rows(b)
    if shows("frictions"):
        frames["frictions"] = events.friction_rows(b)
    if shows("agreements"):
        frames["agreements"] = b.agreements
    if shows("treaty") and treaty_in_window(b):
        ag = b.table("agreements")
        frames["treaties"] = ag[ag["agreement_id"].isin(TREATIES)]
        frames["agreement_provisions"] = evidence_provisions(b)
    if shows("military"):
        frames["arms_transfers"] = b.shown("arms_transfers")
    if shows("economy"):
        tr = b.shown("trade")
        frames["trade"] = tr[tr["partner_b"] == "IRN"]
        frames["projects"] = b.shown("projects")
    if shows("claims"):
        frames["claims"] = b.shown("claims")
        frames["claim_positions"] = b.shown("claim_positions")
    if shows("people"):
        frames["people"] = b.shown("people")
    if shows("judgements"):
        frames["judgements"] = judgements_valid(b)
    if shows("indicators"):
        frames["indicators"] = indicator_board(b)
    if shows("evidence"):
        frames["evidence"] = evidence_rows(b)
    return frames


@cache
def builders() -> dict[str, Callable[[Briefing], list[Any]]]:
    """Section name -> the function that builds its parts."""
    from . import analytic, events, evidence, methods

    return {
        "bluf": analytic.bluf,
        "what_changed": analytic.what_changed,
        "judgements": analytic.judgements,
        "indicators": analytic.indicators,
        "since": analytic.new_since,
        "headline": events.headline,
        "key_developments": events.key_developments,
        "timeline": events.timeline,
        "activity": events.activity,
        "temperature": events.temperature,
        "contested": events.contested,
        "agreements": evidence.agreements,
        "treaty": evidence.treaty,
        "military": evidence.military,
        "economy": evidence.economy,
        "claims": evidence.claims,
        "people": evidence.people,
        "frictions": events.frictions,
        "evidence": analytic.evidence,
        "sources": methods.sources_and_methods,
        "appendix": methods.appendix,
    }
