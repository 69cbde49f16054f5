"""The house style: one look for every chart, applied through a context manager.

Nothing here changes matplotlib's global state: :func:`house_style` wraps
``matplotlib.rc_context``, and every plotting helper draws inside it.

>>> import matplotlib.pyplot as plt
>>> from relations.plot.style import house_style
>>> before = plt.rcParams["axes.spines.top"]
>>> with house_style():
...     inside = plt.rcParams["axes.spines.top"]
>>> inside, plt.rcParams["axes.spines.top"] == before
(False, True)
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterator, Sequence

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.text import Text

__all__ = [
    "DOMAIN_COLOURS",
    "STATUS_COLOURS",
    "STATUS_MARKERS",
    "house_style",
    "source_note",
]

RC = {
    "figure.figsize": (10, 5),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 9.5,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "svg.hashsalt": "relations",
}

#: One colour per domain, in the schema's domain order (colour-blind-friendly Tableau 20 based).
DOMAIN_COLOURS: dict[str, str] = {
    "diplomacy": "#4e79a7",
    "military": "#e15759",
    "arms": "#b6262a",
    "security": "#ff9d9a",
    "nuclear": "#f28e2b",
    "space": "#9c755f",
    "energy": "#edc948",
    "trade": "#59a14f",
    "finance": "#8cd17d",
    "transport": "#76b7b2",
    "multilateral": "#b07aa1",
    "sanctions": "#555555",
    "legal": "#1f3b73",
    "domestic": "#bab0ac",
}
FALLBACK_COLOUR = "#888888"

#: Evidential status: filled markers for confirmed/reported, open ones for contested claims.
STATUS_MARKERS: dict[str, str] = {
    "confirmed": "o",
    "reported": "s",
    "alleged": "^",
    "denied": "X",
    "disputed": "D",
}
STATUS_COLOURS: dict[str, str] = {
    "confirmed": "#2f6b3a",
    "reported": "#7fb77e",
    "alleged": "#f1a340",
    "denied": "#c0392b",
    "disputed": "#8e6bb0",
}


#: rcParams that pyplot may set while resolving its backend inside the block (IPython's
#: inline backend switches interactive mode on when it is first used). They are the
#: session's, not the house style's, so they keep the value they have at the end.
_SESSION_PARAMS = ("backend", "interactive")


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the relations look inside a ``with`` block, and only there.

    Everything in :data:`RC` is restored on the way out. The backend and interactive
    mode are not: when the first figure of a Jupyter session is drawn inside the block,
    the inline backend turns interactive mode on, and restoring it would stop every
    later figure from being shown.
    """
    session: dict[str, object] = {}
    try:
        with mpl.rc_context(RC):
            try:
                yield
            finally:
                session = {k: mpl.rcParams[k] for k in _SESSION_PARAMS}
    finally:
        for key, value in session.items():
            if mpl.rcParams[key] != value:
                mpl.rcParams[key] = value


def source_note(ax: Axes, text: str, *, width: int = 140) -> Text:
    """Write a short source note under ``ax`` (every chart carries one)."""
    wrapped = "\n".join(textwrap.wrap(text, width))
    return ax.annotate(
        wrapped,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -26),
        textcoords="offset points",
        va="top",
        ha="left",
        fontsize=7,
        color="#555555",
        gid="relations-source-note",
    )


def colour_for(domain: str) -> str:
    return DOMAIN_COLOURS.get(domain, FALLBACK_COLOUR)


def ordered(values: Sequence[str], order: Sequence[str]) -> list[str]:
    """``values`` that appear, in ``order`` (unknown ones last, sorted)."""
    present = set(values)
    known = [v for v in order if v in present]
    return known + sorted(present - set(order))
