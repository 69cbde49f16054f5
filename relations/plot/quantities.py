"""Arms transfers as quantities: each transfer's number (low–high range) by delivery years.

>>> import relations
>>> ax = relations.plot.arms_quantities(relations.load("arms_transfers"))
>>> ax.get_xscale()
'log'
"""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator

from ._common import DEFAULT_NOTE, axes, finish, frame, nothing
from .military import TRANSFER_STATUS_COLOURS
from .style import house_style

__all__ = ["arms_quantities", "arms_quantities_data"]


def _first_year(value: object) -> float:
    years = re.findall(r"\d{4}", "" if value is None or pd.isna(value) else str(value))
    return float(min(int(y) for y in years)) if years else float("nan")


def arms_quantities_data(data: pd.DataFrame) -> pd.DataFrame:
    """Transfers with a known number, ordered by their first delivery year (undelivered last):
    ``transfer_id, label, delivery_years, first_year, status, low, high, y``.

    ``low``/``high`` are ``number_low``/``number_high``; a missing bound takes the other one,
    so a single figure draws as a point. Transfers without any number are left out.

    >>> at = pd.DataFrame({"transfer_id": ["a", "b"], "supplier": ["IRN", "RUS"],
    ...     "recipient": ["RUS", "IRN"], "designation": ["X", "Y"], "delivery_years": ["2022-2023", None],
    ...     "number_low": [400, 24], "number_high": [None, 48], "status": ["delivered", "ordered"]})
    >>> arms_quantities_data(at)[["transfer_id", "low", "high", "y"]].to_dict("list")
    {'transfer_id': ['a', 'b'], 'low': [400.0, 24.0], 'high': [400.0, 48.0], 'y': [1, 0]}
    """
    need = {"transfer_id", "supplier", "recipient", "designation", "delivery_years", "number_low"}
    data = frame(data, need | {"number_high", "status"}, "arms_transfers")
    low = pd.to_numeric(data["number_low"], errors="coerce").astype(float)
    high = pd.to_numeric(data["number_high"], errors="coerce").astype(float)
    out = pd.DataFrame(
        {
            "transfer_id": data["transfer_id"].astype(str),
            "label": data["supplier"].astype(str)
            + "→"
            + data["recipient"].astype(str)
            + "  "
            + data["designation"].astype(str),
            "delivery_years": data["delivery_years"].astype("string").fillna("not delivered"),
            "first_year": data["delivery_years"].map(_first_year),
            "status": data["status"].astype(str),
            "low": low.fillna(high),
            "high": high.fillna(low),
        }
    )
    out = out.dropna(subset=["low"]).sort_values(["first_year", "transfer_id"], na_position="last")
    out = out.reset_index(drop=True)
    out["y"] = range(len(out) - 1, -1, -1)  # the earliest delivery on top
    return out


def arms_quantities(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = "Arms transfers: how many items, by delivery year (log scale)",
    note: str | None = DEFAULT_NOTE + " Ranges run from the lowest to the highest figure reported.",
    **kwargs,
) -> Axes:
    """One row per transfer with a known number: a line from the lowest to the highest figure
    reported (a dot where there is one figure), coloured by status, on a log scale; rows in
    order of first delivery, the delivery years in the label."""
    df = arms_quantities_data(data)
    with house_style():
        ax = axes(ax, (12, max(2.5, 0.3 * len(df) + 1.4)))
        if df.empty:
            return nothing(ax, title, note)
        for r in df.itertuples():
            colour = TRANSFER_STATUS_COLOURS.get(r.status, "#888888")
            ax.plot([r.low, r.high], [r.y, r.y], color=colour, lw=3, solid_capstyle="round", **kwargs)
            ax.plot([r.low, r.high], [r.y, r.y], ls="", marker="o", ms=4, color=colour)
        ax.set_xscale("log")
        ax.set_xlim(0.7, df["high"].max() * 1.6)
        ax.xaxis.set_major_locator(LogLocator(base=10))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_yticks(
            list(df["y"]),
            [f"{lab}  ({yrs})" for lab, yrs in zip(df["label"], df["delivery_years"], strict=True)],
        )
        ax.grid(True, axis="x")
        shown = [s for s in TRANSFER_STATUS_COLOURS if s in set(df["status"])]
        handles = [Line2D([], [], color=TRANSFER_STATUS_COLOURS[s], lw=3, label=s) for s in shown]
        ax.legend(handles=handles, title="status", loc="lower right")
        finish(ax, title, note)
    return ax
