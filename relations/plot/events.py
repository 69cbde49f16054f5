"""Charts of the event record: activity per quarter and the status breakdown (and the timeline).

All helpers follow seaborn's shape: the data first, keyword-only options,
``ax=None`` in and the :class:`~matplotlib.axes.Axes` out, no ``plt.show()``.
Each chart has a pure data step (``activity_data``, ``status_breakdown_data``)
and draws exactly what it returns.

>>> import relations
>>> from relations import plot
>>> ax = plot.activity(relations.load("events"))
>>> ax.get_title(loc="left")
'Events per quarter, by domain'
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from ._common import axes, date_axis, finish, frame, nothing, stacked_counts
from .style import STATUS_COLOURS, STATUS_MARKERS, colour_for, house_style
from .timeline import DEFAULT_NOTE, domain_order, timeline, timeline_data

__all__ = [
    "activity",
    "activity_data",
    "status_breakdown",
    "status_breakdown_data",
    "timeline",
    "timeline_data",
]

#: Fewer events than this in a domain and its shares are flagged as thin.
MIN_EVENTS = 5
_PERIOD_WORDS = {"QS": "quarter", "MS": "month", "YS": "year"}


def activity_data(data: pd.DataFrame, *, freq: str = "QS") -> pd.DataFrame:
    """Events per period and domain, stacked: ``period, domain, count, bottom``.

    One row per non-empty bar, domains in the schema's order; ``bottom`` is the number
    of events of the earlier domains in the same period.

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-02-02"]),
    ...     "domain": ["diplomacy", "trade", "diplomacy"]})
    >>> activity_data(ev)[["domain", "count", "bottom"]].to_dict("list")
    {'domain': ['diplomacy', 'trade'], 'count': [2, 1], 'bottom': [0, 2]}
    """
    data = frame(data, {"date", "domain"}, "events").dropna(subset=["date", "domain"])
    return stacked_counts(data["date"], data["domain"], domain_order(data), freq, name="domain")


def activity(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    freq: str = "QS",
    title: str | None = "Events per quarter, by domain",
    note: str | None = DEFAULT_NOTE,
    **kwargs,
) -> Axes:
    """Number of events per period (quarter by default), stacked by domain.

    Parameters
    ----------
    data
        Events, e.g. ``relations.load("events")``.
    freq
        A pandas period start alias: ``"QS"`` (quarters, default), ``"MS"`` or ``"YS"``.
    kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar`.
    """
    df = activity_data(data, freq=freq)
    with house_style():
        ax = axes(ax, (10, 4.5))
        if df.empty:
            return nothing(ax, title, note)
        width = {"QS": 80, "MS": 25, "YS": 330}.get(freq, 80)
        for d, part in df.groupby("domain", sort=False):
            style = {"width": width, "align": "edge", "linewidth": 0} | kwargs
            ax.bar(
                part["period"], part["count"], bottom=part["bottom"], color=colour_for(d), label=d, **style
            )
        ax.set_ylabel("events")
        ax.grid(axis="y", color="#dddddd")
        ax.grid(axis="x", visible=False)
        date_axis(ax)
        ax.legend(title="domain", loc="upper left", bbox_to_anchor=(1.0, 1.0), ncols=1)
        finish(ax, title, note)
    return ax


def status_breakdown_data(
    data: pd.DataFrame, *, normalize: bool = True, min_events: int = MIN_EVENTS
) -> pd.DataFrame:
    """Events per domain and status: ``domain, y, status, count, n, value, left, thin``.

    ``value`` is the share of the domain's ``n`` events in percent (or the count when
    ``normalize`` is false); ``left`` is where the bar starts (sum of the earlier
    statuses); ``thin`` marks domains with fewer than ``min_events`` events, whose
    shares are not robust. Rows come status by status, domains bottom (``y=0``) up.

    >>> ev = pd.DataFrame({"domain": ["arms"] * 4, "status": ["confirmed"] * 3 + ["denied"]})
    >>> df = status_breakdown_data(ev)
    >>> df.loc[df["count"] > 0, ["status", "value", "left", "thin"]].to_dict("list")
    {'status': ['confirmed', 'denied'], 'value': [75.0, 25.0], 'left': [0.0, 75.0], 'thin': [True, True]}
    """
    data = frame(data, {"domain", "status"}, "events").dropna(subset=["domain", "status"])
    domains = domain_order(data)[::-1]
    statuses = list(STATUS_MARKERS)
    table = pd.crosstab(data["domain"].astype(str), data["status"].astype(str))
    table = table.reindex(index=domains, columns=statuses, fill_value=0)
    n = table.sum(axis=1)
    shown = table.div(n.replace(0, 1), axis=0) * 100 if normalize else table.astype(float)
    left = shown.cumsum(axis=1) - shown
    rows = [
        (
            d,
            y,
            s,
            int(table.at[d, s]),
            int(n[d]),
            float(shown.at[d, s]),
            float(left.at[d, s]),
            n[d] < min_events,
        )
        for s in statuses
        for y, d in enumerate(domains)
    ]
    columns = ["domain", "y", "status", "count", "n", "value", "left", "thin"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"y": "int64", "count": "int64", "n": "int64", "thin": bool}
    )


def status_breakdown(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    normalize: bool = True,
    min_events: int = MIN_EVENTS,
    title: str | None = "How much of the record is confirmed, by domain",
    note: str | None = DEFAULT_NOTE,
    **kwargs,
) -> Axes:
    """Horizontal bars per domain split by status (share of events, or counts).

    Parameters
    ----------
    normalize
        ``True`` (default) shows shares of each domain's events; ``False`` counts.
    min_events
        Domains with fewer events are drawn pale and hatched, flagged "n=2, too few".
    kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh`.
    """
    df = status_breakdown_data(data, normalize=normalize, min_events=min_events)
    with house_style():
        ax = axes(ax, (9, 4.8))
        if df.empty:
            return nothing(ax, title, note)
        for s, part in df.groupby("status", sort=False):
            style = {"edgecolor": "white", "linewidth": 0.5} | kwargs
            bars = ax.barh(
                part["y"], part["value"], left=part["left"], color=STATUS_COLOURS[s], label=s, **style
            )
            for bar, thin in zip(bars, part["thin"], strict=True):
                if thin:
                    bar.set_alpha(0.45)
                    bar.set_hatch("///")
        ends = (
            df.assign(end=df["left"] + df["value"])
            .groupby("y", sort=True)
            .agg(end=("end", "max"), n=("n", "first"), thin=("thin", "first"), domain=("domain", "first"))
        )
        for y, r in ends.iterrows():
            ax.annotate(
                f"n={r['n']}, too few for shares" if r["thin"] else f"n={r['n']}",
                xy=(r["end"], y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color="#c0392b" if r["thin"] else "#555555",
                gid="relations-thin" if r["thin"] else "relations-n",
            )
        ax.set_yticks(ends.index.tolist(), ends["domain"].tolist())
        ax.set_xlabel("share of events (%)" if normalize else "events")
        if normalize:
            ax.set_xlim(0, 125)
        ax.legend(title="status", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        finish(ax, title, note)
    return ax
