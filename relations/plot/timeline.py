"""The timeline: every event on a row per domain, with a few numbered milestones.

>>> import relations
>>> df = relations.plot.timeline_data(relations.load("events"))
>>> int(df["milestone"].max())
8
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from ._common import axes, date_axis, finish, frame, nothing
from .style import DOMAIN_COLOURS, STATUS_MARKERS, colour_for, house_style, ordered

__all__ = ["timeline", "timeline_data"]

DEFAULT_NOTE = "Source: relations evidence base (events table; every event cites its sources)."
_REQUIRED = {"date", "domain", "status", "title"}
_KEY_ROW = 0.55  # height of one line of the milestone key, in rows of the chart


def domain_order(data: pd.DataFrame) -> list[str]:
    """Domains present in ``data``, in the column's categories' order, else the schema's."""
    col = data["domain"]
    order = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else list(DOMAIN_COLOURS)
    return ordered([str(v) for v in col.dropna().unique()], order)


def timeline_data(
    data: pd.DataFrame, *, label: str | Sequence[str] | None = "key_event", max_labels: int = 8
) -> pd.DataFrame:
    """One row per event, in drawing order (status, then date), with its row ``y`` and milestone number.

    ``milestone`` numbers (1, 2, ... in date order) the events that get a label: those
    flagged in the boolean column ``label`` (or whose ``event_id`` is in the list
    ``label``), at most ``max_labels`` of them, picked evenly over the window.

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2024-02-01", "2024-01-01"]),
    ...     "domain": ["arms", "trade"], "status": ["alleged", "confirmed"],
    ...     "title": ["B", "A"], "key_event": [True, True]})
    >>> timeline_data(ev)[["title", "y", "milestone"]].to_dict("list")
    {'title': ['A', 'B'], 'y': [1, 0], 'milestone': [1, 2]}
    """
    data = frame(data, _REQUIRED, "events")
    domains = domain_order(data)
    statuses = ordered([str(s) for s in data["status"].dropna().unique()], list(STATUS_MARKERS))
    keep = [c for c in ("event_id", "date", "domain", "status", "title") if c in data.columns]
    out = data[keep].dropna(subset=["date", "domain", "status"]).copy()
    out["domain"] = out["domain"].astype(str)
    out["status"] = out["status"].astype(str)
    out["title"] = out["title"].astype(str)
    out["y"] = out["domain"].map({d: i for i, d in enumerate(domains)}).astype("int64")
    rank = out["status"].map({s: i for i, s in enumerate(statuses)})
    out = out.assign(_rank=rank).sort_values(["_rank", "date"], kind="stable").drop(columns="_rank")
    out["milestone"] = pd.array([pd.NA] * len(out), dtype="Int64")
    if label is not None and len(out):
        if isinstance(label, str):
            if label not in data.columns:
                raise ValueError(f"label={label!r} is not a column of data")
            flagged = data.loc[out.index, label].fillna(False).astype(bool)
        else:
            if "event_id" not in out:
                raise ValueError("label as a list of event ids needs an event_id column")
            flagged = out["event_id"].isin(list(label))
        picked = out[flagged.to_numpy()].sort_values("date", kind="stable")
        if len(picked) > max_labels:  # spread the labels over the whole window
            idx = np.unique(np.linspace(0, len(picked) - 1, max_labels).round().astype(int))
            picked = picked.iloc[idx]
        out.loc[picked.index, "milestone"] = range(1, len(picked) + 1)
    return out.reset_index(drop=True)


def timeline(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label: str | Sequence[str] | None = "key_event",
    max_labels: int = 8,
    title: str | None = "Timeline of the partnership",
    note: str | None = DEFAULT_NOTE,
    **kwargs,
) -> Axes:
    """Events over time, one row per domain, marker shape by status; milestones numbered.

    Parameters
    ----------
    data
        Events, e.g. ``relations.load("events")`` or a filtered part of it.
    ax
        Axes to draw on; a new figure is made when omitted.
    label
        Which events get a number and a line in the key above the chart: the name of
        a boolean column (default ``"key_event"``), a list of ``event_id`` values, or
        ``None`` for none. At most ``max_labels`` are picked, evenly over the window;
        no leader line crosses the chart.
    title, note
        Chart title and the source note under the chart (``None`` to leave out).
    kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter`.

    >>> import relations
    >>> ax = relations.plot.timeline(relations.load("events"))
    >>> len(ax.collections) > 0
    True
    """
    df = timeline_data(data, label=label, max_labels=max_labels)
    with house_style():
        ax = axes(ax, (11, 5.5))
        if df.empty:
            return nothing(ax, title, note)
        rows = df.drop_duplicates("y").sort_values("y")
        for status, part in df.groupby("status", sort=False):
            style = {"edgecolors": "#333333", "linewidths": 0.5, "s": 46, "alpha": 0.9, "zorder": 3} | kwargs
            ax.scatter(
                part["date"],
                part["y"],
                marker=STATUS_MARKERS.get(status, "o"),
                c=[colour_for(d) for d in part["domain"]],
                label=status,
                **style,
            )
        ax.set_yticks(rows["y"].tolist(), rows["domain"].tolist())
        x0, x1 = mdates.date2num(df["date"].min()), mdates.date2num(df["date"].max())
        pad = max((x1 - x0) * 0.02, 15)
        ax.set_xlim(x0 - pad, x1 + pad)
        date_axis(ax)
        top = len(rows) - 0.3
        n_key = _milestones(ax, df[df["milestone"].notna()].sort_values("milestone"), top=top)
        ax.set_ylim(-0.7, top + (0.25 + _KEY_ROW * ((n_key + 1) // 2) if n_key else 0.4))
        handles = [
            Line2D([], [], ls="", marker=STATUS_MARKERS.get(s, "o"), color="#666666", label=s)
            for s in df["status"].unique()
        ]
        ax.legend(
            handles=handles, title="status", loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.2
        )
        finish(ax, title, note)
    return ax


def _milestones(ax: Axes, picked: pd.DataFrame, *, top: float) -> int:
    """Number the picked events next to their markers and list them in a key above the rows.

    The key has two columns filled down, in date order; the numbers tie each line of
    the key to its marker, so no leader line crosses the chart.
    """
    n = len(picked)
    if n == 0:
        return 0
    per_col = (n + 1) // 2
    fig_w = ax.get_position().width * ax.figure.get_figwidth()
    char_in = 7.2 * 0.6 / 72  # width of one character at 7.2 pt, in inches
    max_chars = max(16, int(fig_w / 2 * 0.95 / char_in))
    key = blended_transform_factory(ax.transAxes, ax.transData)
    for k, row in enumerate(picked.itertuples()):
        number = str(int(row.milestone))
        ax.annotate(
            number,
            xy=(row.date, row.y),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
            fontweight="bold",
            color="#222222",
            zorder=4,
            gid="relations-milestone",
        )
        text = f"{number}  {row.date:%b %Y}  {row.title}"
        if len(text) > max_chars:
            text = text[: max_chars - 1].rstrip() + "…"
        col, line = divmod(k, per_col)
        ax.text(
            0.01 + 0.5 * col,
            top + 0.25 + _KEY_ROW * (per_col - line - 0.5),
            text,
            transform=key,
            ha="left",
            va="center",
            fontsize=7.2,
            color="#222222",
            gid="relations-event-label",
        )
    ax.axhline(top + 0.1, color="#dddddd", lw=0.6, zorder=0)
    return n
