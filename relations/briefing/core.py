"""The :class:`Briefing`: parameters, the tables cut to its scope, and its sections.

The notebook calls :meth:`Briefing.section` once per section; each section takes its
rows from :class:`~relations.briefing.scope.Scope`, so nothing outside the window and
the domains is shown anywhere.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31", domains=["arms"])
>>> b.start.year, b.end.year, b.domains
(2025, 2025, ['arms'])
>>> sorted(set(b.shown("arms_transfers")["category"]))[:2]
['air_defence', 'aircraft']
>>> b.section("economy").left_out
True
"""

from __future__ import annotations

import functools
import logging
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from ..errors import ParameterError
from ..loaders import load
from ..params import validate_parameters
from .charts import Chart
from .html import HTMLBlock, fmt_date
from .scope import Scope, picked_text

__all__ = ["Briefing", "Section"]

T = TypeVar("T")
log = logging.getLogger("relations.briefing")
log.addHandler(logging.NullHandler())

SECTIONS_FILE = Path(__file__).with_name("sections.yaml")
#: The lengths of a briefing, the default first.
LENGTHS = ("executive", "full")


@cache
def section_texts() -> dict[str, dict[str, Any]]:
    """Headings, introductions, domains and scope lines of the sections (``sections.yaml``)."""
    import yaml

    return yaml.safe_load(SECTIONS_FILE.read_text(encoding="utf-8"))


def per_briefing(fn: Callable[[Briefing], T]) -> Callable[[Briefing], T]:
    """Compute ``fn(briefing)`` once per briefing (the result is shared: do not modify it)."""
    key = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(b: Briefing) -> T:
        if key not in b._memo:
            b._memo[key] = fn(b)
        return b._memo[key]

    return wrapper


@dataclass
class Section:
    """One section of a briefing: a heading block, then HTML blocks and figures.

    In a notebook it displays its parts one after another (figures as PNG images
    with an ``alt`` text naming the section).
    """

    name: str
    heading: str
    parts: list[Any] = field(default_factory=list)
    left_out: bool = False

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for part in self.parts:
            if isinstance(part, Chart):
                display(part.image, metadata={"image/png": {"alt": f"Chart: {self.heading}"}})
                display(part.data)
            else:
                display(part)

    def html(self) -> str:
        """The section's HTML (charts contribute their data links, not their images)."""
        return "".join(p.data.html if isinstance(p, Chart) else p.html for p in self.parts)

    def figures(self) -> list[Chart]:
        return [p for p in self.parts if isinstance(p, Chart)]


@dataclass
class Briefing:
    """A briefing over a date window and a set of domains.

    Build it with :meth:`from_parameters`, which validates the parameters the same way
    ``relations brief`` does.
    """

    title: str
    scope: Scope
    parameters: dict[str, Any] = field(default_factory=dict)
    data_dir: str | None = None
    length: str = "full"
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_parameters(
        cls,
        *,
        start: str = "",
        end: str = "",
        domains: Sequence[str] = (),
        title: str = "The Russia–Iran partnership",
        data_dir: str | os.PathLike[str] | None = None,
        length: str = "executive",
        since: str = "",
    ) -> Briefing:
        """Validate the parameters and set the window (blank dates: the whole record).

        ``length`` is ``executive`` (bottom line, changes, judgements, indicators, 15 key
        developments, four charts) or ``full`` (every section).
        """
        if length not in LENGTHS:
            raise ParameterError("length", f"{length!r} (allowed: {', '.join(LENGTHS)})")
        raw = {"start": start, "end": end, "domains": list(domains), "title": title}
        raw["data_dir"] = str(data_dir or "")
        p = validate_parameters(raw)
        p["length"] = length
        p["since"] = validate_parameters({"since": since}).get("since", "") if since else ""
        ddir = p["data_dir"] or None
        events = load("events", data_dir=ddir)
        lo = pd.Timestamp(p["start"]) if p["start"] else events["date"].min()
        hi = pd.Timestamp(p["end"]) if p["end"] else events["date"].max()
        whole = lo <= events["date"].min() and hi >= events["date"].max()
        scope = Scope(lo, hi, tuple(p["domains"]), whole_record=bool(whole))
        b = cls(p["title"], scope, parameters=p, data_dir=ddir, length=length)
        b._tables["events"] = events
        return b

    # -- data ----------------------------------------------------------------
    @property
    def start(self) -> pd.Timestamp:
        return self.scope.start

    @property
    def end(self) -> pd.Timestamp:
        return self.scope.end

    @property
    def domains(self) -> list[str]:
        return list(self.scope.domains)

    @property
    def period(self) -> str:
        return self.scope.period

    def table(self, name: str) -> pd.DataFrame:
        """A whole table of the data package (loaded once per briefing)."""
        if name not in self._tables:
            self._tables[name] = load(name, data_dir=self.data_dir)
        return self._tables[name]

    @property
    def events(self) -> pd.DataFrame:
        """The events inside the scope."""
        return self.shown("events")

    @property
    def agreements(self) -> pd.DataFrame:
        return self.shown("agreements")

    @property
    def sources(self) -> pd.DataFrame:
        return self.table("sources")

    @cached_property
    def _shown(self) -> dict[str, pd.DataFrame]:
        s, t = self.scope, self.table
        claims = s.claims(t("claims"), t("claim_positions"), t("events"), t("arms_transfers"))
        return {
            "events": s.events(t("events")),
            "agreements": s.agreements(t("agreements")),
            "arms_transfers": s.arms_transfers(t("arms_transfers")),
            "claims": claims,
            "claim_positions": s.claim_positions(t("claim_positions"), claims["claim_id"]),
            "projects": s.projects(t("projects")),
            "trade": s.trade(t("trade")),
            "people": s.people(t("people")),
            "agreement_provisions": s.provisions(t("agreement_provisions")),
        }

    def shown(self, name: str) -> pd.DataFrame:
        """The rows of ``name`` inside the window and domains (what the sections draw from)."""
        return self._shown[name]

    # -- scope and coverage --------------------------------------------------
    def covers(self, section: str) -> bool:
        """Whether a section's domains are among the picked ones (event sections always are)."""
        doms = section_texts()[section].get("domains") or []
        return not doms or self.scope.covers(doms)

    def shows(self, section: str) -> bool:
        """Whether the section is part of this length, its domains are picked, and (for the
        "new since" section) a ``since`` date was given."""
        if section == "since" and not self.parameters.get("since"):
            return False
        return self.length in section_texts()[section]["lengths"] and self.covers(section)

    def scope_line(self, section: str) -> str:
        text = section_texts()[section].get("scope", "")
        years = self.scope.years
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        return text.format(
            period=self.period,
            years=span,
            domains=picked_text(self.domains),
            since=fmt_date(pd.Timestamp(self.parameters["since"])) if self.parameters.get("since") else "",
        )

    @property
    def newest_event(self) -> pd.Timestamp:
        """Date of the newest event in the whole record (its coverage)."""
        return self.table("events")["date"].max()

    def cited_source_ids(self) -> list[str]:
        """Every source cited by a row that some section of this briefing shows."""
        from .registry import shown_frames

        ids: set[str] = set()
        for frame in shown_frames(self).values():
            if "source_ids" in frame:
                ids.update(s for lst in frame["source_ids"] for s in lst)
        return sorted(ids)

    # -- sections ------------------------------------------------------------
    def section(self, name: str) -> Section:
        """Build one section (see ``sections.yaml`` for the names), warnings kept out of it."""
        from . import sections

        texts = section_texts()
        if name not in texts and name != "header":
            raise ValueError(f"unknown section {name!r} (known: header, {', '.join(texts)})")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            built = sections.build(self, name)
        for w in caught:
            log.warning("%s: %s", name, w.message)
        return built

    def header(self) -> HTMLBlock:
        """Title, scope, the "Data as of" line and the contents (as one block)."""
        return HTMLBlock(self.section("header").html())
