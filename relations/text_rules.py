"""The text-hygiene rules of :func:`relations.check`: no control characters or bidirectional
overrides, and nothing a spreadsheet would run as a formula (listed in
:data:`relations.rules.RULES`).

>>> is_formula("=1+1"), is_formula("+12% y/y, a record")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata

from .rule_helpers import Rows, text_cells
from .schema import Package

__all__ = ["BIDI", "is_formula", "no_control_characters", "no_spreadsheet_formulas"]

#: Bidirectional overrides and isolates: they reorder how text is shown ("Trojan Source").
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x1B: "ESCAPE", 0x7F: "DELETE"}
#: A signed figure at the start of a note ("+12% y/y", "-17% to $4bn") is not a formula.
_SIGNED_FIGURE = re.compile(r"[+-]\d[\d.,]*%?(?=[\s,;.]|$)")
_FORMULA_MARKS = re.compile(r"\||\w\(")  # DDE (cmd|...) and function calls (HYPERLINK(...))


def _control(text: str) -> str | None:
    for c in text:
        if (unicodedata.category(c) == "Cc" and c not in "\t\n\r") or c in BIDI:
            name = unicodedata.name(c, "") or _CONTROL_NAMES.get(ord(c), "")
            return f"U+{ord(c):04X}" + (f" ({name})" if name else "")
    return None


def no_control_characters(pkg: Package, rows: Rows) -> list[str]:
    """Text holds no control characters (NUL, ESC, BEL, ...) and no bidirectional overrides."""
    out = []
    for t, i, col, value in text_cells(pkg, rows, ("string", "list")):
        found = _control(value)
        if found:
            out.append(
                f"{t.path}:{i}:{col}: contains the control character {found} "
                "(allowed: printable text without control or bidirectional-override characters)"
            )
    return out


def is_formula(text: str) -> bool:
    """Whether a spreadsheet opening the CSV would run ``text`` as a formula.

    >>> is_formula("=1+1"), is_formula("+12% y/y, a record"), is_formula("-2+3+cmd|' /C calc'!A0")
    (True, False, True)
    """
    if text[:1] not in ("=", "+", "-", "@"):
        return False
    return not (text[0] in "+-" and _SIGNED_FIGURE.match(text) and not _FORMULA_MARKS.search(text))


def no_spreadsheet_formulas(pkg: Package, rows: Rows) -> list[str]:
    """Text does not start like a spreadsheet formula (``=``, ``+``, ``-``, ``@``)."""
    return [
        f"{t.path}:{i}:{col}: {value[:40] + ('…' if len(value) > 40 else '')!r} starts with "
        f"{value[0]!r}, so spreadsheets run it as a formula (allowed: text that does not start "
        "with =, +, -, @; signed figures such as '+12% y/y' are fine)"
        for t, i, col, value in text_cells(pkg, rows, ("string",))
        if is_formula(value)
    ]
