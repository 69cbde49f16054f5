"""Charts of a briefing: the PNG image and, below it, the rows it draws as a CSV download.

Each chart is drawn by a :mod:`relations.plot` helper and saved here (so that warnings
are caught by the section), and its data step (``<helper>_data``) gives exactly the rows
drawn; they are embedded as a ``data:`` link, so the file still works offline.

>>> import relations
>>> chart = figure("activity", relations.load("events"))
>>> chart.rows == len(relations.plot.activity_data(relations.load("events")))
True
>>> 'download="activity.csv"' in chart.data.html
True
"""

from __future__ import annotations

import base64
import inspect
import io
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from . import chart_cache
from .html import HTMLBlock

__all__ = ["Chart", "figure"]

#: The tables each chart draws from (for its one-line citation).
TABLES = {
    "timeline": "events",
    "activity": "events",
    "status_breakdown": "events",
    "cooperation_index": "events",
    "contacts": "events",
    "arms_transfers": "arms_transfers",
    "arms_quantities": "arms_transfers",
    "trade": "trade",
    "claims_board": "claims and claim_positions",
    "treaty_matrix": "agreement_provisions",
}


@dataclass
class Chart:
    """A chart image and the HTML block with its data link and citation."""

    name: str
    image: Any
    data: HTMLBlock
    rows: int


def _data_step(fn_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> pd.DataFrame:
    from .. import plot

    step = getattr(plot, f"{fn_name}_data")
    accepted = inspect.signature(step).parameters
    return step(*args, **{k: v for k, v in kwargs.items() if k in accepted})


def data_link(fn_name: str, rows: pd.DataFrame) -> HTMLBlock:
    """A "Data (CSV)" link holding ``rows`` (formula-safe) and a one-line citation."""
    from ..loaders import csv_safe

    text = csv_safe(rows).to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")
    return HTMLBlock(
        Markup(
            '<p class="relations-chart-data" style="font-size:.75rem;color:#555;margin:.1rem 0 .8rem">'
            '<a download="{name}.csv" href="{href}">Data (CSV)</a> · {n} row{s}, exactly what the chart '
            "draws · Source: relations evidence base, table {table}; cite with the data version at the "
            "top of this briefing.</p>"
        ).format(
            name=fn_name,
            href=href,
            n=len(rows),
            s="" if len(rows) == 1 else "s",
            table=TABLES.get(fn_name, "events"),
        )
    )


def figure(fn_name: str, *args: Any, **kwargs: Any) -> Chart:
    """Draw with a plot helper; return the PNG image and the data link of its rows."""
    import matplotlib.pyplot as plt
    from IPython.display import Image

    from .. import plot

    width = kwargs.pop("display_width", None)
    digest = chart_cache.key(fn_name, args, kwargs) if chart_cache.folder() and chart_cache.settled() else ""
    png = chart_cache.lookup(digest) if digest else None
    if png is None:  # not drawn ahead (see relations.briefing.chart_cache)
        ax = getattr(plot, fn_name)(*args, **kwargs)
        buf = io.BytesIO()
        try:
            ax.figure.savefig(buf, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
        finally:
            plt.close(ax.figure)
        png = buf.getvalue()
        if digest:
            chart_cache.store(digest, png)
    rows = _data_step(fn_name, args, kwargs)
    image = Image(data=png, format="png", width=width)
    return Chart(fn_name, image, data_link(fn_name, rows), len(rows))
