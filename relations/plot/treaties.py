"""Treaty obligations side by side (ATOP coding), with the articles they rest on.

>>> import relations
>>> ax = relations.plot.treaty_matrix(relations.load("agreement_provisions"))
>>> [t.get_text() for t in ax.get_yticklabels()][:2]
['defense', 'offense']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from ._common import DEFAULT_NOTE, axes, finish, frame
from .style import house_style

__all__ = ["OBLIGATIONS", "TREATIES", "treaty_matrix"]

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
#: The three treaties compared by default, with short column labels.
TREATIES = {
    "rus-irn-treaty-2001": "Russia–Iran 2001",
    "rus-irn-comprehensive-strategic-partnership-treaty-2025": "Russia–Iran 2025",
    "rus-prk-comprehensive-strategic-partnership-treaty-2024": "Russia–DPRK 2024",
}


def treaty_matrix(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    agreements: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    title: str | None = "Treaty obligations compared (ATOP coding)",
    note: str | None = DEFAULT_NOTE + " * an alternative coding is defensible; see agreement_provisions.",
    **kwargs,
) -> Axes:
    """A grid of ATOP obligations (rows) by treaty (columns): yes, no or not coded, with articles.

    Parameters
    ----------
    data
        ``relations.load("agreement_provisions")``.
    agreements
        Agreement ids to compare (default: the 2001 and 2025 Russia–Iran treaties and the
        2024 Russia–North Korea treaty).
    kwargs
        Passed to :meth:`matplotlib.axes.Axes.imshow`.
    """
    data = frame(
        data,
        {"agreement_id", "atop_obligation", "value", "article", "alternative_value"},
        "agreement_provisions",
    )
    ids = list(agreements or TREATIES)
    names = {**TREATIES, **(labels or {})}
    coded = data.dropna(subset=["atop_obligation"])
    grid = np.full((len(OBLIGATIONS), len(ids)), 0.5)
    text = [["not coded"] * len(ids) for _ in OBLIGATIONS]
    for j, aid in enumerate(ids):
        rows = coded[coded["agreement_id"] == aid]
        for i, ob in enumerate(OBLIGATIONS):
            hit = rows[rows["atop_obligation"].astype(str) == ob]
            if hit.empty:
                continue
            r = hit.iloc[0]
            if pd.isna(r["value"]):
                text[i][j] = "left open"
                continue
            grid[i, j] = 1.0 if r["value"] == "yes" else 0.0
            art = f"Art. {r['article']}" if not pd.isna(r["article"]) else "article n/a"
            alt = "*" if not pd.isna(r["alternative_value"]) else ""
            text[i][j] = f"{r['value']}{alt}\n{art}"
    with house_style():
        ax = axes(ax, (2.6 + 2.1 * len(ids), 4.2))
        cmap = ListedColormap(["#f3d6d2", "#eeeeee", "#cfe8cf"])
        style = {"cmap": cmap, "vmin": 0, "vmax": 1, "aspect": "auto"} | kwargs
        ax.imshow(grid, **style)
        for i in range(len(OBLIGATIONS)):
            for j in range(len(ids)):
                ax.text(j, i, text[i][j], ha="center", va="center", fontsize=8.5, gid="relations-cell")
        ax.set_xticks(range(len(ids)), [names.get(a, a) for a in ids])
        ax.set_yticks(range(len(OBLIGATIONS)), list(OBLIGATIONS))
        ax.tick_params(length=0)
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        finish(ax, title, note)
    return ax
