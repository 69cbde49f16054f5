"""Small helpers shared by the plotting modules."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

DEFAULT_NOTE = "Source: relations evidence base (every row cites its sources)."
#: What an empty chart says, centred on its axes.
NOTHING = "Nothing in this window"


def frame(data: pd.DataFrame, needed: Iterable[str], table: str) -> pd.DataFrame:
    """Check that ``data`` is a DataFrame with the ``needed`` columns of ``table``."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame of {table}, not {type(data).__name__}")
    missing = set(needed) - set(data.columns)
    if missing:
        raise ValueError(f"data lacks column(s) {', '.join(sorted(missing))}; pass relations.load({table!r})")
    return data


def axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """The given Axes, or a new figure's."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def finish(ax: Axes, title: str | None, note: str | None) -> Axes:
    """Title on the left and the source note under the chart."""
    from .style import source_note

    if title:
        ax.set_title(title, loc="left")
    if note:
        source_note(ax, note)
    return ax


def nothing(ax: Axes, title: str | None, note: str | None, text: str = NOTHING) -> Axes:
    """An empty chart that says so: centred ``text``, no ticks, no grid, the title and note kept.

    >>> import matplotlib.pyplot as plt
    >>> ax = nothing(plt.figure().add_subplot(), "T", None)
    >>> [t.get_text() for t in ax.texts], list(ax.get_xticks())
    (['Nothing in this window'], [])
    """
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        color="#777777",
        gid="relations-nothing",
    )
    return finish(ax, title, note)


def counts_per_period(
    dates: pd.Series, categories: pd.Series, columns: list[str], freq: str = "QS"
) -> pd.DataFrame:
    """Count rows per period (``freq``: QS, MS or YS) and category, with no period left out.

    >>> d = pd.Series(pd.to_datetime(["2024-01-05", "2024-07-01"]))
    >>> counts_per_period(d, pd.Series(["a", "b"]), ["a", "b"]).to_dict("list")
    {'a': [1, 0, 0], 'b': [0, 0, 1]}
    """
    if dates.empty:
        return pd.DataFrame(columns=columns)
    period = dates.dt.to_period(freq.rstrip("S") or "Q").dt.start_time
    table = pd.crosstab(period, categories.astype(str)).reindex(columns=columns, fill_value=0)
    return table.reindex(pd.date_range(table.index.min(), table.index.max(), freq=freq), fill_value=0)


def stacked_counts(
    dates: pd.Series, categories: pd.Series, order: list[str], freq: str = "QS", *, name: str = "domain"
) -> pd.DataFrame:
    """Tidy counts per period and category with the ``bottom`` each stacked bar starts at.

    One row per non-empty (category, period) cell, categories in ``order``; ``bottom`` is
    the sum of the counts of the categories before it in the same period.

    >>> d = pd.Series(pd.to_datetime(["2024-01-05", "2024-02-01", "2024-07-01"]))
    >>> stacked_counts(d, pd.Series(["a", "b", "b"]), ["a", "b"]).to_dict("list")["bottom"]
    [0, 1, 0]
    """
    columns = ["period", name, "count", "bottom"]
    table = counts_per_period(dates, categories, order, freq)
    if table.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in columns}).astype(
            {"period": "datetime64[ns]", name: object}
        )
    counts = table.to_numpy(dtype=np.int64)
    bottoms = np.cumsum(counts, axis=1) - counts
    rows = [
        (period, cat, int(counts[i, j]), int(bottoms[i, j]))
        for j, cat in enumerate(order)
        for i, period in enumerate(table.index)
        if counts[i, j] > 0
    ]
    return pd.DataFrame(rows, columns=columns)


def date_axis(ax: Axes) -> None:
    """Concise date ticks, at most a dozen."""
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
