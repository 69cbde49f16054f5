"""Arms and military-technical transfers: delivered, ordered, withheld, alleged, denied.

>>> import relations
>>> ax = relations.plot.arms_transfers(relations.load("arms_transfers"))
>>> ax.get_xlabel()
'transfers recorded'
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from ._common import DEFAULT_NOTE, axes, finish, frame, nothing
from .style import house_style

__all__ = ["TRANSFER_STATUS_COLOURS", "arms_transfers", "arms_transfers_data"]

TRANSFER_STATUS_COLOURS = {
    "delivered": "#2f6b3a",
    "ordered": "#7fb77e",
    "withheld": "#555555",
    "alleged": "#f1a340",
    "denied": "#c0392b",
}


def arms_transfers_data(data: pd.DataFrame) -> pd.DataFrame:
    """Records per direction, category and status, stacked: ``label, supplier, recipient, category, y,
    status, count, left``.

    ``label`` reads ``supplier→recipient  category`` (the arrow points from the supplier
    to the recipient); rows come status by status, labels sorted so that the first in
    alphabetical order is drawn on top (largest ``y``).

    >>> at = pd.DataFrame({"supplier": ["IRN"], "recipient": ["RUS"], "category": ["drones"],
    ...     "status": ["delivered"]})
    >>> arms_transfers_data(at).loc[0, ["label", "count"]].to_dict()
    {'label': 'IRN→RUS  drones', 'count': 1}
    """
    data = frame(data, {"supplier", "recipient", "category", "status"}, "arms_transfers")
    data = data.dropna(subset=["supplier", "recipient", "category", "status"])
    label = (
        data["supplier"].astype(str)
        + "→"
        + data["recipient"].astype(str)
        + "  "
        + data["category"].astype(str).str.replace("_", " ")
    )
    statuses = list(TRANSFER_STATUS_COLOURS)
    table = pd.crosstab(label, data["status"].astype(str)).reindex(columns=statuses, fill_value=0)
    table = table.sort_index(ascending=False)
    left = table.cumsum(axis=1) - table
    parts = data.assign(label=label).drop_duplicates("label").set_index("label")
    rows = [
        (
            lab,
            str(parts.at[lab, "supplier"]),
            str(parts.at[lab, "recipient"]),
            str(parts.at[lab, "category"]),
            y,
            s,
            int(table.at[lab, s]),
            int(left.at[lab, s]),
        )
        for s in statuses
        for y, lab in enumerate(table.index)
    ]
    columns = ["label", "supplier", "recipient", "category", "y", "status", "count", "left"]
    return pd.DataFrame(rows, columns=columns).astype({"y": "int64", "count": "int64", "left": "int64"})


def arms_transfers(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = "Arms and military-technical transfers, by status",
    note: str | None = DEFAULT_NOTE + " Alleged and denied rows link the claim they rest on.",
    **kwargs,
) -> Axes:
    """One bar per direction and category, split by status (delivered vs withheld vs alleged...).

    kwargs are passed to :meth:`matplotlib.axes.Axes.barh`.
    """
    df = arms_transfers_data(data)
    with house_style():
        ax = axes(ax, (9, 4.6))
        if df.empty:
            return nothing(ax, title, note)
        for s, part in df.groupby("status", sort=False):
            style = {"edgecolor": "white", "linewidth": 0.5} | kwargs
            ax.barh(
                part["y"],
                part["count"],
                left=part["left"],
                color=TRANSFER_STATUS_COLOURS[s],
                label=s,
                **style,
            )
        rows = df.drop_duplicates("y").sort_values("y")
        ax.set_yticks(rows["y"].tolist(), rows["label"].tolist())
        ax.set_xlabel("transfers recorded")
        ax.legend(title="status", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        finish(ax, title, note)
    return ax
