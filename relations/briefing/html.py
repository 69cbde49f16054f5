"""HTML pieces of a briefing: escaped text, links, badges and Jinja2 templates.

Every value that comes from the data is escaped: templates run with autoescaping and
small fragments are built with :meth:`markupsafe.Markup.format`, which escapes its
arguments. Only http(s) URLs become links.

>>> str(link("javascript:alert(1)", "<b>x</b>"))
'&lt;b&gt;x&lt;/b&gt;'
>>> str(link("https://example.org/?a=1&b=2", "Example"))
'<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer">Example</a>'
>>> page = render("table.html.j2", headers=["a"], rows=[["<i>"]], css="t", keys=[], compact=False)
>>> str(page).count("&lt;i&gt;")
1
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

__all__ = ["HTMLBlock", "Markup", "badge", "esc", "fmt_date", "fmt_number", "link", "render"]

TEMPLATES = Path(__file__).with_name("templates")


class HTMLBlock:
    """A piece of HTML that Jupyter renders (and nbconvert exports) as is."""

    def __init__(self, html_text: str) -> None:
        self.html = str(html_text)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # plain-text fallback, no markup
        return f"<HTMLBlock {len(self.html)} characters>"


def missing(value: Any) -> bool:
    return value is None or (not isinstance(value, list | tuple | set) and pd.isna(value))


def esc(value: Any) -> Markup:
    """Escape any value for HTML text or attributes (missing values become empty)."""
    return Markup("") if missing(value) else escape(str(value))


def link(url: Any, text: Any) -> Markup:
    """An ``<a>`` for http(s) URLs; anything else is shown as escaped text."""
    u = "" if missing(url) else str(url).strip()
    if u.lower().startswith(("http://", "https://")):
        return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(u, esc(text))
    return esc(text)


#: Badge backgrounds, inline so that the colours also show in JupyterLab without our CSS.
BADGE_COLOURS = {
    "confirmed": "#d9eed9",
    "reported": "#e9f5e1",
    "delivered": "#d9eed9",
    "alleged": "#fde7c7",
    "denied": "#f7d0cc",
    "disputed": "#e6dcf0",
    "retracted": "#eeeeee",
    "withheld": "#f7d0cc",
    "ordered": "#e9f5e1",
}


def badge(status: Any) -> Markup:
    """A coloured status badge (confirmed, reported, alleged, denied, disputed...).

    >>> "background:#f7d0cc" in badge("denied"), ">&lt;b&gt;<" in badge("<b>")
    (True, True)
    """
    colour = BADGE_COLOURS.get(str(status), "#eeeeee")
    return Markup(
        '<span class="status status-{0}" style="background:{1};border-radius:3px;padding:0 .3rem;'
        'white-space:nowrap">{0}</span>'
    ).format(esc(status), colour)


def fmt_date(ts: Any, precision: str | None = None) -> str:
    """``05 Jun 2026``; ``Jun 2026`` or ``2026`` for coarser precision; blank when missing."""
    if missing(ts):
        return ""
    if precision == "year":
        return ts.strftime("%Y")
    if precision == "month":
        return ts.strftime("%b %Y")
    return ts.strftime("%d %b %Y")


def fmt_number(value: Any) -> str:
    """A number as people write it: ``70,000``, ``1.5``, ``0.25``; blank when missing.

    >>> fmt_number(70000.0), fmt_number(1.5), fmt_number(2_000_000_000), fmt_number(None)
    ('70,000', '1.5', '2,000,000,000', '')
    """
    if missing(value):
        return ""
    v = float(value)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def fmt_range(low: Any, high: Any, unit: Any = None) -> str:
    """``70,000–500,000 bbl/day``, ``4 units``, or ``unknown``.

    >>> fmt_range(70000, 500000, "bbl/day"), fmt_range(5, 5), fmt_range(None, None)
    ('70,000–500,000 bbl/day', '5', 'unknown')
    """
    vals = [fmt_number(v) for v in (low, high) if not missing(v)]
    if not vals:
        return "unknown"
    span = vals[0] if len(vals) == 1 or vals[0] == vals[1] else f"{vals[0]}–{vals[1]}"
    return f"{span} {unit}" if not missing(unit) and str(unit) else span


@cache
def template_environment(folder: str) -> Any:
    """The package's Jinja2 environment for the templates in ``folder``: autoescaping, strict
    undefined names, tidy blocks; made once per folder (the briefing's and the site's)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(template: str, **context: Any) -> Markup:
    """Render one of the briefing's templates (autoescaped)."""
    return Markup(template_environment(str(TEMPLATES)).get_template(template).render(**context))
