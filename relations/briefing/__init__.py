"""The briefing: a window and domains, the rows inside them, and the sections shown.

>>> from relations.briefing import Briefing
>>> b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31", length="full")
>>> b.section("headline").html().count('class="relations-figure"')
6
"""

from __future__ import annotations

import os

from ..loaders import load
from .core import Briefing, Section, section_texts
from .html import HTMLBlock, esc, link
from .scope import Scope

__all__ = ["Briefing", "HTMLBlock", "Scope", "Section", "default_window", "esc", "link", "section_names"]


def section_names() -> list[str]:
    """The sections of a briefing, in order (``header`` first)."""
    return ["header", *section_texts()]


def default_window(data_dir: str | os.PathLike[str] | None = None) -> tuple[str, str]:
    """First and newest event dates of the record (the default briefing window)."""
    ev = load("events", data_dir=data_dir)
    return ev["date"].min().date().isoformat(), ev["date"].max().date().isoformat()
