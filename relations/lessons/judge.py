"""Judge an answer against an exercise's YAML: normalise, compare, pick the feedback.

Expressions in the YAML (``values``, then ``expected``, each ``partly`` entry's ``if``) are
Python expressions over the tables (by name: ``events``, ``trade``...), ``pd``, the
helpers of :mod:`relations.teaching` and ``relations.plot`` as ``plot``; ``partly``
conditions also see ``answer`` (normalised) and ``expected``. Only the tables an
exercise names are loaded. The YAML files ship with the package: they are code the
project reviews, not user input.

>>> from relations.lessons import all_exercises
>>> judge(all_exercises()["3.5"], "false")[0]
'right'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from . import Exercise

__all__ = ["expected", "judge", "namespace", "normalise"]

_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}


class FormError(ValueError):
    """The answer does not have the asked-for form."""


def _text(value: Any) -> str:
    return str(value).strip().lower()


def normalise(check: str, value: Any) -> Any:
    """The answer in comparable form; :class:`FormError` when it has the wrong form."""
    if check == "number":
        if isinstance(value, bool):
            raise FormError("a number, not True/False")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise FormError("a number") from None
        if math.isnan(number):
            raise FormError("a number, not NaN")
        return number
    if check == "bool":
        if isinstance(value, bool):
            return value
        if _text(value) in _TRUE | _FALSE:
            return _text(value) in _TRUE
        raise FormError("True or False")
    if check == "dict":
        if not isinstance(value, Mapping):
            raise FormError("a dict")
        return {_text(k): _text(v) for k, v in value.items()}
    if check == "set":
        if isinstance(value, str | bytes) or not isinstance(value, Iterable | pd.Series | pd.Index):
            raise FormError("a list or set")
        return {_text(v) for v in value}
    if check in ("text", "written"):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise FormError("a text")
        return _text(value)
    raise ValueError(f"unknown check {check!r}")


def namespace(names: Iterable[str]) -> dict[str, Any]:
    """Globals for the expressions: the tables among ``names``, ``pd``, helpers, ``plot``."""
    from .. import plot, teaching
    from ..loaders import load, tables

    ns: dict[str, Any] = {"pd": pd, "plot": plot, "teaching": teaching}
    ns.update({h: getattr(teaching, h) for h in teaching.__all__})
    ns.update({"abs": abs, "round": round, "len": len, "int": int, "float": float, "str": str})
    ns.update({"sorted": sorted, "set": set, "dict": dict, "list": list, "min": min, "max": max})
    ns.update({"bool": bool, "any": any, "all": all, "sum": sum, "tuple": tuple})
    ns.update({t: load(t) for t in tables() if t in set(names)})
    return ns


def _names(*exprs: str | None) -> set[str]:
    names: set[str] = set()
    for expr in exprs:
        if expr:
            names |= set(compile(expr, "<lesson>", "eval").co_names)
    return names


def _eval(expr: str, ns: dict[str, Any]) -> Any:
    return eval(compile(expr, "<lesson>", "eval"), {"__builtins__": {}, **ns})


def _context(ex: Exercise) -> dict[str, Any]:
    exprs = [ex.expected, *ex.values.values(), *(p.get("if") for p in ex.partly)]
    ns = namespace(_names(*exprs))
    for name, expr in ex.values.items():  # in order: a value may use the ones before it
        ns[name] = _eval(expr, ns)
    raw = _eval(ex.expected, ns) if ex.expected else None
    ns["expected"] = None if raw is None else normalise(ex.check, raw)
    ns["_raw"] = raw  # for messages: 'TASS', not 'tass'
    return ns


def expected(ex: Exercise) -> Any:
    """The expected answer (normalised), computed from the data now."""
    if ex.expected is None:
        raise ValueError(f"exercise {ex.id} is a written answer: see its model answer and rubric")
    return _context(ex)["expected"]


def _is_right(ex: Exercise, answer: Any, want: Any) -> bool:
    if ex.check == "number":
        return abs(answer - want) <= max(ex.tolerance, 1e-9)
    if ex.check == "text":
        return answer == want or answer in {_text(a) for a in ex.also_right}
    return bool(answer == want)


def judge(ex: Exercise, answer: Any) -> tuple[str, str, bool]:
    """``(level, message, form_ok)`` for ``answer``."""
    try:
        given = normalise(ex.check, answer)
    except FormError:
        return "wrong", f"Give {ex.answer_form}.", False
    if ex.check == "written":
        words = len(given.split())
        if words < ex.min_words:
            return "partly", f"{words} words: say more (at least {ex.min_words}).", True
        return "noted", f"{words} words. Your teacher marks written answers against a rubric.", True
    ns = _context(ex)
    fill = {**ns, "answer": answer, "expected": ns["_raw"]}
    if _is_right(ex, given, ns["expected"]):
        return "right", ex.right.format_map(fill), True
    for entry in ex.partly:
        try:
            hit = bool(_eval(entry["if"], {**ns, "answer": given}))
        except Exception:  # a condition that does not apply to this answer
            hit = False
        if hit:
            return "partly", entry["say"].format_map(fill), True
    return "wrong", ex.wrong.format_map(fill), True
