"""Small helpers shared by the plotting modules."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

DEFAULT_NOTE = "Source: relations evidence base (every row cites its sources)."


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
