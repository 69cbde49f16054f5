"""The temperature of the relationship: a Goldstein cooperation index and high-level contacts.

>>> import relations
>>> ax = relations.plot.cooperation_index(relations.load("events"))
>>> ax.get_ylabel()
'Goldstein sum per month'
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._common import DEFAULT_NOTE, axes, counts_per_period, finish, frame
from .style import house_style

__all__ = ["CONTACT_KINDS", "DIRECTIONS", "contact_events", "contacts", "cooperation_index", "monthly_index"]

DIRECTIONS = {"RUS->IRN": "#c0392b", "IRN->RUS": "#1f6f8b", "mutual": "#6d5c9e", "third party": "#999999"}
#: CAMEO codes of high-level contacts, grouped as shown in :func:`contacts`.
CONTACT_KINDS = {
    "call": ("041",),
    "visit": ("042", "043"),
    "meeting elsewhere": ("044",),
    "talks": ("040", "045", "046"),
}
_KIND_COLOURS = {"call": "#76b7b2", "visit": "#4e79a7", "meeting elsewhere": "#b07aa1", "talks": "#bab0ac"}


def monthly_index(data: pd.DataFrame, *, freq: str = "MS") -> pd.DataFrame:
    """Goldstein sum, mean and event count per period and direction (tidy frame).

    >>> import relations
    >>> idx = relations.plot.monthly_index(relations.load("events"))
    >>> sorted(idx.columns)
    ['count', 'direction', 'mean', 'period', 'sum']
    """
    data = frame(data, {"date", "goldstein", "direction"}, "events")
    coded = data.dropna(subset=["goldstein", "direction"])
    if coded.empty:
        return pd.DataFrame(columns=["period", "direction", "sum", "mean", "count"])
    period = coded["date"].dt.to_period(freq.rstrip("S") or "M").dt.start_time
    grouped = coded.groupby([period, coded["direction"].astype(str)])["goldstein"]
    out = grouped.agg(["sum", "mean", "count"]).reset_index()
    out.columns = ["period", "direction", "sum", "mean", "count"]
    out[["sum", "mean"]] = out[["sum", "mean"]].astype(float)
    return out


def cooperation_index(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    stat: str = "sum",
    freq: str = "MS",
    directions: tuple[str, ...] = ("RUS->IRN", "IRN->RUS", "mutual"),
    title: str | None = "Cooperation index (Goldstein), by direction",
    note: str | None = DEFAULT_NOTE + " Goldstein values from GDELT's CAMEO lookup.",
    **kwargs,
) -> Axes:
    """Goldstein sum (or mean) per month by direction, with event counts as grey bars.

    Parameters
    ----------
    data
        Events with ``goldstein`` and ``direction`` (``relations.load("events")``).
    stat
        ``"sum"`` (net cooperation, default) or ``"mean"`` (average tone).
    directions
        Which directions to draw; ``"third party"`` is left out by default.
    kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot`.
    """
    if stat not in ("sum", "mean"):
        raise ValueError(f"stat={stat!r} (allowed: sum, mean)")
    idx = monthly_index(data, freq=freq)
    idx = idx[idx["direction"].isin(directions)]
    with house_style():
        ax = axes(ax, (10, 4.2))
        counts = idx.groupby("period")["count"].sum()
        twin = ax.twinx()
        twin.bar(counts.index, counts.to_numpy(), width=20, color="#dddddd", zorder=0, label="events")
        twin.set_ylabel("events per month", color="#888888")
        twin.tick_params(axis="y", colors="#888888")
        twin.grid(False)
        twin.spines["right"].set_visible(True)
        ax.set_zorder(twin.get_zorder() + 1)
        ax.patch.set_visible(False)
        months = pd.date_range(idx["period"].min(), idx["period"].max(), freq=freq) if len(idx) else []
        for d in directions:
            part = idx[idx["direction"] == d].set_index("period")[stat]
            if part.empty:
                continue
            # a month without events adds nothing to the sum; its mean is undefined (a gap)
            part = part.reindex(months, fill_value=0.0) if stat == "sum" else part.reindex(months)
            style = {"marker": "o", "ms": 3.5, "lw": 1.2, "color": DIRECTIONS.get(d, "#555555")} | kwargs
            ax.plot(part.index, part.to_numpy(), label=d, **style)
        ax.axhline(0, color="#555555", lw=0.6)
        ax.set_ylabel(f"Goldstein {stat} per month")
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.legend(title="direction", loc="upper left")
        finish(ax, title, note)
    return ax


def contact_events(data: pd.DataFrame) -> pd.DataFrame:
    """Events that are high-level contacts between Moscow and Tehran (CAMEO 04x, not third party)."""
    data = frame(data, {"cameo_code", "direction"}, "events")
    codes = {c for group in CONTACT_KINDS.values() for c in group}
    mask = data["cameo_code"].isin(codes) & (data["direction"].astype(str) != "third party")
    out = data[mask].copy()
    kind = {c: k for k, group in CONTACT_KINDS.items() for c in group}
    out["contact_kind"] = out["cameo_code"].map(kind)
    return out


def contacts(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    freq: str = "QS",
    title: str | None = "High-level contacts per quarter",
    note: str | None = DEFAULT_NOTE + " Contacts: CAMEO 040–046 between Russia and Iran.",
    **kwargs,
) -> Axes:
    """Meetings, visits and calls between Russian and Iranian officials per quarter, stacked by kind.

    kwargs are passed to :meth:`matplotlib.axes.Axes.bar`.
    """
    found = contact_events(frame(data, {"date", "cameo_code", "direction"}, "events"))
    with house_style():
        ax = axes(ax, (10, 4))
        kinds = list(CONTACT_KINDS)
        table = counts_per_period(found["date"], found["contact_kind"], kinds, freq)
        bottom = np.zeros(len(table))
        for k in kinds:
            vals = table[k].to_numpy(dtype=float) if k in table else np.zeros(len(table))
            style = {"width": 80, "align": "edge", "linewidth": 0} | kwargs
            ax.bar(table.index, vals, bottom=bottom, color=_KIND_COLOURS[k], label=k, **style)
            bottom += vals
        ax.set_ylabel("contacts")
        ax.grid(axis="y", color="#dddddd")
        ax.grid(axis="x", visible=False)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.legend(title="kind", loc="upper left")
        finish(ax, title, note)
    return ax
