"""Trade as reported: every reporter's figure, so disagreements stay visible.

>>> import relations
>>> ax = relations.plot.trade(relations.load("trade"))
>>> ax.get_ylabel()
'US$ billion'
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ._common import DEFAULT_NOTE, axes, finish, frame
from .style import house_style

__all__ = ["trade"]

PARTNER_COLOURS = {"IRN": "#2f6b3a", "CHN": "#c0392b", "TUR": "#1f6f8b", "IND": "#f28e2b"}
NAMES = {"IRN": "Iran", "CHN": "China", "TUR": "Turkey", "IND": "India", "RUS": "Russia"}
_MARKERS = "osD^vP*Xh<>"


def trade(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    flow: str = "turnover",
    partner: str = "IRN",
    comparators: Sequence[str] = (),
    periods: Sequence[str] = ("calendar",),
    title: str | None = None,
    note: str | None = DEFAULT_NOTE + " Each marker is one reporter's published figure.",
    **kwargs,
) -> Axes:
    """Russia's trade with ``partner`` per year: one marker per reporter, the preferred series as a line.

    Where reporters disagree on a year, their markers sit apart on a thin vertical
    line, so the disagreement is visible. ``comparators`` (e.g. ``("CHN", "TUR",
    "IND")``) add Russia's preferred series with those partners (log scale).

    kwargs are passed to :meth:`matplotlib.axes.Axes.scatter`.
    """
    data = frame(
        data,
        {"partner_a", "partner_b", "year", "flow", "value_usd", "reporter", "period_type", "preferred"},
        "trade",
    )
    base = data[(data["flow"].astype(str) == flow) & data["period_type"].astype(str).isin(periods)]
    own = base[base["partner_b"] == partner].copy()
    own["bn"] = own["value_usd"].astype(float) / 1e9
    own = own.dropna(subset=["bn"])  # growth-only statements have no value to plot
    with house_style():
        ax = axes(ax, (9, 4.5))
        reporters = sorted(own["reporter"].dropna().unique())
        for year, grp in own.groupby("year"):
            if len(grp) > 1:
                ax.vlines(year, grp["bn"].min(), grp["bn"].max(), color="#bbbbbb", lw=2.5, zorder=1)
        for i, rep in enumerate(reporters):
            part = own[own["reporter"] == rep]
            style = {"s": 34, "zorder": 3, "edgecolors": "#333333", "linewidths": 0.5} | kwargs
            ax.scatter(part["year"], part["bn"], marker=_MARKERS[i % len(_MARKERS)], label=rep, **style)
        preferred = own[own["preferred"].fillna(False).astype(bool)].sort_values("year")
        if not preferred.empty:
            ax.plot(
                preferred["year"],
                preferred["bn"],
                color=PARTNER_COLOURS.get(partner, "#333333"),
                lw=1.6,
                zorder=2,
                label=f"preferred ({NAMES.get(partner, partner)})",
            )
        for comp in comparators:
            series = base[(base["partner_b"] == comp) & base["preferred"].fillna(False).astype(bool)]
            series = series.sort_values("year")
            if not series.empty:
                ax.plot(
                    series["year"],
                    series["value_usd"].astype(float) / 1e9,
                    ls="--",
                    lw=1.4,
                    color=PARTNER_COLOURS.get(comp, "#777777"),
                    label=f"Russia–{NAMES.get(comp, comp)} (preferred)",
                )
        if comparators:
            ax.set_yscale("log")
        ax.set_ylabel("US$ billion")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if reporters or comparators:
            ax.legend(title="reporter", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7.5)
        default = f"Russia–{NAMES.get(partner, partner)} trade ({flow}), as reported"
        finish(ax, title if title is not None else default, note)
    return ax
