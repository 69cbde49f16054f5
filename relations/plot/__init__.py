"""Plotting helpers for the relations evidence base (matplotlib, seaborn-style).

Every helper takes the data first and keyword-only options, draws on ``ax`` (or a
new figure), returns the ``Axes``, applies the house style only while drawing,
and writes a short source note under the chart. Each has a pure data step,
``<name>_data``, returning the frame the chart draws (and nothing else); with
no data in the window a chart says "Nothing in this window", and
:func:`has_data` tells beforehand whether it would.

>>> import relations
>>> ax = relations.plot.status_breakdown(relations.load("events"))
>>> ax.get_xlabel()
'share of events (%)'
>>> relations.plot.has_data("activity", relations.load("events").iloc[0:0])
False
"""

from __future__ import annotations

from typing import Any

from ._common import NOTHING
from .claims import claims_board, claims_board_data
from .cooperation import (
    contact_events,
    contacts,
    contacts_data,
    cooperation_index,
    cooperation_index_data,
    monthly_index,
)
from .economy import trade, trade_data
from .events import activity, activity_data, status_breakdown, status_breakdown_data, timeline, timeline_data
from .military import arms_transfers, arms_transfers_data
from .quantities import arms_quantities, arms_quantities_data
from .style import house_style, source_note
from .treaties import treaty_matrix, treaty_matrix_data

__all__ = [
    "NOTHING",
    "activity",
    "activity_data",
    "arms_quantities",
    "arms_quantities_data",
    "arms_transfers",
    "arms_transfers_data",
    "claims_board",
    "claims_board_data",
    "contact_events",
    "contacts",
    "contacts_data",
    "cooperation_index",
    "cooperation_index_data",
    "has_data",
    "house_style",
    "monthly_index",
    "source_note",
    "status_breakdown",
    "status_breakdown_data",
    "timeline",
    "timeline_data",
    "trade",
    "trade_data",
    "treaty_matrix",
    "treaty_matrix_data",
]

#: The charts that :func:`has_data` knows, each with its data step.
CHARTS = {
    "activity": activity_data,
    "arms_quantities": arms_quantities_data,
    "arms_transfers": arms_transfers_data,
    "claims_board": claims_board_data,
    "contacts": contacts_data,
    "cooperation_index": cooperation_index_data,
    "status_breakdown": status_breakdown_data,
    "timeline": timeline_data,
    "trade": trade_data,
    "treaty_matrix": treaty_matrix_data,
}


def has_data(fn_name: str, *data: Any, **options: Any) -> bool:
    """Whether the chart ``fn_name`` would draw anything for ``data`` (else it says "Nothing in this window").

    Takes the chart's data arguments and its data options (``freq``, ``directions``,
    ``comparators``...); drawing options such as ``ax`` or ``title`` are ignored.

    >>> import relations
    >>> events = relations.load("events")
    >>> has_data("contacts", events), has_data("contacts", events[events["date"] < "1990-01-01"])
    (True, False)
    """
    import inspect

    if fn_name not in CHARTS:
        raise ValueError(f"no chart named {fn_name!r} (known: {', '.join(CHARTS)})")
    step = CHARTS[fn_name]
    known = inspect.signature(step).parameters
    df = step(*data, **{k: v for k, v in options.items() if k in known})
    if fn_name == "treaty_matrix":
        return bool(df["coded"].any())
    return not df.empty
