"""Treaty obligations side by side (ATOP coding), with the articles they rest on.

>>> import relations
>>> ax = relations.plot.treaty_matrix(relations.load("agreement_provisions"))
>>> [t.get_text() for t in ax.get_yticklabels()][:2]
['defense', 'offense']
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from ._common import DEFAULT_NOTE, axes, finish, frame, nothing
from .style import house_style

__all__ = ["OBLIGATIONS", "TREATIES", "treaty_matrix", "treaty_matrix_data"]

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
#: The three treaties compared by default, with short column labels.
TREATIES = {
    "rus-irn-treaty-2001": "Russia–Iran 2001",
    "rus-irn-comprehensive-strategic-partnership-treaty-2025": "Russia–Iran 2025",
    "rus-prk-comprehensive-strategic-partnership-treaty-2024": "Russia–DPRK 2024",
}


def treaty_matrix_data(
    data: pd.DataFrame, *, agreements: Sequence[str] | None = None, labels: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per obligation and treaty: ``obligation, row, agreement_id, treaty, col, value, text, coded``.

    ``value`` is 1 (yes), 0 (no) or 0.5 (not coded, or left open); ``text`` is what the
    cell says ("no*" when an alternative coding is defensible, and the article).

    >>> pr = pd.DataFrame({"agreement_id": ["a"], "atop_obligation": ["defense"], "value": ["no"],
    ...     "article": ["3"], "alternative_value": [None]})
    >>> treaty_matrix_data(pr, agreements=["a"]).loc[0, ["value", "text"]].to_dict()
    {'value': 0.0, 'text': 'no\\nArt. 3'}
    """
    data = frame(
        data,
        {"agreement_id", "atop_obligation", "value", "article", "alternative_value"},
        "agreement_provisions",
    )
    ids = list(agreements or TREATIES)
    names = {**TREATIES, **(labels or {})}
    coded = data.dropna(subset=["atop_obligation"])
    rows = []
    for j, aid in enumerate(ids):
        mine = coded[coded["agreement_id"] == aid]
        for i, ob in enumerate(OBLIGATIONS):
            hit = mine[mine["atop_obligation"].astype(str) == ob]
            value, text, is_coded = 0.5, "not coded", False
            if not hit.empty:
                r = hit.iloc[0]
                if pd.isna(r["value"]):
                    text = "left open"
                else:
                    value, is_coded = (1.0 if r["value"] == "yes" else 0.0), True
                    art = f"Art. {r['article']}" if not pd.isna(r["article"]) else "article n/a"
                    alt = "*" if not pd.isna(r["alternative_value"]) else ""
                    text = f"{r['value']}{alt}\n{art}"
            rows.append((ob, i, aid, names.get(aid, aid), j, value, text, is_coded))
    columns = ["obligation", "row", "agreement_id", "treaty", "col", "value", "text", "coded"]
    return pd.DataFrame(rows, columns=columns)


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
    df = treaty_matrix_data(data, agreements=agreements, labels=labels)
    with house_style():
        ax = axes(ax, (2.6 + 2.1 * df["col"].nunique(), 4.2))
        if not df["coded"].any():
            return nothing(ax, title, note)
        grid = df.pivot(index="row", columns="col", values="value").to_numpy()
        cmap = ListedColormap(["#f3d6d2", "#eeeeee", "#cfe8cf"])
        style = {"cmap": cmap, "vmin": 0, "vmax": 1, "aspect": "auto"} | kwargs
        ax.imshow(grid, **style)
        for r in df.itertuples():
            ax.text(r.col, r.row, r.text, ha="center", va="center", fontsize=8.5, gid="relations-cell")
        cols = df.drop_duplicates("col").sort_values("col")
        rows = df.drop_duplicates("row").sort_values("row")
        ax.set_xticks(cols["col"].tolist(), cols["treaty"].tolist())
        ax.set_yticks(rows["row"].tolist(), rows["obligation"].tolist())
        ax.tick_params(length=0)
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        finish(ax, title, note)
    return ax
