"""Plotting helpers for the relations evidence base (matplotlib, seaborn-style).

Every helper takes the data first and keyword-only options, draws on ``ax`` (or a
new figure), returns the ``Axes``, applies the house style only while drawing,
and writes a short source note under the chart.

>>> import relations
>>> ax = relations.plot.status_breakdown(relations.load("events"))
>>> ax.get_xlabel()
'share of events (%)'
"""

from .claims import claims_board
from .cooperation import contact_events, contacts, cooperation_index, monthly_index
from .economy import trade
from .events import activity, status_breakdown, timeline
from .military import arms_transfers
from .style import house_style, source_note
from .treaties import treaty_matrix

__all__ = [
    "activity",
    "arms_transfers",
    "claims_board",
    "contact_events",
    "contacts",
    "cooperation_index",
    "house_style",
    "monthly_index",
    "source_note",
    "status_breakdown",
    "timeline",
    "trade",
    "treaty_matrix",
]
