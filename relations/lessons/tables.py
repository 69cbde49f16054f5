"""Tables for lessons: every row, every cell's full text, blanks for missing values.

pandas' notebook display is made for a screen: it cuts text at 50 characters ("…"), drops
the middle rows of a long table ("..."), prints ``<NA>``, ``NaN`` or ``NaT`` for a missing
value and adds the row index. A lesson is also read on paper (``relations handout``), so its
context cells show tables with :func:`table` (``teaching.table``): text wraps instead of
being cut, a missing value is blank (or a label the lesson gives, such as *not given*),
lists read ``a; b``, dates read ``2025-01-17`` and a default row index is left out. The
labels are the lessons' content: each lesson's YAML passes its own.

>>> import pandas as pd
>>> rows = pd.DataFrame({"article": ["3", None], "summary": ["x" * 80, "y"]})
>>> t = table(rows, missing={"article": "not given"})
>>> t.frame["article"].tolist(), len(t.frame.loc[0, "summary"])
(['3', 'not given'], 80)
>>> "<NA>" in t._repr_html_(), "…" in t._repr_html_()
(False, False)
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Table", "cell_text", "table"]

HERE = Path(__file__).parent


@dataclass(frozen=True, repr=False)
class Table:
    """A table as it is shown: ``frame`` holds the text of every cell (headers are its
    columns); ``kinds`` says what each column holds: ``number`` (set flush right, kept on
    one line), ``date`` (kept on one line: ``2025-01-17`` never breaks at a hyphen) or
    ``text`` (wrapped)."""

    frame: pd.DataFrame
    kinds: tuple[str, ...]

    def _repr_html_(self) -> str:
        from ..briefing.html import template_environment

        template = template_environment(str(HERE)).get_template("table.html.j2")
        rows = self.frame.to_numpy().tolist()
        return template.render(headers=list(self.frame.columns), rows=rows, kinds=self.kinds)

    def __repr__(self) -> str:  # the plain-text view, every row and every character
        return self.frame.to_string(index=False)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, list | tuple | set | dict):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def cell_text(value: Any, missing: str = "") -> str:
    """One value as a table shows it: ``missing`` for a missing value, ``a; b`` for a list,
    ``2025-01-17`` for a date (with the time only when it is not midnight), numbers with
    thousands separators from 10,000 up and at most six decimals.

    >>> cell_text(pd.NA), cell_text(float("nan"), "not given"), cell_text(["a", "b"])
    ('', 'not given', 'a; b')
    >>> cell_text(pd.Timestamp("2025-01-17")), cell_text(4.9e9), cell_text(0.125), cell_text(2022)
    ('2025-01-17', '4,900,000,000', '0.125', '2022')
    """
    if _missing(value):
        return missing
    if isinstance(value, list | tuple | set):
        items = sorted(value, key=str) if isinstance(value, set) else value
        return "; ".join(cell_text(v, missing) for v in items)
    if isinstance(value, dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d" if stamp == stamp.normalize() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    text = f"{v:,.6f}".rstrip("0").rstrip(".")
    return text if abs(v) >= 10_000 else text.replace(",", "")


def table(
    data: pd.DataFrame | pd.Series,
    *,
    missing: str | Mapping[str, str] = "",
    index: bool | None = None,
) -> Table:
    """``data`` as a table for a lesson (see the module's docstring for what it shows).

    ``missing`` is the text for a missing value: one for every column, or per column
    (``{"article": "not given"}``; other columns stay blank). ``index`` shows the row index
    as the first column(s); by default only a named index is shown (``domain`` of a
    crosstab, ``question`` of a groupby), never pandas' row numbers.

    >>> t = table(pd.Series([3, 1], index=pd.Index(["arms", "energy"], name="domain"), name="events"))
    >>> t.frame.columns.tolist(), t.frame.to_numpy().tolist(), t.kinds
    (['domain', 'events'], [['arms', '3'], ['energy', '1']], ('text', 'number'))
    """
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    if index is None:
        index = any(name is not None for name in frame.index.names)
    if index:
        names = [n if n is not None else "" for n in frame.index.names]
        frame = frame.rename_axis(names).reset_index()
    columns = [str(c) for c in frame.columns]
    labels = dict(missing) if isinstance(missing, Mapping) else dict.fromkeys(columns, missing)
    unknown = set(labels) - set(columns)
    if unknown:
        raise ValueError(f"missing= names columns the table does not have: {sorted(unknown)}")
    cells = [[cell_text(v, labels.get(name, "")) for v in frame.iloc[:, i]] for i, name in enumerate(columns)]
    text = pd.DataFrame(list(zip(*cells, strict=True)), columns=columns, dtype=object)
    return Table(text, tuple(_kind(frame.iloc[:, i]) for i in range(frame.shape[1])))


def _kind(column: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(column):
        return "date"
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return "number"
    return "text"
