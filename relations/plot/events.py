"""Charts of the event record: timeline, activity per quarter, status breakdown.

All helpers follow seaborn's shape: the data first, keyword-only options,
``ax=None`` in and the :class:`~matplotlib.axes.Axes` out, no ``plt.show()``.

>>> import relations
>>> from relations import plot
>>> ax = plot.activity(relations.load("events"))
>>> ax.get_title(loc="left")
'Events per quarter, by domain'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ._common import axes as _axes
from ._common import counts_per_period, finish, frame
from .style import STATUS_COLOURS, STATUS_MARKERS, colour_for, house_style, ordered

__all__ = ["activity", "status_breakdown", "timeline"]

DEFAULT_NOTE = "Source: relations evidence base (events table; every event cites its sources)."
_REQUIRED = {"date", "domain", "status", "title"}


def _events_frame(data: pd.DataFrame, needed: set[str]) -> pd.DataFrame:
    return frame(data, needed, "events")


def _domain_order(data: pd.DataFrame) -> list[str]:
    col = data["domain"]
    order = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else []
    return ordered([str(v) for v in col.dropna().unique()], order)


def timeline(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label: str | Sequence[str] | None = "key_event",
    max_labels: int = 9,
    title: str | None = "Timeline of the partnership",
    note: str | None = DEFAULT_NOTE,
    **kwargs,
) -> Axes:
    """Events over time, one row per domain, marker shape and colour by status.

    Parameters
    ----------
    data
        Events, e.g. ``relations.load("events")`` or a filtered part of it.
    ax
        Axes to draw on; a new figure is made when omitted.
    label
        Which events get a text label: the name of a boolean column (default
        ``"key_event"``), a list of ``event_id`` values, or ``None`` for none.
        At most ``max_labels`` labels are drawn, picked evenly over the window and
        placed in slots above the chart so that they stay legible.
    title, note
        Chart title and the source note under the chart (``None`` to leave out).
    kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter`.

    >>> import relations
    >>> ax = relations.plot.timeline(relations.load("events"))
    >>> len(ax.collections) > 0
    True
    """
    data = _events_frame(data, _REQUIRED)
    with house_style():
        ax = _axes(ax, (11, 5.5))
        domains = _domain_order(data)
        ypos = {d: i for i, d in enumerate(domains)}
        statuses = ordered([str(s) for s in data["status"].dropna().unique()], list(STATUS_MARKERS))
        for status in statuses:
            part = data[data["status"].astype(str) == status]
            style = {"edgecolors": "#333333", "linewidths": 0.5, "s": 46, "alpha": 0.9, "zorder": 3} | kwargs
            ax.scatter(
                part["date"],
                part["domain"].astype(str).map(ypos),
                marker=STATUS_MARKERS.get(status, "o"),
                c=[colour_for(d) for d in part["domain"].astype(str)],
                label=status,
                **style,
            )
        ax.set_yticks(range(len(domains)), domains)
        ax.set_ylim(-0.7, len(domains) - 0.3 + (2.2 if label is not None else 0.4))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        _label_events(ax, data, label, max_labels, top=len(domains) - 0.3, ypos=ypos)
        handles = [
            Line2D(
                [],
                [],
                ls="",
                marker=STATUS_MARKERS.get(s, "o"),
                color="#666666",
                markeredgecolor="#333333",
                label=s,
            )
            for s in statuses
        ]
        ax.legend(
            handles=handles, title="status", loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.2
        )
        finish(ax, title, note)
    return ax


def _label_events(
    ax: Axes, data: pd.DataFrame, label, max_labels: int, *, top: float, ypos: dict[str, int]
) -> None:
    """Label the chosen events in a band above the chart.

    Labels go round-robin into three lanes, in date order; each lane is split
    into equal slots, one label per slot, cut to fit it. Thin lines join labels
    to their markers, so labels never overlap however the events cluster.
    """
    if label is None or data.empty:
        return
    if isinstance(label, str):
        if label not in data.columns:
            raise ValueError(f"label={label!r} is not a column of data")
        picked = data[data[label].fillna(False).astype(bool)]
    else:
        picked = data[data["event_id"].isin(list(label))]
    picked = picked.sort_values("date")
    if len(picked) > max_labels:  # spread the labels over the whole window
        idx = np.unique(np.linspace(0, len(picked) - 1, max_labels).round().astype(int))
        picked = picked.iloc[idx]
    n = len(picked)
    if n == 0:
        return
    lanes = min(3, n)
    x0, x1 = mdates.date2num(data["date"].min()), mdates.date2num(data["date"].max())
    pad = max((x1 - x0) * 0.02, 15)
    ax.set_xlim(x0 - pad, x1 + pad)
    lo, hi = ax.get_xlim()
    fig_w = ax.get_position().width * ax.figure.get_figwidth()
    char_in = 7.2 * 0.6 / 72  # width of one character at 7.2 pt, in inches
    for i, row in enumerate(picked.itertuples()):
        lane, j = i % lanes, i // lanes
        per_lane = len(range(lane, n, lanes))
        slot = (hi - lo) / per_lane
        max_chars = max(12, int(fig_w / per_lane * 0.92 / char_in))
        text = row.title if len(row.title) <= max_chars else row.title[: max_chars - 1].rstrip() + "…"
        x_text = lo + (j + 0.5) * slot
        y_text = top + 0.6 + lane * 0.6
        ax.annotate(
            text,
            xy=(row.date, ypos[str(row.domain)]),
            xytext=(x_text, y_text),
            fontsize=7.2,
            ha="center",
            va="center",
            color="#222222",
            arrowprops={"arrowstyle": "-", "color": "#aaaaaa", "lw": 0.5, "shrinkA": 1, "shrinkB": 3},
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#cccccc", "lw": 0.4},
            zorder=4,
            gid="relations-event-label",
        )


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
    data = _events_frame(data, {"date", "domain"})
    with house_style():
        ax = _axes(ax, (10, 4.5))
        domains = _domain_order(data)
        counts = counts_per_period(data["date"], data["domain"], domains, freq)
        width = {"QS": 80, "MS": 25, "YS": 330}.get(freq, 80)
        bottom = np.zeros(len(counts))
        for d in domains:
            vals = counts[d].to_numpy() if d in counts else np.zeros(len(counts))
            style = {"width": width, "align": "edge", "linewidth": 0} | kwargs
            drawn = vals > 0  # empty segments add nothing but drawing time
            ax.bar(
                counts.index[drawn], vals[drawn], bottom=bottom[drawn], color=colour_for(d), label=d, **style
            )
            bottom += vals
        ax.set_ylabel("events")
        ax.grid(axis="y", color="#dddddd")
        ax.grid(axis="x", visible=False)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        if domains:
            ax.legend(title="domain", loc="upper left", bbox_to_anchor=(1.0, 1.0), ncols=1)
        finish(ax, title, note)
    return ax


def status_breakdown(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    normalize: bool = True,
    title: str | None = "How much of the record is confirmed, by domain",
    note: str | None = DEFAULT_NOTE,
    **kwargs,
) -> Axes:
    """Horizontal bars per domain split by status (share of events, or counts).

    Parameters
    ----------
    normalize
        ``True`` (default) shows shares of each domain's events; ``False`` counts.
    kwargs
        Passed to :meth:`matplotlib.axes.Axes.barh`.
    """
    data = _events_frame(data, {"domain", "status"})
    with house_style():
        ax = _axes(ax, (9, 4.8))
        domains = _domain_order(data)[::-1]
        statuses = list(STATUS_MARKERS)
        table = pd.crosstab(data["domain"].astype(str), data["status"].astype(str)).reindex(
            index=domains, columns=statuses, fill_value=0
        )
        totals = table.sum(axis=1).replace(0, 1)
        shown = table.div(totals, axis=0) * 100 if normalize else table
        left = np.zeros(len(shown))
        for s in statuses:
            vals = shown[s].to_numpy(dtype=float)
            style = {"edgecolor": "white", "linewidth": 0.5} | kwargs
            ax.barh(domains, vals, left=left, color=STATUS_COLOURS[s], label=s, **style)
            left += vals
        for y, n in enumerate(table.sum(axis=1)):
            ax.annotate(
                f"n={n}",
                xy=(left[y], y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color="#555555",
            )
        ax.set_xlabel("share of events (%)" if normalize else "events")
        if normalize:
            ax.set_xlim(0, 112)
        ax.legend(title="status", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        finish(ax, title, note)
    return ax
