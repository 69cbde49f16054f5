"""Trade as reported: every reporter's figure, so disagreements stay visible.

>>> import relations
>>> ax = relations.plot.trade(relations.load("trade"))
>>> ax.get_ylabel()
'US$ billion'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ._common import DEFAULT_NOTE, axes, finish, frame, nothing
from .style import house_style

__all__ = ["trade", "trade_data"]

PARTNER_COLOURS = {"IRN": "#2f6b3a", "CHN": "#c0392b", "TUR": "#1f6f8b", "IND": "#f28e2b"}
NAMES = {"IRN": "Iran", "CHN": "China", "TUR": "Turkey", "IND": "India", "RUS": "Russia"}
_MARKERS = "osD^vP*Xh<>"


def trade_data(
    data: pd.DataFrame,
    *,
    flow: str = "turnover",
    partner: str = "IRN",
    comparators: Sequence[str] = (),
    periods: Sequence[str] = ("calendar",),
    split: bool = False,
) -> pd.DataFrame:
    """What :func:`trade` draws: ``panel, partner, year, reporter, bn, preferred, low, high``.

    Rows of panel ``"partner"`` are every reporter's figure for Russia–``partner`` (in
    US$ billion; growth-only rows without a value are left out), with the lowest and
    highest figure reported for that year. Rows of panel ``"comparators"`` are the
    preferred series with each comparator, and with ``partner`` too when ``split``
    (the comparators then get a panel of their own, Russia–``partner`` drawn for scale).

    >>> tr = pd.DataFrame({"partner_a": "RUS", "partner_b": "IRN", "year": [2024, 2024],
    ...     "flow": "turnover", "value_usd": [4.8e9, 5.0e9], "reporter": ["A", "B"],
    ...     "period_type": "calendar", "preferred": [True, False]})
    >>> trade_data(tr)[["bn", "low", "high"]].to_dict("list")
    {'bn': [4.8, 5.0], 'low': [4.8, 4.8], 'high': [5.0, 5.0]}
    """
    data = frame(
        data,
        {"partner_a", "partner_b", "year", "flow", "value_usd", "reporter", "period_type", "preferred"},
        "trade",
    )
    base = data[(data["flow"].astype(str) == flow) & data["period_type"].astype(str).isin(periods)].copy()
    base["bn"] = base["value_usd"].astype(float) / 1e9
    base = base.dropna(subset=["bn", "year"])  # growth-only statements have no value to plot
    base["preferred"] = base["preferred"].fillna(False).astype(bool)
    own = base[base["partner_b"] == partner].sort_values(["year", "reporter"]).assign(panel="partner")
    own["low"] = own.groupby("year")["bn"].transform("min")
    own["high"] = own.groupby("year")["bn"].transform("max")
    shown = list(comparators) + ([partner] if split and comparators else [])
    comp = base[base["partner_b"].isin(shown) & base["preferred"]].assign(panel="comparators")
    comp = comp.sort_values(["partner_b", "year"])
    comp["low"] = comp["bn"]
    comp["high"] = comp["bn"]
    columns = ["panel", "partner", "year", "reporter", "bn", "preferred", "low", "high"]
    out = pd.concat([own, comp], ignore_index=True).rename(columns={"partner_b": "partner"})
    return out.reindex(columns=columns).astype({"year": "int64", "bn": float, "low": float, "high": float})


def trade(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    flow: str = "turnover",
    partner: str = "IRN",
    comparators: Sequence[str] = (),
    periods: Sequence[str] = ("calendar",),
    comparator_ax: Axes | None = None,
    title: str | None = None,
    note: str | None = DEFAULT_NOTE + " Each marker is one reporter's published figure.",
    **kwargs,
) -> Axes:
    """Russia's trade with ``partner`` per year: one marker per reporter, the preferred series as a line.

    Where reporters disagree on a year, their markers sit apart on a thin vertical
    line, so the disagreement is visible. ``comparators`` (e.g. ``("CHN", "TUR",
    "IND")``) add Russia's preferred series with those partners in a second panel
    beside the first (both linear), when ``ax`` is omitted or ``comparator_ax`` given;
    on a given ``ax`` alone they share it, on a log scale. Returns the first panel.

    kwargs are passed to :meth:`matplotlib.axes.Axes.scatter`.
    """
    split = bool(comparators) and (ax is None or comparator_ax is not None)
    df = trade_data(data, flow=flow, partner=partner, comparators=comparators, periods=periods, split=split)
    default = f"Russia–{NAMES.get(partner, partner)} trade ({flow}), as reported"
    title = title if title is not None else default
    with house_style():
        if split and ax is None:
            fig = plt.figure(figsize=(12, 4.8), layout="constrained")
            ax, comparator_ax = fig.subplots(1, 2, width_ratios=(1.25, 1))
        ax = axes(ax, (9, 4.5))
        if df.empty:
            return nothing(ax, title, note)
        own = df[df["panel"] == "partner"]
        spread = own.drop_duplicates("year")
        spread = spread[spread["low"] < spread["high"]]
        if len(spread):
            ax.vlines(spread["year"], spread["low"], spread["high"], color="#bbbbbb", lw=2.5, zorder=1)
        for i, (rep, part) in enumerate(own.groupby("reporter", sort=True)):
            style = {"s": 34, "zorder": 3, "edgecolors": "#333333", "linewidths": 0.5} | kwargs
            ax.scatter(part["year"], part["bn"], marker=_MARKERS[i % len(_MARKERS)], label=rep, **style)
        preferred = own[own["preferred"]]
        if not preferred.empty:
            name = f"preferred ({NAMES.get(partner, partner)})"
            colour = PARTNER_COLOURS.get(partner, "#333333")
            ax.plot(preferred["year"], preferred["bn"], color=colour, lw=1.6, zorder=2, label=name)
        ax.set_ylabel("US$ billion")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        comp_ax = comparator_ax if split else ax
        comp = df[df["panel"] == "comparators"]
        for p, series in comp.groupby("partner", sort=False):
            comp_ax.plot(
                series["year"],
                series["bn"],
                ls="-" if p == partner else "--",
                lw=1.4,
                color=PARTNER_COLOURS.get(p, "#777777"),
                label=f"Russia–{NAMES.get(p, p)} (preferred)",
            )
        if split:
            comp_ax.set_title("Beside Russia's other partners (preferred figures)", loc="left", fontsize=10)
            comp_ax.set_ylabel("US$ billion")
            comp_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if not comp.empty:
                comp_ax.legend(loc="upper left", fontsize=7.5)
        elif comparators:
            ax.set_yscale("log")
        if split and len(own):  # linear from zero, headroom for the legend above the early years
            ax.set_ylim(0, own["high"].max() * 1.6)
            ax.legend(title="reporter", loc="upper left", fontsize=6.5, title_fontsize=7)
        elif len(own) or comparators:
            ax.legend(title="reporter", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7.5)
        finish(ax, title, note)
    return ax
