"""Arms and military-technical transfers: delivered, ordered, withheld, alleged, denied.

>>> import relations
>>> ax = relations.plot.arms_transfers(relations.load("arms_transfers"))
>>> ax.get_xlabel()
'transfers recorded'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._common import DEFAULT_NOTE, axes, finish, frame
from .style import house_style

__all__ = ["TRANSFER_STATUS_COLOURS", "arms_transfers"]

TRANSFER_STATUS_COLOURS = {
    "delivered": "#2f6b3a",
    "ordered": "#7fb77e",
    "withheld": "#555555",
    "alleged": "#f1a340",
    "denied": "#c0392b",
}


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
    data = frame(data, {"supplier", "recipient", "category", "status"}, "arms_transfers")
    with house_style():
        ax = axes(ax, (9, 4.6))
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
        left = np.zeros(len(table))
        for s in statuses:
            vals = table[s].to_numpy(dtype=float)
            style = {"edgecolor": "white", "linewidth": 0.5} | kwargs
            ax.barh(table.index, vals, left=left, color=TRANSFER_STATUS_COLOURS[s], label=s, **style)
            left += vals
        ax.set_xlabel("transfers recorded")
        ax.legend(title="status", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        finish(ax, title, note)
    return ax
