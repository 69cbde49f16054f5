"""A briefing's scope: which rows of each table fall inside its window and domains.

Every section of a briefing takes its rows from here, so that a narrowed briefing
shows nothing outside its window and domains. The domain of a row that has no
``domain`` column (a transfer, a claim, a project, an office, an agreement) comes
from the mapping in ``scope.yaml`` beside this module.

>>> import pandas as pd
>>> s = Scope(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"), ("arms", "military"))
>>> s.years
[2025]
>>> s.covers({"arms", "space"}), s.covers({"energy"})
(True, False)
>>> delivery_years("2022-2024"), delivery_years("2016"), delivery_years(None)
([2022, 2023, 2024], [2016], [])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Scope", "delivery_years", "row_domains"]

RULES_FILE = Path(__file__).with_name("scope.yaml")


@cache
def rules() -> dict[str, Any]:
    """The domain mapping of ``scope.yaml``."""
    import yaml

    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def _lookup(mapping: dict[str, list[str]], key: Any) -> list[str]:
    return list(mapping.get(str(key).lower(), mapping.get("default", [])))


def row_domains(table: str, row: Any) -> list[str]:
    """The domains one row of ``table`` belongs to (``row`` is a namedtuple or mapping).

    >>> row_domains("arms_transfers", {"category": "satellites"})
    ['space']
    >>> sorted(row_domains("agreements", {"agreement_id": "x-gas-memo", "title": "Gas"}))
    ['diplomacy', 'energy', 'legal']
    """
    get = row.get if isinstance(row, dict) else lambda k, d=None: getattr(row, k, d)
    r = rules()
    if table == "events":
        return [str(get("domain"))]
    if table == "arms_transfers":
        return _lookup(r["arms_categories"], get("category"))
    if table == "claims":
        return _lookup(r["claim_topics"], get("topic"))
    if table == "projects":
        sector = str(get("sector")).lower()
        return [sector] if sector and sector != "nan" else list(r["project_sectors"]["default"])
    if table == "people":
        role = str(get("role")).lower()
        for word, doms in r["people_roles"].items():
            if word != "default" and word in role:
                return list(doms)
        return list(r["people_roles"]["default"])
    if table == "agreements":
        text = f"{get('agreement_id')} {get('title')}".lower().replace("-", " ")
        out = list(r["agreement_default"])
        for word, doms in r["agreement_words"].items():
            if re.search(rf"\b{re.escape(word)}\b", text):
                out += [d for d in doms if d not in out]
        return out
    if table == "agreement_provisions":
        return _lookup(r["provision_areas"], get("area"))
    if table == "trade":
        return list(r["trade"])
    raise ValueError(f"no domain mapping for table {table!r}")


def delivery_years(value: Any) -> list[int]:
    """Years of a ``delivery_years`` value such as ``2022-2023`` or ``2016``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    nums = [int(x) for x in re.findall(r"\d{4}", str(value))]
    if not nums:
        return []
    return list(range(min(nums), max(nums) + 1))


@dataclass(frozen=True)
class Scope:
    """A window (inclusive dates) and the domains picked (all when ``domains`` is empty)."""

    start: pd.Timestamp
    end: pd.Timestamp
    domains: tuple[str, ...]
    #: The window spans the whole record: undated rows (known to exist, not when) belong to it.
    whole_record: bool = False

    @property
    def period(self) -> str:
        """The window as people write it: ``01 Jan 2025 – 31 Mar 2025``."""
        from .html import fmt_date

        return f"{fmt_date(self.start)} – {fmt_date(self.end)}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def covers(self, domains: Iterable[str]) -> bool:
        """Whether any of ``domains`` is picked."""
        return not self.domains or bool(set(domains) & set(self.domains))

    def in_window(self, dates: pd.Series) -> pd.Series:
        return dates.between(self.start, self.end)

    def _domain_mask(self, table: str, df: pd.DataFrame) -> pd.Series:
        if not self.domains:
            return pd.Series(True, index=df.index)
        return pd.Series(
            [self.covers(row_domains(table, r)) for r in df.itertuples()], index=df.index, dtype=bool
        )

    # -- one function per table -------------------------------------------
    def events(self, ev: pd.DataFrame) -> pd.DataFrame:
        """Events dated inside the window, in a picked domain."""
        mask = self.in_window(ev["date"]) & self._domain_mask("events", ev)
        return ev[mask].sort_values(["date", "event_id"]).reset_index(drop=True)

    def agreements(self, ag: pd.DataFrame) -> pd.DataFrame:
        """Agreements Iran is party to, signed inside the window, whose subject is a picked domain
        (comparators such as the 2024 Russia–North Korea treaty are not counted)."""
        iran = ag["parties"].map(lambda p: "IRN" in list(p))
        mask = self.in_window(ag["signed"]) & iran & self._domain_mask("agreements", ag)
        return ag[mask].sort_values(["signed", "agreement_id"]).reset_index(drop=True)

    def arms_transfers(self, at: pd.DataFrame) -> pd.DataFrame:
        """Transfers ordered, or delivered, in one of the window's years."""
        years = set(self.years)
        ordered = at["order_year"].isin(years).fillna(False).astype(bool)
        delivered = at["delivery_years"].map(lambda v: bool(years & set(delivery_years(v))))
        mask = (ordered | delivered) & self._domain_mask("arms_transfers", at)
        return at[mask].sort_values(["supplier", "category", "designation"]).reset_index(drop=True)

    def claim_positions(self, pos: pd.DataFrame, claim_ids: Iterable[str]) -> pd.DataFrame:
        """Positions on the given (in-scope) claims dated inside the window; undated ones only
        when the window is the whole record (they cannot be placed in any narrower one)."""
        when = self.in_window(pos["date"]) | (pos["date"].isna() & self.whole_record)
        mask = when & pos["claim_id"].isin(set(claim_ids))
        return pos[mask].sort_values(["date", "position_id"], na_position="last").reset_index(drop=True)

    def claims(
        self,
        claims: pd.DataFrame,
        pos: pd.DataFrame,
        events: pd.DataFrame | None = None,
        transfers: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """Claims in a picked domain that are first reported or answered inside the window, or
        linked to an event of the window or to a transfer ordered or delivered in its years."""
        ids = set(claims.loc[self.in_window(claims["first_reported"]), "claim_id"])
        ids |= set(pos.loc[self.in_window(pos["date"]), "claim_id"])
        if events is not None and "claim_id" in events:
            ids |= set(events[self.in_window(events["date"])]["claim_id"].dropna().astype(str))
        if transfers is not None:
            linked = Scope(self.start, self.end, ()).arms_transfers(transfers)["claim_id"]
            ids |= set(linked.dropna().astype(str))
        if self.whole_record:
            dated = set(pos.loc[pos["date"].notna(), "claim_id"])
            undated = claims["first_reported"].isna() & ~claims["claim_id"].isin(dated)
            ids |= set(claims.loc[undated, "claim_id"])
        mask = claims["claim_id"].isin(ids) & self._domain_mask("claims", claims)
        return (
            claims[mask]
            .sort_values(["first_reported", "claim_id"], na_position="last")
            .reset_index(drop=True)
        )

    def projects(self, pj: pd.DataFrame) -> pd.DataFrame:
        """Projects that started or ended inside the window, in a picked domain."""
        mask = (self.in_window(pj["start"]) | self.in_window(pj["end"])) & self._domain_mask("projects", pj)
        return pj[mask].sort_values(["sector", "name"]).reset_index(drop=True)

    def trade(self, tr: pd.DataFrame) -> pd.DataFrame:
        """Trade figures for the window's years (none if trade is not picked)."""
        if not self.covers(rules()["trade"]):
            return tr.iloc[0:0]
        return tr[tr["year"].isin(self.years)].sort_values(["year", "period_type", "reporter"])

    def people(self, pe: pd.DataFrame) -> pd.DataFrame:
        """Office holders whose tenure overlaps the window, in a picked domain."""
        start = pe["start"].fillna(pd.Timestamp.min)
        end = pe["end"].fillna(pd.Timestamp.max)
        mask = (start <= self.end) & (end >= self.start) & self._domain_mask("people", pe)
        return pe[mask].sort_values(["country", "role", "start"]).reset_index(drop=True)

    def provisions(self, pr: pd.DataFrame) -> pd.DataFrame:
        """Treaty provisions whose area is a picked domain."""
        return pr[self._domain_mask("agreement_provisions", pr)].reset_index(drop=True)


def picked_text(domains: Sequence[str]) -> str:
    """``arms, military`` or ``all domains``."""
    return ", ".join(domains) if domains else "all domains"
