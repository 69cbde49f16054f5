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
