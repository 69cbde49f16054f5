"""The text-hygiene rules of :func:`relations.check`: no control characters or bidirectional
overrides, and nothing a spreadsheet would run as a formula (listed in
:data:`relations.rules.RULES`).

>>> from relations.schema import read_package
>>> no_spreadsheet_formulas(read_package(), {"events": [(2, {"title": "=1+1"})]})[0][:36]
"events.csv:2:title: '=1+1' starts wi"
"""

from __future__ import annotations

from .rules import Rows, control_character, is_formula, text_cells
from .schema import Package

__all__ = ["no_control_characters", "no_spreadsheet_formulas"]


def no_control_characters(pkg: Package, rows: Rows) -> list[str]:
    """Text holds no control characters (NUL, ESC, BEL, ...) and no bidirectional overrides."""
    out = []
    for t, i, col, value in text_cells(pkg, rows, ("string", "list")):
        found = control_character(value)
        if found:
            out.append(
                f"{t.path}:{i}:{col}: contains the control character {found} "
                "(allowed: printable text without control or bidirectional-override characters)"
            )
    return out


def no_spreadsheet_formulas(pkg: Package, rows: Rows) -> list[str]:
    """Text does not start like a spreadsheet formula (``=``, ``+``, ``-``, ``@``)."""
    return [
        f"{t.path}:{i}:{col}: {value[:40] + ('…' if len(value) > 40 else '')!r} starts with "
        f"{value[0]!r}, so spreadsheets run it as a formula (allowed: text that does not start "
        "with =, +, -, @; signed figures such as '+12% y/y' are fine)"
        for t, i, col, value in text_cells(pkg, rows, ("string",))
        if is_formula(value)
    ]
