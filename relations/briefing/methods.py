"""The last section: parameters, versions, data hashes, method and every source cited.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2025-01-01", end="2025-03-31", domains=["legal"])
>>> "Sources cited in this briefing" in b.section("sources").html()
True
"""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING, Any

from .html import HTMLBlock, fmt_date, link, missing, render

if TYPE_CHECKING:
    from .core import Briefing

__all__ = ["sources_and_methods"]


def sources_and_methods(b: Briefing) -> list[Any]:
    from .. import __version__
    from ..loaders import data_hash
    from ..provenance import environment, table_hashes
    from ..schema import read_package

    pkg = read_package(b.data_dir)
    params = [
        (k, v if v not in ("", [], None) else "(default)") for k, v in b.parameters.items() if k != "data_dir"
    ]
    env = environment()
    facts = [
        *params,
        ("period used", b.period),
        ("relations version", __version__),
        ("Python", platform.python_version()),
        ("data (SHA-256)", data_hash(data_dir=b.data_dir)),
        ("data licence", ", ".join(x.get("name", "") for x in pkg.descriptor.get("licenses", []))),
        ("git commit", env["git_commit"] or "not a git checkout"),
        ("dependencies", ", ".join(f"{k} {v}" for k, v in env["dependencies"].items())),
    ]
    cited = set(b.cited_source_ids())
    src = b.sources[b.sources["source_id"].isin(cited)].sort_values(["publisher", "source_id"])
    items = [
        (
            link(r.url, r.title),
            r.publisher,
            "" if missing(r.published) else fmt_date(r.published),
            r.publisher_type,
        )
        for r in src.itertuples()
    ]
    return [
        HTMLBlock(
            render(
                "sources.html.j2",
                facts=facts,
                hashes=list(table_hashes(b.data_dir).items()),
                method=[p for p in str(pkg.descriptor.get("description", "")).split("\n\n") if p],
                sources=items,
            )
        )
    ]
