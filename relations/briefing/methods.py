"""The last section: parameters, versions, data hashes, method and every source cited.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2025-01-01", end="2025-03-31", domains=["legal"])
>>> "Sources cited in this briefing" in b.section("sources").html()
True
"""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING, Any

import pandas as pd

from .core import per_briefing
from .html import HTMLBlock, fmt_date, link, missing, render

if TYPE_CHECKING:
    from .core import Briefing

__all__ = ["appendix", "cited_sources", "sources_and_methods"]


@per_briefing
def cited_sources(b: Briefing) -> pd.DataFrame:
    """The sources cited by the rows shown, in the order of the list (publisher, then id)."""
    cited = set(b.cited_source_ids())
    src = b.sources[b.sources["source_id"].isin(cited)]
    order = src.assign(_p=src["publisher"].astype(str).str.casefold())
    return order.sort_values(["_p", "source_id"]).drop(columns="_p").reset_index(drop=True)


def sources_and_methods(b: Briefing) -> list[Any]:
    """The method (from the data package) and every source cited by a row shown."""
    from ..schema import read_package

    pkg = read_package(b.data_dir)
    src = cited_sources(b)
    items = [
        (
            link(r.url, r.title),
            r.publisher,
            "" if missing(r.published) else fmt_date(r.published),
            str(r.publisher_type).replace("_", " "),
            link(r.url, r.publisher),
            r.reliability,
        )
        for r in src.itertuples()
    ]
    method = [p for p in str(pkg.descriptor.get("description", "")).split("\n\n") if p]
    licence = ", ".join(x.get("name", "") for x in pkg.descriptor.get("licenses", []))
    brief = b.length == "executive"
    page = render("sources.html.j2", method=method, licence=licence, sources=items, compact=brief)
    return [HTMLBlock(page)]


def appendix(b: Briefing) -> list[Any]:
    """Parameters, versions, dependencies and the hash of every data file."""
    from .. import __version__
    from ..loaders import data_hash
    from ..provenance import environment, table_hashes

    params = [
        (k, ", ".join(v) if isinstance(v, list) and v else v if v not in ("", [], None) else "(default)")
        for k, v in b.parameters.items()
        if k != "data_dir"
    ]
    env = environment()
    facts = [
        *params,
        ("period used", b.period),
        ("relations version", __version__),
        ("Python", platform.python_version()),
        ("data (SHA-256)", data_hash(data_dir=b.data_dir)),
        ("git commit", env["git_commit"] or "not a git checkout"),
        ("dependencies", ", ".join(f"{k} {v}" for k, v in env["dependencies"].items())),
    ]
    hashes = list(table_hashes(b.data_dir).items())
    return [HTMLBlock(render("appendix.html.j2", facts=facts, hashes=hashes))]
