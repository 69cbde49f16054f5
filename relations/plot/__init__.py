"""Plotting helpers for the relations evidence base (matplotlib, seaborn-style).

Every helper takes the data first and keyword-only options, draws on ``ax`` (or a
new figure), returns the ``Axes``, applies the house style only while drawing,
and writes a short source note under the chart.

>>> import relations
>>> ax = relations.plot.status_breakdown(relations.load("events"))
>>> ax.get_xlabel()
'share of events (%)'
"""

from .events import activity, status_breakdown, timeline
from .style import house_style, source_note

__all__ = ["activity", "house_style", "source_note", "status_breakdown", "timeline"]
